import { MigrationInterface, QueryRunner } from 'typeorm';

export class Telemetry1763856000000 implements MigrationInterface {
  name = 'Telemetry1763856000000';

  async up(db: QueryRunner): Promise<void> {
    // Partitioned by the device's own time, monthly: retention drops whole partitions, and a
    // redelivered message (same payload, same device time) meets its first copy in the same partition,
    // so the primary key dedups it.
    await db.query(`
      CREATE TABLE telemetry (
        device_time timestamptz NOT NULL,
        message_id text NOT NULL,
        serial_number text NOT NULL,
        model text NOT NULL,
        sent_at timestamptz NOT NULL,
        connected_at timestamptz,
        received_at timestamptz NOT NULL,
        error_codes text[] NOT NULL DEFAULT '{}',
        battery_pct real,
        flow_setting real,
        firmware text,
        location geography(Point, 4326),
        accuracy_m real,
        location_captured_at timestamptz,
        PRIMARY KEY (message_id, device_time)
      ) PARTITION BY RANGE (device_time)`);
    await db.query(`CREATE INDEX telemetry_serial_time_idx ON telemetry (serial_number, device_time)`);
    await db.query(`CREATE TABLE telemetry_default PARTITION OF telemetry DEFAULT`);
    await db.query(`
      CREATE FUNCTION ensure_telemetry_partitions(from_month date, to_month date) RETURNS void
      LANGUAGE plpgsql AS $$
      DECLARE m date := date_trunc('month', from_month);
      BEGIN
        WHILE m <= to_month LOOP
          EXECUTE format(
            'CREATE TABLE IF NOT EXISTS %I PARTITION OF telemetry FOR VALUES FROM (%L) TO (%L)',
            'telemetry_' || to_char(m, 'YYYY_MM'), m, (m + interval '1 month')::date);
          m := (m + interval '1 month')::date;
        END LOOP;
      END $$`);
    await db.query(
      `SELECT ensure_telemetry_partitions((now() - interval '25 months')::date, (now() + interval '3 months')::date)`,
    );

    // The latest state per device, by the device's own time, not by arrival.
    await db.query(`
      CREATE TABLE device_latest_state (
        serial_number text PRIMARY KEY REFERENCES devices(serial_number) ON DELETE CASCADE,
        device_time timestamptz NOT NULL,
        error_code text,
        error_codes text[] NOT NULL DEFAULT '{}',
        location geography(Point, 4326),
        accuracy_m real,
        location_captured_at timestamptz,
        location_time timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX device_latest_state_location_gist ON device_latest_state USING gist (location)`);

    // Rejected messages keep their reason, never their payload (it may hold a location the patient withheld).
    await db.query(`
      CREATE TABLE rejected_messages (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        serial_number text NOT NULL,
        message_id text,
        received_at timestamptz NOT NULL,
        reason text NOT NULL
      )`);
    await db.query(
      `CREATE UNIQUE INDEX rejected_messages_once_idx ON rejected_messages (serial_number, message_id) WHERE message_id IS NOT NULL`,
    );
    await db.query(`CREATE INDEX rejected_messages_serial_idx ON rejected_messages (serial_number, received_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE rejected_messages, device_latest_state, telemetry`);
    await db.query(`DROP FUNCTION ensure_telemetry_partitions(date, date)`);
  }
}
