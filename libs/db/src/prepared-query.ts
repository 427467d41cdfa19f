import type { Pool, QueryResultRow } from 'pg';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';

/** The service's connection pool, under TypeORM: same login, role, TLS and limits. */
export const poolOf = (db: DataSource): Pool => (db.driver as PostgresDriver).master as Pool;

/**
 * Runs a statement that each pooled connection parses once and keeps under `name`: for the reads on
 * every request's path, where parsing again each time (as `DataSource.query` does) costs as much as a
 * small query.
 */
export async function preparedQuery<T extends QueryResultRow>(
  db: DataSource,
  name: string,
  text: string,
  values: unknown[],
): Promise<T[]> {
  return (await poolOf(db).query<T>({ name, text, values })).rows;
}
