import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Fewer round trips per audited provider read, same walls:
 * - the provider's reads become SECURITY DEFINER functions owned by poc_provider: they run with that
 *   role's rights (provider_device_view and nothing else) without the service switching roles around
 *   them, and the service may call them but not read the view itself;
 * - the audit chain's last hash lives in a one-row table: UPDATE ... RETURNING takes the chain's lock
 *   and reads the newest head in one statement (an advisory lock needed a statement of its own).
 */
export class ProviderReadsAndChainHead1764633600000 implements MigrationInterface {
  name = 'ProviderReadsAndChainHead1764633600000';

  async up(db: QueryRunner): Promise<void> {
    // The view reads its scope from transaction settings; the functions set them and clear them again.
    await db.query(`
      CREATE FUNCTION provider_devices_page(provider uuid, policy text, after text, page_size int)
      RETURNS SETOF provider_device_view LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
      BEGIN
        PERFORM set_config('app.provider_id', provider::text, true), set_config('app.policy_version', policy, true);
        RETURN QUERY SELECT * FROM provider_device_view v WHERE v.serial_number > after ORDER BY v.serial_number LIMIT page_size;
        PERFORM set_config('app.provider_id', '', true), set_config('app.policy_version', '', true);
      END $$`);
    await db.query(`
      CREATE FUNCTION provider_device(provider uuid, policy text, serial text)
      RETURNS SETOF provider_device_view LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
      BEGIN
        PERFORM set_config('app.provider_id', provider::text, true), set_config('app.policy_version', policy, true);
        RETURN QUERY SELECT * FROM provider_device_view v WHERE v.serial_number = serial;
        PERFORM set_config('app.provider_id', '', true), set_config('app.policy_version', '', true);
      END $$`);
    // A non-superuser owner may hand a function to a role only if that role may create in the schema;
    // poc_provider gets that for the hand-over alone.
    await db.query(`GRANT CREATE ON SCHEMA public TO poc_provider`);
    for (const fn of ['provider_devices_page(uuid, text, text, int)', 'provider_device(uuid, text, text)']) {
      await db.query(`ALTER FUNCTION ${fn} OWNER TO poc_provider`);
      await db.query(`REVOKE ALL ON FUNCTION ${fn} FROM PUBLIC`);
      await db.query(`GRANT EXECUTE ON FUNCTION ${fn} TO poc_service`);
    }
    await db.query(`REVOKE CREATE ON SCHEMA public FROM poc_provider`);

    await db.query(`
      CREATE TABLE audit_chain_head (
        one boolean PRIMARY KEY DEFAULT true CHECK (one),
        hash text NOT NULL
      )`);
    await db.query(`
      INSERT INTO audit_chain_head (hash)
      SELECT coalesce((SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1), repeat('0', 64))`);
    await db.query(`REVOKE ALL ON audit_chain_head FROM poc_service`);
    await db.query(`GRANT SELECT, UPDATE ON audit_chain_head TO poc_service`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE audit_chain_head`);
    await db.query(`DROP FUNCTION provider_device(uuid, text, text)`);
    await db.query(`DROP FUNCTION provider_devices_page(uuid, text, text, int)`);
  }
}
