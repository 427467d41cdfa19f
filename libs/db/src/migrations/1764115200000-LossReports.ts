import { MigrationInterface, QueryRunner } from 'typeorm';

/** Lost or stolen device reports: at most one open report per device; resolved ones are kept as history. */
export class LossReports1764115200000 implements MigrationInterface {
  name = 'LossReports1764115200000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE loss_reports (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        serial_number text NOT NULL REFERENCES devices(serial_number),
        kind text NOT NULL CHECK (kind IN ('lost', 'stolen')),
        reported_by uuid NOT NULL,
        reported_at timestamptz NOT NULL DEFAULT now(),
        resolved_at timestamptz,
        resolved_by uuid
      )`);
    await db.query(
      `CREATE UNIQUE INDEX loss_reports_open_idx ON loss_reports (serial_number) WHERE resolved_at IS NULL`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE loss_reports`);
  }
}
