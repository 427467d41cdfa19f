import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One entry of a patient's consent ledger; entries are appended, never changed. */
@Entity('consent_events')
export class ConsentEventEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id!: string;

  @Column('uuid', { name: 'patient_id' })
  patientId!: string;

  @Column({ type: 'timestamptz', insert: false, update: false })
  at!: Date;

  /** The version accepted; null where none was (a withdrawal or opt-out recorded for someone who never accepted). */
  @Column('text', { name: 'policy_version', nullable: true })
  policyVersion!: string | null;

  @Column('boolean', { name: 'location_collection' })
  locationCollection!: boolean;

  @Column('boolean', { name: 'share_with_provider' })
  shareWithProvider!: boolean;

  @Column('boolean')
  marketing!: boolean;

  @Column('boolean', { name: 'sale_opt_out' })
  saleOptOut!: boolean;
}
