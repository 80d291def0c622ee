// One knob for every property suite: FC_NUM_RUNS=2000 npm test for a deeper run, FC_SEED=n to replay.
import fc from 'fast-check'

fc.configureGlobal({
  numRuns: Number(process.env.FC_NUM_RUNS ?? 100),
  ...(process.env.FC_SEED === undefined ? {} : { seed: Number(process.env.FC_SEED) }),
})
