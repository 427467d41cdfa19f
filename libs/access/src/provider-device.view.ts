/**
 * What a home-care provider may see of a device it supplied (HIPAA minimum necessary), and nothing
 * else at any depth. This list is the one source of truth: the response is built from it and the
 * tests check responses against it.
 */
export const PROVIDER_DEVICE_FIELDS = [
  'serialNumber',
  'model',
  'lastConnectedAt',
  'errorCode',
  'lastLocation',
] as const;
export type ProviderDeviceField = (typeof PROVIDER_DEVICE_FIELDS)[number];

/** Filled even while the patient withholds sharing or restricts processing: the provider's own asset record. */
export const PROVIDER_ASSET_FIELDS: readonly ProviderDeviceField[] = ['serialNumber', 'model'];

export interface ProviderDeviceView {
  serialNumber: string;
  model: string;
  lastConnectedAt: Date | null;
  errorCode: string | null;
  lastLocation: { lat: number; lon: number } | null;
}

/** A row of provider_device_view, the database's own projection for providers. */
export interface ProviderDeviceRow {
  serial_number: string;
  model: string;
  last_connected_at: Date | null;
  error_code: string | null;
  last_lat: number | null;
  last_lon: number | null;
}

const VALUE_OF: { [F in ProviderDeviceField]: (row: ProviderDeviceRow) => ProviderDeviceView[F] } = {
  serialNumber: (row) => row.serial_number,
  model: (row) => row.model,
  lastConnectedAt: (row) => row.last_connected_at,
  errorCode: (row) => row.error_code,
  lastLocation: (row) =>
    row.last_lat === null || row.last_lon === null ? null : { lat: row.last_lat, lon: row.last_lon },
};

export function toProviderDeviceView(row: ProviderDeviceRow): ProviderDeviceView {
  return Object.fromEntries(
    PROVIDER_DEVICE_FIELDS.map((field) => [field, VALUE_OF[field](row)]),
  ) as unknown as ProviderDeviceView;
}

/** The fields a view actually discloses (those with a value), as the audit records them. */
export const disclosedFields = (view: ProviderDeviceView): ProviderDeviceField[] =>
  PROVIDER_DEVICE_FIELDS.filter((field) => view[field] !== null);
