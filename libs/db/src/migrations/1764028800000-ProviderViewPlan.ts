import { MigrationInterface, QueryRunner } from 'typeorm';
import { PROVIDER_VIEW_FIRST_SELECT } from './1763942400000-AccessAndAudit';

/**
 * provider_device_view, redefined so that a page (ORDER BY serial LIMIT 100) reads only its own rows:
 * - not a security_barrier view: such a view is planned as a closed subquery, so a page computed the
 *   provider's whole fleet first (360 ms for 100,000 devices). The barrier guards against leaky functions
 *   in a caller's WHERE clause; the only caller is this service's fixed SQL, and poc_provider can create
 *   no functions;
 * - the latest state joined per device (LATERAL ... LIMIT 1, an index lookup) rather than merged, which
 *   walked the state table from its first serial (120 ms).
 *
 * PROVIDER_VIEW_BEFORE_RESTRICTION is the view as it leaves it; PrivacyRights's down returns to it.
 */
export const PROVIDER_VIEW_BEFORE_RESTRICTION = `
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
        CROSS JOIN LATERAL (SELECT coalesce(latest.allowed, false) AS allowed) sharing
       WHERE d.supplied_by = nullif(current_setting('app.provider_id', true), '')::uuid`;

export class ProviderViewPlan1764028800000 implements MigrationInterface {
  name = 'ProviderViewPlan1764028800000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(PROVIDER_VIEW_BEFORE_RESTRICTION);
    await db.query(`ALTER VIEW provider_device_view RESET (security_barrier)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`CREATE OR REPLACE VIEW provider_device_view AS ${PROVIDER_VIEW_FIRST_SELECT}`);
    await db.query(`ALTER VIEW provider_device_view SET (security_barrier = true)`);
  }
}
