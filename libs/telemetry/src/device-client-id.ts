import type { DevicesService } from '@poc/devices';

/** The contract's client ids of a device link: its serial, or its serial and a dash and anything. */
export const isClientIdOf = (serial: string, clientId: string): boolean =>
  clientId === serial || clientId.startsWith(`${serial}-`);

/**
 * Whether a device's client id could also be another device's: the id itself, or any part of it up to a dash
 * that is longer than the serial (device `ABC` with id `ABC-1-app` would take over device `ABC-1`'s session).
 */
export async function isAnotherDevicesClientId(
  devices: DevicesService,
  serial: string,
  clientId: string,
): Promise<boolean> {
  if (clientId === serial) return false;
  const candidates = [clientId];
  for (let dash = clientId.indexOf('-', serial.length + 1); dash !== -1; dash = clientId.indexOf('-', dash + 1)) {
    candidates.push(clientId.slice(0, dash));
  }
  return (await devices.ownersOf(candidates)).size > 0;
}
