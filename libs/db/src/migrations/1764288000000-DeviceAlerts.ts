import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Alerts raised on a device, for field staff: for now, a device reported stolen that another mobile app
 * account tries to link. Fix quality: a fix too inaccurate or too far from the previous one for the time
 * between them is stored with its flag and does not become the device's last location.
 */
export class DeviceAlerts1764288000000 implements MigrationInterface {
  name = 'DeviceAlerts1764288000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE device_alerts (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        serial_number text NOT NULL REFERENCES devices(serial_number),
        kind text NOT NULL CHECK (kind IN ('stolen_device_link_attempt')),
        account_id uuid,
        at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX device_alerts_serial_idx ON device_alerts (serial_number, id)`);
    await db.query(`CREATE INDEX device_alerts_at_idx ON device_alerts (at DESC)`);
    await db.query(
      `ALTER TABLE telemetry ADD COLUMN location_flag text CHECK (location_flag IN ('inaccurate', 'implausible_speed'))`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE telemetry DROP COLUMN location_flag`);
    await db.query(`DROP TABLE device_alerts`);
  }
}
