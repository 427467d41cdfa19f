import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { loggableError } from '@poc/common';
import type { Notification, PoolClient } from 'pg';
import { DataSource } from 'typeorm';
import { poolOf } from './prepared-query';

/** Who hears a channel: each notice's payload, and whether notices can be trusted to arrive. */
export interface NoticeSubscriber {
  notice(payload: string): void;
  /** false: notices may have been missed (the connection was lost); true: listening (again). */
  listening(on: boolean): void;
}

const RELISTEN_MS = 1000;

/**
 * The database's announcements (pg NOTIFY from triggers) for this instance, on one held connection of
 * the service's pool for every channel. A lost connection tells every subscriber that notices may have
 * been missed, and listening resumes a second later.
 */
@Injectable()
export class DatabaseNotices implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(DatabaseNotices.name);
  private readonly subscribers = new Map<string, NoticeSubscriber[]>();
  /** Ends the listening connection; set while listening. */
  private stop: (() => void) | null = null;
  private retry?: NodeJS.Timeout;
  private closing = false;

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Subscribes to a channel; call before the application starts. */
  subscribe(channel: string, subscriber: NoticeSubscriber): void {
    if (!/^[a-z_]+$/.test(channel)) throw new Error(`not a channel name: ${channel}`);
    this.subscribers.set(channel, [...(this.subscribers.get(channel) ?? []), subscriber]);
  }

  onApplicationBootstrap(): Promise<void> {
    return this.listen();
  }

  // Before the pool closes (TypeORM's shutdown hook), which waits for the connection held here.
  onModuleDestroy(): void {
    this.closing = true;
    clearTimeout(this.retry);
    this.stop?.();
  }

  private async listen(): Promise<void> {
    if (this.subscribers.size === 0) return;
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
      if (this.stop === end) this.stop = null;
      this.each((s) => s.listening(false));
      // Released as broken: the pool closes it rather than lend out a connection that still listens.
      client.release(true);
      if (error !== undefined) this.listenLater(error);
    };
    client.on('notification', (notice: Notification) => {
      if (notice.payload !== undefined)
        for (const s of this.subscribers.get(notice.channel) ?? []) s.notice(notice.payload);
    });
    client.on('error', end);
    try {
      for (const channel of this.subscribers.keys()) await client.query(`LISTEN ${channel}`);
      this.stop = end;
      this.each((s) => s.listening(true));
    } catch (error) {
      end(error);
    }
  }

  private each(call: (subscriber: NoticeSubscriber) => void): void {
    for (const subscribers of this.subscribers.values()) subscribers.forEach(call);
  }

  private listenLater(error: unknown): void {
    if (this.closing) return;
    this.logger.warn({ err: loggableError(error) }, 'not listening for database notices; retrying');
    this.retry = setTimeout(() => void this.listen(), RELISTEN_MS);
    this.retry.unref();
  }
}
