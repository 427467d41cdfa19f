import { isDatabaseUnavailable } from './database-unavailable';

describe('isDatabaseUnavailable', () => {
  it.each([
    [{ code: '08006', message: 'connection failure' }],
    [{ code: '57P01', message: 'terminating connection due to administrator command' }],
    [{ code: '53300', message: 'too many connections' }],
    [new Error('timeout exceeded when trying to connect')],
    [new Error('Connection terminated unexpectedly')],
    [Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })],
  ])('takes %o as the database being unavailable (503)', (error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it.each([
    [{ code: '23505', message: 'duplicate key value' }],
    [{ code: '22P02', message: 'invalid input syntax for type uuid' }],
    [new Error('something else')],
    [null],
    ['a string'],
  ])('does not take %o for it', (error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });
});
