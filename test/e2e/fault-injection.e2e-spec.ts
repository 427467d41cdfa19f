import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { MqttClient } from 'mqtt';
import { Client } from 'pg';
import { Api } from '../support/api';
import { asAdmin, aUser } from '../support/builders';
import { createTestDatabase } from '../support/databases';
import { DeviceLink, linkedDevices, telemetry, topicOf } from '../support/device-link';
import { freePort } from '../support/free-port';
import { holderOf, ServiceProcess, startServiceProcess } from '../support/service-process';
import { createConnection, Socket } from 'node:net';
import { startTestApp, TestApp } from '../support/test-app';
import { waitFor } from '../support/wait-for';

// Streams are steadier than the limits under test here; the limits have their own tests.
const UNLIMITED = { DEVICE_PUBLISH_PER_SECOND: '100000', DEVICE_PUBLISH_BURST: '100000' };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface StreamResult {
  sent: string[];
  acked: string[];
}

/**
 * Devices publish `perDevice` QoS 1 messages each at a steady pace, reconnecting by themselves (as
 * MQTT.js does, resending what was not acknowledged); `fault` runs once `faultAfter` are acknowledged.
 * Resolves when every message is acknowledged.
 */
async function streamThrough(
  url: string,
  links: DeviceLink[],
  perDevice: number,
  faultAfter: number,
  fault: (clients: MqttClient[]) => Promise<void>,
): Promise<StreamResult> {
  const clients = await Promise.all(
    links.map((link) =>
      mqtt.connectAsync(url, {
        username: link.serialNumber,
        password: link.password,
        clientId: `${link.serialNumber}-fault`,
        clean: false,
        reconnectPeriod: 250,
        connectTimeout: 5000,
      }),
    ),
  );
  for (const client of clients) client.on('error', () => undefined); // refusals while the service is down
  const result: StreamResult = { sent: [], acked: [] };
  try {
    const publishing = Promise.all(
      links.map(async (link, d) => {
        for (let i = 0; i < perDevice; i++) {
          const message = telemetry(link);
          result.sent.push(message.messageId);
          clients[d].publish(topicOf(link.serialNumber), JSON.stringify(message), { qos: 1 }, (error) => {
            if (!error) result.acked.push(message.messageId);
          });
          await sleep(20);
        }
      }),
    );
    await waitFor(async () => (result.acked.length >= faultAfter ? true : undefined), 30_000, 'the stream to run');
    await fault(clients);
    await publishing;
    await waitFor(
      async () => (result.acked.length === result.sent.length ? true : undefined),
      90_000,
      'every message to be acknowledged after the fault',
    );
    return result;
  } finally {
    await Promise.all(clients.map((c) => c.endAsync(true)));
  }
}

/** How often each message id of these devices is stored. */
async function storedCounts(databaseUrl: string, links: DeviceLink[]): Promise<Map<string, number>> {
  const sql = new Client({ connectionString: databaseUrl });
  await sql.connect();
  try {
    const { rows } = await sql.query<{ message_id: string; n: number }>(
      'SELECT message_id, count(*)::int AS n FROM telemetry WHERE serial_number = ANY($1) GROUP BY message_id',
      [links.map((l) => l.serialNumber)],
    );
    return new Map(rows.map((r) => [r.message_id, r.n]));
  } finally {
    await sql.end();
  }
}

function expectExactlyOnce(name: string, result: StreamResult, stored: Map<string, number>): void {
  const ackedOnce = result.acked.filter((id) => stored.get(id) === 1).length;
  const lost = result.sent.filter((id) => !stored.has(id)).length;
  const duplicated = [...stored.values()].filter((n) => n > 1).length;
  process.stdout.write(
    `fault injection, ${name}: sent ${result.sent.length}, acknowledged ${result.acked.length}, stored once ${ackedOnce}, lost ${lost}, duplicated ${duplicated}\n`,
  );
  expect({ acknowledgedAndStoredOnce: ackedOnce, lost, duplicated }).toEqual({
    acknowledgedAndStoredOnce: result.sent.length,
    lost: 0,
    duplicated: 0,
  });
}

/** Until both workers of a WORKERS=2 service take MQTT connections (the second starts after the first is ready). */
async function untilBothWorkersServe(service: ServiceProcess): Promise<void> {
  const { port } = new URL(service.mqttUrl);
  await waitFor(
    async () => {
      const sockets = await Promise.all(
        Array.from(
          { length: 4 },
          () =>
            new Promise<Socket>((resolve) => {
              const socket = createConnection(Number(port), '127.0.0.1', () => resolve(socket));
            }),
        ),
      );
      await sleep(100);
      const holders = new Set(sockets.map((socket) => holderOf(socket.localPort as number, service.workerPids())));
      sockets.forEach((socket) => socket.destroy());
      return holders.size === 2 && !holders.has(undefined) ? true : undefined;
    },
    30_000,
    'both workers to take connections',
  );
}

const devicesOf = async (api: Api, count: number): Promise<DeviceLink[]> =>
  linkedDevices(api, await asAdmin(api), count);

describe('fault injection: every acknowledged message stored once, none lost', () => {
  it('kill -9 of the service in the middle of a publish stream, then a restart', async () => {
    const database = await createTestDatabase();
    const service = await startServiceProcess({ DATABASE_URL: database.url, ...UNLIMITED });
    try {
      const links = await devicesOf(service.api, 20);
      const result = await streamThrough(service.mqttUrl, links, 50, 300, async () => {
        await service.kill9();
        await service.restart();
      });
      expectExactlyOnce('kill -9 mid-stream', result, await storedCounts(database.url, links));
    } finally {
      await service.stop();
      await database.drop();
    }
  }, 180_000);

  it('kill -9 of one of two workers in the middle of a publish stream: its devices move to the other', async () => {
    const database = await createTestDatabase();
    const service = await startServiceProcess({ DATABASE_URL: database.url, WORKERS: '2', ...UNLIMITED });
    try {
      await untilBothWorkersServe(service);
      const links = await devicesOf(service.api, 20);
      let dropped = 0;
      const result = await streamThrough(service.mqttUrl, links, 50, 300, async (clients) => {
        clients.forEach((client) => client.once('close', () => dropped++));
        const [victim, survivor] = service.workerPids();
        process.kill(victim, 'SIGKILL');
        await sleep(500);
        // The connections were spread: the dead worker's dropped, the other's stayed; the primary starts another.
        expect(dropped).toBeGreaterThan(0);
        expect(dropped).toBeLessThan(clients.length);
        await waitFor(
          async () => (service.workerPids().length === 2 && service.workerPids().includes(survivor) ? true : undefined),
          30_000,
          'the primary to start the worker again',
        );
      });
      expectExactlyOnce('kill -9 of one worker mid-stream', result, await storedCounts(database.url, links));
    } finally {
      await service.stop();
      await database.drop();
    }
  }, 180_000);

  it("with two workers, a device's rejection notices reach it on whichever worker holds its subscription", async () => {
    const database = await createTestDatabase();
    // One device opens many connections here, to find one on each worker.
    const service = await startServiceProcess({
      DATABASE_URL: database.url,
      WORKERS: '2',
      DEVICE_CONNECTS_PER_MINUTE: '1000',
      ...UNLIMITED,
    });
    const clients: MqttClient[] = [];
    try {
      await untilBothWorkersServe(service);
      const [link] = await devicesOf(service.api, 1);
      const connect = async (suffix: string) => {
        const client = await mqtt.connectAsync(service.mqttUrl, {
          username: link.serialNumber,
          password: link.password,
          clientId: `${link.serialNumber}-${suffix}`,
          reconnectPeriod: 0,
          connectTimeout: 5000,
        });
        clients.push(client);
        return client;
      };
      const listener = await connect('listener');
      const notices: string[] = [];
      listener.on('message', (_topic, payload) => notices.push(JSON.parse(payload.toString()).messageId));
      await listener.subscribeAsync(`poc/v1/${link.serialNumber}/rejected`, { qos: 1 });
      // A publisher on the other worker than the listener's (connections opened at once are spread).
      const workerOf = (client: MqttClient) =>
        holderOf((client.stream as unknown as { localPort: number }).localPort, service.workerPids());
      const listenerWorker = workerOf(listener);
      expect(listenerWorker).toBeDefined();
      let elsewhere: MqttClient | undefined;
      for (let round = 0; round < 5 && !elsewhere; round++) {
        const batch = await Promise.all(Array.from({ length: 10 }, (_, i) => connect(`p${round}-${i}`)));
        elsewhere = batch.find((client) => workerOf(client) !== listenerWorker);
      }
      expect(elsewhere).toBeDefined();
      const publishers = [elsewhere as MqttClient, listener];
      const refused = publishers.map(() => telemetry(link, { batteryPct: 300 }));
      await Promise.all(
        publishers.map((client, i) =>
          client.publishAsync(topicOf(link.serialNumber), JSON.stringify(refused[i]), { qos: 1 }),
        ),
      );
      await waitFor(async () => (notices.length >= refused.length ? true : undefined), 10_000, 'every notice');
      expect(notices.sort()).toEqual(refused.map((m) => m.messageId).sort());
    } finally {
      await Promise.all(clients.map((c) => c.endAsync(true)));
      await service.stop();
      await database.drop();
    }
  }, 120_000);

  it('the database restarted in the middle of a publish stream', async () => {
    // A cluster of this test's own, so restarting it disturbs no other test.
    const dataDir = mkdtempSync(join(tmpdir(), 'poc-pg-'));
    const pg = (command: string) =>
      execFileSync('bash', ['scripts/pg-local.sh', command], {
        env: { ...process.env, DATA_DIR: dataDir, PG_PORT: port },
      })
        .toString()
        .trim();
    const port = String(await freePort());
    const url = pg('start');
    const service = await startServiceProcess({ DATABASE_URL: url, ...UNLIMITED });
    try {
      const links = await devicesOf(service.api, 20);
      const result = await streamThrough(service.mqttUrl, links, 50, 300, async () => {
        pg('stop');
        await sleep(1000);
        pg('start');
      });
      expectExactlyOnce('database restart mid-stream', result, await storedCounts(url, links));
      expect((await service.api.get('/health/ready')).status).toBe(200);
    } finally {
      await service.stop();
      pg('stop');
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 180_000);

  describe('on one running service', () => {
    let app: TestApp;
    beforeAll(async () => (app = await startTestApp(UNLIMITED)));
    afterAll(() => app.close());

    it('the broker connections of 100 devices dropped at once: they reconnect, nothing is lost', async () => {
      const links = await devicesOf(app.api, 100);
      const result = await streamThrough(app.mqttUrl, links, 20, 500, async (clients) => {
        for (const client of clients) client.stream.destroy();
      });
      expectExactlyOnce('100 connections dropped at once', result, await storedCounts(app.databaseUrl, links));
    }, 120_000);

    it('an exhausted database pool: a clear 503 with Retry-After, and recovery without a restart', async () => {
      const support = await aUser(app.api, await asAdmin(app.api), 'support');
      // Another session locks the table every authenticated request reads: requests pile up on the pool.
      const locker = new Client({ connectionString: app.databaseUrl });
      await locker.connect();
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE auth_sessions IN ACCESS EXCLUSIVE MODE');
      const piled = Array.from({ length: 25 }, () => app.api.get('/v1/internal/alerts', support.token));
      await sleep(6000); // past the pool's 5 s wait for a connection
      await locker.query('ROLLBACK');
      await locker.end();
      const statuses = (await Promise.all(piled)).map((r) => r.status);
      const counts = {
        ok: statuses.filter((s) => s === 200).length,
        unavailable: statuses.filter((s) => s === 503).length,
      };
      process.stdout.write(`fault injection, pool exhausted by a lock: ${counts.ok}×200, ${counts.unavailable}×503\n`);
      expect(counts.ok + counts.unavailable).toBe(25);
      expect(counts.unavailable).toBeGreaterThan(0);
      const busy = await Promise.all(piled);
      const refused = busy.find((r) => r.status === 503);
      expect(refused?.headers.get('retry-after')).toBe('5');
      expect(refused?.body).toMatchObject({ error: 'unavailable', message: expect.stringContaining('retry') });
      // Lock gone: the same service answers again.
      expect((await app.api.get('/v1/internal/alerts', support.token)).status).toBe(200);
    }, 60_000);
  });
});
