import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { ConsentEventEntity } from './consent-event.entity';

export type ConsentChoices = Pick<
  ConsentEventEntity,
  'policyVersion' | 'locationCollection' | 'shareWithProvider' | 'marketing' | 'saleOptOut'
>;

@Injectable()
export class ConsentLedgerRepository {
  constructor(@InjectRepository(ConsentEventEntity) private readonly events: Repository<ConsentEventEntity>) {}

  async append(patientId: string, choices: ConsentChoices): Promise<void> {
    await this.events.insert({ patientId, ...choices });
  }

  historyOf(patientId: string): Promise<ConsentEventEntity[]> {
    return this.events.find({ where: { patientId }, order: { id: 'ASC' } });
  }

  /** The newest entry of each patient's ledger, in one query for a whole ingest batch. */
  latestOfMany(patientIds: string[]): Promise<ConsentEventEntity[]> {
    return this.events
      .createQueryBuilder('e')
      .distinctOn(['e.patient_id'])
      .where('e.patient_id = ANY(:patientIds)', { patientIds })
      .orderBy('e.patient_id')
      .addOrderBy('e.id', 'DESC')
      .getMany();
  }

  /**
   * Patients who may be marketed to, by id after `afterId`: their newest consent accepts the current policy
   * and marketing, and they neither restricted processing nor objected to it.
   */
  async marketingAudience(policyVersion: string, afterId: string, limit: number): Promise<string[]> {
    const rows: Array<{ patient_id: string }> = await this.events.query(
      `SELECT p.patient_id FROM (SELECT DISTINCT patient_id FROM consent_events WHERE patient_id > $2) p
        CROSS JOIN LATERAL (
          SELECT c.marketing, c.policy_version FROM consent_events c WHERE c.patient_id = p.patient_id
           ORDER BY c.id DESC LIMIT 1) newest
        WHERE newest.marketing AND newest.policy_version = $1
          AND NOT EXISTS (SELECT 1 FROM processing_restrictions r WHERE r.patient_id = p.patient_id)
        ORDER BY p.patient_id LIMIT $3`,
      [policyVersion, afterId, limit],
    );
    return rows.map((r) => r.patient_id);
  }

  /** Those of the patients who restricted processing or objected to it (see the privacy lib). */
  async restrictedAmong(patientIds: string[]): Promise<Set<string>> {
    const rows: Array<{ patient_id: string }> = await this.events.query(
      'SELECT patient_id FROM processing_restrictions WHERE patient_id = ANY($1::uuid[])',
      [patientIds],
    );
    return new Set(rows.map((r) => r.patient_id));
  }
}
