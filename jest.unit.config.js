/** Unit tests only (`npm run test:unit`): the specs beside the code, no database, in seconds. */
const base = require('./jest.config');

module.exports = {
  ...base,
  testMatch: ['<rootDir>/libs/**/*.spec.ts', '<rootDir>/apps/**/*.spec.ts'],
  globalSetup: undefined,
};
