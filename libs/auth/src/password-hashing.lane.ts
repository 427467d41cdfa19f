import { Injectable } from '@nestjs/common';
import { DomainError } from '@poc/common';
import { AppConfig } from '@poc/config';
import { hashPassword, isOutdated, ScryptParams, unknownUserHash, verifyPassword } from './password.hasher';

/** A limit on verifications: checked right before hashing, charged for a mismatch. */
export interface HashingLimit {
  check(): Promise<void>;
  charge(): Promise<void>;
}

/** Sign-ins (someone waiting to get in) go before registrations (an account being made). */
export type HashingPriority = 'sign_in' | 'registration';

// Two at a time: at most 2 x 128 MiB and two of libuv's four threads, so password hashing never starves the
// rest of the service (the database driver's SCRAM handshake runs on the same threads) nor its memory.
const CONCURRENCY = 2;
// Beyond this many waiting, a registration is refused (503) rather than queued behind a flood.
const MAX_WAITING_REGISTRATIONS = 32;

/** Every password hash and verification of the service, through a small bounded lane. */
@Injectable()
export class PasswordHashingLane {
  private running = 0;
  private readonly waiting: Record<HashingPriority, Array<() => void>> = { sign_in: [], registration: [] };
  private readonly params: ScryptParams;
  /** What a password is checked against when there is no account: the same work, and never a match. */
  readonly nobodysHash: string;

  constructor(config: AppConfig) {
    this.params = { N: config.PASSWORD_SCRYPT_N, r: 8, p: 1 };
    this.nobodysHash = unknownUserHash(this.params);
  }

  hash(password: string, priority: HashingPriority): Promise<string> {
    return this.run(priority, () => hashPassword(password, this.params));
  }

  /**
   * With a `limit`, its check runs once the hash's turn has come and a mismatch is charged before the turn
   * passes on: at most two checks can slip past a limit reached meanwhile.
   */
  verify(password: string, stored: string, limit?: HashingLimit): Promise<boolean> {
    return this.run('sign_in', async () => {
      await limit?.check();
      const matches = await verifyPassword(password, stored);
      if (!matches) await limit?.charge();
      return matches;
    });
  }

  /** Whether a stored hash was made with weaker parameters than this service's (then it is made again). */
  isOutdated(stored: string): boolean {
    return isOutdated(stored, this.params);
  }

  private async run<T>(priority: HashingPriority, work: () => Promise<T>): Promise<T> {
    if (this.running >= CONCURRENCY) {
      if (priority === 'registration' && this.waiting.registration.length >= MAX_WAITING_REGISTRATIONS) {
        throw new DomainError('unavailable', 'Too many registrations at once; retry shortly', undefined, 1);
      }
      await new Promise<void>((resolve) => this.waiting[priority].push(resolve));
    } else {
      this.running++;
    }
    try {
      return await work();
    } finally {
      // The slot passes straight to the next in line (sign-ins first), or is freed.
      const next = this.waiting.sign_in.shift() ?? this.waiting.registration.shift();
      if (next) next();
      else this.running--;
    }
  }
}
