import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

export type IncidentKind = 'audit_chain_broken' | 'reported';

export interface Incident {
  id: string;
  kind: IncidentKind;
  summary: string;
  detail: Record<string, unknown>;
  openedAt: Date;
  openedBy: string | null;
  closedAt: Date | null;
  closedBy: string | null;
  note: string | null;
}

const COLUMNS = `id::text, kind, summary, detail, opened_at AS "openedAt", opened_by AS "openedBy",
                 closed_at AS "closedAt", closed_by AS "closedBy", note`;

@Injectable()
export class IncidentsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Opens an incident; with a `dedupKey` already open or closed, answers null (found before). */
  async open(
    incident: { kind: IncidentKind; summary: string; detail?: Record<string, unknown>; dedupKey?: string },
    by: string | null,
  ): Promise<Incident | null> {
    const [row] = await this.db.query(
      `WITH opened AS (
         INSERT INTO security_incidents (kind, summary, detail, dedup_key, opened_by) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (dedup_key) DO NOTHING RETURNING *)
       SELECT ${COLUMNS} FROM opened`,
      [incident.kind, incident.summary, JSON.stringify(incident.detail ?? {}), incident.dedupKey ?? null, by],
    );
    return row ?? null;
  }

  /** Open incidents first, newest first. */
  list(limit: number): Promise<Incident[]> {
    return this.db.query(
      `SELECT ${COLUMNS} FROM security_incidents ORDER BY closed_at IS NULL DESC, security_incidents.id DESC LIMIT $1`,
      [limit],
    );
  }

  async close(id: string, by: string, note: string): Promise<Incident | null> {
    const [row] = await this.db.query(
      `WITH closed AS (
         UPDATE security_incidents SET closed_at = now(), closed_by = $2, note = $3
          WHERE id = $1 AND closed_at IS NULL RETURNING *)
       SELECT ${COLUMNS} FROM closed`,
      [id, by, note],
    );
    return row ?? null;
  }
}
