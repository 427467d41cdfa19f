import { MigrationInterface, QueryRunner } from 'typeorm';

// The hash of a chained entry as sealed before this migration: the previous hash, a newline, and a JSON
// array of the entry's content (at, actor, role, action, serial, subject, fields).
const SEALED_BEFORE = `encode(sha256(convert_to(
  head || E'\\n[' || to_json(to_char(r.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))::text || ',' ||
  to_json(r.actor_id::text)::text || ',' || to_json(r.actor_role)::text || ',' || to_json(r.action)::text || ',' ||
  coalesce(to_json(r.serial_number)::text, 'null') || ',' || coalesce(to_json(r.subject::text)::text, 'null') || ',' ||
  array_to_json(r.fields)::text || ']', 'UTF8')), 'hex')`;

/**
 * One audit entry per audited read, listing what it disclosed (as FHIR's AuditEvent lists its
 * entities), appended and hashed by the database in one statement:
 * - `audit_log.disclosures` ([{serialNumber, subject, fields}]) replaces the one-device columns; a GIN
 *   index finds a device's or a pseudonym's entries for the accounting. A page of 100 devices is one
 *   row, not 100.
 * - `audit_entry_hash` is the chain's one formula, for the append and for verification.
 * - `audit_append` takes the chain's lock, turns the devices' patients into pseudonyms (creating the
 *   missing ones), and chains and inserts the entry: one round trip, no transaction block.
 * Entries written before are checked against the formula they were sealed with (a broken chain stops
 * the migration), then converted and sealed again under the new one.
 */
export class AuditEntryPerRead1764720000000 implements MigrationInterface {
  name = 'AuditEntryPerRead1764720000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      DO $$
      DECLARE head text := repeat('0', 64); r record;
      BEGIN
        FOR r IN SELECT * FROM audit_log ORDER BY id LOOP
          IF r.prev_hash <> head OR r.hash <> ${SEALED_BEFORE} THEN
            RAISE EXCEPTION 'the audit chain is broken at entry %: not converted', r.id;
          END IF;
          head := r.hash;
        END LOOP;
      END $$`);
    await db.query(`ALTER TABLE audit_log ADD COLUMN disclosures jsonb`);
    await db.query(`
      UPDATE audit_log SET disclosures = jsonb_build_array(
        jsonb_build_object('serialNumber', serial_number, 'subject', subject, 'fields', to_jsonb(fields)))`);
    await db.query(`ALTER TABLE audit_log ALTER COLUMN disclosures SET NOT NULL`);
    await db.query(`ALTER TABLE audit_log DROP COLUMN serial_number, DROP COLUMN subject, DROP COLUMN fields`);
    await db.query(`CREATE INDEX audit_log_disclosures_idx ON audit_log USING gin (disclosures jsonb_path_ops)`);
    // New keys wait in the index's pending list (a page's 200 keys cost a read little) and are merged
    // by autovacuum, which this table asks for every 1,000 entries; a read that finds the list full
    // (4 MB, some 500 pages' worth) merges it itself.
    await db.query(`
      ALTER TABLE audit_log SET (autovacuum_vacuum_insert_threshold = 1000, autovacuum_vacuum_insert_scale_factor = 0)`);

    // One item per line (none can hold a newline; the disclosures are JSON as the database prints them),
    // `at` at the millisecond precision it is stored with.
    await db.query(`
      CREATE FUNCTION audit_entry_hash(prev_hash text, at timestamptz, actor_id uuid, actor_role text, action text,
                                       disclosures jsonb)
      RETURNS text LANGUAGE sql STABLE PARALLEL SAFE AS $$
        SELECT encode(sha256(convert_to(concat_ws(E'\\n', prev_hash,
          to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), actor_id, actor_role, action, disclosures),
          'UTF8')), 'hex')
      $$`);
    await db.query(`
      DO $$
      DECLARE head text := repeat('0', 64); r record;
      BEGIN
        FOR r IN SELECT * FROM audit_log ORDER BY id LOOP
          UPDATE audit_log SET prev_hash = head,
                 hash = audit_entry_hash(head, r.at, r.actor_id, r.actor_role, r.action, r.disclosures)
           WHERE id = r.id RETURNING hash INTO head;
        END LOOP;
        UPDATE audit_chain_head SET hash = head;
      END $$`);

    // entries: [{serialNumber, patientId?, fields}]. A missing patientId means the patient linked to the
    // device now; null means no patient. A patient acting is logged by pseudonym too.
    await db.query(`
      CREATE FUNCTION audit_append(actor uuid, actor_role text, action text, entries jsonb)
      RETURNS void LANGUAGE plpgsql AS $$
      DECLARE
        head text;
        at timestamptz := date_trunc('milliseconds', clock_timestamp());
        actor_key uuid;
        disclosed jsonb;
      BEGIN
        -- The lock on the head row serialises appenders from every instance until commit. Pseudonyms
        -- are created only here, under that lock: none can appear after the next statement's snapshot.
        UPDATE audit_chain_head SET hash = hash RETURNING audit_chain_head.hash INTO head;
        WITH item AS (
          SELECT e.n, e.entry,
                 CASE WHEN e.entry ? 'patientId' THEN (e.entry->>'patientId')::uuid ELSE d.patient_id END AS patient_id
            FROM jsonb_array_elements(entries) WITH ORDINALITY AS e(entry, n)
            LEFT JOIN devices d ON NOT e.entry ? 'patientId' AND d.serial_number = e.entry->>'serialNumber'),
        person AS (
          SELECT patient_id FROM item WHERE patient_id IS NOT NULL
          UNION SELECT actor WHERE actor_role = 'patient'),
        known AS (SELECT s.patient_id, s.pseudonym FROM audit_subjects s JOIN person USING (patient_id)),
        created AS (
          INSERT INTO audit_subjects (patient_id)
          SELECT patient_id FROM person WHERE patient_id NOT IN (SELECT patient_id FROM known)
          RETURNING patient_id, pseudonym),
        subject AS (SELECT * FROM known UNION ALL SELECT * FROM created)
        SELECT jsonb_agg(jsonb_build_object('serialNumber', item.entry->'serialNumber', 'subject', subject.pseudonym,
                                            'fields', coalesce(item.entry->'fields', '[]')) ORDER BY item.n),
               coalesce((SELECT pseudonym FROM subject WHERE patient_id = actor AND actor_role = 'patient'), actor)
          INTO disclosed, actor_key
          FROM item LEFT JOIN subject USING (patient_id);
        INSERT INTO audit_log (at, actor_id, actor_role, action, disclosures, prev_hash, hash)
        VALUES (at, actor_key, actor_role, action, disclosed, head,
                audit_entry_hash(head, at, actor_key, actor_role, action, disclosed))
        RETURNING audit_log.hash INTO head;
        UPDATE audit_chain_head SET hash = head;
      END $$`);
  }

  async down(): Promise<void> {
    // Going back would mean sealing the chain again under the old formula, entry by device entry.
    throw new Error('AuditEntryPerRead cannot be reverted: restore the database from before it');
  }
}
