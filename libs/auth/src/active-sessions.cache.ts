import { Injectable } from '@nestjs/common';
import { DatabaseNotices } from '@poc/db';

/** The channel a trigger on auth_sessions notifies with the id of every session revoked or deleted. */
const SESSIONS_ENDED_CHANNEL = 'auth_sessions_ended';

/** However fresh the notifications, an entry is asked again after this long. */
const REMEMBER_MS = 5000;
/** Sessions seen once and never again would otherwise stay: past this many, the expired ones go. */
const PRUNE_AT = 10_000;

/**
 * Sessions known to be active, so that an authenticated request need not ask the database each time.
 * Only trusted while this instance listens for the database's notice of every session ended (by any
 * instance, or by SQL): the notice evicts the session, and a lost listening connection empties the
 * cache until listening resumes. A revocation made here evicts at once, before its response leaves.
 */
@Injectable()
export class ActiveSessionsCache {
  private readonly activeUntil = new Map<string, number>();
  private listening = false;
  /** Counts every eviction: a lookup that began before one may have read a session since ended. */
  private evictions = 0;

  constructor(notices: DatabaseNotices) {
    notices.subscribe(SESSIONS_ENDED_CHANNEL, {
      notice: (sessionId) => this.forget(sessionId),
      listening: (on) => {
        this.listening = on;
        this.evictions++;
        this.activeUntil.clear();
      },
    });
  }

  isKnownActive(sessionId: string): boolean {
    const until = this.activeUntil.get(sessionId);
    if (until === undefined) return false;
    if (until > Date.now()) return true;
    this.activeUntil.delete(sessionId);
    return false;
  }

  /** Where the evictions stand now; pass it to `remember` with what a lookup begun now found. */
  get generation(): number {
    return this.evictions;
  }

  /** Remembers a session found active by a lookup begun at `generation`, unless anything was evicted since. */
  remember(sessionId: string, expiresAt: Date, generation: number): void {
    if (!this.listening || generation !== this.evictions) return;
    const now = Date.now();
    if (this.activeUntil.size >= PRUNE_AT) {
      for (const [id, until] of this.activeUntil) if (until <= now) this.activeUntil.delete(id);
      // Still full of live sessions: start afresh rather than sweep on every request.
      if (this.activeUntil.size >= PRUNE_AT) this.activeUntil.clear();
    }
    this.activeUntil.set(sessionId, Math.min(expiresAt.getTime(), now + REMEMBER_MS));
  }

  forget(sessionId: string): void {
    this.evictions++;
    this.activeUntil.delete(sessionId);
  }
}
