import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ProviderDeviceRow } from './provider-device.view';
import { PROVIDER_DEVICE, PROVIDER_DEVICES_PAGE } from './provider-devices.sql';

export interface ProviderScope {
  providerId: string;
  policyVersion: string;
}

/** The queries a provider's scope allows, each through the database's own provider functions. */
@Injectable()
export class ProviderDevicesRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  page(scope: ProviderScope, afterSerial: string, limit: number): Promise<ProviderDeviceRow[]> {
    return this.db.query(PROVIDER_DEVICES_PAGE, [scope.providerId, scope.policyVersion, afterSerial, limit]);
  }

  async one(scope: ProviderScope, serialNumber: string): Promise<ProviderDeviceRow | null> {
    const [row] = await this.db.query(PROVIDER_DEVICE, [scope.providerId, scope.policyVersion, serialNumber]);
    return row ?? null;
  }
}
