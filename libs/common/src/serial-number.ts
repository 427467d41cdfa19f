/** A device serial number: safe inside an MQTT topic level (no '/', '+', '#') and in a URL path. */
export const SERIAL_NUMBER = /^[A-Za-z0-9][A-Za-z0-9._-]{2,63}$/;
export const SERIAL_NUMBER_MESSAGE = 'serialNumber must be 3-64 characters of A-Z, a-z, 0-9, . _ -';
