/**
 * Where the time goes: runs a workload of bench/children/scenario.ts under `node --cpu-prof` and prints
 * the functions with the most self time, and self time by area (this library, the emulator, each
 * package, Node, GC). tsx compiles each module to one line, so the positions of the library's own
 * functions are mapped back to their TypeScript lines through the source maps of the same modules
 * loaded here (hence --enable-source-maps).
 *
 *   node --enable-source-maps --import tsx bench/profile.ts reconcile 10000 0.1 lastWriterWins
 *   node --enable-source-maps --import tsx bench/profile.ts puts memory 1024
 *   node --enable-source-maps --import tsx bench/profile.ts sync idle
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { type SourceMap, findSourceMap } from 'node:module'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { table } from './table.js'

interface ProfileNode {
  readonly id: number
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number; readonly columnNumber: number }
}

interface CpuProfile {
  readonly nodes: ReadonlyArray<ProfileNode>
  readonly samples: ReadonlyArray<number>
  readonly timeDeltas: ReadonlyArray<number>
}

const root = fileURLToPath(new URL('..', import.meta.url))

const where = (url: string): string => {
  if (url === '') return ''
  const path = url.startsWith('file://') ? fileURLToPath(url) : url
  return path.startsWith(root) ? relative(root, path) : path
}

const area = (file: string, name: string): string => {
  if (file === '') return name.startsWith('(') ? name : '(native)'
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file)?.[1]
  if (pkg === 'tsx' || file.startsWith('node:internal/modules/')) return '(loading modules)'
  if (pkg !== undefined) return pkg
  if (file.startsWith('node:')) return 'node'
  if (file.startsWith('src/emulator/')) return 'emulator'
  if (file.startsWith('src/') || file.startsWith('strategies/')) return 'cognito-reconcile'
  return file.split('/')[0] ?? file
}

type Lines = (url: string, line: number, column: number) => number

/** The TypeScript line (1-based) of a position in a module of the library, through its source map. */
const sourceLines = async (profile: CpuProfile): Promise<Lines> => {
  const ours = new Set(profile.nodes.map((n) => n.callFrame.url).filter((url) => /^file:.*\/(src|strategies)\/.*\.ts$/.test(url) && !url.includes('node_modules')))
  const maps = new Map<string, SourceMap>()
  for (const url of ours) {
    await import(url)
    const map = findSourceMap(url)
    if (map !== undefined) maps.set(url, map)
  }
  return (url, line, column) => {
    const entry = maps.get(url)?.findEntry(line, column)
    return entry !== undefined && 'originalLine' in entry ? entry.originalLine + 1 : line + 1
  }
}

/** Self time in ms, by function and by area, from a .cpuprofile. */
export const selfTimes = (
  profile: CpuProfile,
  lineOf: Lines,
): { readonly total: number; readonly functions: Map<string, number>; readonly areas: Map<string, number>; readonly ours: Map<string, number> } => {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  const functions = new Map<string, number>()
  const ours = new Map<string, number>()
  const areas = new Map<string, number>()
  let total = 0
  profile.samples.forEach((id, i) => {
    const ms = (profile.timeDeltas[i] ?? 0) / 1000
    const frame = byId.get(id)?.callFrame
    if (frame === undefined || frame.functionName === '(idle)') return
    total += ms
    const file = where(frame.url)
    const name = `${frame.functionName || '(anonymous)'}${file === '' ? '' : ` ${file}:${lineOf(frame.url, frame.lineNumber, frame.columnNumber)}`}`
    functions.set(name, (functions.get(name) ?? 0) + ms)
    const a = area(file, frame.functionName)
    areas.set(a, (areas.get(a) ?? 0) + ms)
    if (a === 'cognito-reconcile') ours.set(name, (ours.get(name) ?? 0) + ms)
  })
  return { total, functions, areas, ours }
}

const top = (times: Map<string, number>, total: number, n: number): Array<[string, string, string]> =>
  [...times].sort((x, y) => y[1] - x[1]).slice(0, n).map(([name, ms]) => [name, `${ms.toFixed(0)} ms`, `${((ms / total) * 100).toFixed(1)}%`])

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = mkdtempSync(join(tmpdir(), 'cognito-reconcile-cpuprof-'))
  const scenario = fileURLToPath(new URL('children/scenario.ts', import.meta.url))
  execFileSync(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${dir}`, '--import', 'tsx', scenario, ...process.argv.slice(2)], { stdio: 'inherit' })
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'))
  if (file === undefined) throw new Error('no profile written')
  const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile
  const { total, functions, areas, ours } = selfTimes(profile, await sourceLines(profile))
  rmSync(dir, { recursive: true, force: true })
  console.log(`Profile of \`${process.argv.slice(2).join(' ')}\`: ${total.toFixed(0)} ms of CPU (idle excluded)\n`)
  console.log(table(['self time by area', 'ms', 'share'], top(areas, total, 8)))
  console.log()
  console.log(table(['function (self time)', 'ms', 'share'], top(functions, total, 12)))
  console.log()
  console.log(table(['function of this library (self time)', 'ms', 'share'], top(ours, total, 10)))
}
