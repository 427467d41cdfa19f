// Hand-written SQL of the audit log. Appends hold a transaction-scoped advisory lock so that entries
// from every instance form one chain in id order.

export const AUDIT_CHAIN_LOCK = `SELECT pg_advisory_xact_lock(7405100)`;

// Run after the lock, in a statement of its own, so it sees every entry committed before the lock was
// granted: the chain's last hash, with the pseudonyms the patients already have.
export const LAST_HASH_AND_PSEUDONYMS = `
  SELECT NULL::uuid AS patient_id, NULL::uuid AS pseudonym, (SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1) AS hash
  UNION ALL SELECT patient_id, pseudonym, NULL FROM audit_subjects WHERE patient_id = ANY($1::uuid[])`;

// A patient's pseudonym is created on their first audited read.
export const NEW_PSEUDONYMS = `
  INSERT INTO audit_subjects (patient_id) SELECT DISTINCT p FROM unnest($1::uuid[]) p
  ON CONFLICT DO NOTHING RETURNING patient_id, pseudonym`;

export const INSERT_ENTRIES = `
  INSERT INTO audit_log (at, actor_id, actor_role, action, serial_number, subject, fields, prev_hash, hash)
  SELECT a.at, a.actor_id, a.actor_role, a.action, a.serial_number, a.subject,
         CASE WHEN a.fields = '' THEN '{}'::text[] ELSE string_to_array(a.fields, ',') END, a.prev_hash, a.hash
    FROM unnest($1::timestamptz[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::uuid[], $7::text[],
                $8::text[], $9::text[]) WITH ORDINALITY
      AS a(at, actor_id, actor_role, action, serial_number, subject, fields, prev_hash, hash, n)
   ORDER BY a.n`;

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
