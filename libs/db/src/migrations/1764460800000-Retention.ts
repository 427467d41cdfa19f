import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Retention: every purge is recorded; expired telemetry goes a whole monthly partition at a time (a DROP,
 * not row-by-row deletes), except in a partition holding rows under legal hold, where only the rows not
 * held are deleted. The function runs as the owner (the service may not drop tables) and takes a lock so
 * that one instance purges at a time.
 */
export class Retention1764460800000 implements MigrationInterface {
  name = 'Retention1764460800000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE retention_purges (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        at timestamptz NOT NULL DEFAULT now(),
        category text NOT NULL,
        cutoff timestamptz NOT NULL,
        detail jsonb NOT NULL
      )`);
    await db.query(`
      CREATE FUNCTION purge_expired_telemetry(cutoff timestamptz) RETURNS jsonb
      LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
      DECLARE
        p record;
        dropped text[] := '{}';
        thinned text[] := '{}';
        deleted bigint := 0;
        n bigint;
      BEGIN
        PERFORM pg_advisory_xact_lock(7405200);
        FOR p IN
          SELECT c.relname AS name, (regexp_match(pg_get_expr(c.relpartbound, c.oid), 'TO \\(''([^'']+)''\\)'))[1]::timestamptz AS upper_bound
            FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
           WHERE i.inhparent = 'telemetry'::regclass AND c.relname <> 'telemetry_default'
        LOOP
          CONTINUE WHEN p.upper_bound > cutoff;
          EXECUTE format('SELECT count(*) FROM %I t WHERE t.serial_number IN (SELECT serial_number FROM legal_holds WHERE lifted_at IS NULL AND serial_number IS NOT NULL) OR t.patient_id IN (SELECT patient_id FROM legal_holds WHERE lifted_at IS NULL AND patient_id IS NOT NULL)', p.name) INTO n;
          IF n = 0 THEN
            EXECUTE format('DROP TABLE %I', p.name);
            dropped := dropped || p.name::text;
          ELSE
            EXECUTE format('DELETE FROM %I t WHERE NOT (t.serial_number IN (SELECT serial_number FROM legal_holds WHERE lifted_at IS NULL AND serial_number IS NOT NULL) OR coalesce(t.patient_id IN (SELECT patient_id FROM legal_holds WHERE lifted_at IS NULL AND patient_id IS NOT NULL), false))', p.name);
            GET DIAGNOSTICS n = ROW_COUNT;
            deleted := deleted + n;
            thinned := thinned || p.name::text;
          END IF;
        END LOOP;
        -- Rows that landed in the default partition (no monthly partition existed for them).
        DELETE FROM telemetry_default t WHERE t.device_time < cutoff
           AND NOT (t.serial_number IN (SELECT serial_number FROM legal_holds WHERE lifted_at IS NULL AND serial_number IS NOT NULL)
                    OR coalesce(t.patient_id IN (SELECT patient_id FROM legal_holds WHERE lifted_at IS NULL AND patient_id IS NOT NULL), false));
        GET DIAGNOSTICS n = ROW_COUNT;
        deleted := deleted + n;
        RETURN jsonb_build_object('droppedPartitions', dropped, 'thinnedPartitions', thinned, 'deletedRows', deleted);
      END $$`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP FUNCTION purge_expired_telemetry`);
    await db.query(`DROP TABLE retention_purges`);
  }
}
