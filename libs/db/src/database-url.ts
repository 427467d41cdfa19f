import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AppConfig } from '@poc/config';

/** DATABASE_URL when given, else the project-local cluster that `scripts/pg-local.sh start` recorded. */
export function resolveDatabaseUrl(config: Pick<AppConfig, 'DATABASE_URL' | 'DATA_DIR'>): string {
  if (config.DATABASE_URL) return config.DATABASE_URL;
  const recorded = join(config.DATA_DIR, 'postgres.url');
  if (existsSync(recorded)) return readFileSync(recorded, 'utf8').trim();
  throw new Error(
    `DATABASE_URL is not set and no project-local cluster is running under ${config.DATA_DIR}: start the system with "npm run up"`,
  );
}
