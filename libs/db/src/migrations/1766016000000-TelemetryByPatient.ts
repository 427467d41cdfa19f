import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A patient's own telemetry, wherever it came from (a device they no longer hold included), read in device-time
 * order: their export walks it, their erasure deletes it, without reading every device's rows.
 */
export class TelemetryByPatient1766016000000 implements MigrationInterface {
  name = 'TelemetryByPatient1766016000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(
      `CREATE INDEX telemetry_patient_time_idx ON telemetry (patient_id, device_time, message_id) WHERE patient_id IS NOT NULL`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX telemetry_patient_time_idx`);
  }
}
