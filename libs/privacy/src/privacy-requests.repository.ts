import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DomainError } from '@poc/common';
import { DataSource, EntityManager } from 'typeorm';
import {
  IdentityCheck,
  PrivacyRequest,
  PrivacyRequestState,
  PrivacyRequestType,
  RequestDetails,
  RESPONSE_TIME,
} from './privacy-request';

const COLUMNS = `id, patient_id AS "patientId", type, state, reason, outcome, details, identity_check AS "identityCheck",
                 note, recorded_by AS "recordedBy", requested_at AS "requestedAt", due_at AS "dueAt",
                 completed_at AS "completedAt"`;

// A refusal for a legal hold on the patient: revisited when the hold is lifted.
const LEGAL_HOLD_REFUSAL = 'legal hold: ';

@Injectable()
export class PrivacyRequestsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Records a request of the patient's; null when there is no such patient account. */
  async create(
    patientId: string,
    type: PrivacyRequestType,
    identityCheck: IdentityCheck,
    details: RequestDetails | null = null,
    recordedBy: string | null = null,
  ): Promise<PrivacyRequest | null> {
    const [row] = await this.db.query(
      `INSERT INTO privacy_requests (patient_id, type, state, due_at, identity_check, details, recorded_by)
       SELECT id, $2, 'received', now() + interval '${RESPONSE_TIME}', $3, $4, $5
         FROM users WHERE id = $1 AND role = 'patient'
       RETURNING ${COLUMNS}`,
      [patientId, type, identityCheck, details === null ? null : JSON.stringify(details), recordedBy],
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

  /**
   * Ends an open request (`by` null: the system). One decided meanwhile (another officer at the same moment) is
   * refused with a conflict, which rolls back the caller's transaction: an erasure never outlives its refusal.
   */
  async finish(
    tx: EntityManager,
    id: string,
    state: Exclude<PrivacyRequestState, 'received' | 'in_progress'>,
    by: string | null,
    decision: { outcome?: Record<string, unknown>; reason?: string; note?: string },
  ): Promise<void> {
    const rows = await tx.query(
      `WITH finished AS (
         UPDATE privacy_requests SET state = $2, completed_at = now(), completed_by = $3, outcome = $4, reason = $5, note = $6
          WHERE id = $1 AND state IN ('received', 'in_progress') RETURNING id)
       SELECT id FROM finished`,
      [
        id,
        state,
        by,
        decision.outcome === undefined ? null : JSON.stringify(decision.outcome),
        decision.reason ?? null,
        decision.note ?? null,
      ],
    );
    if (rows.length === 0) throw new DomainError('conflict', 'This request was decided meanwhile');
  }

  /** The patient's open access requests are answered by the export they just took. */
  async completeOpenAccess(patientId: string, outcome: Record<string, unknown>): Promise<void> {
    await this.db.query(
      `UPDATE privacy_requests SET state = 'completed', completed_at = now(), outcome = $2
        WHERE patient_id = $1 AND type = 'access' AND state IN ('received', 'in_progress')`,
      [patientId, JSON.stringify(outcome)],
    );
  }

  /** Erasures refused for a legal hold on the patient go back into the queue; answers how many. */
  async requeueHeldErasures(patientId: string): Promise<number> {
    const rows = await this.db.query(
      `WITH requeued AS (
         UPDATE privacy_requests
            SET state = 'received', completed_at = NULL, completed_by = NULL,
                outcome = jsonb_build_object('previousRefusal', reason), reason = 'queued again: the legal hold was lifted'
          WHERE patient_id = $1 AND type = 'erasure' AND state = 'refused' AND reason LIKE '${LEGAL_HOLD_REFUSAL}%'
         RETURNING id)
       SELECT id FROM requeued`,
      [patientId],
    );
    return rows.length;
  }

  /** Restricts the patient's processing; false when a restriction was already in force. */
  async restrict(tx: EntityManager, patientId: string, requestId: string): Promise<boolean> {
    const rows = await tx.query(
      `WITH made AS (
         INSERT INTO processing_restrictions (patient_id, request_id) VALUES ($1, $2)
         ON CONFLICT (patient_id) DO NOTHING RETURNING patient_id)
       SELECT patient_id FROM made`,
      [patientId, requestId],
    );
    return rows.length > 0;
  }

  async lift(tx: EntityManager, patientId: string): Promise<boolean> {
    const rows = await tx.query(
      `WITH lifted AS (DELETE FROM processing_restrictions WHERE patient_id = $1 RETURNING patient_id) SELECT * FROM lifted`,
      [patientId],
    );
    return rows.length > 0;
  }

  inTransaction<T>(work: (tx: EntityManager) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }
}

export const legalHoldRefusal = (holdReason: string): string => `${LEGAL_HOLD_REFUSAL}${holdReason}`;
