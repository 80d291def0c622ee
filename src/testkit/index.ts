/**
 * The testkit: our arbitraries and law checker, to property-test your own strategies the way we test
 * ours; the convergence simulator, to check a whole fleet's strategy configuration against the
 * service's model or the emulator; and the store contract suite, to check your own `LocalStore`.
 *
 * @since 0.1.0
 */
export * from './arbitraries.js'
export * from './laws.js'
export * from './show.js'
export * from './serviceModel.js'
export * from './history.js'
export * from './backend.js'
export * from './simulate.js'
export * from './convergence.js'
export * from './storeLaws.js'
export * from './threeWay.js'
