// The provider's reads are database functions owned by poc_provider (SECURITY DEFINER): they run with
// that role's rights, which reach provider_device_view and nothing else, scoped to the provider given.

const COLUMNS = 'serial_number, model, last_connected_at, error_code, last_lat, last_lon';

export const PROVIDER_DEVICES_PAGE = `SELECT ${COLUMNS} FROM provider_devices_page($1, $2, $3, $4)`;

export const PROVIDER_DEVICE = `SELECT ${COLUMNS} FROM provider_device($1, $2, $3)`;
