import { Injectable } from '@nestjs/common';
import { AuditService } from '@poc/audit';
import type { Principal } from '@poc/auth';
import { DomainError, recordSecurityEvent } from '@poc/common';
import { randomBytes } from 'node:crypto';
import { PartnerDatasetResponse } from './access.responses';
import { PartnerDatasetQuery } from './partner-dataset.query';

/**
 * The export to third parties (device reliability, for a partner): pseudonymous per device and month (a
 * key of its own each export, so two exports cannot be joined), and never including a patient who opted
 * out of sale, restricts processing or has not accepted the policy. Audited as a bulk export.
 */
@Injectable()
export class PartnerDatasetService {
  constructor(
    private readonly dataset: PartnerDatasetQuery,
    private readonly audit: AuditService,
  ) {}

  async export(caller: Principal, from: Date, to: Date): Promise<PartnerDatasetResponse> {
    if (from >= to) throw new DomainError('invalid', 'from must be before to', 'from');
    const items = await this.dataset.run(from, to, randomBytes(16).toString('hex'));
    recordSecurityEvent('bulk_export');
    await this.audit.record(caller, 'export.partner-dataset', [
      { serialNumber: null, patientId: null, fields: ['partner-dataset'] },
    ]);
    return { generatedAt: new Date(), from, to, items };
  }
}
