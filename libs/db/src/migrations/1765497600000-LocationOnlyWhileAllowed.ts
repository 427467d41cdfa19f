import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A stored location is used only while its patient allows it, on every path:
 * - `device_patient_permissions`: per device, what its patient allows now: sharing with the supplying
 *   provider, and use of the location (the current policy accepted, location collection on, processing
 *   not restricted). The policy version is the connection's `app.policy_version` (set at connection
 *   start); without it nothing is allowed.
 * - `disclosable_last_locations`: the last locations that may be used, and only those. Every reader of
 *   a last location (internal record, map, lost-device search, nearest office by device, density) reads
 *   it, never `device_latest_state.location`; the provider view applies the same permission.
 * - A device that changes hands (linked to another patient, unlinked by an erasure) starts its latest
 *   state afresh: the previous patient's last location, error and connection are theirs, not the next's.
 */
export class LocationOnlyWhileAllowed1765497600000 implements MigrationInterface {
  name = 'LocationOnlyWhileAllowed1765497600000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE VIEW device_patient_permissions AS
      SELECT d.serial_number, d.model, d.supplied_by, d.patient_id,
             coalesce(c.accepted AND c.share_with_provider AND NOT c.restricted, false) AS may_share,
             coalesce(c.accepted AND c.location_collection AND NOT c.restricted, false) AS may_use_location
        FROM devices d
        LEFT JOIN LATERAL (
          -- One row per device, computed once (LIMIT keeps it a subquery of its own): without a consent
          -- nothing is allowed, so the restriction is asked only alongside the newest consent.
          SELECT e.policy_version = current_setting('app.policy_version', true) AS accepted,
                 e.share_with_provider, e.location_collection,
                 EXISTS (SELECT 1 FROM processing_restrictions pr WHERE pr.patient_id = d.patient_id) AS restricted
            FROM consent_events e WHERE e.patient_id = d.patient_id ORDER BY e.id DESC LIMIT 1
        ) c ON true`);
    await db.query(`
      CREATE VIEW disclosable_last_locations AS
      SELECT s.serial_number, p.patient_id, s.device_time, s.location, s.accuracy_m, s.location_captured_at, s.location_time
        FROM device_latest_state s
        JOIN device_patient_permissions p ON p.serial_number = s.serial_number
       WHERE s.location IS NOT NULL AND p.may_use_location`);
    // Same columns as before (the provider functions return its rows); the latest state is still read per
    // device through its primary key, as ProviderViewPlan found fastest.
    await db.query(`
      CREATE OR REPLACE VIEW provider_device_view AS
      SELECT p.serial_number, p.model,
             CASE WHEN p.may_share THEN s.device_time END AS last_connected_at,
             CASE WHEN p.may_share THEN s.error_code END AS error_code,
             CASE WHEN p.may_share AND p.may_use_location THEN ST_Y(s.location::geometry) END AS last_lat,
             CASE WHEN p.may_share AND p.may_use_location THEN ST_X(s.location::geometry) END AS last_lon
        FROM device_patient_permissions p
        LEFT JOIN LATERAL (
          SELECT st.device_time, st.error_code, st.location
            FROM device_latest_state st WHERE st.serial_number = p.serial_number LIMIT 1
        ) s ON true
       WHERE p.supplied_by = nullif(current_setting('app.provider_id', true), '')::uuid`);
    await db.query(`GRANT SELECT ON device_patient_permissions, disclosable_last_locations TO poc_service`);
    await db.query(`
      CREATE FUNCTION device_changed_hands() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        DELETE FROM device_latest_state WHERE serial_number = NEW.serial_number;
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE TRIGGER device_changed_hands AFTER UPDATE OF patient_id ON devices
      FOR EACH ROW WHEN (OLD.patient_id IS DISTINCT FROM NEW.patient_id) EXECUTE FUNCTION device_changed_hands()`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TRIGGER device_changed_hands ON devices`);
    await db.query(`DROP FUNCTION device_changed_hands()`);
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
    await db.query(`DROP VIEW disclosable_last_locations`);
    await db.query(`DROP VIEW device_patient_permissions`);
  }
}
