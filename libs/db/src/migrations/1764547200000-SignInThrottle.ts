import { MigrationInterface, QueryRunner } from 'typeorm';

/** Failed sign-ins per username and per address, shared by every instance, for throttling and lockout. */
export class SignInThrottle1764547200000 implements MigrationInterface {
  name = 'SignInThrottle1764547200000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE sign_in_failures (
        key text PRIMARY KEY,
        failures int NOT NULL,
        window_start timestamptz NOT NULL,
        locked_until timestamptz
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE sign_in_failures`);
  }
}
