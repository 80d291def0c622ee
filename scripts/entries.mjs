// The package's public entry points, in one place. The build, package.json's "exports", "typesVersions",
// "main", "module" and "types", the test aliases and the size check all derive from this list.
//
// To add a subpath: add a line here, run `node scripts/entries.mjs --write`, commit package.json.
// `node scripts/entries.mjs --check [package.json]` fails when package.json does not match (npm test runs it).
import { readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/** `subpath` as a user imports it after `cognito-reconcile`, `source` the TypeScript file it compiles from. */
export const entries = [
  { subpath: '.', source: 'src/index.ts' },
  { subpath: './strategies', source: 'strategies/index.ts' },
  { subpath: './app', source: 'src/app/index.ts' },
  { subpath: './sync', source: 'src/sync/index.ts' },
  { subpath: './stores', source: 'src/stores/index.ts' },
  { subpath: './sqlite', source: 'src/stores/sqlite/index.ts' },
  { subpath: './indexeddb', source: 'src/stores/indexeddb/index.ts' },
  { subpath: './emulator', source: 'src/emulator/index.ts' },
  { subpath: './testkit', source: 'src/testkit/index.ts' },
  { subpath: './amazon-cognito-js', source: 'src/migrate/index.ts' },
]

/**
 * The three builds under dist/, one file per source in each:
 * - esm: ES modules importing fp-ts's and io-ts's CommonJS builds (`fp-ts/lib/*`), the only ones Node can load;
 * - bundler: the same ES modules importing fp-ts's and io-ts's ES modules (`fp-ts/es6/*`), so that a bundler
 *   (esbuild, webpack, Rollup, Vite, Metro) keeps only what is used;
 * - cjs: CommonJS, for `require`.
 */
export const flavours = { esm: 'dist/esm', bundler: 'dist/bundler', cjs: 'dist/cjs' }

const built = (flavour, source, extension) => `./${flavours[flavour]}/${source.replace(/\.ts$/, extension)}`

/** The fields of package.json that the list above decides. */
export const packageFields = () => {
  const root = entries.find((entry) => entry.subpath === '.')
  return {
    main: built('cjs', root.source, '.js'),
    module: built('bundler', root.source, '.js'),
    types: built('cjs', root.source, '.d.ts'),
    // Node (any version, and bundlers targeting Node) takes the esm build, every other importer the
    // bundler build; `require` takes the cjs build. Types come first in each branch, of the branch's format.
    exports: {
      ...Object.fromEntries(
        entries.map(({ subpath, source }) => [
          subpath,
          {
            import: { types: built('esm', source, '.d.ts'), node: built('esm', source, '.js'), default: built('bundler', source, '.js') },
            require: { types: built('cjs', source, '.d.ts'), default: built('cjs', source, '.js') },
          },
        ]),
      ),
      './package.json': './package.json',
    },
    // TypeScript's node10 resolution ignores "exports": it finds each subpath's types here.
    typesVersions: {
      '*': Object.fromEntries(
        entries.filter(({ subpath }) => subpath !== '.').map(({ subpath, source }) => [subpath.slice(2), [built('cjs', source, '.d.ts')]]),
      ),
    },
  }
}

/** The names of package.json's fields that differ from what the list decides. */
export const staleFields = (pkg) => Object.entries(packageFields()).filter(([name, value]) => JSON.stringify(pkg[name]) !== JSON.stringify(value)).map(([name]) => name)

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [mode, path = 'package.json'] = process.argv.slice(2)
  const pkg = JSON.parse(readFileSync(path, 'utf8'))
  if (mode === '--write') {
    writeFileSync(path, JSON.stringify({ ...pkg, ...packageFields() }, null, 2) + '\n')
  } else if (mode === '--check') {
    const stale = staleFields(pkg)
    if (stale.length > 0) {
      console.error(`${path}: ${stale.join(', ')} do not match scripts/entries.mjs; run \`node scripts/entries.mjs --write\` and commit package.json`)
      process.exit(1)
    }
  } else {
    console.error('usage: node scripts/entries.mjs --check [package.json] | --write [package.json]')
    process.exit(2)
  }
}
