import { QueryRunner } from 'typeorm';

/**
 * Hands a SECURITY DEFINER function to `poc_provider`, callable by the service only: it then runs with that
 * role's rights, which reach the provider views and nothing else. A non-superuser owner may hand a function
 * to a role only if that role may create in the schema: poc_provider gets that for the hand-over alone.
 */
export async function handToProvider(db: QueryRunner, signature: string): Promise<void> {
  await db.query(`GRANT CREATE ON SCHEMA public TO poc_provider`);
  await db.query(`ALTER FUNCTION ${signature} OWNER TO poc_provider`);
  await db.query(`REVOKE ALL ON FUNCTION ${signature} FROM PUBLIC`);
  await db.query(`GRANT EXECUTE ON FUNCTION ${signature} TO poc_service`);
  await db.query(`REVOKE CREATE ON SCHEMA public FROM poc_provider`);
}
