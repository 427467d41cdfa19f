import { MigrationInterface, QueryRunner } from 'typeorm';
import { handToProvider } from './provider-function';

/**
 * A provider sees an alarm only if it was raised while the patient shared with that provider
 * (`shared_with`, set at raising) and still shares: re-enabling sharing does not disclose what happened
 * while it was off. A held device's alarms outlive their erased patient without the patient's id. One
 * alarm of a provider is found by id, not by walking its pages; deliveries are found by alarm (erasure).
 */
export class AlarmsDisclosedOnlyWhileShared1766707200000 implements MigrationInterface {
  name = 'AlarmsDisclosedOnlyWhileShared1766707200000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE alarms ADD COLUMN shared_with uuid, ALTER COLUMN patient_id DROP NOT NULL`);
    await db.query(`CREATE INDEX webhook_deliveries_by_alarm ON webhook_deliveries (alarm_id)`);
    await db.query(`CREATE INDEX alarms_shared_with ON alarms (shared_with, id) WHERE shared_with IS NOT NULL`);
    await db.query(`
      CREATE OR REPLACE VIEW provider_alarm_view AS
      SELECT a.id, a.serial_number, a.kind, a.code, a.severity, a.state, a.acknowledged_at IS NOT NULL AS acknowledged,
             a.raised_at, a.cleared_at,
             CASE WHEN a.kind = 'offline' THEN 'The device has not reported for longer than expected'
                  ELSE coalesce(k.provider_text, 'Unknown error code ' || a.code) END AS text
        FROM alarms a
        JOIN device_patient_permissions p ON p.serial_number = a.serial_number AND p.patient_id = a.patient_id
        LEFT JOIN alarm_codes k ON k.model = p.model AND k.code = a.code
       WHERE a.shared_with = nullif(current_setting('app.provider_id', true), '')::uuid
         AND p.supplied_by = a.shared_with AND p.may_share`);
    await db.query(`
      CREATE FUNCTION provider_alarm(provider uuid, policy text, alarm bigint)
      RETURNS SETOF provider_alarm_view LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
      BEGIN
        PERFORM set_config('app.provider_id', provider::text, true), set_config('app.policy_version', policy, true);
        RETURN QUERY SELECT * FROM provider_alarm_view v WHERE v.id = alarm;
        PERFORM set_config('app.provider_id', '', true), set_config('app.policy_version', '', true);
      END $$`);
    await handToProvider(db, 'provider_alarm(uuid, text, bigint)');
  }

  async down(): Promise<void> {
    throw new Error('AlarmsDisclosedOnlyWhileShared cannot be reverted: restore the database from before it');
  }
}
