import { validateSync, ValidationError } from 'class-validator';
import { TelemetryLocationDto, TelemetryMessageDto } from './telemetry-message.dto';
import { isPlainlyValid } from './telemetry-message.fast-check';

export const MAX_PAYLOAD_BYTES = 16 * 1024;
// Device clocks drift, but a message from the future or from before retention cannot be placed.
const MAX_CLOCK_AHEAD_MS = 24 * 3600 * 1000;
const MAX_AGE_MS = 24 * 31 * 24 * 3600 * 1000;

// Date.parse accepts 2026-02-31 and rolls it over to March; a device time must be a real day and hour.
function isCalendarTime(time: string): boolean {
  const [year, month, day, hour, minute, second] = time.split(/[-T:.Z+]/).map(Number);
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth && hour < 24 && minute < 60 && second < 61;
}

const MESSAGE_FIELDS = [
  'messageId',
  'serialNumber',
  'model',
  'sentAt',
  'connectedAt',
  'errorCodes',
  'location',
  'batteryPct',
  'flowSetting',
  'firmware',
] as const;
const LOCATION_FIELDS = ['lat', 'lon', 'accuracyM', 'capturedAt'] as const;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

// A null is taken as the field left out (class-validator's IsOptional lets null through to the checks
// after it, and a null where a value is required is then reported missing).
function pick<T extends object>(target: T, source: Record<string, unknown>, fields: readonly string[]): T {
  for (const field of fields) {
    if (field in source && source[field] !== null) (target as Record<string, unknown>)[field] = source[field];
  }
  return target;
}

// Copies the contract's fields only: unknown fields (newer app versions add some) are dropped, never
// stored, and keys such as __proto__ never reach the instance. 30 times cheaper than plainToInstance,
// which was a third of the ingest CPU per message.
export function toDto(json: Record<string, unknown>): TelemetryMessageDto {
  const dto = pick(new TelemetryMessageDto(), json, MESSAGE_FIELDS);
  if (isObject(json.location)) dto.location = pick(new TelemetryLocationDto(), json.location, LOCATION_FIELDS);
  return dto;
}

export interface TelemetryMessage extends TelemetryMessageDto {
  /** The device's own time of the message: connectedAt, else sentAt. "Last" is by this. */
  deviceTime: Date;
}

export type ParsedTelemetry =
  { ok: true; message: TelemetryMessage } | { ok: false; messageId: string | null; reason: string };

function reasons(errors: ValidationError[], parent = ''): string[] {
  return errors.flatMap((error) => {
    const path = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((m) =>
      m.startsWith(error.property) ? `${parent ? `${parent}.` : ''}${m}` : `${path}: ${m}`,
    );
    return [...own, ...reasons(error.children ?? [], path)];
  });
}

/** Validates one payload against the contract; a failure carries the reason sent back to the device. */
export function parseTelemetry(payload: Buffer, topicSerial: string, now = Date.now()): ParsedTelemetry {
  if (payload.length > MAX_PAYLOAD_BYTES) return { ok: false, messageId: null, reason: 'payload exceeds 16 KiB' };
  let json: unknown;
  try {
    json = JSON.parse(payload.toString('utf8'));
  } catch {
    return { ok: false, messageId: null, reason: 'payload is not valid JSON' };
  }
  if (!isObject(json)) {
    return { ok: false, messageId: null, reason: 'payload must be a JSON object' };
  }
  const rawId = json.messageId;
  const messageId = typeof rawId === 'string' && /^[\w-]{1,64}$/.test(rawId) ? rawId : null;
  const reject = (reason: string): ParsedTelemetry => ({ ok: false, messageId, reason });

  const dto = toDto(json);
  if (!isPlainlyValid(dto)) {
    const errors = validateSync(dto);
    if (errors.length > 0) return reject(reasons(errors).join('; '));
  }
  if (dto.serialNumber !== topicSerial) return reject('serialNumber does not match the topic');

  const deviceTime = new Date(dto.connectedAt ?? dto.sentAt);
  const times = [dto.sentAt, dto.connectedAt, dto.location?.capturedAt].filter((t): t is string => t !== undefined);
  if (!times.every(isCalendarTime)) return reject('a time is not a valid calendar time');
  if (times.some((t) => Date.parse(t) > now + MAX_CLOCK_AHEAD_MS)) return reject('a time is more than a day ahead');
  if (deviceTime.getTime() < now - MAX_AGE_MS) return reject('the message is older than the telemetry retention');
  // Stored as single precision (real): rounded here, so a value like 1e-300 is 0, not a refused batch.
  if (dto.batteryPct !== undefined) dto.batteryPct = Math.fround(dto.batteryPct);
  if (dto.flowSetting !== undefined) dto.flowSetting = Math.fround(dto.flowSetting);
  if (dto.location?.accuracyM !== undefined) dto.location.accuracyM = Math.fround(dto.location.accuracyM);
  return { ok: true, message: Object.assign(dto, { deviceTime }) };
}
