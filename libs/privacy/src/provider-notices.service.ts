import { Injectable } from '@nestjs/common';
import { AuditService } from '@poc/audit';
import type { Principal } from '@poc/auth';
import { decodeIdCursor, DomainError, encodeIdCursor } from '@poc/common';
import { ProviderNotice } from './provider-notice';
import { ProviderNoticesRepository } from './provider-notices.repository';

/**
 * What a provider must be told of the patients of the devices it supplied (policy 001, 10.4): rectification,
 * erasure, restriction and its lifting, oldest first. Each notice names the device and the kind, never the
 * patient; reading them discloses that the device's patient acted, so it is audited.
 */
@Injectable()
export class ProviderNoticesService {
  constructor(
    private readonly notices: ProviderNoticesRepository,
    private readonly audit: AuditService,
  ) {}

  async feed(provider: Principal, cursor: string | undefined, limit: number) {
    if (!provider.providerId) throw new DomainError('forbidden', 'This account is not bound to a provider');
    const page: ProviderNotice[] = await this.notices.feed(provider.providerId, decodeIdCursor(cursor, '0'), limit + 1);
    const items = page.slice(0, limit);
    await this.audit.record(
      provider,
      'provider.notices.read',
      items.map((n) => ({ serialNumber: n.serialNumber, fields: ['notice'] })),
    );
    return { items, nextCursor: page.length > limit ? encodeIdCursor(items[items.length - 1].id) : null };
  }
}
