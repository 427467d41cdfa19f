import { Injectable } from '@nestjs/common';
import { AuditService } from '@poc/audit';
import { AccountsService, Principal } from '@poc/auth';
import { DomainError, recordSecurityEvent } from '@poc/common';
import { AppConfig } from '@poc/config';
import { ConsentLedgerRepository } from './consent-ledger.repository';

const NONE = '00000000-0000-0000-0000-000000000000';

/**
 * Who may be contacted for marketing: only patients whose marketing consent stands under the current
 * policy, who neither restrict nor object, and whose account is active. Everyone else is left out, by the
 * query that makes the list, not by whoever reads it. Each page is audited (it names patients).
 */
@Injectable()
export class MarketingAudienceService {
  constructor(
    private readonly ledger: ConsentLedgerRepository,
    private readonly accounts: AccountsService,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
  ) {}

  async page(caller: Principal, cursor: string | undefined, limit: number) {
    if (cursor !== undefined && !/^[0-9a-f-]{36}$/.test(cursor)) {
      throw new DomainError('invalid', 'cursor is not one this API gave', 'cursor');
    }
    const ids = await this.ledger.marketingAudience(this.config.POLICY_VERSION, cursor ?? NONE, limit + 1);
    const page = ids.slice(0, limit);
    const items = await this.accounts.activeContactsOf(page);
    recordSecurityEvent('bulk_export');
    await this.audit.record(
      caller,
      'internal.marketing-audience.read',
      items.map((c) => ({ serialNumber: null, patientId: c.patientId, fields: ['username', 'email'] })),
    );
    return { items, nextCursor: ids.length > limit ? page[page.length - 1] : null };
  }
}
