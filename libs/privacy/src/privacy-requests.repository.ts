import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { PrivacyRequest, PrivacyRequestState, PrivacyRequestType, RESPONSE_TIME } from './privacy-request';

const COLUMNS = `id, patient_id AS "patientId", type, state, reason, outcome, requested_at AS "requestedAt",
                 due_at AS "dueAt", completed_at AS "completedAt"`;

@Injectable()
export class PrivacyRequestsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async create(patientId: string, type: PrivacyRequestType, state: PrivacyRequestState): Promise<PrivacyRequest> {
    const [row] = await this.db.query(
      `INSERT INTO privacy_requests (patient_id, type, state, due_at, completed_at)
       VALUES ($1, $2, $3, now() + interval '${RESPONSE_TIME}', CASE WHEN $3 = 'completed' THEN now() END)
       RETURNING ${COLUMNS}`,
      [patientId, type, state],
    );
    return row;
  }

  /** An erasure request made on a patient's behalf; null when no such patient account exists. */
  async createFor(patientId: string, type: PrivacyRequestType): Promise<PrivacyRequest | null> {
    const [row] = await this.db.query(
      `INSERT INTO privacy_requests (patient_id, type, state, due_at)
       SELECT id, $2, 'received', now() + interval '${RESPONSE_TIME}' FROM users WHERE id = $1 AND role = 'patient'
       RETURNING ${COLUMNS}`,
      [patientId, type],
    );
    return row ?? null;
  }

  ofPatient(patientId: string): Promise<PrivacyRequest[]> {
    return this.db.query(`SELECT ${COLUMNS} FROM privacy_requests WHERE patient_id = $1 ORDER BY requested_at DESC`, [
      patientId,
    ]);
  }

  /** The queue: open requests first, oldest deadline first, then the rest newest first. */
  queue(limit: number): Promise<PrivacyRequest[]> {
    return this.db.query(
      `SELECT ${COLUMNS} FROM privacy_requests
        ORDER BY state IN ('received', 'in_progress') DESC, CASE WHEN state IN ('received', 'in_progress') THEN due_at END,
                 requested_at DESC
        LIMIT $1`,
      [limit],
    );
  }

  async byId(id: string): Promise<PrivacyRequest | null> {
    const [row] = await this.db.query(`SELECT ${COLUMNS} FROM privacy_requests WHERE id = $1`, [id]);
    return row ?? null;
  }

  async finish(
    tx: EntityManager,
    id: string,
    state: 'completed' | 'refused',
    by: string,
    outcome: Record<string, unknown> | null,
    reason: string | null = null,
  ): Promise<void> {
    await tx.query(
      `UPDATE privacy_requests SET state = $2, completed_at = now(), completed_by = $3, outcome = $4, reason = $5
        WHERE id = $1`,
      [id, state, by, outcome === null ? null : JSON.stringify(outcome), reason],
    );
  }

  async restrict(patientId: string, requestId: string): Promise<void> {
    await this.db.query(
      `INSERT INTO processing_restrictions (patient_id, request_id) VALUES ($1, $2) ON CONFLICT (patient_id) DO NOTHING`,
      [patientId, requestId],
    );
  }

  async lift(patientId: string): Promise<boolean> {
    const rows = await this.db.query(
      `WITH lifted AS (DELETE FROM processing_restrictions WHERE patient_id = $1 RETURNING patient_id) SELECT * FROM lifted`,
      [patientId],
    );
    return rows.length > 0;
  }

  inTransaction<T>(work: (tx: EntityManager) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }
}
