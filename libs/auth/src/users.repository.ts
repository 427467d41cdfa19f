import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DomainError } from '@poc/common';
import { In, IsNull, Repository } from 'typeorm';
import { isUniqueViolation } from '@poc/db';
import type { Role } from './role';
import { UserEntity } from './user.entity';

export interface NewUser {
  username: string;
  passwordHash: string;
  role: Role;
  providerId: string | null;
  email: string | null;
  birthDate: string | null;
}

@Injectable()
export class UsersRepository {
  constructor(@InjectRepository(UserEntity) private readonly users: Repository<UserEntity>) {}

  byUsername(username: string): Promise<UserEntity | null> {
    return this.users.findOneBy({ username });
  }

  byId(id: string): Promise<UserEntity | null> {
    return this.users.findOneBy({ id });
  }

  activePatientsAmong(ids: string[]): Promise<UserEntity[]> {
    return ids.length === 0
      ? Promise.resolve([])
      : this.users.findBy({ id: In(ids), role: 'patient', deactivatedAt: IsNull() });
  }

  /**
   * Inserts the user; one made by an admin (`by`) is sealed into the audit chain in the same transaction
   * (audit_append, the chain's one way in): who granted which role is never lost nor deniable.
   */
  async insert(user: NewUser, by?: { userId: string; role: Role }): Promise<UserEntity> {
    try {
      return await this.users.manager.transaction(async (tx) => {
        const made = await tx.save(this.users.create(user));
        if (by) {
          const account = JSON.stringify([{ serialNumber: null, patientId: null, fields: ['account'] }]);
          await tx.query(`SELECT audit_append($1, $2, 'admin.users.create', $3, $4)`, [
            by.userId,
            by.role,
            account,
            `${made.role} account ${made.username} (${made.id})`,
          ]);
        }
        return made;
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new DomainError('conflict', 'username is already taken', 'username');
      }
      throw error;
    }
  }

  /** Inserts the user, or answers null when the username is taken. */
  async insertUnlessTaken(user: NewUser): Promise<UserEntity | null> {
    const [row] = await this.users
      .createQueryBuilder()
      .insert()
      .values(user)
      .orIgnore()
      .returning('id')
      .execute()
      .then((result) => result.raw as Array<{ id: string }>);
    return row ? this.byId(row.id) : null;
  }

  async correct(id: string, correction: { email?: string; birthDate?: string }): Promise<void> {
    await this.users.update({ id }, correction);
  }

  /** Deactivates (a date) or reactivates (null) a patient's account; false when there is no such patient. */
  async setDeactivated(id: string, at: Date | null): Promise<boolean> {
    const result = await this.users.update({ id, role: 'patient' }, { deactivatedAt: at });
    return (result.affected ?? 0) === 1;
  }

  async setPasswordHash(id: string, passwordHash: string): Promise<void> {
    await this.users.update({ id }, { passwordHash });
  }

  async touch(id: string): Promise<void> {
    await this.users.update({ id }, { lastActiveAt: () => 'now()' });
  }
}
