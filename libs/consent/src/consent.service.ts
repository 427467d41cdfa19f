import { Injectable } from '@nestjs/common';
import { AuditService } from '@poc/audit';
import type { Principal } from '@poc/auth';
import { DomainError } from '@poc/common';
import { AppConfig } from '@poc/config';
import type { ConsentChoicesDto, ConsentStateResponse } from './consent.dto';
import { ConsentEventEntity } from './consent-event.entity';
import { ConsentChoices, ConsentLedgerRepository } from './consent-ledger.repository';

const choicesOf = (event: ConsentEventEntity): ConsentChoices & { at: Date } => ({
  at: event.at,
  policyVersion: event.policyVersion,
  locationCollection: event.locationCollection,
  shareWithProvider: event.shareWithProvider,
  marketing: event.marketing,
  saleOptOut: event.saleOptOut,
});

// Privacy by default: nothing optional is on until the patient turns it on.
const NOTHING_ACCEPTED = {
  policyVersion: null,
  locationCollection: false,
  shareWithProvider: false,
  marketing: false,
  saleOptOut: false,
};

/**
 * What may be collected from a patient's device right now:
 * - `full`: the current policy accepted, location collection on;
 * - `no_location`: accepted, location collection off: the location is dropped before anything is written;
 * - `minimal`: the current policy not accepted: only what the device link itself needs is kept.
 */
export type CollectionRule = 'full' | 'no_location' | 'minimal';

const OWN_CONSENTS = (patient: Principal) => ({ serialNumber: null, patientId: patient.userId, fields: ['consents'] });

/** The consent ledger: every change appended with its time and policy version; the state derives from it. */
@Injectable()
export class ConsentService {
  constructor(
    private readonly ledger: ConsentLedgerRepository,
    private readonly config: AppConfig,
    private readonly audit: AuditService,
  ) {}

  /** The patient reads their own consents: audited like any read of their data. */
  async readBy(patient: Principal): Promise<ConsentStateResponse> {
    const state = await this.stateOf(patient.userId);
    await this.audit.record(patient, 'patient.consents.read', [OWN_CONSENTS(patient)]);
    return state;
  }

  /** The patient changes their consents; the answer (their consents) is audited with the change. */
  async changeBy(patient: Principal, choices: ConsentChoicesDto): Promise<ConsentStateResponse> {
    const state = await this.change(patient.userId, choices);
    await this.audit.record(patient, 'patient.consents.change', [OWN_CONSENTS(patient)]);
    return state;
  }

  async stateOf(patientId: string): Promise<ConsentStateResponse> {
    const history = (await this.ledger.historyOf(patientId)).map(choicesOf);
    const { at: _at, ...current } = history.at(-1) ?? { at: null, ...NOTHING_ACCEPTED };
    return { currentPolicyVersion: this.config.POLICY_VERSION, ...current, history };
  }

  async collectionRulesFor(patientIds: string[]): Promise<Map<string, CollectionRule>> {
    const rules = new Map<string, CollectionRule>(patientIds.map((id) => [id, 'minimal']));
    const [latest, restricted] = await Promise.all([
      this.ledger.latestOfMany(patientIds),
      this.ledger.restrictedAmong(patientIds),
    ]);
    for (const event of latest) {
      if (event.policyVersion !== this.config.POLICY_VERSION) continue;
      // A restriction or objection stops new locations at once; the rest is still stored, and kept.
      const locations = event.locationCollection && !restricted.has(event.patientId);
      rules.set(event.patientId, locations ? 'full' : 'no_location');
    }
    return rules;
  }

  /**
   * Turns choices off (and the sale opt-out on) for a privacy request: recorded under the version the patient
   * accepted, or none, so that it never accepts a policy on their behalf. What it recorded is returned.
   */
  async withdraw(
    patientId: string,
    off: { locationCollection?: false; shareWithProvider?: false; marketing?: false; saleOptOut?: true },
  ): Promise<ConsentChoices> {
    const { policyVersion, locationCollection, shareWithProvider, marketing, saleOptOut } =
      await this.stateOf(patientId);
    const choices = { policyVersion, locationCollection, shareWithProvider, marketing, saleOptOut, ...off };
    await this.ledger.append(patientId, choices);
    return choices;
  }

  async change(patientId: string, choices: ConsentChoicesDto): Promise<ConsentStateResponse> {
    if (choices.policyVersion !== this.config.POLICY_VERSION) {
      throw new DomainError(
        'invalid',
        `policyVersion must be the current policy version ${this.config.POLICY_VERSION}`,
        'policyVersion',
      );
    }
    await this.ledger.append(patientId, choices);
    return this.stateOf(patientId);
  }
}
