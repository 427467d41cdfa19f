import type { Role } from '@poc/auth';

/** Every field of the internal device record (`GET /v1/internal/devices/{serial}`). */
export const INTERNAL_DEVICE_FIELDS = [
  'serialNumber',
  'model',
  'suppliedBy',
  'linkedAt',
  'processingRestricted',
  'lastConnectedAt',
  'errorCode',
  'errorCodes',
  'lastLocation',
  'lossReport',
  'alerts',
] as const;
export type InternalDeviceField = (typeof INTERNAL_DEVICE_FIELDS)[number];

export type InternalRole = Extract<Role, 'support' | 'field_service' | 'privacy_officer' | 'admin'>;

/**
 * When a field is shown: `always`; only while the device stands reported lost or stolen (`while_lost`: the
 * policy's first purpose for a location); or also when the reader states why, a break-glass read audited
 * with the reason (`while_lost_or_stated`).
 */
type Visibility = 'always' | 'while_lost' | 'while_lost_or_stated';

/**
 * Each internal role's view of a device, the minimum its work needs (the role table in docs/security.md is this):
 * support troubleshoots (state, errors, telemetry); field service recovers devices; the privacy officer
 * needs the link, not the data; admin runs the system. A location is used only for the policy's purposes
 * (finding lost or stolen equipment, market analysis in aggregate, the nearest office without showing it):
 * no role sees one otherwise, but support and admin may with a stated reason, audited.
 */
export const INTERNAL_DEVICE_VIEWS: Record<InternalRole, Partial<Record<InternalDeviceField, Visibility>>> = {
  support: {
    serialNumber: 'always',
    model: 'always',
    suppliedBy: 'always',
    linkedAt: 'always',
    processingRestricted: 'always',
    lastConnectedAt: 'always',
    errorCode: 'always',
    errorCodes: 'always',
    lastLocation: 'while_lost_or_stated',
    lossReport: 'always',
    alerts: 'always',
  },
  field_service: {
    serialNumber: 'always',
    model: 'always',
    suppliedBy: 'always',
    processingRestricted: 'always',
    lastConnectedAt: 'always',
    lastLocation: 'while_lost',
    lossReport: 'always',
    alerts: 'always',
  },
  privacy_officer: {
    serialNumber: 'always',
    model: 'always',
    suppliedBy: 'always',
    linkedAt: 'always',
    processingRestricted: 'always',
  },
  admin: {
    ...Object.fromEntries(INTERNAL_DEVICE_FIELDS.map((f) => [f, 'always'])),
    lastLocation: 'while_lost_or_stated',
  },
};

export type InternalDeviceRecord = { [F in InternalDeviceField]: unknown } & { lossReport: unknown | null };

/** Why a location may be shown now: the device stands reported lost or stolen, or the reader stated a reason. */
export interface LocationPurpose {
  lost: boolean;
  stated: boolean;
}

const shows = (visibility: Visibility | undefined, purpose: LocationPurpose): boolean =>
  visibility === 'always' ||
  (visibility === 'while_lost' && purpose.lost) ||
  (visibility === 'while_lost_or_stated' && (purpose.lost || purpose.stated));

/** The record as `role` may see it: only its fields, the conditional ones only when their condition holds. */
export function projectInternalDevice(
  role: InternalRole,
  record: InternalDeviceRecord,
  purpose: LocationPurpose,
): Partial<InternalDeviceRecord> {
  const view = INTERNAL_DEVICE_VIEWS[role];
  return Object.fromEntries(INTERNAL_DEVICE_FIELDS.filter((f) => shows(view[f], purpose)).map((f) => [f, record[f]]));
}

/** Whether `role` may read a device's location (its last one, its trail) for this purpose. */
export const maySeeLocations = (role: InternalRole, purpose: LocationPurpose): boolean =>
  shows(INTERNAL_DEVICE_VIEWS[role].lastLocation, purpose);

/** Whether `role` could see a location by stating why (a break-glass read). */
export const mayStateReasonForLocations = (role: InternalRole): boolean =>
  INTERNAL_DEVICE_VIEWS[role].lastLocation === 'while_lost_or_stated';
