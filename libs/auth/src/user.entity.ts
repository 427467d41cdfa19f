import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { Role } from './role';

@Entity('users')
export class UserEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('text')
  username!: string;

  @Column('text', { name: 'password_hash' })
  passwordHash!: string;

  @Column('text')
  role!: Role;

  @Column('uuid', { name: 'provider_id', nullable: true })
  providerId!: string | null;

  @Column('text', { nullable: true })
  email!: string | null;

  @Column('date', { name: 'birth_date', nullable: true })
  birthDate!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column('timestamptz', { name: 'last_active_at', default: () => 'now()' })
  lastActiveAt!: Date;

  // Set by the patient: the account signs in no more; its data stays until erased or expired.
  @Column('timestamptz', { name: 'deactivated_at', nullable: true })
  deactivatedAt!: Date | null;
}
