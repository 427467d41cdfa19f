import { validateSync } from 'class-validator';
import fc from 'fast-check';
import { isPlainlyValid } from './telemetry-message.fast-check';
import { toDto } from './telemetry-message.parser';

// Values near every rule's edges: lengths, ranges, patterns, types, unicode that counts differently.
const text = fc.oneof(
  fc.string({ maxLength: 70 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom('', 'a', 'x'.repeat(32), 'x'.repeat(33), 'x'.repeat(64), 'x'.repeat(65), 'x'.repeat(101), '\uFE0F'),
  fc.constantFrom('2026-11-21T10:15:00Z', '2026-11-21T10:15:00.123456789+01:00', '2026-11-21T10:15:00', 'E07', 'a b'),
);
const number = fc.oneof(
  fc.double(),
  fc.integer({ min: -200, max: 1_000_001 }),
  fc.constantFrom(-180, -90, 0, 10, 10.0001, 90, 100, 100.5, 180, 1_000_000, -0, Number.MAX_VALUE),
);
const anything = fc.oneof(
  text,
  number,
  fc.constant(null),
  fc.boolean(),
  fc.array(text, { maxLength: 40 }),
  fc.object(),
);
const field = <T>(typical: fc.Arbitrary<T>) =>
  fc.oneof({ arbitrary: typical, weight: 4 }, { arbitrary: anything, weight: 1 });

// Near-valid values per field (around each bound and pattern), mixed with anything at all.
const ascii = (maxLength: number) => fc.string({ maxLength });
const time = fc.oneof(
  fc
    .date({ min: new Date('2000-01-01'), max: new Date('2040-01-01'), noInvalidDate: true })
    .map((d) => d.toISOString()),
  fc.constantFrom(
    '2026-11-21T10:15:00+01:00',
    '2026-11-21T10:15:00',
    '2026-11-21 10:15:00Z',
    '2026-11-21T10:15:00.1234567890Z',
  ),
);
const between = (min: number, max: number) =>
  fc.oneof(
    // Evenly over the range and a margin (fast-check's doubles crowd near zero), and exactly at the bounds.
    fc.integer({ min: (min - 1) * 1000, max: (max + 1) * 1000 }).map((i) => i / 1000),
    fc.constantFrom(min, max, min - 1e-9, max + 1e-9),
  );
const location = fc.record(
  {
    lat: field(between(-90, 90)),
    lon: field(between(-180, 180)),
    accuracyM: field(between(0, 1_000_000)),
    capturedAt: field(time),
  },
  { requiredKeys: [] },
);
const payload = fc.record(
  {
    messageId: field(fc.stringMatching(/^[\w-]{0,66}$/)),
    serialNumber: field(ascii(66)),
    model: field(ascii(102)),
    sentAt: field(time),
    connectedAt: field(time),
    errorCodes: field(fc.array(fc.stringMatching(/^[\w.-]{0,33}$/), { maxLength: 34 })),
    location: field(location),
    batteryPct: field(between(0, 100)),
    flowSetting: field(between(0, 10)),
    firmware: field(ascii(34)),
  },
  { requiredKeys: [] },
);

const typical = {
  messageId: '3f1c0e7e-8a0a-4d0c-9a52-6f0f2a9c1b11',
  serialNumber: 'G5-1234567',
  model: 'Inogen One G5',
  sentAt: '2026-11-21T10:15:00.000Z',
  connectedAt: '2026-11-21T10:14:58.500Z',
  errorCodes: ['E07'],
  location: { lat: 34.4358, lon: -119.8276, accuracyM: 12, capturedAt: '2026-11-21T10:14:59Z' },
  batteryPct: 81,
  flowSetting: 3,
  firmware: '5.2.1',
};

// The typical message with one or two fields changed: the edges of each rule, one at a time.
const nearTypical = fc
  .tuple(payload, fc.subarray(Object.keys(typical), { minLength: 1, maxLength: 2 }))
  .map(([over, keys]) => ({
    ...typical,
    ...Object.fromEntries(keys.map((key) => [key, (over as Record<string, unknown>)[key]])),
  }));

describe('isPlainlyValid (the ingest fast path)', () => {
  it('says valid only when the DTO validation (class-validator) does too', () => {
    let plainlyValid = 0;
    fc.assert(
      fc.property(fc.oneof(payload, nearTypical), (json) => {
        const dto = toDto(json as Record<string, unknown>);
        if (!isPlainlyValid(dto)) return true;
        plainlyValid++;
        return validateSync(dto).length === 0;
      }),
      { numRuns: 20_000 },
    );
    // The property is not vacuous: many generated payloads take the fast path.
    expect(plainlyValid).toBeGreaterThan(1000);
  });

  it('takes every kind of message a device link sends (so class-validator is the exception)', () => {
    const variants = [
      typical,
      { ...typical, connectedAt: undefined, errorCodes: undefined, location: undefined },
      { ...typical, errorCodes: [], location: { lat: -90, lon: 180 }, batteryPct: 0, flowSetting: 10 },
      { ...typical, sentAt: '2026-11-21T10:15:00+01:00', firmware: '' },
    ];
    for (const json of variants) {
      const dto = toDto(JSON.parse(JSON.stringify(json)));
      expect(validateSync(dto)).toEqual([]);
      expect(isPlainlyValid(dto)).toBe(true);
    }
  });
});
