// jest for runners.test.ts: the TypeScript sources compiled to CommonJS (jest-transform.cjs), `.js`
// specifiers mapped to the sources, as a user's own jest setup for TypeScript would.
module.exports = {
  rootDir: __dirname,
  testMatch: ['<rootDir>/jest.test.cjs'],
  transform: { '\\.ts$': '<rootDir>/jest-transform.cjs' },
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
}
