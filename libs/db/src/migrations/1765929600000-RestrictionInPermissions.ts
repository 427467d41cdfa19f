import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Restriction binds every reader, not only locations and the provider view: `device_patient_permissions`
 * also says whether the device's patient has restricted processing (then internal readers show their data
 * as stored only). Asked beside the newest consent when there is one, on its own otherwise.
 */
export class RestrictionInPermissions1765929600000 implements MigrationInterface {
  name = 'RestrictionInPermissions1765929600000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE OR REPLACE VIEW device_patient_permissions AS
      SELECT d.serial_number, d.model, d.supplied_by, d.patient_id,
             coalesce(c.accepted AND c.share_with_provider AND NOT c.restricted, false) AS may_share,
             coalesce(c.accepted AND c.location_collection AND NOT c.restricted, false) AS may_use_location,
             coalesce(c.restricted, EXISTS (SELECT 1 FROM processing_restrictions pr WHERE pr.patient_id = d.patient_id))
               AS restricted
        FROM devices d
        LEFT JOIN LATERAL (
          -- One row per device, computed once (LIMIT keeps it a subquery of its own): without a consent
          -- nothing is allowed, so the restriction is asked only alongside the newest consent.
          SELECT e.policy_version = current_setting('app.policy_version', true) AS accepted,
                 e.share_with_provider, e.location_collection,
                 EXISTS (SELECT 1 FROM processing_restrictions pr WHERE pr.patient_id = d.patient_id) AS restricted
            FROM consent_events e WHERE e.patient_id = d.patient_id ORDER BY e.id DESC LIMIT 1
        ) c ON true`);
  }

  async down(): Promise<void> {
    // A view keeps its columns: going back means dropping and recreating the views that read it.
    throw new Error('RestrictionInPermissions cannot be reverted: restore the database from before it');
  }
}
