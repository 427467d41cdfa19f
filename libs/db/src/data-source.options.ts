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
    },
    // Extensions come from migrations; the service role may not create any.
    installExtensions: false,
  };
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
