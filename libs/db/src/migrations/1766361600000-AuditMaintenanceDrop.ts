import { MigrationInterface, QueryRunner } from 'typeorm';
import { refuseDownWhile } from './refuse-down';

/**
 * Audit entries are kept 6 years and then dropped by the database's maintenance role (the owner), never by the
 * service, whose role may neither call this nor delete entries. The chain stays verifiable: the last dropped
 * entry's hash is kept as the start the first remaining entry links to.
 */
export class AuditMaintenanceDrop1766361600000 implements MigrationInterface {
  name = 'AuditMaintenanceDrop1766361600000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE audit_chain_start (
        one boolean PRIMARY KEY DEFAULT true CHECK (one),
        after_id bigint NOT NULL,
        prev_hash text NOT NULL
      )`);
    await db.query(`REVOKE ALL ON audit_chain_start FROM poc_service`);
    await db.query(`GRANT SELECT ON audit_chain_start TO poc_service`);
    await db.query(`
      CREATE FUNCTION audit_drop_before(cutoff timestamptz) RETURNS bigint LANGUAGE plpgsql AS $$
      DECLARE
        last_dropped record;
        dropped bigint;
      BEGIN
        -- The chain's head lock: no entry is appended while the start moves.
        PERFORM 1 FROM audit_chain_head FOR UPDATE;
        SELECT id, hash INTO last_dropped FROM audit_log WHERE at < cutoff ORDER BY id DESC LIMIT 1;
        IF last_dropped.id IS NULL THEN RETURN 0; END IF;
        DELETE FROM audit_log WHERE id <= last_dropped.id;
        GET DIAGNOSTICS dropped = ROW_COUNT;
        INSERT INTO audit_chain_start (after_id, prev_hash) VALUES (last_dropped.id, last_dropped.hash)
        ON CONFLICT (one) DO UPDATE SET after_id = EXCLUDED.after_id, prev_hash = EXCLUDED.prev_hash;
        RETURN dropped;
      END $$`);
    await db.query(`REVOKE ALL ON FUNCTION audit_drop_before(timestamptz) FROM PUBLIC`);
  }

  async down(db: QueryRunner): Promise<void> {
    const dropped = 'audit entries have been dropped (the chain now starts after them)';
    await refuseDownWhile(db, this.name, `SELECT 1 FROM audit_chain_start`, dropped);
    await db.query(`DROP FUNCTION audit_drop_before(timestamptz)`);
    await db.query(`DROP TABLE audit_chain_start`);
  }
}
