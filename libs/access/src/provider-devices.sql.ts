// The provider's queries run as the poc_provider database role, which can read provider_device_view
// and nothing else; the view itself keeps to the devices of the provider in app.provider_id.

export const ENTER_PROVIDER_SCOPE = `
  SELECT set_config('app.provider_id', $1, true), set_config('app.policy_version', $2, true),
         set_config('role', 'poc_provider', true)`;

export const LEAVE_PROVIDER_SCOPE = (serviceRole: string): string =>
  `SELECT set_config('role', '${serviceRole}', true)`;

const COLUMNS = 'serial_number, model, last_connected_at, error_code, last_lat, last_lon';

export const PROVIDER_DEVICES_PAGE = `
  SELECT ${COLUMNS} FROM provider_device_view WHERE serial_number > $1 ORDER BY serial_number LIMIT $2`;

export const PROVIDER_DEVICE = `SELECT ${COLUMNS} FROM provider_device_view WHERE serial_number = $1`;
