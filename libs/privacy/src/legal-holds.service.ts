import { Injectable } from '@nestjs/common';
import { AuditService } from '@poc/audit';
import type { Principal } from '@poc/auth';
import { DomainError } from '@poc/common';
import { LegalHold, LegalHoldsRepository } from './legal-holds.repository';

/** Legal holds: data under a legal obligation or a pending claim, which erasure and retention skip. */
@Injectable()
export class LegalHoldsService {
  constructor(
    private readonly holds: LegalHoldsRepository,
    private readonly audit: AuditService,
  ) {}

  place(officer: Principal, target: { patientId?: string; serialNumber?: string }, reason: string): Promise<LegalHold> {
    if (!target.patientId === !target.serialNumber) {
      throw new DomainError('invalid', 'give exactly one of patientId or serialNumber', 'patientId');
    }
    return this.holds.place(target, reason, officer.userId);
  }

  /** The holds in force; each names a patient or a device (its patient's data), so reading them is audited. */
  async active(officer: Principal): Promise<LegalHold[]> {
    const holds = await this.holds.active();
    await this.audit.record(
      officer,
      'privacy.legal-holds.read',
      holds.map((hold) =>
        hold.patientId
          ? { serialNumber: null, patientId: hold.patientId, fields: ['legalHold'] }
          : { serialNumber: hold.serialNumber, fields: ['legalHold'] },
      ),
    );
    return holds;
  }

  async lift(id: string): Promise<void> {
    if (!/^\d{1,18}$/.test(id) || !(await this.holds.lift(id)))
      throw new DomainError('not_found', 'No such legal hold');
  }
}
