import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Attempts (sign-ins, registrations, device links) are counted before they are checked, per hashed key:
 * the table holds neither addresses nor whatever was typed as a username, and the retention job forgets
 * a count once its window and lock are over. A refresh token presented after it was rotated away is told
 * apart from a wrong one: only the first means the token leaked.
 */
export class AttemptsCountedFirst1765238400000 implements MigrationInterface {
  name = 'AttemptsCountedFirst1765238400000';

  async up(db: QueryRunner): Promise<void> {
    // Counts last 15 minutes: nothing worth converting.
    await db.query(`DROP TABLE sign_in_failures`);
    await db.query(`
      CREATE TABLE attempt_counts (
        key_hash text PRIMARY KEY,
        attempts int NOT NULL,
        window_start timestamptz NOT NULL,
        locked_until timestamptz
      )`);
    // One attempt on all its keys (a username and an address, say), under their row locks, taken in one
    // order so that attempts sharing keys queue rather than deadlock: fifty guesses at once are counted
    // one after another, and only those under every limit are let through to be checked.
    await db.query(`
      CREATE FUNCTION attempt_admit(keys text[], limits int[], window_seconds int) RETURNS int
      LANGUAGE plpgsql AS $$
      DECLARE
        win interval := make_interval(secs => window_seconds);
        wait int;
      BEGIN
        INSERT INTO attempt_counts (key_hash, attempts, window_start)
        SELECT unnest(keys), 0, now() ON CONFLICT DO NOTHING;
        PERFORM 1 FROM attempt_counts WHERE key_hash = ANY(keys) ORDER BY key_hash FOR UPDATE;
        -- A key whose window and lock are over starts afresh.
        UPDATE attempt_counts SET attempts = 0, window_start = now(), locked_until = NULL
         WHERE key_hash = ANY(keys) AND window_start < now() - win AND coalesce(locked_until <= now(), true);
        SELECT max(ceil(extract(epoch FROM locked_until - now())))::int INTO wait
          FROM attempt_counts WHERE key_hash = ANY(keys) AND locked_until > now();
        IF wait IS NOT NULL THEN RETURN wait; END IF;
        UPDATE attempt_counts a SET locked_until = now() + win
          FROM unnest(keys, limits) AS k(key_hash, lim)
         WHERE a.key_hash = k.key_hash AND a.attempts + 1 > k.lim;
        IF FOUND THEN RETURN window_seconds; END IF;
        UPDATE attempt_counts SET attempts = attempts + 1 WHERE key_hash = ANY(keys);
        RETURN NULL;
      END $$`);
    await db.query(`ALTER TABLE auth_sessions ADD COLUMN previous_refresh_hash text`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE auth_sessions DROP COLUMN previous_refresh_hash`);
    await db.query(`DROP FUNCTION attempt_admit(text[], int[], int)`);
    await db.query(`DROP TABLE attempt_counts`);
    await db.query(`
      CREATE TABLE sign_in_failures (
        key text PRIMARY KEY,
        failures int NOT NULL,
        window_start timestamptz NOT NULL,
        locked_until timestamptz
      )`);
  }
}
