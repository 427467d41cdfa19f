import { Injectable } from '@nestjs/common';
import { AuditService } from '@poc/audit';
import type { Principal } from '@poc/auth';
import { DomainError } from '@poc/common';
import { AppConfig } from '@poc/config';
import { SERIAL_NUMBER } from '@poc/devices';
import { EntityManager } from 'typeorm';
import { disclosedFields, ProviderDeviceView, toProviderDeviceView } from './provider-device.view';
import { ProviderDevicesRepository } from './provider-devices.repository';

// The cursor is the last serial of the page, opaque to the client.
const encodeCursor = (serial: string): string => Buffer.from(serial, 'utf8').toString('base64url');
function decodeCursor(cursor: string | undefined): string {
  if (cursor === undefined) return '';
  const serial = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!SERIAL_NUMBER.test(serial)) throw new DomainError('invalid', 'cursor is not one this API gave', 'cursor');
  return serial;
}

/** The provider portal's reads: only devices the caller's provider supplied, only the five fields, audited. */
@Injectable()
export class ProviderDevicesService {
  constructor(
    private readonly repository: ProviderDevicesRepository,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
  ) {}

  async list(caller: Principal, limit: number, cursor?: string) {
    const after = decodeCursor(cursor);
    // One row past the page tells whether another page follows.
    const scope = this.scopeOf(caller);
    const { items, more } = await this.repository.inTransaction(
      async (rows) => {
        const page = await rows.page(scope, after, limit + 1);
        return { items: page.slice(0, limit).map(toProviderDeviceView), more: page.length > limit };
      },
      (tx, page) => this.recordDisclosures(caller, 'provider.devices.list', page.items, tx),
    );
    return { items, nextCursor: more ? encodeCursor(items[items.length - 1].serialNumber) : null };
  }

  async one(caller: Principal, serialNumber: string): Promise<ProviderDeviceView> {
    const scope = this.scopeOf(caller);
    const view = await this.repository.inTransaction(
      async (rows) => {
        const row = await rows.one(scope, serialNumber);
        return row && toProviderDeviceView(row);
      },
      (tx, found) => (found ? this.recordDisclosures(caller, 'provider.devices.read', [found], tx) : Promise.resolve()),
    );
    // Another provider's device and no device at all look the same.
    if (!view) throw new DomainError('not_found', 'No such device');
    return view;
  }

  private scopeOf(caller: Principal) {
    if (!caller.providerId) throw new DomainError('forbidden', 'This account is not bound to a provider');
    return { providerId: caller.providerId, policyVersion: this.config.POLICY_VERSION };
  }

  private async recordDisclosures(caller: Principal, action: string, views: ProviderDeviceView[], tx: EntityManager) {
    if (views.length === 0) return;
    // The patient is left for the audit to look up: the device's owner, in the read's own transaction.
    await this.audit.record(
      caller,
      action,
      views.map((view) => ({ serialNumber: view.serialNumber, fields: disclosedFields(view) })),
      tx,
    );
  }
}
