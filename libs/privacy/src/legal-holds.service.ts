import { Injectable } from '@nestjs/common';
import { AuditService } from '@poc/audit';
import type { Principal } from '@poc/auth';
import { DomainError } from '@poc/common';
import { LegalHold, LegalHoldsRepository } from './legal-holds.repository';
import { PrivacyRequestsRepository } from './privacy-requests.repository';

/** Legal holds: data under a legal obligation or a pending claim, which erasure and retention skip. */
@Injectable()
export class LegalHoldsService {
  constructor(
    private readonly holds: LegalHoldsRepository,
    private readonly requests: PrivacyRequestsRepository,
    private readonly audit: AuditService,
  ) {}

  async place(
    officer: Principal,
    target: { patientId?: string; serialNumber?: string },
    reason: string,
  ): Promise<LegalHold> {
    if (!target.patientId === !target.serialNumber) {
      throw new DomainError('invalid', 'give exactly one of patientId or serialNumber', 'patientId');
    }
    const hold = await this.holds.place(target, reason, officer.userId);
    await this.audit.record(officer, 'privacy.legal-hold.place', [disclosureOf(hold)], reason);
    return hold;
  }

  /** The holds in force; each names a patient or a device (its patient's data), so reading them is audited. */
  async active(officer: Principal): Promise<LegalHold[]> {
    const holds = await this.holds.active();
    await this.audit.record(officer, 'privacy.legal-holds.read', holds.map(disclosureOf));
    return holds;
  }

  /**
   * Lifted by whom is recorded on the hold and in the audit: the data it kept is erasable again, and an
   * erasure the hold had refused goes back into the officer's queue.
   */
  async lift(officer: Principal, id: string): Promise<{ requeuedErasures: number }> {
    const hold = /^\d{1,18}$/.test(id) ? await this.holds.lift(id, officer.userId) : null;
    if (!hold) throw new DomainError('not_found', 'No such legal hold');
    await this.audit.record(officer, 'privacy.legal-hold.lift', [disclosureOf(hold)], hold.reason);
    return { requeuedErasures: hold.patientId ? await this.requests.requeueHeldErasures(hold.patientId) : 0 };
  }
}

const disclosureOf = (hold: LegalHold) =>
  hold.patientId
    ? { serialNumber: null, patientId: hold.patientId, fields: ['legalHold'] }
    : { serialNumber: hold.serialNumber, fields: ['legalHold'] };
