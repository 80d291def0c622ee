// jest's transform for runners.test.ts: TypeScript to CommonJS with esbuild (dynamic imports as require).
const { transformSync } = require('esbuild')

module.exports = {
  process: (source, file) => ({ code: transformSync(source, { loader: 'ts', format: 'cjs', sourcefile: file, target: 'node20', supported: { 'dynamic-import': false } }).code }),
}
