import { Injectable } from '@nestjs/common';
import { EventEmitter } from 'node:events';

/**
 * Tells the MQTT side, in this process, that a device's credentials changed (a new link, a rotated or
 * revoked secret), so connections made with the old secret are dropped at once.
 */
@Injectable()
export class DeviceCredentialEvents {
  private readonly emitter = new EventEmitter();

  changed(serialNumber: string): void {
    this.emitter.emit('changed', serialNumber);
  }

  onChanged(listener: (serialNumber: string) => void): void {
    this.emitter.on('changed', listener);
  }
}
