import type { CollectionRule } from '@poc/consent';
import type { TelemetryRow } from './telemetry.repository';
import type { TelemetryMessage } from './telemetry-message.parser';

/**
 * Applies the patient's consent to a message before anything is written: what the rule withholds
 * never reaches the database, a raw copy or a log.
 */
export function applyCollectionRule(message: TelemetryMessage, rule: CollectionRule, receivedAt: Date): TelemetryRow {
  const row: TelemetryRow = {
    deviceTime: message.deviceTime,
    messageId: message.messageId,
    serialNumber: message.serialNumber,
    model: message.model,
    sentAt: message.sentAt,
    connectedAt: message.connectedAt ?? null,
    receivedAt,
    errorCodes: message.errorCodes ?? [],
    batteryPct: message.batteryPct ?? null,
    flowSetting: message.flowSetting ?? null,
    firmware: message.firmware ?? null,
    location: message.location
      ? {
          lat: message.location.lat,
          lon: message.location.lon,
          accuracyM: message.location.accuracyM ?? null,
          capturedAt: message.location.capturedAt ?? null,
        }
      : null,
  };
  if (rule === 'full') return row;
  if (rule === 'no_location') return { ...row, location: null };
  // Policy not accepted: keep only what the device link needs (its identity and when it connected).
  return { ...row, location: null, errorCodes: [], batteryPct: null, flowSetting: null, firmware: null };
}
