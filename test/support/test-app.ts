import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { RunningApp, startApp } from '../../apps/api/src/bootstrap';
import { Api } from './api';
import { createTestDatabase } from './databases';

export const ADMIN = { username: 'admin', password: 'admin-test-password' };

/** What every service a test starts is configured with, unless the test says otherwise. */
export const TEST_SETTINGS = {
  NODE_ENV: 'test',
  ADMIN_USERNAME: ADMIN.username,
  ADMIN_PASSWORD: ADMIN.password,
  // Test files register hundreds of patients from 127.0.0.1; the limit itself has its own test.
  REGISTRATIONS_PER_ADDRESS: '10000',
  // Hundreds of test accounts at 0.6 s a hash would take minutes; production refuses less than 2^17.
  PASSWORD_SCRYPT_N: String(2 ** 14),
};

export interface TestApp {
  running: RunningApp;
  api: Api;
  mqttUrl: string;
  databaseUrl: string;
  /** A direct connection to the test's database, to check what was (not) written. */
  sql<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

/**
 * The service booted as `npm run up` boots it, on free ports and its own database (or, given
 * DATABASE_URL, another instance's, as replicas share one).
 */
export async function startTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const database = env.DATABASE_URL
    ? { url: env.DATABASE_URL, drop: () => Promise.resolve() }
    : await createTestDatabase();
  const dataDir = mkdtempSync(join(tmpdir(), 'poc-test-'));
  const running = await startApp({
    ...TEST_SETTINGS,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    PORT: '0',
    MQTT_PORT: '0',
    MQTTS_PORT: '0',
    DATA_DIR: dataDir,
    DATABASE_URL: database.url,
    ...env,
  });
  const client = new Client({ connectionString: database.url });
  await client.connect();
  return {
    running,
    api: new Api(running.httpUrl, env.TLS_CERT_FILE ? readFileSync(env.TLS_CERT_FILE) : undefined),
    mqttUrl: running.mqttUrl ?? '',
    databaseUrl: database.url,
    sql: async <T>(text: string, params?: unknown[]) => (await client.query(text, params)).rows as T[],
    close: async () => {
      await client.end();
      await running.app.close();
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Boots one app for a test file (before all its tests) and closes it after; hands over the app and an admin token. */
export function useTestApp(
  onStart: (started: { app: TestApp; admin: string }) => void,
  env?: Record<string, string>,
): void {
  let app: TestApp | undefined;
  beforeAll(async () => {
    app = await startTestApp(env);
    const response = await app.api.post('/v1/auth/token', ADMIN);
    onStart({ app, admin: response.body.accessToken });
  });
  afterAll(() => app?.close());
}
