import { Injectable } from '@nestjs/common';
import { AuditService } from '@poc/audit';
import type { Principal } from '@poc/auth';
import { DomainError, SERIAL_NUMBER } from '@poc/common';
import { AppConfig } from '@poc/config';
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
    const page = await this.repository.page(this.scopeOf(caller), after, limit + 1);
    const items = page.slice(0, limit).map(toProviderDeviceView);
    await this.recordDisclosures(caller, 'provider.devices.list', items);
    return { items, nextCursor: page.length > limit ? encodeCursor(items[items.length - 1].serialNumber) : null };
  }

  async one(caller: Principal, serialNumber: string): Promise<ProviderDeviceView> {
    const row = await this.repository.one(this.scopeOf(caller), serialNumber);
    // Another provider's device and no device at all look the same.
    if (!row) throw new DomainError('not_found', 'No such device');
    const view = toProviderDeviceView(row);
    await this.recordDisclosures(caller, 'provider.devices.read', [view]);
    return view;
  }

  private scopeOf(caller: Principal) {
    if (!caller.providerId) throw new DomainError('forbidden', 'This account is not bound to a provider');
    return { providerId: caller.providerId, policyVersion: this.config.POLICY_VERSION };
  }

  /** Before the response leaves: the patient is left for the audit to look up (the device's owner). */
  private recordDisclosures(caller: Principal, action: string, views: ProviderDeviceView[]) {
    const disclosures = views.map((view) => ({ serialNumber: view.serialNumber, fields: disclosedFields(view) }));
    return this.audit.record(caller, action, disclosures);
  }
}
