import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { ProviderDeviceRow } from './provider-device.view';
import { PROVIDER_DEVICE, PROVIDER_DEVICES_PAGE } from './provider-devices.sql';

export interface ProviderScope {
  providerId: string;
  policyVersion: string;
}

@Injectable()
export class ProviderDevicesRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Runs `read` and then `after` (the audit) in one transaction: the rows and their audit entries commit together. */
  inTransaction<T>(
    read: (rows: ProviderRows) => Promise<T>,
    after: (tx: EntityManager, result: T) => Promise<void>,
  ): Promise<T> {
    return this.db.transaction(async (tx) => {
      const result = await read(new ProviderRows(tx));
      await after(tx, result);
      return result;
    });
  }

  /** One device as its provider sees it, outside a transaction (for a caller that audits on its own). */
  one(scope: ProviderScope, serialNumber: string): Promise<ProviderDeviceRow | null> {
    return new ProviderRows(this.db.manager).one(scope, serialNumber);
  }
}

/** The queries a provider's scope allows, each through the database's own provider functions. */
export class ProviderRows {
  constructor(private readonly tx: EntityManager) {}

  page(scope: ProviderScope, afterSerial: string, limit: number): Promise<ProviderDeviceRow[]> {
    return this.tx.query(PROVIDER_DEVICES_PAGE, [scope.providerId, scope.policyVersion, afterSerial, limit]);
  }

  async one(scope: ProviderScope, serialNumber: string): Promise<ProviderDeviceRow | null> {
    const [row] = await this.tx.query(PROVIDER_DEVICE, [scope.providerId, scope.policyVersion, serialNumber]);
    return row ?? null;
  }
}
