import mqtt, { MqttClient } from 'mqtt';
import { ExternalBrokerSource } from '@poc/telemetry';
import { asAdmin } from '../support/builders';
import { aLinkedDevice, DeviceLink, publish, telemetry, topicOf } from '../support/device-link';
import { Mosquitto, startMosquitto } from '../support/mosquitto';
import { startTestApp, TestApp } from '../support/test-app';
import { waitFor } from '../support/wait-for';

const DEVICES = 20;
const MESSAGES_PER_DEVICE = 50;

/** MQTT_URL mode: two service instances share one real Mosquitto 2's telemetry through $share/ingest. */
describe('consuming from an external broker (Mosquitto) with two instances', () => {
  let broker: Mosquitto;
  let first: TestApp;
  let second: TestApp;
  let links: DeviceLink[];
  const clients: MqttClient[] = [];

  const connect = async (link: DeviceLink, password = link.password): Promise<MqttClient> => {
    const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${broker.port}`, {
      username: link.serialNumber,
      password,
      reconnectPeriod: 0,
      connectTimeout: 3000,
    });
    clients.push(client);
    return client;
  };
  const storedCount = async (serials: string[]): Promise<number> =>
    Number(
      (
        await first.sql<{ n: string }>('SELECT count(*) AS n FROM telemetry WHERE serial_number = ANY($1)', [serials])
      )[0].n,
    );

  beforeAll(async () => {
    broker = await startMosquitto();
    first = await startTestApp({
      MQTT_URL: broker.ingestUrl,
      MQTT_CLIENT_ID: 'ingest-a',
      MQTT_CONSUMER_CONNECTIONS: '2',
    });
    second = await startTestApp({
      MQTT_URL: broker.ingestUrl,
      MQTT_CLIENT_ID: 'ingest-b',
      MQTT_CONSUMER_CONNECTIONS: '2',
      DATABASE_URL: first.databaseUrl,
    });
    const admin = await asAdmin(first.api);
    links = await Promise.all(Array.from({ length: DEVICES }, () => aLinkedDevice(first.api, admin)));
    await broker.addAccounts(links.map((l) => ({ username: l.serialNumber, password: l.password })));
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.endAsync(true)));
    await second?.close();
    await first?.close();
    await broker?.stop();
  });

  it('embeds no broker of its own', () => {
    expect(first.running.mqttUrl).toBeNull();
  });

  it('stores every message once, duplicates included, and both instances take a share', async () => {
    const sent = await Promise.all(
      links.map(async (link) => {
        const client = await connect(link);
        const messages = Array.from({ length: MESSAGES_PER_DEVICE }, () => telemetry(link));
        await Promise.all(messages.map((m) => publish(client, link.serialNumber, m)));
        await publish(client, link.serialNumber, messages[0]); // a redelivered copy
        return messages.length;
      }),
    );
    const expected = sent.reduce((a, b) => a + b, 0);
    const serials = links.map((l) => l.serialNumber);

    await waitFor(
      async () => ((await storedCount(serials)) >= expected ? true : undefined),
      20_000,
      'all messages stored',
    );
    const [{ rows, ids }] = await first.sql<{ rows: string; ids: string }>(
      'SELECT count(*) AS rows, count(DISTINCT message_id) AS ids FROM telemetry WHERE serial_number = ANY($1)',
      [serials],
    );
    expect({ rows: Number(rows), ids: Number(ids) }).toEqual({ rows: expected, ids: expected });

    // Every message and copy is handled by one of the instances, and each did part of the work.
    const shares = () => [first, second].map((app) => app.running.app.get(ExternalBrokerSource).handled);
    await waitFor(
      async () => (shares()[0] + shares()[1] >= expected + DEVICES ? shares() : undefined),
      10_000,
      'copies handled',
    );
    expect(shares()[0]).toBeGreaterThan(0);
    expect(shares()[1]).toBeGreaterThan(0);
  });

  it('rejects an invalid message with a notice through the broker and a stored reason', async () => {
    const [link] = links;
    const client = await connect(link);
    await client.subscribeAsync(`poc/v1/${link.serialNumber}/rejected`, { qos: 1 });
    const notice = new Promise<{ messageId: string; reason: string }>((resolve) =>
      client.on('message', (_topic, payload) => resolve(JSON.parse(payload.toString()))),
    );
    const bad = telemetry(link, { batteryPct: 250 });
    await publish(client, link.serialNumber, bad);

    expect(await notice).toEqual({ messageId: bad.messageId, reason: expect.stringMatching(/batteryPct/) });
    const rejected = await first.sql('SELECT reason FROM rejected_messages WHERE message_id = $1', [bad.messageId]);
    expect(rejected).toHaveLength(1);
  });

  it("the broker's ACL keeps a device off another serial's topic and refuses a wrong secret", async () => {
    const [mine, theirs] = links;
    const before = await storedCount([theirs.serialNumber]);
    const forger = await connect(mine);
    const forged = telemetry(theirs);
    // Mosquitto 2.0 denies it, answering a 3.1.1 client with a PUBACK it cannot parse, so the link drops.
    await new Promise<void>((settled) => {
      forger.once('close', settled);
      forger.publish(topicOf(theirs.serialNumber), JSON.stringify(forged), { qos: 1 }, () => settled());
    });
    // A control message on its own topic, stored after anything published before it on this connection.
    const control = telemetry(mine);
    await publish(await connect(mine), mine.serialNumber, control);
    await waitFor(async () =>
      (await first.sql('SELECT 1 FROM telemetry WHERE message_id = $1', [control.messageId])).length ? true : undefined,
    );

    expect(await first.sql('SELECT 1 FROM telemetry WHERE message_id = $1', [forged.messageId])).toEqual([]);
    expect(await storedCount([theirs.serialNumber])).toBe(before);
    await expect(connect(mine, 'wrong-secret')).rejects.toThrow(/not authorized|bad user name or password/i);
  });

  it('an instance stopped mid-stream and restarted loses nothing: its unacknowledged messages come back to it', async () => {
    const serials = links.map((l) => l.serialNumber);
    const before = await storedCount(serials);
    const streams = links.map(async (link) => {
      const client = await connect(link);
      const messages = Array.from({ length: MESSAGES_PER_DEVICE }, () => telemetry(link));
      for (const m of messages) await publish(client, link.serialNumber, m);
      return messages.length;
    });
    await new Promise((r) => setTimeout(r, 100));
    await second.close();
    second = await startTestApp({
      MQTT_URL: broker.ingestUrl,
      MQTT_CLIENT_ID: 'ingest-b',
      MQTT_CONSUMER_CONNECTIONS: '2',
      DATABASE_URL: first.databaseUrl,
    });
    const expected = before + (await Promise.all(streams)).reduce((a, b) => a + b, 0);

    await waitFor(async () => ((await storedCount(serials)) >= expected ? true : undefined), 20_000, 'all stored');
    const [{ rows, ids }] = await first.sql<{ rows: string; ids: string }>(
      'SELECT count(*) AS rows, count(DISTINCT message_id) AS ids FROM telemetry WHERE serial_number = ANY($1)',
      [serials],
    );
    expect({ rows: Number(rows), ids: Number(ids) }).toEqual({ rows: expected, ids: expected });
  });
});
