// One knob for every property suite: FC_NUM_RUNS=2000 npm test for a deeper run, FC_SEED=n to replay.
import fc from 'fast-check'

fc.configureGlobal({
  numRuns: Number(process.env.FC_NUM_RUNS ?? 100),
  ...(process.env.FC_SEED === undefined ? {} : { seed: Number(process.env.FC_SEED) }),
})

// The AWS SDK's notice that its releases after January 2027 need Node 22, printed once per test
// worker; tests only. The library leaves the notice to its users.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'
