import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The credentials each client id of an external broker signed in with, through the broker hook: an
 * authorization question carries no password, so without this a connection signed in with a since-rotated
 * secret kept its rights until it reconnected. A digest of the device's secret hash, never the hash.
 */
export class BrokerSessions1766534400000 implements MigrationInterface {
  name = 'BrokerSessions1766534400000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE broker_sessions (
        client_id text PRIMARY KEY,
        serial_number text NOT NULL REFERENCES devices (serial_number) ON DELETE CASCADE,
        credentials text NOT NULL,
        signed_in_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE broker_sessions`);
  }
}
