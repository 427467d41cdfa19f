import { apiContract } from '../support/contract';

/**
 * The check every test's answers pass through (test/support/contract.ts) refuses what drifts from the
 * committed OpenAPI document: without these refusals, the suite passing would say nothing about it.
 */
describe('the API contract check', () => {
  const contract = apiContract();
  const url = (path: string) => `https://127.0.0.1${path}`;
  const provider = { serialNumber: 'G5-1', model: 'Inogen One G5', lastConnectedAt: null, errorCode: null };
  const json = 'application/json; charset=utf-8';

  it('passes an answer shaped as documented', () => {
    const body = { ...provider, lastLocation: { lat: 1, lon: 2 } };
    expect(() => contract.check('GET', url('/v1/provider/devices/G5-1'), 200, json, body)).not.toThrow();
    expect(() =>
      contract.check('GET', url('/v1/provider/devices/G5-1'), 200, json, { ...provider, lastLocation: null }),
    ).not.toThrow();
  });

  it('refuses a field the document does not name, a missing one, and a wrong type', () => {
    const extra = { ...provider, lastLocation: null, patientId: 'p-1' };
    expect(() => contract.check('GET', url('/v1/provider/devices/G5-1'), 200, json, extra)).toThrow(/patientId/);
    expect(() => contract.check('GET', url('/v1/provider/devices/G5-1'), 200, json, provider)).toThrow(/lastLocation/);
    const wrong = { ...provider, lastLocation: { lat: '1', lon: 2 } };
    expect(() => contract.check('GET', url('/v1/provider/devices/G5-1'), 200, json, wrong)).toThrow(/lat/);
  });

  it('refuses a success status the document does not describe', () => {
    expect(() => contract.check('GET', url('/v1/provider/devices/G5-1'), 201, json, {})).toThrow(/does not describe/);
  });

  it('holds every refusal to the one error shape', () => {
    const refusal = { statusCode: 404, error: 'not_found', message: 'No such device' };
    expect(() => contract.check('GET', url('/v1/provider/devices/G5-1'), 404, json, refusal)).not.toThrow();
    expect(() => contract.check('GET', url('/v1/provider/devices/G5-1'), 404, json, { message: ['a list'] })).toThrow(
      /statusCode/,
    );
  });

  it('leaves alone what is not an operation of the API', () => {
    expect(() => contract.check('GET', url('/portal/anything'), 200, 'text/html', '<html>')).not.toThrow();
  });
});
