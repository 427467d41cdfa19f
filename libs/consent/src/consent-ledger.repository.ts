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

  /** Those of the patients who restricted processing or objected to it (see the privacy lib). */
  async restrictedAmong(patientIds: string[]): Promise<Set<string>> {
    const rows: Array<{ patient_id: string }> = await this.events.query(
      'SELECT patient_id FROM processing_restrictions WHERE patient_id = ANY($1::uuid[])',
      [patientIds],
    );
    return new Set(rows.map((r) => r.patient_id));
  }
}
