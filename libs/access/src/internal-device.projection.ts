import type { Role } from '@poc/auth';

/** Every field of the internal device record (`GET /v1/internal/devices/{serial}`). */
export const INTERNAL_DEVICE_FIELDS = [
  'serialNumber',
  'model',
  'suppliedBy',
  'linkedAt',
  'lastConnectedAt',
  'errorCode',
  'errorCodes',
  'lastLocation',
  'lossReport',
  'alerts',
] as const;
export type InternalDeviceField = (typeof INTERNAL_DEVICE_FIELDS)[number];
export type InternalRole = Extract<Role, 'support' | 'field_service' | 'privacy_officer' | 'admin'>;

/** `always`, or only while the device stands reported lost or stolen. */
type Visibility = 'always' | 'while_lost';

/**
 * Each internal role's view of a device, the minimum its work needs (the README's role table is this):
 * support troubleshoots (state, errors, telemetry); field service recovers devices (location only while
 * lost or stolen); the privacy officer needs the link, not the data; admin sees all.
 */
export const INTERNAL_DEVICE_VIEWS: Record<InternalRole, Partial<Record<InternalDeviceField, Visibility>>> = {
  support: {
    serialNumber: 'always',
    model: 'always',
    suppliedBy: 'always',
    linkedAt: 'always',
    lastConnectedAt: 'always',
    errorCode: 'always',
    errorCodes: 'always',
    lastLocation: 'always',
    lossReport: 'always',
    alerts: 'always',
  },
  field_service: {
    serialNumber: 'always',
    model: 'always',
    suppliedBy: 'always',
    lastConnectedAt: 'always',
    lastLocation: 'while_lost',
    lossReport: 'always',
    alerts: 'always',
  },
  privacy_officer: { serialNumber: 'always', model: 'always', suppliedBy: 'always', linkedAt: 'always' },
  admin: Object.fromEntries(INTERNAL_DEVICE_FIELDS.map((f) => [f, 'always'])),
};

export type InternalDeviceRecord = { [F in InternalDeviceField]: unknown } & { lossReport: unknown | null };

/** The record as `role` may see it: only its fields, the conditional ones only when their condition holds. */
export function projectInternalDevice(role: InternalRole, record: InternalDeviceRecord): Partial<InternalDeviceRecord> {
  const lost = record.lossReport !== null;
  const view = INTERNAL_DEVICE_VIEWS[role];
  return Object.fromEntries(
    INTERNAL_DEVICE_FIELDS.filter((f) => view[f] === 'always' || (view[f] === 'while_lost' && lost)).map((f) => [
      f,
      record[f],
    ]),
  );
}

/** Whether `role` may read a device's location trail given its loss state. */
export const maySeeLocations = (role: InternalRole, lost: boolean): boolean => {
  const visibility = INTERNAL_DEVICE_VIEWS[role].lastLocation;
  return visibility === 'always' || (visibility === 'while_lost' && lost);
};
