import { loggableError } from './loggable-error';

describe('loggableError', () => {
  it('keeps kind, code and message, and drops the parameters a failed query carries', () => {
    const error = Object.assign(new Error('bind message supplies 17 parameters'), {
      code: '08P01',
      query: 'INSERT INTO telemetry ...',
      parameters: [[34.4358], [-119.8276]],
    });
    const logged = loggableError(error);
    expect(logged).toEqual({ type: 'Error', code: '08P01', message: 'bind message supplies 17 parameters' });
    expect(JSON.stringify(logged)).not.toMatch(/34\.4358|INSERT/);
  });
});
