import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { request as httpsRequest } from 'node:https';
import { asAdmin } from '../support/builders';
import { aLinkedDevice, DeviceLink, publish, telemetry } from '../support/device-link';
import { createTestDatabase } from '../support/databases';
import { startTestApp, TestApp } from '../support/test-app';
import { freePort } from '../support/free-port';

/** Whether anything accepts a TCP connection on the port. */
const accepts = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = createConnection(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });

describe('transmission security: TLS for MQTT and HTTP, plain MQTT off, operator surfaces on an internal port', () => {
  const dir = mkdtempSync(join(tmpdir(), 'poc-tls-'));
  let app: TestApp;
  let admin: string;
  let ca: Buffer;
  let plainPort: number;
  let link: DeviceLink;

  beforeAll(async () => {
    // The pair `npm run up` makes, by the same script.
    execFileSync('bash', ['scripts/tls-pair.sh', dir]);
    ca = readFileSync(join(dir, 'cert.pem'));
    plainPort = await freePort();
    app = await startTestApp({
      TLS_CERT_FILE: join(dir, 'cert.pem'),
      TLS_KEY_FILE: join(dir, 'key.pem'),
      MQTT_PLAIN: 'false',
      MQTT_PORT: String(plainPort),
      INTERNAL_PORT: '0',
      BROKER_HOOK_SECRET: 'transport-security-test-hook-secret-0123',
    });
    admin = await asAdmin(app.api);
    link = await aLinkedDevice(app.api, admin);
  });
  afterAll(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves the API over HTTPS with the generated certificate, and nothing in plain HTTP', async () => {
    expect(app.running.httpUrl).toMatch(/^https:\/\//);
    expect((await app.api.get('/health/ready')).status).toBe(200);
    const plain = app.running.httpUrl.replace('https://', 'http://');
    await expect(fetch(`${plain}/health/ready`)).rejects.toThrow();
  });

  it('a device publishes over MQTT with TLS and the message is stored', async () => {
    const client = await mqtt.connectAsync(app.running.mqttsUrl as string, {
      username: link.serialNumber,
      password: link.password,
      clientId: link.serialNumber,
      ca,
      reconnectPeriod: 0,
      connectTimeout: 5000,
    });
    try {
      const message = telemetry(link);
      await publish(client, link.serialNumber, message);
      expect(await app.sql('SELECT 1 FROM telemetry WHERE message_id = $1', [message.messageId])).toHaveLength(1);
    } finally {
      await client.endAsync();
    }
  });

  it('refuses a client that does not trust the certificate, and plain MQTT when it is off', async () => {
    await expect(
      mqtt.connectAsync(app.running.mqttsUrl as string, {
        username: link.serialNumber,
        password: link.password,
        reconnectPeriod: 0,
        connectTimeout: 3000,
      }),
    ).rejects.toThrow(/self.signed|certificate/i);
    expect(app.running.mqttUrl).toBeNull();
    expect(await accepts(plainPort)).toBe(false);
    await expect(
      mqtt.connectAsync(`mqtt://127.0.0.1:${plainPort}`, {
        username: link.serialNumber,
        password: link.password,
        reconnectPeriod: 0,
        connectTimeout: 3000,
      }),
    ).rejects.toThrow(/ECONNREFUSED/);
  });

  it('serves /metrics and /docs on the internal port only', async () => {
    expect(app.running.internalUrl).not.toBeNull();
    const internal = app.running.internalUrl as string;
    expect((await fetch(`${internal}/metrics`)).status).toBe(200);
    expect((await fetch(`${internal}/docs-json`)).status).toBe(200);
    expect((await fetch(`${internal}/v1/provider/devices`)).status).toBe(404);
    expect((await app.api.get('/metrics')).status).toBe(404);
    expect((await app.api.get('/docs')).status).toBe(404);
    expect((await app.api.get('/docs-json')).status).toBe(404);
  });

  it("serves the broker hook on the internal port only (there it asks for the broker's secret)", async () => {
    const internal = app.running.internalUrl as string;
    const body = JSON.stringify({ clientid: link.serialNumber, username: link.serialNumber, password: link.password });
    const headers = {
      'content-type': 'application/json',
      authorization: 'Bearer transport-security-test-hook-secret-0123',
    };
    expect((await fetch(`${internal}/v1/broker/auth`, { method: 'POST', body, headers })).status).toBe(200);
    expect((await fetch(`${internal}/v1/broker/auth`, { method: 'POST', body })).status).toBe(401);
    const outside = await app.api.request('POST', '/v1/broker/auth', { rawBody: body, headers });
    expect(outside.status).toBe(404);
  });

  it('an outsider cannot reach them on the public port by case, suffix, encoding or extra slashes', async () => {
    const disguises = [
      '/METRICS',
      '/Metrics/',
      '/DOCS-JSON',
      '/docs-yaml',
      '/Docs-Yaml',
      '/docs/',
      '/%6Detrics',
      '//metrics',
    ];
    for (const path of disguises) {
      const response = await app.api.get(path);
      expect({ path, status: response.status }).toEqual({ path, status: 404 });
      expect(String(JSON.stringify(response.body))).not.toMatch(/process_cpu|openapi|swagger/i);
    }
    // An absolute-form request target (found by an attacker's review).
    for (const path of ['http://x/metrics', 'https://x/v1/broker/auth', 'http://x/DOCS-JSON']) {
      const status = await new Promise<number | undefined>((resolve, reject) => {
        const { hostname, port } = new URL(app.running.httpUrl);
        const request = httpsRequest({ hostname, port, path, method: 'GET', ca }, (response) => {
          response.resume();
          resolve(response.statusCode);
        });
        request.on('error', reject);
        request.end();
      });
      expect({ path, status }).toEqual({ path, status: 404 });
    }
    // The internal port still serves its own, and only those.
    expect((await fetch(`${app.running.internalUrl}/docs-yaml`)).status).toBe(200);
    expect((await fetch(`${app.running.internalUrl}/V1/provider/devices`)).status).toBe(404);
  });
});

describe('database connections with TLS when DATABASE_URL asks for it', () => {
  // The project-local cluster serves TLS with the certificate it leaves here (scripts/pg-local.sh).
  const serverCert = join(process.env.DATA_DIR ?? '.data', 'pg-tls', 'cert.pem');
  const onLocalCluster = existsSync(serverCert) ? it : it.skip;

  onLocalCluster('every connection of the service is encrypted and the server certificate verified', async () => {
    const database = await createTestDatabase();
    const url = new URL(database.url);
    url.searchParams.set('sslmode', 'verify-full');
    url.searchParams.set('sslrootcert', serverCert);
    const app = await startTestApp({ DATABASE_URL: url.toString() });
    try {
      expect((await app.api.get('/health/ready')).status).toBe(200);
      const connections = await app.sql<{ ssl: boolean }>(
        `SELECT s.ssl FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid)
          WHERE a.datname = current_database() AND a.application_name = 'poc-telemetry'`,
      );
      expect(connections.length).toBeGreaterThan(0);
      expect(connections.every((c) => c.ssl)).toBe(true);
    } finally {
      await app.close();
      await database.drop();
    }
  });
});
