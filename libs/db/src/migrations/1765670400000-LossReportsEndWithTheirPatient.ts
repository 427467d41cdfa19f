import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A loss report is the reporting patient's: when the device changes hands (linked to another patient, or
 * unlinked by an erasure) an open report is resolved, so that it never opens the next patient's location
 * to field service.
 */
export class LossReportsEndWithTheirPatient1765670400000 implements MigrationInterface {
  name = 'LossReportsEndWithTheirPatient1765670400000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE OR REPLACE FUNCTION device_changed_hands() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        DELETE FROM device_latest_state WHERE serial_number = NEW.serial_number;
        UPDATE loss_reports SET resolved_at = now(), resolved_role = 'system', resolution_reason = 'the device changed hands'
         WHERE serial_number = NEW.serial_number AND resolved_at IS NULL;
        RETURN NULL;
      END $$`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE OR REPLACE FUNCTION device_changed_hands() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        DELETE FROM device_latest_state WHERE serial_number = NEW.serial_number;
        RETURN NULL;
      END $$`);
  }
}
