// Hand-written SQL of device claims (table device_claims, migration DeviceClaims).

const COLUMNS = `c.id, c.serial_number AS "serialNumber", c.patient_id AS "patientId", c.state,
  c.requested_at AS "requestedAt", c.decided_at AS "decidedAt", c.reason`;

export const REQUEST_CLAIM = `
  WITH made AS (
    INSERT INTO device_claims (serial_number, patient_id, state) VALUES ($1, $2, 'pending_verification')
    ON CONFLICT (serial_number, patient_id) WHERE state = 'pending_verification' DO NOTHING
    RETURNING *)
  SELECT ${COLUMNS} FROM made c
  UNION ALL
  SELECT ${COLUMNS} FROM device_claims c
   WHERE c.serial_number = $1 AND c.patient_id = $2 AND c.state = 'pending_verification'
  LIMIT 1`;

export const CLAIMS_OF = `SELECT ${COLUMNS} FROM device_claims c WHERE c.patient_id = $1 ORDER BY c.requested_at DESC`;

export const CLAIM = `SELECT ${COLUMNS} FROM device_claims c WHERE c.id = $1`;

export const CLAIMS_QUEUE = `
  SELECT ${COLUMNS},
         json_build_object('known', d.serial_number IS NOT NULL, 'linked', d.patient_id IS NOT NULL,
                           'lossReport', r.kind) AS device
    FROM device_claims c
    LEFT JOIN devices d ON d.serial_number = c.serial_number
    LEFT JOIN loss_reports r ON r.serial_number = c.serial_number AND r.resolved_at IS NULL
   WHERE c.state = 'pending_verification'
   ORDER BY c.requested_at LIMIT $1`;

// One statement: the claim (locked) must be pending, the device must exist and be linked to nobody; a
// link made meanwhile with the registration code is never displaced.
export const VERIFY_CLAIM = `
  WITH claim AS (
    SELECT id, serial_number, patient_id FROM device_claims
     WHERE id = $1 AND state = 'pending_verification' FOR UPDATE),
  linked AS (
    UPDATE devices d SET patient_id = claim.patient_id, secret_hash = NULL, linked_at = now()
      FROM claim WHERE d.serial_number = claim.serial_number AND d.patient_id IS NULL
    RETURNING d.serial_number),
  decided AS (
    UPDATE device_claims c SET state = 'verified', decided_at = now(), decided_by = $2, reason = $3
      FROM linked WHERE c.id = $1
    RETURNING c.id)
  SELECT EXISTS (SELECT 1 FROM decided) AS verified`;

export const REJECT_CLAIM = `
  WITH rejected AS (
    UPDATE device_claims SET state = 'rejected', decided_at = now(), decided_by = $2, reason = $3
     WHERE id = $1 AND state = 'pending_verification'
    RETURNING id)
  SELECT id FROM rejected`;

export const REJECT_PENDING_FOR = `
  UPDATE device_claims SET state = 'rejected', decided_at = now(), reason = $2
   WHERE serial_number = $1 AND state = 'pending_verification'`;
