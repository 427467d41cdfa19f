import { Injectable } from '@nestjs/common';
import { AuditService } from '@poc/audit';
import { Principal, requireRecentSignIn } from '@poc/auth';
import { DomainError } from '@poc/common';
import { ConsentService } from '@poc/consent';
import { ErasureRepository } from './erasure.repository';
import { PrivacyRequestType, toView } from './privacy-request';
import { PrivacyRequestsRepository } from './privacy-requests.repository';

/**
 * Privacy requests and what each one does. Some take effect the moment they are made (a restriction
 * or objection stops sharing and new locations; withdrawing consent and opting out of sale are consent
 * changes); erasure waits for the privacy officer, who completes it and so carries it out.
 */
@Injectable()
export class PrivacyRequestsService {
  constructor(
    private readonly requests: PrivacyRequestsRepository,
    private readonly erasure: ErasureRepository,
    private readonly consent: ConsentService,
    private readonly audit: AuditService,
  ) {}

  async request(patient: Principal, type: PrivacyRequestType) {
    // Erasure cannot be undone: the patient proves who they are again first.
    if (type === 'erasure') requireRecentSignIn(patient);
    switch (type) {
      case 'restriction':
      case 'objection': {
        const request = await this.requests.create(patient.userId, type, 'in_progress');
        await this.requests.restrict(patient.userId, request.id);
        return toView(request);
      }
      case 'withdraw_consent':
      case 'sale_opt_out': {
        const state = await this.consent.stateOf(patient.userId);
        await this.consent.change(patient.userId, {
          policyVersion: state.currentPolicyVersion,
          locationCollection: type === 'withdraw_consent' ? false : state.locationCollection,
          shareWithProvider: type === 'withdraw_consent' ? false : state.shareWithProvider,
          marketing: type === 'withdraw_consent' ? false : state.marketing,
          saleOptOut: type === 'sale_opt_out' ? true : state.saleOptOut,
        });
        return toView(await this.requests.create(patient.userId, type, 'completed'));
      }
      default:
        return toView(await this.requests.create(patient.userId, type, 'received'));
    }
  }

  async mine(patient: Principal) {
    const items = (await this.requests.ofPatient(patient.userId)).map((r) => toView(r));
    const disclosure = { serialNumber: null, patientId: patient.userId, fields: ['privacyRequests'] };
    await this.audit.record(patient, 'patient.privacy-requests.read', [disclosure]);
    return { items };
  }

  /** Lifts a restriction or objection: processing and sharing resume from now on. */
  async lift(patient: Principal): Promise<void> {
    if (!(await this.requests.lift(patient.userId))) throw new DomainError('not_found', 'No restriction in force');
  }

  /** The officer's queue: it names the patients who asked, and what they asked for. */
  async queue(officer: Principal, limit: number) {
    const items = (await this.requests.queue(limit)).map((r) => ({ ...toView(r), patientId: r.patientId }));
    const disclosures = items.flatMap((r) =>
      r.patientId ? [{ serialNumber: null, patientId: r.patientId, fields: ['privacyRequest'] }] : [],
    );
    await this.audit.record(officer, 'privacy.requests.queue', disclosures);
    return { items };
  }

  /**
   * An account found to belong to someone under 16 (the age of digital consent the service applies) is
   * deleted at once, through the same erasure path as any request, on the child's behalf.
   */
  async eraseChild(officer: Principal, patientId: string) {
    const request = await this.requests.createFor(patientId, 'erasure');
    if (!request) throw new DomainError('not_found', 'No such patient account');
    return this.complete(officer, request.id);
  }

  /** Completes a request; completing an erasure erases, in one transaction, or changes nothing. */
  async complete(officer: Principal, id: string) {
    const request = await this.requests.byId(id);
    if (!request) throw new DomainError('not_found', 'No such privacy request');
    if (request.state === 'completed' || request.state === 'refused') {
      throw new DomainError('conflict', `This request is already ${request.state}`);
    }
    const patientId = request.patientId;
    await this.requests.inTransaction(async (tx) => {
      if (request.type !== 'erasure' || patientId === null) {
        return this.requests.finish(tx, id, 'completed', officer.userId, null);
      }
      const hold = await this.erasure.patientHeld(tx, patientId);
      if (hold) return this.requests.finish(tx, id, 'refused', officer.userId, null, `legal hold: ${hold}`);
      const outcome = await this.erasure.erase(tx, patientId);
      await this.requests.finish(tx, id, 'completed', officer.userId, { ...outcome });
    });
    const done = await this.requests.byId(id);
    return toView(done ?? request);
  }
}
