import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** A concentrator in the registry: owned by the manufacturer or the provider that supplied it. */
@Entity('devices')
export class DeviceEntity {
  @PrimaryColumn('text', { name: 'serial_number' })
  serialNumber!: string;

  @Column('text')
  model!: string;

  @Column('uuid', { name: 'supplied_by', nullable: true })
  suppliedBy!: string | null;

  @Column('text', { name: 'registration_code' })
  registrationCode!: string;

  @Column('uuid', { name: 'patient_id', nullable: true })
  patientId!: string | null;

  // SHA-256 of the device secret: the secret is 256 random bits, so a slow hash adds nothing
  // and would cost every MQTT connect tens of milliseconds.
  @Column('text', { name: 'secret_hash', nullable: true })
  secretHash!: string | null;

  @Column('timestamptz', { name: 'linked_at', nullable: true })
  linkedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
