import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { loggableError } from '@poc/common';
import { poolOf } from '@poc/db';
import type { Notification, PoolClient } from 'pg';
import { DataSource } from 'typeorm';

/** The channel a trigger on auth_sessions notifies with the id of every session revoked or deleted. */
const SESSIONS_ENDED_CHANNEL = 'auth_sessions_ended';

/** However fresh the notifications, an entry is asked again after this long. */
const REMEMBER_MS = 5000;
const RELISTEN_MS = 1000;
/** Sessions seen once and never again would otherwise stay: past this many, the expired ones go. */
const PRUNE_AT = 10_000;

/**
 * Sessions known to be active, so that an authenticated request need not ask the database each time.
 * Only trusted while this instance listens for the database's notice of every session ended (by any
 * instance, or by SQL): the notice evicts the session, and a lost listening connection empties the
 * cache until listening resumes. A revocation made here evicts at once, before its response leaves.
 */
@Injectable()
export class ActiveSessionsCache implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(ActiveSessionsCache.name);
  private readonly activeUntil = new Map<string, number>();
  /** Ends the listening connection; set while listening. */
  private stopListening: (() => void) | null = null;
  private retry?: NodeJS.Timeout;
  private closing = false;
  /** Counts every eviction: a lookup that began before one may have read a session since ended. */
  private evictions = 0;

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  onApplicationBootstrap(): Promise<void> {
    return this.listen();
  }

  // Before the pool closes (TypeORM's shutdown hook), which waits for the connection held here.
  onModuleDestroy(): void {
    this.closing = true;
    clearTimeout(this.retry);
    this.stopListening?.();
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
    if (!this.stopListening || generation !== this.evictions) return;
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

  private async listen(): Promise<void> {
    // A connection of the service's own pool (same login, role and TLS), held for as long as it listens.
    let client: PoolClient;
    try {
      client = await poolOf(this.db).connect();
    } catch (error) {
      return this.listenLater(error);
    }
    let ended = false;
    const end = (error?: unknown) => {
      if (ended) return;
      ended = true;
      if (this.stopListening === end) this.stopListening = null;
      this.evictions++;
      this.activeUntil.clear();
      // Released as broken: the pool closes it rather than lend out a connection that still listens.
      client.release(true);
      if (error !== undefined) this.listenLater(error);
    };
    client.on('notification', (notice: Notification) => notice.payload && this.forget(notice.payload));
    client.on('error', end);
    try {
      await client.query(`LISTEN ${SESSIONS_ENDED_CHANNEL}`);
      this.stopListening = end;
    } catch (error) {
      end(error);
    }
  }

  private listenLater(error: unknown): void {
    if (this.closing) return;
    this.logger.warn({ err: loggableError(error) }, 'not listening for ended sessions: asking the database each time');
    this.retry = setTimeout(() => void this.listen(), RELISTEN_MS);
    this.retry.unref();
  }
}
