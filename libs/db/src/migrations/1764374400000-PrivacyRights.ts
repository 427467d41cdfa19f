import { MigrationInterface, QueryRunner } from 'typeorm';
import { PROVIDER_VIEW_BEFORE_RESTRICTION } from './1764028800000-ProviderViewPlan';

/**
 * Privacy rights: requests with their state and legal deadline, restrictions of processing (which take
 * effect when requested and end when lifted), legal holds that erasure and retention must skip, and the
 * patient each telemetry row was collected for (so export and erasure take exactly that patient's rows,
 * not a later owner's).
 */
export class PrivacyRights1764374400000 implements MigrationInterface {
  name = 'PrivacyRights1764374400000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE privacy_requests (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        patient_id uuid REFERENCES users(id) ON DELETE SET NULL,
        type text NOT NULL CHECK (type IN ('access', 'rectification', 'erasure', 'restriction', 'objection',
                                           'withdraw_consent', 'sale_opt_out')),
        state text NOT NULL CHECK (state IN ('received', 'in_progress', 'completed', 'refused')),
        reason text,
        outcome jsonb,
        requested_at timestamptz NOT NULL DEFAULT now(),
        due_at timestamptz NOT NULL,
        completed_at timestamptz,
        completed_by uuid
      )`);
    await db.query(`CREATE INDEX privacy_requests_patient_idx ON privacy_requests (patient_id, requested_at)`);
    await db.query(
      `CREATE INDEX privacy_requests_open_idx ON privacy_requests (due_at) WHERE state IN ('received', 'in_progress')`,
    );
    await db.query(`
      CREATE TABLE processing_restrictions (
        patient_id uuid PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
        request_id uuid REFERENCES privacy_requests(id) ON DELETE SET NULL,
        since timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`
      CREATE TABLE legal_holds (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        patient_id uuid,
        serial_number text,
        reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
        placed_by uuid NOT NULL,
        placed_at timestamptz NOT NULL DEFAULT now(),
        lifted_at timestamptz,
        CHECK ((patient_id IS NULL) <> (serial_number IS NULL))
      )`);
    await db.query(`ALTER TABLE telemetry ADD COLUMN patient_id uuid`);

    // The provider view: while processing is restricted, only serial and model (as when sharing is withdrawn).
    await db.query(`
      CREATE OR REPLACE VIEW provider_device_view AS
      SELECT d.serial_number, d.model,
             CASE WHEN sharing.allowed THEN s.device_time END AS last_connected_at,
             CASE WHEN sharing.allowed THEN s.error_code END AS error_code,
             CASE WHEN sharing.allowed THEN ST_Y(s.location::geometry) END AS last_lat,
             CASE WHEN sharing.allowed THEN ST_X(s.location::geometry) END AS last_lon
        FROM devices d
        LEFT JOIN LATERAL (
          SELECT st.device_time, st.error_code, st.location
            FROM device_latest_state st WHERE st.serial_number = d.serial_number LIMIT 1
        ) s ON true
        LEFT JOIN LATERAL (
          SELECT c.share_with_provider AND c.policy_version = current_setting('app.policy_version', true) AS allowed
            FROM consent_events c WHERE c.patient_id = d.patient_id ORDER BY c.id DESC LIMIT 1
        ) latest ON true
        CROSS JOIN LATERAL (
          SELECT coalesce(latest.allowed, false)
                 AND NOT EXISTS (SELECT 1 FROM processing_restrictions r WHERE r.patient_id = d.patient_id) AS allowed
        ) sharing
       WHERE d.supplied_by = nullif(current_setting('app.provider_id', true), '')::uuid`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(PROVIDER_VIEW_BEFORE_RESTRICTION);
    await db.query(`ALTER TABLE telemetry DROP COLUMN patient_id`);
    await db.query(`DROP TABLE legal_holds`);
    await db.query(`DROP TABLE processing_restrictions`);
    await db.query(`DROP TABLE privacy_requests`);
  }
}
