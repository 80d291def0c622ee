// npm run examples: type-check every documentation example with the pinned TypeScript and the newest
// one's CLI, and print each type error as `file:line example: message` (the allowlist is not applied).
import { join } from 'node:path'
import { repositoryPrograms, root } from './examples/snippets.js'
import { emit, format, newestTsc, tscVersion, typecheck, typecheckWithCli } from './examples/typecheck.js'

const programs = repositoryPrograms()
const emitted = emit(programs, join(root, 'test/.examples/repository'))
const runs = [
  { compiler: 'TypeScript 5.9 (API)', failures: typecheck(emitted) },
  { compiler: `${tscVersion(newestTsc())} (CLI)`, failures: typecheckWithCli(emitted, newestTsc()) },
]
for (const { compiler, failures } of runs) {
  const failing = new Set(failures.map((failure) => failure.example))
  console.log(`${compiler}: ${programs.length} examples, ${failing.size} failing, ${failures.length} errors`)
  if (failures.length > 0) console.log(format(failures))
}
process.exitCode = runs.some(({ failures }) => failures.length > 0) ? 1 : 0
