// Builds dist/esm (ESM, the package's own format) and dist/cjs (CommonJS) from the same sources,
// each with its own declarations so that both resolution modes get types of the right format.
import { execFileSync } from 'node:child_process'
import { rmSync, writeFileSync } from 'node:fs'

const tsc = (...args) => execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json', ...args], { stdio: 'inherit' })

rmSync('dist', { recursive: true, force: true })
tsc()
tsc('--module', 'CommonJS', '--moduleResolution', 'Node10', '--verbatimModuleSyntax', 'false', '--outDir', 'dist/cjs')
writeFileSync('dist/cjs/package.json', JSON.stringify({ type: 'commonjs' }) + '\n')
