import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Privacy requests carry what they ask (a rectification's changes), how the requester's identity was
 * verified, and the officer's note on what was done; each provider that supplied a patient's device is
 * told of a rectification, an erasure, a restriction and its lifting (policy 001, 10.4) through a feed of
 * its own: serial, kind and date, never the patient.
 */
export class RequestEffectsAndProviderNotices1765843200000 implements MigrationInterface {
  name = 'RequestEffectsAndProviderNotices1765843200000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE privacy_requests
        ADD COLUMN details jsonb,
        ADD COLUMN identity_check text,
        ADD COLUMN note text CHECK (length(note) BETWEEN 1 AND 1000)`);
    await db.query(`
      CREATE TABLE provider_notices (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        provider_id uuid NOT NULL REFERENCES providers(id),
        serial_number text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('erasure', 'restriction', 'restriction_lifted', 'rectification')),
        at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX provider_notices_feed_idx ON provider_notices (provider_id, id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE provider_notices`);
    await db.query(`ALTER TABLE privacy_requests DROP COLUMN details, DROP COLUMN identity_check, DROP COLUMN note`);
  }
}
