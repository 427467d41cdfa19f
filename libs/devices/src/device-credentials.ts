/**
 * The database announces on this channel, with the serial, every change to a device's credentials: a new
 * link, a rotated or revoked secret, an erasure that unlinks it (trigger in DeviceCredentialsNotice).
 * Brokers listen to end the device's live connections, whatever path made the change.
 */
export const DEVICE_CREDENTIALS_CHANNEL = 'device_credentials_changed';
