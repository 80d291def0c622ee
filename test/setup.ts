// One knob for every property suite: FC_NUM_RUNS=2000 npm test for a deeper run.
import fc from 'fast-check'

fc.configureGlobal({ numRuns: Number(process.env.FC_NUM_RUNS ?? 100) })
