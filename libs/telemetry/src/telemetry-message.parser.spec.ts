import fc from 'fast-check';
import { parseTelemetry } from './telemetry-message.parser';

const NOW = Date.parse('2026-11-21T10:20:00Z');
const valid = {
  messageId: '3f1c0e7e-8a0a-4d0c-9a52-6f0f2a9c1b11',
  serialNumber: 'G5-1234567',
  model: 'Inogen One G5',
  sentAt: '2026-11-21T10:15:00Z',
  connectedAt: '2026-11-21T10:14:58Z',
  errorCodes: ['E07'],
  location: { lat: 34.4358, lon: -119.8276, accuracyM: 12, capturedAt: '2026-11-21T10:14:59Z' },
  batteryPct: 81,
  flowSetting: 3,
  firmware: '5.2.1',
};
const parse = (payload: unknown, serial = 'G5-1234567') =>
  parseTelemetry(Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload)), serial, NOW);

describe('parseTelemetry', () => {
  it('takes null in an optional field as left out, and null in a required one as missing (found by fuzzing)', () => {
    const nulls = parse({
      ...valid,
      connectedAt: null,
      errorCodes: null,
      location: { lat: 1, lon: 2, capturedAt: null },
    });
    expect(nulls.ok).toBe(true);
    if (nulls.ok) expect(nulls.message.deviceTime.toISOString()).toBe('2026-11-21T10:15:00.000Z');
    expect(parse({ ...valid, sentAt: null })).toMatchObject({ ok: false, reason: expect.stringContaining('sentAt') });
  });

  it('never throws: any JSON object with the contract keys filled by anything gets a verdict', () => {
    const keys = [...Object.keys(valid), 'lat', 'lon', 'accuracyM', 'capturedAt'];
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...keys), fc.jsonValue()), (over) => {
        const result = parse({ ...valid, ...over });
        return result.ok || result.reason.length > 0;
      }),
      { numRuns: 10_000 },
    );
  });

  it('accepts the contract example and dates it by connectedAt', () => {
    const result = parse(valid);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.message.deviceTime.toISOString()).toBe('2026-11-21T10:14:58.000Z');
  });

  it('dates a message without connectedAt by sentAt, and needs only the required fields', () => {
    const result = parse({
      messageId: 'm1',
      serialNumber: 'G5-1234567',
      model: 'G5',
      sentAt: '2026-11-21T10:15:00+01:00',
    });
    expect(result.ok && result.message.deviceTime.toISOString()).toBe('2026-11-21T09:15:00.000Z');
  });

  it('drops unknown fields', () => {
    const result = parse({ ...valid, cabinTemperature: 21 });
    expect(result.ok && 'cabinTemperature' in result.message).toBe(false);
  });

  it('ignores prototype keys', () => {
    const result = parse(`{"__proto__": {"batteryPct": 999}, ${JSON.stringify(valid).slice(1)}`);
    expect(result.ok && Object.getPrototypeOf(result.message).constructor.name).toBe('TelemetryMessageDto');
    const nested = parse({ ...valid, location: JSON.parse('{"__proto__": {"x": 1}, "lat": 95, "lon": 0}') });
    expect(nested.ok).toBe(false);
  });

  it.each([
    ['not json', '{"messageId":', 'payload is not valid JSON'],
    ['an array', '[1,2]', 'payload must be a JSON object'],
    ['no messageId', { ...valid, messageId: undefined }, 'messageId'],
    ['no model', { ...valid, model: undefined }, 'model'],
    ['a sentAt without zone', { ...valid, sentAt: '2026-11-21T10:15:00' }, 'sentAt'],
    ['latitude 95', { ...valid, location: { lat: 95, lon: 0 } }, 'location.lat'],
    ['longitude 181', { ...valid, location: { lat: 0, lon: 181 } }, 'location.lon'],
    ['battery 150', { ...valid, batteryPct: 150 }, 'batteryPct'],
    ['error codes not strings', { ...valid, errorCodes: [7] }, 'errorCodes'],
    ['a time from next week', { ...valid, sentAt: '2026-11-28T10:15:00Z', connectedAt: undefined }, 'ahead'],
    ['an impossible date', { ...valid, sentAt: '2026-02-31T10:15:00Z', connectedAt: undefined }, 'calendar'],
  ])('rejects %s naming the problem', (_, payload, expected) => {
    const result = parse(payload);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toContain(expected);
  });

  it('rejects a serial that is not the topic serial, keeping the messageId for the notice', () => {
    expect(parse(valid, 'G5-OTHER')).toEqual({
      ok: false,
      messageId: valid.messageId,
      reason: 'serialNumber does not match the topic',
    });
  });

  it('rejects payloads over 16 KiB', () => {
    expect(parse({ ...valid, firmware: 'x'.repeat(17_000) })).toMatchObject({
      ok: false,
      reason: 'payload exceeds 16 KiB',
    });
  });
});
