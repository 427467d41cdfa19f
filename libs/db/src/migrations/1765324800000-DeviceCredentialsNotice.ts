import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every change to a device's credentials (a new link, a rotated or revoked secret, an erasure that unlinks
 * it, or plain SQL) is announced on `device_credentials_changed` with its serial, at commit: each instance
 * drops the device's live broker connections, whichever instance or path made the change.
 */
export class DeviceCredentialsNotice1765324800000 implements MigrationInterface {
  name = 'DeviceCredentialsNotice1765324800000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE FUNCTION device_credentials_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('device_credentials_changed', OLD.serial_number);
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE TRIGGER device_credentials_changed AFTER UPDATE OF secret_hash, patient_id ON devices
      FOR EACH ROW WHEN (OLD.secret_hash IS DISTINCT FROM NEW.secret_hash OR OLD.patient_id IS DISTINCT FROM NEW.patient_id)
      EXECUTE FUNCTION device_credentials_changed()`);
    await db.query(`
      CREATE TRIGGER device_deleted AFTER DELETE ON devices
      FOR EACH ROW EXECUTE FUNCTION device_credentials_changed()`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TRIGGER device_deleted ON devices`);
    await db.query(`DROP TRIGGER device_credentials_changed ON devices`);
    await db.query(`DROP FUNCTION device_credentials_changed()`);
  }
}
