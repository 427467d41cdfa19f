import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The sale opt-out is read by something: `device_patient_permissions` says per device whether its patient's
 * data may go to a third party (`may_sell`: the current policy accepted, no sale opt-out, processing not
 * restricted). (Marketing is a patient's, not a device's: the consent lib's audience query reads it.)
 */
export class SaleOptOutInPermissions1766188800000 implements MigrationInterface {
  name = 'SaleOptOutInPermissions1766188800000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE OR REPLACE VIEW device_patient_permissions AS
      SELECT d.serial_number, d.model, d.supplied_by, d.patient_id,
             coalesce(c.accepted AND c.share_with_provider AND NOT c.restricted, false) AS may_share,
             coalesce(c.accepted AND c.location_collection AND NOT c.restricted, false) AS may_use_location,
             coalesce(c.restricted, EXISTS (SELECT 1 FROM processing_restrictions pr WHERE pr.patient_id = d.patient_id))
               AS restricted,
             coalesce(c.accepted AND NOT c.sale_opt_out AND NOT c.restricted, false) AS may_sell
        FROM devices d
        LEFT JOIN LATERAL (
          -- One row per device, computed once (LIMIT keeps it a subquery of its own): without a consent
          -- nothing is allowed, so the restriction is asked only alongside the newest consent.
          SELECT e.policy_version = current_setting('app.policy_version', true) AS accepted,
                 e.share_with_provider, e.location_collection, e.sale_opt_out,
                 EXISTS (SELECT 1 FROM processing_restrictions pr WHERE pr.patient_id = d.patient_id) AS restricted
            FROM consent_events e WHERE e.patient_id = d.patient_id ORDER BY e.id DESC LIMIT 1
        ) c ON true`);
  }

  async down(): Promise<void> {
    throw new Error('SaleOptOutInPermissions cannot be reverted: restore the database from before it');
  }
}
