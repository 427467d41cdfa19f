import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DomainError, recordSecurityEvent } from '@poc/common';
import { AppConfig } from '@poc/config';
import { ageOn, MINIMUM_PATIENT_AGE } from './age';
import { AttemptLimiter } from './attempt.limiter';
import type {
  AccountCorrectionDto,
  CreateUserDto,
  OwnAccountResponse,
  RegisterPatientDto,
  UserResponse,
} from './auth.dto';
import { PasswordHashingLane } from './password-hashing.lane';
import type { Principal } from './principal';
import type { Role } from './role';
import { TokenService } from './token.service';
import { ProvidersRepository } from './providers.repository';
import type { UserEntity } from './user.entity';
import { UsersRepository } from './users.repository';

/** The children's-privacy rule, for every patient account however it is made or corrected. */
function assertPatientAge(birthDate: string, underAgeHint = 'nothing of the applicant is kept'): void {
  const age = ageOn(birthDate, new Date());
  if (Number.isNaN(age) || age > 130)
    throw new DomainError('invalid', 'birthDate is not a plausible date', 'birthDate');
  if (age < MINIMUM_PATIENT_AGE) {
    // The policy keeps no data of anyone under 16.
    throw new DomainError(
      'invalid',
      `birthDate: patients under ${MINIMUM_PATIENT_AGE} cannot hold an account (${underAgeHint})`,
      'birthDate',
    );
  }
}

const toResponse = (user: UserEntity): UserResponse => ({
  id: user.id,
  username: user.username,
  role: user.role,
  providerId: user.providerId,
});

/** Accounts of every role: patients register themselves, admins create the rest. */
// Roles that decide on patients' data as a whole (erasures, the audit, the accounts themselves).
const PRIVILEGED: ReadonlySet<Role> = new Set<Role>(['privacy_officer', 'admin']);

@Injectable()
export class AccountsService {
  constructor(
    private readonly users: UsersRepository,
    private readonly providers: ProvidersRepository,
    private readonly attempts: AttemptLimiter,
    private readonly passwords: PasswordHashingLane,
    private readonly tokens: TokenService,
    private readonly config: AppConfig,
  ) {}

  /**
   * Self-registration, limited per client address (each one costs a memory-hard hash). A username already
   * taken gets the same answer as a new one, after the same work: whether someone has an account with a
   * maker of oxygen concentrators is itself health information. Nothing is created for it, and signing
   * in with it fails as any wrong password does.
   */
  async registerPatient(dto: RegisterPatientDto, address: string): Promise<UserResponse> {
    await this.attempts.admit([{ key: `register:address:${address}`, limit: this.config.REGISTRATIONS_PER_ADDRESS }]);
    return this.createPatient(dto);
  }

  private async createPatient(dto: RegisterPatientDto): Promise<UserResponse> {
    assertPatientAge(dto.birthDate);
    const user = await this.users.insertUnlessTaken({
      username: dto.username,
      passwordHash: await this.passwords.hash(dto.password, 'registration'),
      role: 'patient',
      providerId: null,
      email: dto.email,
      birthDate: dto.birthDate,
    });
    return user ? toResponse(user) : { id: randomUUID(), username: dto.username, role: 'patient', providerId: null };
  }

  /** An account made by an admin (`by`; none for demo data): staff accounts are audited, privileged ones flagged. */
  async createUser(dto: CreateUserDto, by?: Principal): Promise<UserResponse> {
    if (dto.role === 'patient') {
      // An account made for a patient passes the rules of one made by the patient.
      if (!dto.email || !dto.birthDate) {
        throw new DomainError('invalid', 'email and birthDate are required for role patient', 'birthDate');
      }
      if (dto.providerId) throw new DomainError('invalid', 'providerId is only for role provider', 'providerId');
      const { email, birthDate, username, password } = dto;
      return this.createPatient({ username, password, email, birthDate });
    }
    if (dto.email || dto.birthDate) {
      throw new DomainError(
        'invalid',
        'email and birthDate are only for role patient',
        dto.email ? 'email' : 'birthDate',
      );
    }
    const providerId = dto.providerId ?? null;
    if ((dto.role === 'provider') !== (providerId !== null)) {
      throw new DomainError('invalid', 'providerId is required for role provider and only for it', 'providerId');
    }
    if (providerId && !(await this.providers.exists(providerId))) {
      throw new DomainError('invalid', 'providerId names no provider', 'providerId');
    }
    const user = await this.users.insert(
      {
        username: dto.username,
        passwordHash: await this.passwords.hash(dto.password, 'registration'),
        role: dto.role,
        providerId,
        email: null,
        birthDate: null,
      },
      by,
    );
    // Two privacy officers made by one admin could carry out a four-eyes erasure alone: a monitor sees each.
    if (by && PRIVILEGED.has(dto.role)) recordSecurityEvent('privileged_account_created');
    return toResponse(user);
  }

  async ownAccount(patientId: string): Promise<OwnAccountResponse> {
    const user = await this.users.byId(patientId);
    if (!user) throw new DomainError('not_found', 'No such account');
    return {
      id: user.id,
      username: user.username,
      email: user.email,
      birthDate: user.birthDate,
      createdAt: user.createdAt,
    };
  }

  /** A patient corrects their own account data; answers it as corrected. */
  async correctAccount(patientId: string, correction: AccountCorrectionDto): Promise<OwnAccountResponse> {
    if (correction.email === undefined && correction.birthDate === undefined) {
      throw new DomainError('invalid', 'give email or birthDate to correct', 'email');
    }
    if (correction.birthDate !== undefined)
      assertPatientAge(correction.birthDate, 'the privacy office deletes such an account on request');
    await this.users.correct(patientId, correction);
    return this.ownAccount(patientId);
  }

  /** Contacts of those of these patients whose accounts are active, in the order given. */
  async activeContactsOf(
    patientIds: string[],
  ): Promise<Array<{ patientId: string; username: string; email: string | null }>> {
    const users = await this.users.activePatientsAmong(patientIds);
    const byId = new Map(users.map((u) => [u.id, u]));
    return patientIds.flatMap((id) => {
      const user = byId.get(id);
      return user ? [{ patientId: user.id, username: user.username, email: user.email }] : [];
    });
  }

  /** Retention: sessions that ended before `cutoff` are forgotten; answers how many. */
  purgeEndedSessions(cutoff: Date): Promise<number> {
    return this.tokens.purgeEndedBefore(cutoff);
  }

  /** The patient deactivates their account: it signs in no more, and every session of it ends now. */
  async deactivate(patientId: string): Promise<void> {
    if (!(await this.users.setDeactivated(patientId, new Date())))
      throw new DomainError('not_found', 'No such account');
    await this.tokens.revokeAllOf(patientId);
  }

  /** The privacy office reactivates a deactivated account on the patient's request. */
  async reactivate(patientId: string): Promise<void> {
    if (!(await this.users.setDeactivated(patientId, null)))
      throw new DomainError('not_found', 'No such patient account');
  }

  /** Creates the account unless the username exists; used for the first admin and demo users. */
  async ensureUser(dto: CreateUserDto): Promise<void> {
    if (!(await this.users.byUsername(dto.username))) await this.createUser(dto);
  }

  async ensurePatient(dto: RegisterPatientDto): Promise<void> {
    if (!(await this.users.byUsername(dto.username))) await this.createPatient(dto);
  }

  async createProvider(name: string): Promise<{ id: string; name: string }> {
    const provider = await this.providers.insert(name);
    return { id: provider.id, name: provider.name };
  }

  async ensureProvider(name: string): Promise<{ id: string; name: string }> {
    const existing = await this.providers.byName(name);
    return existing ? { id: existing.id, name: existing.name } : this.createProvider(name);
  }

  async listProviders(): Promise<Array<{ id: string; name: string }>> {
    return (await this.providers.list()).map(({ id, name }) => ({ id, name }));
  }

  async providerExists(id: string): Promise<boolean> {
    return this.providers.exists(id);
  }
}
