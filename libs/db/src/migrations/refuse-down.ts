import type { QueryRunner } from 'typeorm';

/**
 * A down that would destroy what people relied on (a recorded choice, a deactivation, the start of a
 * verifiable chain) refuses while there is any: `rows` selects it.
 */
export async function refuseDownWhile(db: QueryRunner, migration: string, rows: string, what: string): Promise<void> {
  const [{ n }]: Array<{ n: number }> = await db.query(`SELECT count(*)::int AS n FROM (${rows}) AS x`);
  if (n > 0) {
    throw new Error(`${migration} cannot be reverted while ${what} (${n}): restore the database from before it`);
  }
}
