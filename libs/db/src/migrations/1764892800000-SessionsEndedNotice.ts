import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every session revoked or deleted (sign-out, password change, a refresh token replayed, an account
 * erased, or plain SQL) is announced on `auth_sessions_ended` with its id, at commit: each instance of
 * the service drops it from its cache of sessions known active.
 */
export class SessionsEndedNotice1764892800000 implements MigrationInterface {
  name = 'SessionsEndedNotice1764892800000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE FUNCTION auth_session_ended() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('auth_sessions_ended', OLD.id::text);
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE TRIGGER auth_session_revoked AFTER UPDATE OF revoked_at ON auth_sessions
      FOR EACH ROW WHEN (NEW.revoked_at IS NOT NULL) EXECUTE FUNCTION auth_session_ended()`);
    await db.query(`
      CREATE TRIGGER auth_session_deleted AFTER DELETE ON auth_sessions
      FOR EACH ROW EXECUTE FUNCTION auth_session_ended()`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TRIGGER auth_session_deleted ON auth_sessions`);
    await db.query(`DROP TRIGGER auth_session_revoked ON auth_sessions`);
    await db.query(`DROP FUNCTION auth_session_ended()`);
  }
}
