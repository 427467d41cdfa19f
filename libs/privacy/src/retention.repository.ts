import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

const HELD_SERIALS = `SELECT serial_number FROM legal_holds WHERE lifted_at IS NULL AND serial_number IS NOT NULL`;
const HELD_PATIENTS = `SELECT patient_id FROM legal_holds WHERE lifted_at IS NULL AND patient_id IS NOT NULL`;

/** The privacy lib's side of retention: purges of what it owns, and of the data it keeps the rules for. */
@Injectable()
export class RetentionRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Expired telemetry, a monthly partition at a time where nothing in it is held (migration Retention). */
  async purgeTelemetry(cutoff: Date): Promise<Record<string, unknown>> {
    const [{ detail }] = await this.db.query(`SELECT purge_expired_telemetry($1) AS detail`, [cutoff]);
    return detail;
  }

  /** A last location older than the cutoff is forgotten (the device's other latest state stays). */
  purgeLastLocations(cutoff: Date): Promise<number> {
    return this.count(
      `UPDATE device_latest_state
          SET location = NULL, accuracy_m = NULL, location_captured_at = NULL, location_time = NULL
        WHERE location_time < $1 AND serial_number NOT IN (${HELD_SERIALS})`,
      [cutoff],
    );
  }

  purgeRejectedMessages(cutoff: Date): Promise<number> {
    return this.count(`DELETE FROM rejected_messages WHERE received_at < $1`, [cutoff]);
  }

  purgeAnsweredRequests(cutoff: Date): Promise<number> {
    return this.count(
      `DELETE FROM privacy_requests WHERE state IN ('completed', 'refused') AND completed_at < $1
          AND (patient_id IS NULL OR patient_id NOT IN (${HELD_PATIENTS}))`,
      [cutoff],
    );
  }

  /** Patient accounts unused since the cutoff and not held: to be erased whole. */
  async inactiveSince(cutoff: Date): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.db.query(
      `SELECT id FROM users WHERE role = 'patient' AND last_active_at < $1 AND id NOT IN (${HELD_PATIENTS})`,
      [cutoff],
    );
    return rows.map((r) => r.id);
  }

  async record(category: string, cutoff: Date, detail: unknown): Promise<void> {
    await this.db.query(`INSERT INTO retention_purges (category, cutoff, detail) VALUES ($1, $2, $3)`, [
      category,
      cutoff,
      JSON.stringify(detail),
    ]);
  }

  private async count(statement: string, params: unknown[]): Promise<number> {
    const [{ n }] = await this.db.query(
      `WITH x AS (${statement} RETURNING 1) SELECT count(*)::int AS n FROM x`,
      params,
    );
    return n;
  }
}
