// The vitest configuration Stryker runs for one area: the repository's own (aliases, setup, timeouts),
// limited to that area's suites, named by STRYKER_AREA (see stryker/areas.mjs). Suites that spawn
// processes or a browser are left out: a child process never sees the mutant under test.
import base from '../vitest.config.ts'
import { areas } from './areas.mjs'

const area = areas[process.env.STRYKER_AREA ?? '']
if (area === undefined) throw new Error(`STRYKER_AREA must be one of ${Object.keys(areas).join(', ')}`)

// replaced, not merged: vitest's mergeConfig would append the area's suites to the repository's
export default { ...base, test: { ...base.test, include: area.tests, exclude: area.skip, reporters: ['default'], ...(area.isolate === false && { isolate: false }) } }
