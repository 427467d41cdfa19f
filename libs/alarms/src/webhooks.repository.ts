import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Role } from '@poc/auth';
import { DataSource } from 'typeorm';
import { SHARED_WITH } from './alarms.sql';
import type { Severity } from './error-code.catalog';

export const WEBHOOK_EVENTS = ['alarm.raised', 'alarm.cleared', 'alarm.acknowledged', 'alarm.escalated'] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];
export const DELIVERY_STATES = ['pending', 'delivered', 'dead', 'withheld'] as const;

export interface Webhook {
  id: string;
  url: string;
  events: WebhookEvent[];
  minSeverity: Severity;
  createdAt: Date;
}

export interface Delivery {
  id: string;
  alarmId: string;
  event: WebhookEvent;
  state: (typeof DELIVERY_STATES)[number];
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  nextAttemptAt: Date;
  deliveredAt: Date | null;
}

/** What became of one attempt: delivered, tried again after `retryInMs`, dead-lettered or withheld. */
export interface DeliveryOutcome {
  id: string;
  attempts: number;
  state: 'delivered' | 'pending' | 'dead' | 'withheld';
  status: number | null;
  error: string | null;
  retryInMs: number | null;
}

/** A delivery taken to be sent, with where and how to sign it, and what the audit records of it. */
export interface DueDelivery {
  id: string;
  body: string;
  attempts: number;
  url: string;
  secret: string;
  /**
   * Not sent: the webhook was removed, the patient restricts processing, or (a provider's) the patient no
   * longer shares with it.
   */
  withheld: boolean;
  serialNumber: string;
  patientId: string | null;
  /** Who registered the webhook, as the audit names the recipient. */
  ownerId: string;
  ownerRole: Role;
}

const WEBHOOK = `id, url, events, min_severity AS "minSeverity", created_at AS "createdAt"`;
const DELIVERY = `
  id::text, alarm_id::text AS "alarmId", event, state, attempts, last_status AS "lastStatus", last_error AS "lastError",
  next_attempt_at AS "nextAttemptAt", delivered_at AS "deliveredAt"`;

// Taken for a while: another instance's worker takes it again only if this one died mid-attempt.
const LEASE = `interval '2 minutes'`;

/** Webhook targets, each owned by a provider or (provider null) by the manufacturer's team, and their deliveries. */
@Injectable()
export class WebhooksRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async register(
    owner: string | null,
    hook: { url: string; events: string[]; minSeverity: string; secret: string },
    by: string,
  ): Promise<Webhook> {
    const [row] = await this.db.query(
      `INSERT INTO webhooks (provider_id, url, events, min_severity, secret, created_by)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${WEBHOOK}`,
      [owner, hook.url, hook.events, hook.minSeverity, hook.secret, by],
    );
    return row;
  }

  list(owner: string | null): Promise<Webhook[]> {
    return this.db.query(
      `SELECT ${WEBHOOK} FROM webhooks WHERE provider_id IS NOT DISTINCT FROM $1 AND disabled_at IS NULL
        ORDER BY created_at`,
      [owner],
    );
  }

  /** Whether the owner has this (enabled) webhook: another owner's answers as none. */
  async owns(owner: string | null, id: string): Promise<boolean> {
    const rows = await this.db.query(
      `SELECT 1 FROM webhooks WHERE id = $1 AND provider_id IS NOT DISTINCT FROM $2 AND disabled_at IS NULL`,
      [id, owner],
    );
    return rows.length > 0;
  }

  async disable(id: string): Promise<void> {
    await this.db.query(`UPDATE webhooks SET disabled_at = now() WHERE id = $1`, [id]);
    await this.db.query(
      `UPDATE webhook_deliveries SET state = 'dead', last_error = 'webhook removed'
                          WHERE webhook_id = $1 AND state = 'pending'`,
      [id],
    );
  }

  deliveries(webhookId: string, state: string | undefined, limit: number): Promise<Delivery[]> {
    return this.db.query(
      `SELECT ${DELIVERY} FROM webhook_deliveries WHERE webhook_id = $1 AND ($2::text IS NULL OR state = $2)
        ORDER BY webhook_deliveries.id DESC LIMIT $3`,
      [webhookId, state ?? null, limit],
    );
  }

  /** Sends a dead (or delivered) delivery again, from its first attempt; null when it is not this webhook's. */
  async replay(webhookId: string, deliveryId: string): Promise<Delivery | null> {
    const [row] = await this.db.query(
      `WITH replayed AS (
         UPDATE webhook_deliveries SET state = 'pending', attempts = 0, next_attempt_at = now(), last_error = NULL
          WHERE id = $1 AND webhook_id = $2 AND state IN ('dead', 'delivered') RETURNING *)
       SELECT ${DELIVERY} FROM replayed`,
      [deliveryId, webhookId],
    );
    return row ?? null;
  }

  /** Takes up to `limit` due deliveries (skipping those another worker holds), counting the attempt. */
  takeDue(limit: number): Promise<DueDelivery[]> {
    return this.db.query(
      `WITH due AS (
         SELECT id FROM webhook_deliveries WHERE state = 'pending' AND next_attempt_at <= now()
          ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED),
       taken AS (
         UPDATE webhook_deliveries d SET attempts = d.attempts + 1, next_attempt_at = now() + ${LEASE}
           FROM due WHERE d.id = due.id
         RETURNING d.id, d.payload, d.attempts, d.webhook_id, d.alarm_id)
       SELECT t.id::text, t.payload::text AS body, t.attempts, w.url, w.secret,
              a.serial_number AS "serialNumber", a.patient_id AS "patientId",
              w.created_by AS "ownerId", coalesce(u.role, 'support') AS "ownerRole",
              w.disabled_at IS NOT NULL OR NOT EXISTS (
                SELECT 1 FROM device_patient_permissions p
                 WHERE p.serial_number = a.serial_number AND p.patient_id = a.patient_id AND NOT p.restricted
                   AND (w.provider_id IS NULL OR (${SHARED_WITH('w.provider_id')}))) AS withheld
         FROM taken t JOIN webhooks w ON w.id = t.webhook_id JOIN alarms a ON a.id = t.alarm_id
         LEFT JOIN users u ON u.id = w.created_by`,
      [limit],
    );
  }

  /**
   * Writes a round's outcomes in one statement. Each is written only by the attempt that holds the delivery:
   * one whose lease ran out (and another worker took it again) changes nothing.
   */
  async settle(outcomes: DeliveryOutcome[]): Promise<void> {
    if (outcomes.length === 0) return;
    const column = <K extends keyof DeliveryOutcome>(key: K) => outcomes.map((o) => o[key]);
    await this.db.query(
      `WITH settled AS (
         UPDATE webhook_deliveries d
            SET state = o.state, last_status = o.status, last_error = left(o.error, 500),
                delivered_at = CASE WHEN o.state = 'delivered' THEN now() END,
                next_attempt_at = CASE WHEN o.state = 'pending' THEN now() + make_interval(secs => o.retry_ms / 1000.0)
                                       ELSE d.next_attempt_at END
           FROM unnest($1::bigint[], $2::int[], $3::text[], $4::int[], $5::text[], $6::int[])
                AS o(id, attempts, state, status, error, retry_ms)
          WHERE d.id = o.id AND d.state = 'pending' AND d.attempts = o.attempts
         RETURNING 1)
       SELECT count(*)::int AS n FROM settled`,
      [column('id'), column('attempts'), column('state'), column('status'), column('error'), column('retryInMs')],
    );
  }
}
