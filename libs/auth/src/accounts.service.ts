import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DomainError } from '@poc/common';
import { AppConfig } from '@poc/config';
import { ageOn, MINIMUM_PATIENT_AGE } from './age';
import { AttemptLimiter } from './attempt.limiter';
import type { CreateUserDto, RegisterPatientDto, UserResponse } from './auth.dto';
import { PasswordHashingLane } from './password-hashing.lane';
import { ProvidersRepository } from './providers.repository';
import type { UserEntity } from './user.entity';
import { UsersRepository } from './users.repository';

const toResponse = (user: UserEntity): UserResponse => ({
  id: user.id,
  username: user.username,
  role: user.role,
  providerId: user.providerId,
});

/** Accounts of every role: patients register themselves, admins create the rest. */
@Injectable()
export class AccountsService {
  constructor(
    private readonly users: UsersRepository,
    private readonly providers: ProvidersRepository,
    private readonly attempts: AttemptLimiter,
    private readonly passwords: PasswordHashingLane,
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
    const age = ageOn(dto.birthDate, new Date());
    if (Number.isNaN(age) || age > 130)
      throw new DomainError('invalid', 'birthDate is not a plausible date', 'birthDate');
    if (age < MINIMUM_PATIENT_AGE) {
      // Nothing of the applicant is stored: the policy keeps no data of anyone under 16.
      throw new DomainError('invalid', `birthDate: patients under ${MINIMUM_PATIENT_AGE} cannot register`, 'birthDate');
    }
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

  async createUser(dto: CreateUserDto): Promise<UserResponse> {
    const providerId = dto.providerId ?? null;
    if ((dto.role === 'provider') !== (providerId !== null)) {
      throw new DomainError('invalid', 'providerId is required for role provider and only for it', 'providerId');
    }
    if (providerId && !(await this.providers.exists(providerId))) {
      throw new DomainError('invalid', 'providerId names no provider', 'providerId');
    }
    const user = await this.users.insert({
      username: dto.username,
      passwordHash: await this.passwords.hash(dto.password, 'registration'),
      role: dto.role,
      providerId,
      email: null,
      birthDate: null,
    });
    return toResponse(user);
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
