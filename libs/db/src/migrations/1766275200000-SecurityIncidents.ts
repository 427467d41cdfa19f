import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Breach support: an incident register (opened by the service when the audit chain is found broken, or by
 * an officer), and the audit log searchable by actor and time, to name the patients whose data an actor's
 * reads disclosed in a window (those who may have to be told).
 */
export class SecurityIncidents1766275200000 implements MigrationInterface {
  name = 'SecurityIncidents1766275200000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE security_incidents (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        kind text NOT NULL CHECK (kind IN ('audit_chain_broken', 'reported')),
        summary text NOT NULL CHECK (length(summary) BETWEEN 1 AND 1000),
        detail jsonb NOT NULL DEFAULT '{}'::jsonb,
        -- The same finding (the same broken entry) opens one incident, whichever instance finds it first.
        dedup_key text UNIQUE,
        opened_at timestamptz NOT NULL DEFAULT now(),
        opened_by uuid,
        closed_at timestamptz,
        closed_by uuid,
        note text CHECK (length(note) BETWEEN 1 AND 1000)
      )`);
    await db.query(`CREATE INDEX audit_log_actor_idx ON audit_log (actor_id, at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX audit_log_actor_idx`);
    await db.query(`DROP TABLE security_incidents`);
  }
}
