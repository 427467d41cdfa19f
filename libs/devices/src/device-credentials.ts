import { Injectable } from '@nestjs/common';

/**
 * The database announces on this channel, with the serial, every change to a device's credentials: a new
 * link, a rotated or revoked secret, an erasure that unlinks it (trigger in DeviceCredentialsNotice).
 * Brokers listen to end the device's live connections, whatever path made the change.
 */
export const DEVICE_CREDENTIALS_CHANNEL = 'device_credentials_changed';

/** A broker's own store of device credentials (an external broker's), kept in step with the database. */
export interface DeviceCredentialStore {
  /**
   * Puts a device's new secret in place, under the device's row lock and before the database commits it:
   * the broker stops taking the old one at once, and a failure here leaves the database unchanged.
   * (Revocations reach the store through the database's notices, after commit.)
   */
  put(serialNumber: string, secret: string): Promise<void>;
}

/** The stores in use: none with the embedded broker, which reads the database itself. */
@Injectable()
export class DeviceCredentialStores {
  private readonly stores: DeviceCredentialStore[] = [];

  register(store: DeviceCredentialStore): void {
    this.stores.push(store);
  }

  async put(serialNumber: string, secret: string): Promise<void> {
    for (const store of this.stores) await store.put(serialNumber, secret);
  }
}
