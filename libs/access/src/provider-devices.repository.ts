import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { preparedQuery } from '@poc/db';
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
    const values = [scope.providerId, scope.policyVersion, afterSerial, limit];
    return preparedQuery(this.db, 'provider_devices_page', PROVIDER_DEVICES_PAGE, values);
  }

  async one(scope: ProviderScope, serialNumber: string): Promise<ProviderDeviceRow | null> {
    const values = [scope.providerId, scope.policyVersion, serialNumber];
    const [row] = await preparedQuery<ProviderDeviceRow>(this.db, 'provider_device', PROVIDER_DEVICE, values);
    return row ?? null;
  }
}
