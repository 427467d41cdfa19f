import { applyCollectionRule } from './collection-rule';
import type { TelemetryMessage } from './telemetry-message.parser';

const message = {
  messageId: 'm-1',
  serialNumber: 'G5-1',
  model: 'G5',
  sentAt: '2026-11-21T10:15:00Z',
  connectedAt: '2026-11-21T10:14:58Z',
  deviceTime: new Date('2026-11-21T10:14:58Z'),
  errorCodes: ['E07'],
  location: { lat: 34.4, lon: -119.8, accuracyM: 12, capturedAt: '2026-11-21T10:14:59Z' },
  batteryPct: 81,
  flowSetting: 3,
  firmware: '5.2.1',
} as TelemetryMessage;
const at = new Date('2026-11-21T10:15:01Z');

describe('applyCollectionRule', () => {
  it('keeps everything when location collection is on', () => {
    const row = applyCollectionRule(message, 'full', at);
    expect(row.location).toEqual({ lat: 34.4, lon: -119.8, accuracyM: 12, capturedAt: '2026-11-21T10:14:59Z' });
    expect(row.errorCodes).toEqual(['E07']);
  });

  it('drops the location, and only the location, when collection is off', () => {
    const row = applyCollectionRule(message, 'no_location', at);
    expect(row.location).toBeNull();
    expect(JSON.stringify(row)).not.toContain('34.4');
    expect(row).toMatchObject({ errorCodes: ['E07'], batteryPct: 81, flowSetting: 3, firmware: '5.2.1' });
  });

  it('keeps only the link itself until the policy is accepted', () => {
    const row = applyCollectionRule(message, 'minimal', at);
    expect(row).toMatchObject({
      messageId: 'm-1',
      serialNumber: 'G5-1',
      location: null,
      errorCodes: [],
      batteryPct: null,
    });
  });
});
