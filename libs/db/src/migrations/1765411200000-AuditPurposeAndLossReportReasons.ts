import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An audit entry may state why (a loss report opened on a patient's call, a stated reason to see a
 * location): `purpose` is sealed into the entry's hash as its last line. concat_ws leaves out a null, so
 * every entry sealed before (no purpose) hashes exactly as it did and the chain verifies unchanged.
 * Loss reports keep who reported or resolved them, in what role, and why.
 */
export class AuditPurposeAndLossReportReasons1765411200000 implements MigrationInterface {
  name = 'AuditPurposeAndLossReportReasons1765411200000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE audit_log ADD COLUMN purpose text`);
    await db.query(`DROP FUNCTION audit_append(uuid, text, text, jsonb)`);
    await db.query(`DROP FUNCTION audit_entry_hash(text, timestamptz, uuid, text, text, jsonb)`);
    await db.query(`
      CREATE FUNCTION audit_entry_hash(prev_hash text, at timestamptz, actor_id uuid, actor_role text, action text,
                                       disclosures jsonb, purpose text)
      RETURNS text LANGUAGE sql STABLE PARALLEL SAFE AS $$
        SELECT encode(sha256(convert_to(concat_ws(E'\\n', prev_hash,
          to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), actor_id, actor_role, action, disclosures,
          purpose), 'UTF8')), 'hex')
      $$`);
    await db.query(AUDIT_APPEND);
    await db.query(`
      ALTER TABLE loss_reports
        ADD COLUMN reported_role text, ADD COLUMN reason text,
        ADD COLUMN resolved_role text, ADD COLUMN resolution_reason text`);
  }

  async down(): Promise<void> {
    throw new Error('AuditPurposeAndLossReportReasons cannot be reverted: entries with a purpose are sealed with it');
  }
}

// entries: [{serialNumber, patientId?, fields}]. A missing patientId means the patient linked to the
// device now; null means no patient. A patient acting is logged by pseudonym too.
const AUDIT_APPEND = `
  CREATE FUNCTION audit_append(actor uuid, actor_role text, action text, entries jsonb, purpose text DEFAULT NULL)
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
    INSERT INTO audit_log (at, actor_id, actor_role, action, disclosures, purpose, prev_hash, hash)
    VALUES (at, actor_key, actor_role, action, disclosed, purpose, head,
            audit_entry_hash(head, at, actor_key, actor_role, action, disclosed, purpose))
    RETURNING audit_log.hash INTO head;
    UPDATE audit_chain_head SET hash = head;
  END $$`;
