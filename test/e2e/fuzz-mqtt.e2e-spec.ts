import fc from 'fast-check';
import type { MqttClient } from 'mqtt';
import { randomUUID } from 'node:crypto';
import { generate } from 'mqtt-packet';
import { createConnection } from 'node:net';
import { asAdmin } from '../support/builders';
import { aLinkedDevice, connectLink, DeviceLink, publish, telemetry, topicOf } from '../support/device-link';
import { startTestApp, TestApp } from '../support/test-app';
import { waitFor } from '../support/wait-for';

// Generated inputs per run (FUZZ_RUNS to change); the closing line prints the counts.
const RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
const FIELDS = Object.keys(telemetry({ serialNumber: 'X', model: 'X' }));

// Payloads up to 16 KiB + 500 B get a notice; packets far beyond are cut off at the socket (ingest tests).
/** Payloads from valid ones with fields replaced by anything, to JSON of any shape, to raw bytes. */
const payloads = (link: DeviceLink): fc.Arbitrary<string | Buffer> =>
  fc.oneof(
    { weight: 5, arbitrary: fc.constant(null).map(() => JSON.stringify(telemetry(link))) },
    {
      weight: 40,
      arbitrary: fc
        .record({
          replace: fc.dictionary(fc.constantFrom(...FIELDS, 'lat', 'lon', 'accuracyM', 'capturedAt'), fc.jsonValue(), {
            minKeys: 1,
            maxKeys: 3,
          }),
          drop: fc.subarray(FIELDS, { maxLength: 2 }),
        })
        .map(({ replace, drop }) => {
          const message: Record<string, unknown> = { ...telemetry(link), messageId: randomUUID() };
          const location = { ...(message.location as Record<string, unknown>) };
          for (const [key, value] of Object.entries(replace)) {
            if (key in location && !(key in message)) location[key] = value;
            else message[key] = value;
          }
          message.location = 'location' in replace ? replace.location : location;
          for (const key of drop) delete message[key];
          return JSON.stringify(message);
        }),
    },
    { weight: 30, arbitrary: fc.jsonValue().map((v) => JSON.stringify(v) ?? 'null') },
    { weight: 15, arbitrary: fc.string({ unit: 'binary', maxLength: 300 }) },
    { weight: 9, arbitrary: fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)) },
    { weight: 1, arbitrary: fc.integer({ min: 16 * 1024 - 10, max: 16 * 1024 + 500 }).map((n) => 'x'.repeat(n)) },
  );

describe('fuzzing the MQTT side: generated payloads and malformed packets', () => {
  let app: TestApp;
  let admin: string;

  beforeAll(async () => {
    app = await startTestApp({ DEVICE_PUBLISH_PER_SECOND: '100000', DEVICE_PUBLISH_BURST: '100000' });
    admin = await asAdmin(app.api);
  });
  const clients: MqttClient[] = [];
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.endAsync(true)));
    await app.close();
  });

  it(`${RUNS} generated payloads: each acknowledged, then stored whole or rejected with a reason`, async () => {
    const link = await aLinkedDevice(app.api, admin);
    const client = await connectLink(app.mqttUrl, link);
    clients.push(client);
    const notices: Array<{ messageId: unknown; reason: unknown }> = [];
    client.on('message', (_topic, payload) => notices.push(JSON.parse(payload.toString())));
    await client.subscribeAsync(`poc/v1/${link.serialNumber}/rejected`, { qos: 1 });

    let dropped = false;
    const drop = new Promise<void>((resolve) =>
      client.once('close', () => {
        dropped = true;
        resolve();
      }),
    );
    const samples = fc.sample(payloads(link), { numRuns: RUNS, seed: SEED });
    // A window of publishes in flight, as a phone relaying a backlog would.
    let next = 0;
    await Promise.race([
      drop,
      Promise.all(
        Array.from({ length: 100 }, async () => {
          while (next < samples.length && !dropped) await publish(client, link.serialNumber, samples[next++]);
        }),
      ),
    ]);
    expect({ dropped }).toEqual({ dropped: false });
    let seen = {};
    await waitFor(
      async () => {
        const [{ stored, rejected }] = await app.sql<{ stored: number; rejected: number }>(
          `SELECT (SELECT count(*) FROM telemetry WHERE serial_number = $1)::int AS stored,
                  (SELECT count(*) FROM rejected_messages WHERE serial_number = $1)::int AS rejected`,
          [link.serialNumber],
        );
        seen = { stored, rejected, notices: notices.length, connected: client.connected };
        return notices.length === rejected && stored + rejected === RUNS ? { stored, rejected } : undefined;
      },
      20_000,
      () => `a notice for every rejected message (seed ${SEED}; last seen ${JSON.stringify(seen)})`,
    ).then(({ stored, rejected }) =>
      process.stdout.write(
        `MQTT fuzz (seed ${SEED}): ${RUNS} payloads → ${stored} stored, ${rejected} rejected with a notice\n`,
      ),
    );
    expect(notices.every((n) => typeof n.reason === 'string' && n.reason.length > 0)).toBe(true);
    // What was stored is within the contract's bounds, field by field: nothing half-valid got in.
    const outOfBounds = await app.sql(
      `SELECT message_id, model, battery_pct, flow_setting, firmware, error_codes, device_time, received_at, accuracy_m
         FROM telemetry
        WHERE serial_number = $1 AND (
              length(model) NOT BETWEEN 1 AND 100 OR message_id !~ '^[A-Za-z0-9_-]{1,64}$'
           OR battery_pct NOT BETWEEN 0 AND 100 OR flow_setting NOT BETWEEN 0 AND 10 OR length(firmware) > 32
           OR cardinality(error_codes) > 32 OR EXISTS (SELECT 1 FROM unnest(error_codes) c WHERE c !~ '^[A-Za-z0-9_.-]{1,32}$')
           OR device_time > received_at + interval '1 day' OR accuracy_m NOT BETWEEN 0 AND 1000000)`,
      [link.serialNumber],
    );
    expect(outOfBounds).toEqual([]);
  }, 180_000);

  it('malformed packets from raw sockets do not take the broker down', async () => {
    const link = await aLinkedDevice(app.api, admin);
    const { port } = new URL(app.mqttUrl);
    const connect = generate({
      cmd: 'connect',
      protocolId: 'MQTT',
      protocolVersion: 4,
      clientId: `${link.serialNumber}-raw-fuzz`,
      clean: true,
      keepalive: 30,
      username: link.serialNumber,
      password: Buffer.from(link.password),
    });
    const publishPacket = generate({
      cmd: 'publish',
      topic: topicOf(link.serialNumber),
      payload: JSON.stringify(telemetry(link)),
      qos: 1,
      messageId: 1,
      retain: false,
      dup: false,
    });
    // Random bytes, and valid packets with bytes flipped, cut short or repeated: 500 connections.
    const streams = fc.sample(
      fc.oneof(
        fc.uint8Array({ minLength: 1, maxLength: 200 }).map((b) => Buffer.from(b)),
        fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 }), fc.boolean()).map(([at, byte, withConnect]) => {
          const packet = Buffer.concat([withConnect ? connect : Buffer.alloc(0), publishPacket]);
          const copy = Buffer.from(packet);
          copy[at % copy.length] = byte;
          return copy;
        }),
        fc.nat().map((cut) => Buffer.concat([connect, publishPacket]).subarray(0, cut % (connect.length + 40))),
      ),
      { numRuns: 500, seed: SEED },
    );
    for (let i = 0; i < streams.length; i += 50) {
      await Promise.all(
        streams.slice(i, i + 50).map(
          (bytes) =>
            new Promise<void>((resolve) => {
              const socket = createConnection(Number(port), '127.0.0.1');
              socket.on('error', () => resolve());
              socket.on('close', () => resolve());
              socket.write(bytes, () => setTimeout(() => socket.destroy(), 20));
            }),
        ),
      );
    }
    // The broker still serves a well-behaved device (another one: this one has used up its connection attempts).
    const calm = await aLinkedDevice(app.api, admin);
    const client = await connectLink(app.mqttUrl, calm);
    const message = telemetry(calm);
    await publish(client, calm.serialNumber, message);
    expect(await app.sql('SELECT 1 FROM telemetry WHERE message_id = $1', [message.messageId])).toHaveLength(1);
    clients.push(client);
    expect((await app.api.get('/health/ready')).status).toBe(200);
  }, 60_000);
});
