import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

export type LossKind = 'lost' | 'stolen';
export interface LossReport {
  kind: LossKind;
  reportedAt: Date;
}

/** Who opened or resolved a report, in which role, and why. */
export interface LossReportActor {
  id: string;
  role: string;
  reason: string;
}

@Injectable()
export class LossReportsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Opens a report, or returns the one already open (reporting twice is not an error). */
  async open(serialNumber: string, kind: LossKind, by: LossReportActor): Promise<LossReport> {
    const [row] = await this.db.query(
      `WITH opened AS (
         INSERT INTO loss_reports (serial_number, kind, reported_by, reported_role, reason) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (serial_number) WHERE resolved_at IS NULL DO NOTHING
         RETURNING kind, reported_at)
       SELECT kind, reported_at AS "reportedAt" FROM opened
       UNION ALL SELECT kind, reported_at FROM loss_reports WHERE serial_number = $1 AND resolved_at IS NULL
       LIMIT 1`,
      [serialNumber, kind, by.id, by.role, by.reason],
    );
    return row;
  }

  /** Resolves the open report; false when none was open. */
  async resolve(serialNumber: string, by: LossReportActor): Promise<boolean> {
    const rows = await this.db.query(
      // Wrapped in a SELECT: TypeORM returns [rows, count] for a bare UPDATE, rows for a query.
      `WITH resolved AS (
         UPDATE loss_reports SET resolved_at = now(), resolved_by = $2, resolved_role = $3, resolution_reason = $4
          WHERE serial_number = $1 AND resolved_at IS NULL RETURNING id)
       SELECT id FROM resolved`,
      [serialNumber, by.id, by.role, by.reason],
    );
    return rows.length > 0;
  }

  /** Retention: reports resolved before `cutoff`, and alerts raised before it, go; answers how many of each. */
  async purgeBefore(cutoff: Date): Promise<{ lossReports: number; alerts: number }> {
    const [row] = await this.db.query(
      `WITH reports AS (DELETE FROM loss_reports WHERE resolved_at < $1 RETURNING 1),
            alerts AS (DELETE FROM device_alerts WHERE at < $1 RETURNING 1)
       SELECT (SELECT count(*) FROM reports)::int AS "lossReports", (SELECT count(*) FROM alerts)::int AS alerts`,
      [cutoff],
    );
    return row;
  }

  async openReportOf(serialNumber: string): Promise<LossReport | null> {
    const [row] = await this.db.query(
      `SELECT kind, reported_at AS "reportedAt" FROM loss_reports WHERE serial_number = $1 AND resolved_at IS NULL`,
      [serialNumber],
    );
    return row ?? null;
  }
}
