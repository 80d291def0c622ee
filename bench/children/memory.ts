/**
 * One merge in a fresh process, for its memory: builds the input, collects garbage, then runs the
 * merge once while a worker thread samples the process's RSS every 2 ms (the main thread is busy in
 * the call, so it cannot sample itself). Prints one JSON line of MemoryFigures.
 * Run with --expose-gc. Argument: JSON { shape, strategy, contender }.
 */
import { Worker } from 'node:worker_threads'
import { reconcileInput, type InputShape } from '../inputs.js'
import { floorOf, libraryMerge, strategyCases } from '../strategies.js'

const { shape, strategy: name, contender } = JSON.parse(process.argv[2] ?? '{}') as { shape: InputShape; strategy: string; contender: 'library' | 'floor' }
const strategy = strategyCases.find((s) => s.name === name)
if (strategy === undefined) throw new Error(`no strategy ${name}`)
const gc = (globalThis as { gc?: () => void }).gc
if (gc === undefined) throw new Error('run with --expose-gc')

const sampler = `
const { parentPort } = require('node:worker_threads')
let peak = 0
const timer = setInterval(() => { peak = Math.max(peak, process.memoryUsage.rss()) }, 2)
parentPort.on('message', () => { clearInterval(timer); peak = Math.max(peak, process.memoryUsage.rss()); parentPort.postMessage(peak) })
parentPort.postMessage('ready')
`

const merge = contender === 'library' ? libraryMerge(strategy.library) : floorOf(strategy)
const input = reconcileInput(shape)[contender]
const worker = new Worker(sampler, { eval: true })
await new Promise((resolve) => worker.once('message', resolve))
gc()
gc()
const rssBefore = process.memoryUsage.rss()
const heapBefore = process.memoryUsage().heapUsed
const start = performance.now()
const result = merge(input)
const callMs = performance.now() - start
const peak = await new Promise<number>((resolve) => {
  worker.once('message', resolve)
  worker.postMessage('stop')
})
gc()
gc()
const retainedHeapDelta = process.memoryUsage().heapUsed - heapBefore
await worker.terminate()
process.stdout.write(`${JSON.stringify({ peakRssDelta: peak - rssBefore, retainedHeapDelta, callMs, patches: result.patches.length })}\n`)
