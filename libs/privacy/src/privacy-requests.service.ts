import { Injectable } from '@nestjs/common';
import { AuditService } from '@poc/audit';
import { AccountsService, Principal, requireRecentSignIn } from '@poc/auth';
import { DomainError } from '@poc/common';
import { ConsentService } from '@poc/consent';
import { ErasureRepository } from './erasure.repository';
import { Agent, IdentityCheck, PrivacyRequest, PrivacyRequestType, RequestDetails, toView } from './privacy-request';
import { legalHoldRefusal, PrivacyRequestsRepository } from './privacy-requests.repository';
import { ProviderNoticesRepository } from './provider-notices.repository';

/**
 * Privacy requests and what each one does; none ends `completed` without its effect having happened.
 * A restriction or objection takes effect when made (an objection also ends marketing); withdrawing
 * consent and opting out of sale are consent changes, made at once; an access request is answered by the
 * patient's export; a rectification and an erasure wait for the privacy officer, who carries them out (or
 * refuses them with a reason the patient sees). The supplying providers are told of rectification,
 * erasure, restriction and its lifting.
 */
@Injectable()
export class PrivacyRequestsService {
  constructor(
    private readonly requests: PrivacyRequestsRepository,
    private readonly erasure: ErasureRepository,
    private readonly notices: ProviderNoticesRepository,
    private readonly consent: ConsentService,
    private readonly accounts: AccountsService,
    private readonly audit: AuditService,
  ) {}

  async request(patient: Principal, type: PrivacyRequestType, asked: RequestDetails = {}) {
    // Erasure cannot be undone: the patient proves who they are again first.
    if (type === 'erasure') requireRecentSignIn(patient);
    return this.make(
      patient.userId,
      type,
      detailsOf(type, asked),
      type === 'erasure' ? 'password_step_up' : 'signed_in',
    );
  }

  /**
   * An authorised agent's request, recorded by the officer who checked their evidence; an erasure made so
   * needs another officer to carry it out (four eyes).
   */
  async recordForAgent(
    officer: Principal,
    patientId: string,
    type: PrivacyRequestType,
    asked: RequestDetails & { agent: Agent },
  ) {
    const details = { ...(detailsOf(type, asked) ?? {}), agent: asked.agent };
    return this.make(patientId, type, details, 'authorised_agent', officer.userId);
  }

  private async make(
    patientId: string,
    type: PrivacyRequestType,
    details: RequestDetails | null,
    identity: IdentityCheck,
    recordedBy: string | null = null,
  ) {
    const request = await this.requests.create(patientId, type, identity, details, recordedBy);
    if (!request) throw new DomainError('not_found', 'No such patient account');
    switch (type) {
      case 'restriction':
      case 'objection':
        await this.restrict(patientId, request);
        break;
      case 'withdraw_consent':
      case 'sale_opt_out':
        await this.changeConsent(patientId, request);
        break;
    }
    return toView((await this.requests.byId(request.id)) ?? request);
  }

  async mine(patient: Principal) {
    const items = (await this.requests.ofPatient(patient.userId)).map((r) => toView(r));
    const disclosure = { serialNumber: null, patientId: patient.userId, fields: ['privacyRequests'] };
    await this.audit.record(patient, 'patient.privacy-requests.read', [disclosure]);
    return { items };
  }

  /** Lifts a restriction or objection: processing and sharing resume from now on; providers are told. */
  async lift(patient: Principal): Promise<void> {
    const lifted = await this.requests.inTransaction(async (tx) => {
      if (!(await this.requests.lift(tx, patient.userId))) return false;
      await this.notices.notify(patient.userId, 'restriction_lifted', tx);
      return true;
    });
    if (!lifted) throw new DomainError('not_found', 'No restriction in force');
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
   * erased through the same path as any request, on the child's behalf: recorded by one officer, carried out
   * by another (four eyes).
   */
  async eraseChild(officer: Principal, patientId: string) {
    return this.make(patientId, 'erasure', null, 'child_account', officer.userId);
  }

  /**
   * Carries an open request out: an erasure erases (in one transaction, or changes nothing), a
   * rectification applies its changes (`note`: what else was corrected, when it asked more than account
   * data). Other requests took effect when made, or take it from the patient's export.
   */
  async complete(officer: Principal, id: string, note?: string) {
    const request = await this.open(id);
    const patientId = request.patientId as string;
    switch (request.type) {
      case 'erasure':
        if (request.recordedBy === officer.userId) {
          throw new DomainError(
            'forbidden',
            "An erasure recorded on someone's behalf is carried out by another officer",
          );
        }
        await this.requests.inTransaction(async (tx) => {
          const hold = await this.erasure.patientHeld(tx, patientId);
          if (hold) {
            return this.requests.finish(tx, id, 'refused', officer.userId, { reason: legalHoldRefusal(hold), note });
          }
          const outcome = await this.erasure.erase(tx, patientId);
          return this.requests.finish(tx, id, 'completed', officer.userId, { outcome: { ...outcome }, note });
        });
        break;
      case 'rectification':
        await this.rectify(officer, request, note);
        break;
      case 'access':
        throw new DomainError(
          'conflict',
          'An access request is answered by the export: it completes when the patient downloads it (GET /v1/me/export)',
        );
      default:
        throw new DomainError('conflict', `This request is already ${request.state}`);
    }
    return toView((await this.requests.byId(id)) ?? request);
  }

  /** Refuses an open request with a reason the patient sees. */
  async refuse(officer: Principal, id: string, reason: string) {
    await this.open(id);
    await this.requests.inTransaction((tx) => this.requests.finish(tx, id, 'refused', officer.userId, { reason }));
    return toView((await this.requests.byId(id)) as PrivacyRequest);
  }

  private async open(id: string): Promise<PrivacyRequest> {
    const request = await this.requests.byId(id);
    if (!request) throw new DomainError('not_found', 'No such privacy request');
    // Decided first: a completed erasure has no patient any more, and is still a decided request.
    if (request.state === 'completed' || request.state === 'refused') {
      throw new DomainError('conflict', `This request is already ${request.state}`);
    }
    if (request.patientId === null) throw new DomainError('not_found', 'No such privacy request');
    return request;
  }

  private async restrict(patientId: string, request: PrivacyRequest): Promise<void> {
    if (request.type === 'objection') {
      // An objection also ends marketing (its own consent, recorded in the ledger).
      if ((await this.consent.stateOf(patientId)).marketing)
        await this.consent.withdraw(patientId, { marketing: false });
    }
    await this.requests.inTransaction(async (tx) => {
      const made = await this.requests.restrict(tx, patientId, request.id);
      const notices = made ? await this.notices.notify(patientId, 'restriction', tx) : [];
      await this.requests.finish(tx, request.id, 'completed', null, {
        outcome: { restricted: true, alreadyInForce: !made, notices },
      });
    });
  }

  private async changeConsent(patientId: string, request: PrivacyRequest): Promise<void> {
    const choices = await this.consent.withdraw(
      patientId,
      request.type === 'withdraw_consent'
        ? { locationCollection: false, shareWithProvider: false, marketing: false }
        : { saleOptOut: true },
    );
    await this.requests.inTransaction((tx) =>
      this.requests.finish(tx, request.id, 'completed', null, { outcome: { consents: choices } }),
    );
  }

  private async rectify(officer: Principal, request: PrivacyRequest, note?: string): Promise<void> {
    const patientId = request.patientId as string;
    const { changes, details } = request.details ?? {};
    if (details && !note) {
      throw new DomainError('invalid', 'note: say what was corrected of what the request describes', 'note');
    }
    // Applied before it is recorded as done: a failure here leaves the request open, to try again.
    const account = changes ? await this.accounts.correctAccount(patientId, changes) : null;
    await this.requests.inTransaction(async (tx) => {
      const notices = await this.notices.notify(patientId, 'rectification', tx);
      await this.requests.finish(tx, request.id, 'completed', officer.userId, {
        outcome: { applied: changes ?? null, account, notices },
        note,
      });
    });
    await this.audit.record(
      officer,
      'privacy.rectification.apply',
      [{ serialNumber: null, patientId, fields: changes ? Object.keys(changes) : ['account'] }],
      note,
    );
  }
}

const detailsOf = (type: PrivacyRequestType, asked: RequestDetails): RequestDetails | null =>
  type === 'rectification' ? rectificationDetails(asked) : noDetails(asked);

function rectificationDetails({ changes, details }: RequestDetails): RequestDetails {
  const hasChanges = changes !== undefined && Object.keys(changes).length > 0;
  if (!hasChanges && !details) {
    throw new DomainError('invalid', 'a rectification says what should change: changes, or details', 'changes');
  }
  return { ...(hasChanges ? { changes } : {}), ...(details ? { details } : {}) };
}

function noDetails({ changes, details }: RequestDetails): null {
  if (changes !== undefined || details !== undefined) {
    throw new DomainError('invalid', 'changes and details are for a rectification only', 'changes');
  }
  return null;
}
