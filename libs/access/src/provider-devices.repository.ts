import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { SERVICE_ROLE } from '@poc/db';
import { DataSource, EntityManager } from 'typeorm';
import { ProviderDeviceRow } from './provider-device.view';
import {
  ENTER_PROVIDER_SCOPE,
  LEAVE_PROVIDER_SCOPE,
  PROVIDER_DEVICE,
  PROVIDER_DEVICES_PAGE,
} from './provider-devices.sql';

@Injectable()
export class ProviderDevicesRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Runs `read` as the provider's database role inside a transaction, then `after` (the audit) as the
   * service again in the same transaction: the rows and their audit entries commit together.
   */
  inProviderScope<T>(
    scope: { providerId: string; policyVersion: string },
    read: (rows: ProviderRows) => Promise<T>,
    after: (tx: EntityManager, result: T) => Promise<void>,
  ): Promise<T> {
    return this.db.transaction(async (tx) => {
      await tx.query(ENTER_PROVIDER_SCOPE, [scope.providerId, scope.policyVersion]);
      const result = await read(new ProviderRows(tx));
      await tx.query(LEAVE_PROVIDER_SCOPE(SERVICE_ROLE));
      await after(tx, result);
      return result;
    });
  }
}

/** The queries a provider's scope allows. */
export class ProviderRows {
  constructor(private readonly tx: EntityManager) {}

  page(afterSerial: string, limit: number): Promise<ProviderDeviceRow[]> {
    return this.tx.query(PROVIDER_DEVICES_PAGE, [afterSerial, limit]);
  }

  async one(serialNumber: string): Promise<ProviderDeviceRow | null> {
    const [row] = await this.tx.query(PROVIDER_DEVICE, [serialNumber]);
    return row ?? null;
  }
}
