import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A message is a duplicate only of the same device's message with the same id and device time: keyed
 * across all devices, one device's ids could shadow (and so silently drop) another device's messages.
 */
export class DedupPerDevice1765152000000 implements MigrationInterface {
  name = 'DedupPerDevice1765152000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(
      `ALTER TABLE telemetry DROP CONSTRAINT telemetry_pkey, ADD PRIMARY KEY (serial_number, message_id, device_time)`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE telemetry DROP CONSTRAINT telemetry_pkey, ADD PRIMARY KEY (message_id, device_time)`);
  }
}
