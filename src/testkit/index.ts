/**
 * The testkit: our arbitraries and law checker, to property-test your own strategies the way we test
 * ours.
 *
 * @since 0.1.0
 */
export * from './arbitraries.js'
export * from './laws.js'
