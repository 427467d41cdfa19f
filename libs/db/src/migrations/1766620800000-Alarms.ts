import { MigrationInterface, QueryRunner } from 'typeorm';
import { handToProvider } from './provider-function';

/**
 * Alarms that reach people: an error-code catalog per model (severity, a provider's and support's text,
 * the action), each device's alarms with their lifecycle (exactly one active per device, kind and code),
 * comments, webhook targets and their deliveries (an outbox, written in the alarm's own transaction), and
 * what a provider may read of them: its own devices' alarms, while the patient shares with it.
 */
export class Alarms1766620800000 implements MigrationInterface {
  name = 'Alarms1766620800000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE FUNCTION alarm_severity_rank(severity text) RETURNS int LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT CASE severity WHEN 'info' THEN 0 WHEN 'minor' THEN 1 WHEN 'major' THEN 2 WHEN 'critical' THEN 3 END
      $$`);
    await db.query(`
      CREATE TABLE alarm_codes (
        model text NOT NULL CHECK (length(model) BETWEEN 1 AND 64),
        code text NOT NULL CHECK (code ~ '^[A-Za-z0-9_.-]{1,16}$'),
        severity text NOT NULL CHECK (alarm_severity_rank(severity) IS NOT NULL),
        provider_text text NOT NULL CHECK (length(provider_text) BETWEEN 1 AND 300),
        support_text text NOT NULL CHECK (length(support_text) BETWEEN 1 AND 500),
        action text NOT NULL CHECK (length(action) BETWEEN 1 AND 300),
        updated_at timestamptz NOT NULL DEFAULT now(),
        updated_by uuid,
        PRIMARY KEY (model, code)
      )`);
    await db.query(`
      CREATE TABLE alarm_models (
        model text PRIMARY KEY CHECK (length(model) BETWEEN 1 AND 64),
        offline_after interval NOT NULL CHECK (offline_after >= interval '1 second'),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`
      CREATE TABLE alarms (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        serial_number text NOT NULL,
        patient_id uuid NOT NULL,
        kind text NOT NULL CHECK (kind IN ('error_code', 'unknown_code', 'offline')),
        code text CHECK ((kind = 'offline') = (code IS NULL)),
        severity text NOT NULL CHECK (alarm_severity_rank(severity) IS NOT NULL),
        state text NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'cleared')),
        raised_at timestamptz NOT NULL DEFAULT now(),
        cleared_at timestamptz CHECK ((state = 'cleared') = (cleared_at IS NOT NULL)),
        acknowledged_at timestamptz,
        acknowledged_by uuid,
        assignee uuid,
        escalated_at timestamptz
      )`);
    await db.query(`
      CREATE UNIQUE INDEX alarms_one_active ON alarms (serial_number, kind, (coalesce(code, ''))) WHERE state = 'active'`);
    await db.query(`CREATE INDEX alarms_by_device ON alarms (serial_number, id)`);
    await db.query(`CREATE INDEX alarms_by_patient ON alarms (patient_id)`);
    await db.query(
      `CREATE INDEX alarms_unacknowledged ON alarms (raised_at) WHERE state = 'active' AND acknowledged_at IS NULL AND escalated_at IS NULL`,
    );
    await db.query(`
      CREATE TABLE alarm_comments (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        alarm_id bigint NOT NULL REFERENCES alarms (id) ON DELETE CASCADE,
        author uuid NOT NULL,
        provider_id uuid,
        text text NOT NULL CHECK (length(text) BETWEEN 1 AND 2000),
        at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX alarm_comments_by_alarm ON alarm_comments (alarm_id, id)`);
    await db.query(`
      CREATE TABLE webhooks (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        provider_id uuid REFERENCES providers (id),
        url text NOT NULL CHECK (length(url) BETWEEN 8 AND 2000),
        events text[] NOT NULL CHECK (cardinality(events) BETWEEN 1 AND 8),
        min_severity text NOT NULL CHECK (alarm_severity_rank(min_severity) IS NOT NULL),
        secret text NOT NULL,
        created_by uuid NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        disabled_at timestamptz
      )`);
    await db.query(`
      CREATE TABLE webhook_deliveries (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        webhook_id uuid NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
        alarm_id bigint NOT NULL REFERENCES alarms (id) ON DELETE CASCADE,
        event text NOT NULL,
        payload jsonb NOT NULL,
        state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'dead', 'withheld')),
        attempts int NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        last_status int,
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        delivered_at timestamptz
      )`);
    await db.query(
      `CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE state = 'pending'`,
    );
    await db.query(`CREATE INDEX webhook_deliveries_by_webhook ON webhook_deliveries (webhook_id, id)`);
    // What a provider may read: alarms of devices it supplied, raised for the device's current patient,
    // while that patient shares with it; scoped, as provider_device_view, by transaction settings.
    await db.query(`
      CREATE VIEW provider_alarm_view AS
      SELECT a.id, a.serial_number, a.kind, a.code, a.severity, a.state, a.acknowledged_at IS NOT NULL AS acknowledged,
             a.raised_at, a.cleared_at,
             CASE WHEN a.kind = 'offline' THEN 'The device has not reported for longer than expected'
                  ELSE coalesce(k.provider_text, 'Unknown error code ' || a.code) END AS text
        FROM alarms a
        JOIN device_patient_permissions p ON p.serial_number = a.serial_number AND p.patient_id = a.patient_id
        LEFT JOIN alarm_codes k ON k.model = p.model AND k.code = a.code
       WHERE p.supplied_by = nullif(current_setting('app.provider_id', true), '')::uuid AND p.may_share`);
    await db.query(`GRANT SELECT ON provider_alarm_view TO poc_provider`);
    await db.query(`
      CREATE FUNCTION provider_alarms_page(provider uuid, policy text, wanted_state text, before bigint, page_size int)
      RETURNS SETOF provider_alarm_view LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
      BEGIN
        PERFORM set_config('app.provider_id', provider::text, true), set_config('app.policy_version', policy, true);
        RETURN QUERY SELECT * FROM provider_alarm_view v
          WHERE v.id < before AND (wanted_state IS NULL OR v.state = wanted_state) ORDER BY v.id DESC LIMIT page_size;
        PERFORM set_config('app.provider_id', '', true), set_config('app.policy_version', '', true);
      END $$`);
    await handToProvider(db, 'provider_alarms_page(uuid, text, text, bigint, int)');
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP FUNCTION provider_alarms_page(uuid, text, text, bigint, int)`);
    await db.query(`DROP VIEW provider_alarm_view`);
    await db.query(`DROP TABLE webhook_deliveries, webhooks, alarm_comments, alarms, alarm_models, alarm_codes`);
    await db.query(`DROP FUNCTION alarm_severity_rank(text)`);
  }
}
