import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Database roles as a second wall behind the service's own checks:
 * - poc_service: what the running service is (SET at connection start). It may read and write the
 *   tables but only SELECT and INSERT the audit log: no UPDATE, DELETE or TRUNCATE.
 * - poc_provider: the service switches to it (SET LOCAL ROLE) to run a provider's query. It can read
 *   nothing but provider_device_view, which holds the five allowed fields of the devices supplied by
 *   the provider named in the transaction's app.provider_id setting.
 */
/** The provider view's first query; ProviderViewPlan's down returns to it. */
export const PROVIDER_VIEW_FIRST_SELECT = `
      SELECT d.serial_number, d.model,
             CASE WHEN sharing.allowed THEN s.device_time END AS last_connected_at,
             CASE WHEN sharing.allowed THEN s.error_code END AS error_code,
             CASE WHEN sharing.allowed THEN ST_Y(s.location::geometry) END AS last_lat,
             CASE WHEN sharing.allowed THEN ST_X(s.location::geometry) END AS last_lon
        FROM devices d
        LEFT JOIN device_latest_state s ON s.serial_number = d.serial_number
        LEFT JOIN LATERAL (
          SELECT c.share_with_provider AND c.policy_version = current_setting('app.policy_version', true) AS allowed
            FROM consent_events c WHERE c.patient_id = d.patient_id ORDER BY c.id DESC LIMIT 1
        ) latest ON true
        CROSS JOIN LATERAL (SELECT coalesce(latest.allowed, false) AS allowed) sharing
       WHERE d.supplied_by = nullif(current_setting('app.provider_id', true), '')::uuid`;

export class AccessAndAudit1763942400000 implements MigrationInterface {
  name = 'AccessAndAudit1763942400000';

  async up(db: QueryRunner): Promise<void> {
    // Roles belong to the cluster, not the database: create them once.
    for (const role of ['poc_service', 'poc_provider']) {
      await db.query(`DO $$ BEGIN
          IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${role}') THEN CREATE ROLE ${role} NOLOGIN; END IF;
        END $$`);
      // The migrating login (the database owner) must be a member to SET ROLE to it.
      await db.query(`GRANT ${role} TO CURRENT_USER`);
    }

    // Per-patient pseudonyms: audit entries carry these; erasing the patient deletes the mapping row,
    // which leaves the chained entries intact and no longer attributable.
    await db.query(`
      CREATE TABLE audit_subjects (
        patient_id uuid PRIMARY KEY,
        pseudonym uuid NOT NULL UNIQUE DEFAULT gen_random_uuid()
      )`);
    await db.query(`
      CREATE TABLE audit_log (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        at timestamptz NOT NULL,
        actor_id uuid NOT NULL,
        actor_role text NOT NULL,
        action text NOT NULL,
        serial_number text,
        subject uuid,
        fields text[] NOT NULL,
        prev_hash text NOT NULL,
        hash text NOT NULL
      )`);
    await db.query(`CREATE INDEX audit_log_serial_idx ON audit_log (serial_number, id)`);
    await db.query(`CREATE INDEX audit_log_subject_idx ON audit_log (subject, id)`);

    await db.query(`
      CREATE VIEW provider_device_view WITH (security_barrier) AS ${PROVIDER_VIEW_FIRST_SELECT}`);

    await db.query(`GRANT USAGE ON SCHEMA public TO poc_service, poc_provider`);
    await db.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO poc_service`);
    await db.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO poc_service`);
    // Tables of later migrations too (each still revokes what its table must not allow).
    await db.query(
      `ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO poc_service`,
    );
    await db.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO poc_service`);
    await db.query(`REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM poc_service`);
    await db.query(`REVOKE ALL ON ALL TABLES IN SCHEMA public FROM poc_provider`);
    await db.query(`GRANT SELECT ON provider_device_view TO poc_provider`);
    // Telemetry partitions are created at run time by the service: as the owner, not as poc_service.
    await db.query(`ALTER FUNCTION ensure_telemetry_partitions(date, date) SECURITY DEFINER SET search_path = public`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER FUNCTION ensure_telemetry_partitions(date, date) SECURITY INVOKER RESET search_path`);
    await db.query(`DROP VIEW provider_device_view`);
    await db.query(`DROP TABLE audit_log`);
    await db.query(`DROP TABLE audit_subjects`);
    await db.query(
      `ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE SELECT, INSERT, UPDATE, DELETE ON TABLES FROM poc_service`,
    );
    await db.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE USAGE, SELECT ON SEQUENCES FROM poc_service`);
    await db.query(`REVOKE ALL ON ALL TABLES IN SCHEMA public FROM poc_service`);
    await db.query(`REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM poc_service`);
    await db.query(`REVOKE USAGE ON SCHEMA public FROM poc_service, poc_provider`);
  }
}
