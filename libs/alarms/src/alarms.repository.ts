import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AlarmEvent, AlarmRulesRepository } from './alarm-rules.repository';
import type { Severity } from './error-code.catalog';
import {
  ACKNOWLEDGE,
  INTERNAL_ALARM_BY_ID,
  INTERNAL_ALARMS_PAGE,
  PROVIDER_ALARM_BY_ID,
  PROVIDER_ALARMS_PAGE,
} from './alarms.sql';

export const ALARM_STATES = ['active', 'cleared'] as const;
export type AlarmState = (typeof ALARM_STATES)[number];
export const ALARM_KINDS = ['error_code', 'unknown_code', 'offline'] as const;

/** An alarm as the contract gives it. */
export interface AlarmView {
  id: string;
  serialNumber: string;
  kind: (typeof ALARM_KINDS)[number];
  code: string | null;
  severity: Severity;
  text: string;
  state: AlarmState;
  acknowledged: boolean;
  raisedAt: Date;
  clearedAt: Date | null;
}

/** What support sees besides: the action, who acknowledged, the assignee, escalation; the patient, for the audit. */
export interface InternalAlarm extends AlarmView {
  action: string | null;
  acknowledgedAt: Date | null;
  acknowledgedBy: string | null;
  assignee: string | null;
  escalatedAt: Date | null;
  patientId: string;
}

export interface AlarmComment {
  id: string;
  author: string;
  text: string;
  at: Date;
}

export interface InternalFilter {
  state?: AlarmState;
  serialNumber?: string;
  minSeverity?: string;
}

const NEWEST = '9223372036854775807';

@Injectable()
export class AlarmsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  internalPage(before: string | null, filter: InternalFilter, limit: number): Promise<InternalAlarm[]> {
    return this.db.query(INTERNAL_ALARMS_PAGE, [
      before ?? NEWEST,
      filter.state ?? null,
      filter.serialNumber ?? null,
      filter.minSeverity ?? null,
      limit,
    ]);
  }

  async internalById(id: string): Promise<InternalAlarm | null> {
    const [alarm] = await this.db.query(INTERNAL_ALARM_BY_ID, [id]);
    return alarm ?? null;
  }

  /** The provider's alarms, through the database function that scopes them (its devices, while shared). */
  providerPage(
    providerId: string,
    policyVersion: string,
    state: AlarmState | undefined,
    before: string | null,
    limit: number,
  ): Promise<AlarmView[]> {
    return this.db.query(PROVIDER_ALARMS_PAGE, [providerId, policyVersion, state ?? null, before ?? NEWEST, limit]);
  }

  async providerById(providerId: string, policyVersion: string, id: string): Promise<AlarmView | null> {
    const [alarm] = await this.db.query(PROVIDER_ALARM_BY_ID, [providerId, policyVersion, id]);
    return alarm ?? null;
  }

  /** Acknowledges (once; again is no change) with an optional comment; the acknowledgement is an event. */
  acknowledge(id: string, by: string, comment: { text: string; providerId: string | null } | null): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const events: AlarmEvent[] = await tx.query(ACKNOWLEDGE, [id, by]);
      if (comment) await this.addComment(id, by, comment, tx.query.bind(tx));
      await AlarmRulesRepository.enqueue(tx, events);
      return events.length > 0;
    });
  }

  comment(id: string, by: string, comment: { text: string; providerId: string | null }): Promise<void> {
    return this.addComment(id, by, comment, this.db.query.bind(this.db));
  }

  async assign(id: string, assignee: string | null): Promise<void> {
    await this.db.query(`UPDATE alarms SET assignee = $2 WHERE id = $1`, [id, assignee]);
  }

  /** An alarm's comments: every one for support; a provider's own for a provider. */
  comments(id: string, providerId: string | null): Promise<AlarmComment[]> {
    return this.db.query(
      `SELECT c.id::text, c.author, c.text, c.at FROM alarm_comments c
        WHERE c.alarm_id = $1 AND ($2::uuid IS NULL OR c.provider_id = $2) ORDER BY c.id`,
      [id, providerId],
    );
  }

  private async addComment(
    id: string,
    by: string,
    comment: { text: string; providerId: string | null },
    query: (sql: string, params: unknown[]) => Promise<unknown>,
  ): Promise<void> {
    await query(`INSERT INTO alarm_comments (alarm_id, author, provider_id, text) VALUES ($1, $2, $3, $4)`, [
      id,
      by,
      comment.providerId,
      comment.text,
    ]);
  }
}
