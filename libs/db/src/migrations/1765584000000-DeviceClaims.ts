import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A patient may register a device by serial alone (the policy allows it), but a serial is printed on the
 * device and easy to guess: such a claim waits for support to verify it (proof of purchase, a call with
 * the patient) and brings no credentials until then. A claim may name any well-formed serial, known or
 * not, so that its answer never tells which serials exist; support sees which do.
 */
export class DeviceClaims1765584000000 implements MigrationInterface {
  name = 'DeviceClaims1765584000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE device_claims (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        serial_number text NOT NULL CHECK (serial_number ~ '^[A-Za-z0-9][A-Za-z0-9._-]{2,63}$'),
        patient_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        state text NOT NULL CHECK (state IN ('pending_verification', 'verified', 'rejected')),
        requested_at timestamptz NOT NULL DEFAULT now(),
        decided_at timestamptz,
        decided_by uuid,
        reason text CHECK (length(reason) BETWEEN 1 AND 500)
      )`);
    await db.query(`
      CREATE UNIQUE INDEX device_claims_pending_idx ON device_claims (serial_number, patient_id)
       WHERE state = 'pending_verification'`);
    await db.query(
      `CREATE INDEX device_claims_queue_idx ON device_claims (requested_at) WHERE state = 'pending_verification'`,
    );
    await db.query(`CREATE INDEX device_claims_patient_idx ON device_claims (patient_id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE device_claims`);
  }
}
