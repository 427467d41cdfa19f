import { Logger } from '@nestjs/common';
import type { ClientBase } from 'pg';
import { DataSource, DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from './migrations';

/** The database role the running service acts as (see the AccessAndAudit migration). */
export const SERVICE_ROLE = 'poc_service';

/**
 * Options of the service's pool. `policyVersion` (the privacy policy patients must have accepted) is set
 * on every connection as `app.policy_version`: the database's permission views read it.
 */
export function dataSourceOptions(url: string, policyVersion?: string): DataSourceOptions {
  const settings = [`-c role=${SERVICE_ROLE}`, ...(policyVersion ? [`-c app.policy_version=${policyVersion}`] : [])];
  return {
    type: 'postgres',
    url,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    // Schema changes only through migrations, never inferred from entities.
    synchronize: false,
    // Every connection starts as the service role: whatever the login may do, the service cannot
    // change or delete audit entries, and it reads the provider view only through the functions poc_provider owns.
    // A request waits at most 5 s for a pooled connection, then gets a 503 to retry (not a hang).
    extra: {
      max: 20,
      connectionTimeoutMillis: 5000,
      application_name: 'poc-telemetry',
      options: settings.join(' '),
      onConnect: listenForErrors,
    },
    // Extensions come from migrations; the service role may not create any.
    installExtensions: false,
  };
}

const logger = new Logger('Database');

/**
 * Every pooled connection keeps an error listener of its own. The pool listens only while a connection is
 * idle, and a holder (a transaction, the notices' listener) only once its promise settles: a server's
 * "terminating connection" that arrives in the same read as the ready-for-query of the connection's
 * handover would otherwise be an unhandled 'error' event, which ends the process. The connection is then
 * unusable: its next query fails, and its holder releases it as broken.
 */
function listenForErrors(client: ClientBase): void {
  client.on('error', (error) => logger.debug(`a pooled database connection failed: ${error.message}`));
}

/** Runs the pending migrations as the login itself (the database owner), on a short-lived connection. */
export async function migrateDatabase(url: string): Promise<void> {
  const owner = new DataSource({ ...dataSourceOptions(url), extra: { max: 1, application_name: 'poc-migrate' } });
  await owner.initialize();
  try {
    await owner.runMigrations({ transaction: 'each' });
  } finally {
    await owner.destroy();
  }
}
