import type { DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from './migrations';

export function dataSourceOptions(url: string): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    // Schema changes only through migrations, never inferred from entities.
    synchronize: false,
    extra: { max: 20, application_name: 'poc-telemetry' },
  };
}
