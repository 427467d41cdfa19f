// Hand-written SQL of the audit log. The chain is kept by two database functions (migration
// AuditEntryPerRead): audit_append() locks the chain's head, chains and inserts an entry, and
// audit_entry_hash() is the one hash formula, which verification recomputes for every stored entry.

// $4: [{serialNumber, patientId?, fields}] in order; a missing patientId means the device's patient now.
// $5: why, when the action states it (null otherwise).
export const APPEND = `SELECT audit_append($1, $2, $3, $4::jsonb, $5)`;

// Each entry with its links as stored and its hash recomputed from its content as stored.
export const ENTRIES_AFTER = `
  SELECT id, prev_hash AS "prevHash", hash,
         audit_entry_hash(prev_hash, at, actor_id, actor_role, action, disclosures, purpose) AS recomputed
    FROM audit_log WHERE id > $1 ORDER BY id LIMIT $2`;

// The accounting of disclosures: one item per device an entry disclosed that matches the filter, the
// patient shown while the pseudonym still maps back (an erased patient's entries stay, unattributed), for
// entries with ids in ($3, $4]. The containment test is the GIN index's; the equality picks the items.
// A patient's reads of their own data are audited but are no disclosure to account for (as HIPAA's
// accounting leaves out disclosures to the individual, 45 CFR 164.528(a)(1)(iii)).
export const ACCOUNTING = (filter: 'serialNumber' | 'subject'): string => `
  SELECT l.at, l.actor_id AS actor, l.actor_role AS role, l.action, d."serialNumber", s.patient_id AS "patientId",
         d.fields, l.purpose
    FROM audit_log l
   CROSS JOIN LATERAL jsonb_to_recordset(l.disclosures) AS d("serialNumber" text, subject uuid, fields text[])
    LEFT JOIN audit_subjects s ON s.pseudonym = d.subject
   WHERE l.disclosures @> jsonb_build_array(jsonb_build_object('${filter}', $1::text)) AND d."${filter}"::text = $1
     AND l.id > $3 AND l.id <= $4 AND l.actor_role <> 'patient'
   ORDER BY l.id DESC LIMIT $2`;

export const NEWEST_ENTRY = `SELECT coalesce(max(id), 0)::float8 AS id FROM audit_log`;

export const PSEUDONYM_OF = `SELECT pseudonym FROM audit_subjects WHERE patient_id = $1`;

// Every disclosure of a patient (by pseudonym $1), newest first, a page of entries at a time: entries with ids
// below $2, at most $3 of them, each with all its items naming the patient. The export's accounting: no cap.
export const ALL_DISCLOSURES_OF_SUBJECT = `
  WITH entry AS (
    SELECT id FROM audit_log
     WHERE disclosures @> jsonb_build_array(jsonb_build_object('subject', $1::text)) AND actor_role <> 'patient'
       AND id < $2
     ORDER BY id DESC LIMIT $3)
  SELECT l.id::text AS "entryId", l.at, l.actor_id AS actor, l.actor_role AS role, l.action, d."serialNumber",
         $4::uuid AS "patientId", d.fields, l.purpose
    FROM entry JOIN audit_log l ON l.id = entry.id
   CROSS JOIN LATERAL jsonb_to_recordset(l.disclosures) AS d("serialNumber" text, subject uuid, fields text[])
   WHERE d.subject::text = $1
   ORDER BY l.id DESC`;

// For an actor (a staff user's id) and a window: each patient whose data their reads disclosed, with how
// many disclosures (the patient null once erased: the pseudonym still counts, and is named).
export const AFFECTED_BY_ACTOR = `
  SELECT s.patient_id AS "patientId", d.subject, count(*)::int AS disclosures
    FROM audit_log l
   CROSS JOIN LATERAL jsonb_to_recordset(l.disclosures) AS d(subject uuid)
    LEFT JOIN audit_subjects s ON s.pseudonym = d.subject
   WHERE l.actor_id = $1 AND l.at >= $2 AND l.at < $3 AND d.subject IS NOT NULL
   GROUP BY 1, 2
   ORDER BY 3 DESC, 2`;

// Where verification starts: after the entries the maintenance role dropped (none: the genesis).
export const CHAIN_START = `SELECT after_id::text AS "afterId", prev_hash AS "prevHash" FROM audit_chain_start`;

export const ENTRIES_BEFORE = `SELECT count(*)::int AS n FROM audit_log WHERE at < $1`;
