// Hand-written SQL of the audit log. Entries from every instance form one chain in id order: each append
// holds the row lock of audit_chain_head, the chain's last hash, from its first statement to its commit.

// One statement: locks the head and reads its newest hash (an UPDATE waiting on the lock re-reads the
// row once granted), finds the patients of devices whose patient the caller left to look up ($1), and
// the pseudonyms of those patients and of the ones named ($2), creating the missing ones.
export const LOCK_HEAD_AND_SUBJECTS = `
  WITH head AS (UPDATE audit_chain_head SET hash = hash RETURNING hash),
  owners AS (SELECT serial_number, patient_id FROM devices WHERE serial_number = ANY($1::text[]) AND patient_id IS NOT NULL),
  wanted AS (SELECT patient_id FROM owners UNION SELECT unnest($2::uuid[])),
  known AS (SELECT s.patient_id, s.pseudonym FROM audit_subjects s JOIN wanted USING (patient_id)),
  created AS (
    INSERT INTO audit_subjects (patient_id) SELECT patient_id FROM wanted WHERE patient_id NOT IN (SELECT patient_id FROM known)
    ON CONFLICT DO NOTHING RETURNING patient_id, pseudonym)
  SELECT 'head' AS kind, NULL AS key, hash AS value FROM head
  UNION ALL SELECT 'owner', serial_number, patient_id::text FROM owners
  UNION ALL SELECT 'pseudonym', patient_id::text, pseudonym::text FROM known
  UNION ALL SELECT 'pseudonym', patient_id::text, pseudonym::text FROM created`;

// A pseudonym another transaction created after this statement's snapshot (its insert then conflicts).
export const PSEUDONYMS_OF = `SELECT patient_id, pseudonym FROM audit_subjects WHERE patient_id = ANY($1::uuid[])`;

export const APPEND_ENTRIES = `
  WITH appended AS (
    INSERT INTO audit_log (at, actor_id, actor_role, action, serial_number, subject, fields, prev_hash, hash)
    SELECT $1::timestamptz, a.actor_id, a.actor_role, a.action, a.serial_number, a.subject,
           CASE WHEN a.fields = '' THEN '{}'::text[] ELSE string_to_array(a.fields, ',') END, a.prev_hash, a.hash
      FROM unnest($2::uuid[], $3::text[], $4::text[], $5::text[], $6::uuid[], $7::text[], $8::text[], $9::text[])
           WITH ORDINALITY AS a(actor_id, actor_role, action, serial_number, subject, fields, prev_hash, hash, n)
     ORDER BY a.n)
  UPDATE audit_chain_head SET hash = $10`;

export const ENTRIES_AFTER = `
  SELECT id, at, actor_id AS "actorId", actor_role AS "actorRole", action, serial_number AS "serialNumber",
         subject, fields, prev_hash AS "prevHash", hash
    FROM audit_log WHERE id > $1 ORDER BY id LIMIT $2`;

// The accounting of disclosures: entries about a device or a patient, the patient shown while the
// pseudonym still maps back (an erased patient's entries stay, unattributed).
export const ACCOUNTING = (filter: 'serial_number' | 'subject'): string => `
  SELECT l.at, l.actor_id AS actor, l.actor_role AS role, l.action, l.serial_number AS "serialNumber",
         s.patient_id AS "patientId", l.fields
    FROM audit_log l LEFT JOIN audit_subjects s ON s.pseudonym = l.subject
   WHERE l.${filter} = $1 ORDER BY l.id DESC LIMIT $2`;

export const PSEUDONYM_OF = `SELECT pseudonym FROM audit_subjects WHERE patient_id = $1`;
