import type { IClientOptions, MqttClient } from 'mqtt';
import { aPatient, asAdmin, aUser } from '../support/builders';
import { aLinkedDevice, connectLink, DeviceLink, publish, telemetry, topicOf } from '../support/device-link';
import { startTestApp, TestApp } from '../support/test-app';

/** Whatever arrives on the client within a moment (retained messages come right after the SUBACK). */
async function receivedAfterSubscribing(client: MqttClient, topic: string): Promise<string[]> {
  const received: string[] = [];
  client.on('message', (t, payload) => received.push(`${t} ${payload.toString()}`));
  await client.subscribeAsync(topic, { qos: 1 });
  await new Promise((resolve) => setTimeout(resolve, 300));
  return received;
}

const closed = (client: MqttClient) => new Promise<void>((resolve) => client.once('close', () => resolve()));

/** Attacks on the embedded broker and the ingest path, each ending refused with nothing changed. */
describe('an attacker on the MQTT side', () => {
  let app: TestApp;
  let admin: string;
  const clients: MqttClient[] = [];
  const connect = async (link: Pick<DeviceLink, 'serialNumber' | 'password'>, options?: IClientOptions) => {
    const client = await connectLink(app.mqttUrl, link, options);
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    app = await startTestApp();
    admin = await asAdmin(app.api);
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.endAsync(true)));
    await app.close();
  });

  it("cannot borrow another device's client id: refused at CONNECT, and the owner stays connected", async () => {
    const [victim, attacker] = await Promise.all([aLinkedDevice(app.api, admin), aLinkedDevice(app.api, admin)]);
    const victimClient = await connect(victim, { clientId: victim.serialNumber });
    for (const clientId of [victim.serialNumber, `${victim.serialNumber}-x`, 'ingest-a-0', '']) {
      await expect(connectLink(app.mqttUrl, attacker, { clientId, clean: true })).rejects.toThrow(
        /Identifier rejected/i,
      );
    }
    expect(victimClient.connected).toBe(true);
    const message = telemetry(victim);
    await publish(victimClient, victim.serialNumber, message);
    expect(await app.sql('SELECT 1 FROM telemetry WHERE message_id = $1', [message.messageId])).toHaveLength(1);
  });

  it("cannot take a device's session whose serial merely begins with its own serial and a dash", async () => {
    const attacker = await aLinkedDevice(app.api, admin);
    // A device whose serial is the attacker's and a suffix: `{serial}-...` would otherwise be the attacker's id.
    const made = await app.api.post(
      '/v1/admin/devices',
      { serialNumber: `${attacker.serialNumber}-B`, model: 'Inogen One G5', suppliedBy: null },
      admin,
    );
    const owner = await aPatient(app.api);
    const link = await app.api.post('/v1/me/devices', { registrationCode: made.body.registrationCode }, owner.token);
    const victim = { serialNumber: made.body.serialNumber, password: link.body.mqtt.password };
    const victimClient = await connect(victim, { clientId: victim.serialNumber });
    const victimApp = await connect(victim, { clientId: `${victim.serialNumber}-app` });
    // Its serial exactly, or its serial and a dash and anything (found by an attacker's review).
    for (const clientId of [victim.serialNumber, `${victim.serialNumber}-app`]) {
      await expect(connectLink(app.mqttUrl, attacker, { clientId })).rejects.toThrow(/Identifier rejected/i);
    }
    expect(victimClient.connected && victimApp.connected).toBe(true);
  });

  it('a connection cut off for a revoked secret leaves nothing behind: its will is not stored', async () => {
    const link = await aLinkedDevice(app.api, admin);
    const forged = telemetry(link, { errorCodes: ['E99'] });
    const will = { topic: topicOf(link.serialNumber), payload: Buffer.from(JSON.stringify(forged)), qos: 1 as const };
    const client = await connect(link, { will: { ...will, retain: false } });
    const dropped = closed(client);
    const support = await aUser(app.api, admin, 'support');
    expect((await app.api.delete(`/v1/internal/devices/${link.serialNumber}/secret`, support.token)).status).toBe(204);
    await dropped;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await app.sql('SELECT 1 FROM telemetry WHERE message_id = $1', [forged.messageId])).toEqual([]);
  });

  it('cannot park a retained message for the next subscriber, on its telemetry or any other topic', async () => {
    const link = await aLinkedDevice(app.api, admin);
    const client = await connect(link);
    // Retained telemetry is stored (and acknowledged) but never kept for replay.
    const message = telemetry(link);
    await client.publishAsync(topicOf(link.serialNumber), JSON.stringify(message), { qos: 1, retain: true });
    expect(await app.sql('SELECT 1 FROM telemetry WHERE message_id = $1', [message.messageId])).toHaveLength(1);
    // Anything else under its serial ends the connection and is kept nowhere.
    const parked = closed(client);
    client.publish(`poc/v1/${link.serialNumber}/anything`, 'stash', { qos: 1, retain: true });
    await parked;
    // Whoever holds the device's link next (here: the same credentials) hears nothing on subscribing.
    const next = await connect(link);
    expect(await receivedAfterSubscribing(next, `poc/v1/${link.serialNumber}/#`)).toEqual([]);
  });

  it('cannot pile up subscriptions on one connection', async () => {
    const link = await aLinkedDevice(app.api, admin);
    const client = await connect(link);
    const topics = Array.from({ length: 12 }, (_, i) => `poc/v1/${link.serialNumber}/t${i}`);
    const granted = await client
      .subscribeAsync(topics, { qos: 1 })
      .catch((e: { packet?: { granted: number[] } }) => (e.packet?.granted ?? []).map((qos) => ({ qos })));
    expect(granted.filter((g) => g.qos === 1)).toHaveLength(8);
    expect(granted.filter((g) => g.qos === 128)).toHaveLength(4);
  });

  it("an erased patient's device connection ends at once, and its secret no longer signs in", async () => {
    const link = await aLinkedDevice(app.api, admin);
    const client = await connect(link);
    const dropped = closed(client);
    const request = await app.api.post('/v1/me/privacy-requests', { type: 'erasure' }, link.patient.token);
    const officer = await aUser(app.api, admin, 'privacy_officer');
    const started = Date.now();
    expect(
      (await app.api.post(`/v1/internal/privacy-requests/${request.body.id}/complete`, {}, officer.token)).status,
    ).toBe(200);
    await dropped;
    expect(Date.now() - started).toBeLessThan(1000);
    await expect(connectLink(app.mqttUrl, link)).rejects.toThrow(/Bad username or password/i);
  });

  it('a credential changed by plain SQL (any path) also ends the live connection', async () => {
    const link = await aLinkedDevice(app.api, admin);
    const client = await connect(link);
    const dropped = closed(client);
    await app.sql('UPDATE devices SET secret_hash = NULL WHERE serial_number = $1', [link.serialNumber]);
    await dropped;
  });

  it('a late notice of the change a connection signed in with leaves it connected and acknowledged', async () => {
    const link = await aLinkedDevice(app.api, admin);
    const client = await connect(link);
    let dropped = false;
    client.on('close', () => (dropped = true));
    // The link's own notice, delivered after the sign-in (LISTEN/NOTIFY lags under load).
    await app.sql(`SELECT pg_notify('device_credentials_changed', $1)`, [link.serialNumber]);
    // The broker looks the version up after a notice: one more round trip after it, the connection still stands.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const message = telemetry(link);
    await publish(client, link.serialNumber, message);
    expect(dropped).toBe(false);
    expect(await app.sql('SELECT 1 FROM telemetry WHERE message_id = $1', [message.messageId])).toHaveLength(1);
  });

  it('a credential changed while the notices were lost still ends the connection once listening resumes', async () => {
    const link = await aLinkedDevice(app.api, admin);
    const client = await connect(link);
    const dropped = closed(client);
    const listeners = `SELECT pid FROM pg_stat_activity WHERE query LIKE 'LISTEN %' AND datname = current_database()`;
    await app.sql(`SELECT pg_terminate_backend(pid) FROM (${listeners}) l`);
    while ((await app.sql(listeners)).length > 0) await new Promise((r) => setTimeout(r, 10));
    // Nobody hears this notice...
    await app.sql('UPDATE devices SET secret_hash = NULL WHERE serial_number = $1', [link.serialNumber]);
    // ...but the broker checks its connections when it listens again (a second later).
    await dropped;
  });

  it("cannot shadow another device's message by reusing its messageId and device time", async () => {
    const [victim, attacker] = await Promise.all([aLinkedDevice(app.api, admin), aLinkedDevice(app.api, admin)]);
    const attackerClient = await connect(attacker);
    const victimClient = await connect(victim);
    const message = telemetry(victim);
    // The attacker learns (or guesses) the id and time first and publishes them under its own serial.
    await publish(attackerClient, attacker.serialNumber, { ...telemetry(attacker), ...pick(message) });
    await publish(victimClient, victim.serialNumber, message);
    const rows = await app.sql<{ serial_number: string }>(
      'SELECT serial_number FROM telemetry WHERE message_id = $1 ORDER BY serial_number',
      [message.messageId],
    );
    expect(rows.map((r) => r.serial_number).sort()).toEqual([attacker.serialNumber, victim.serialNumber].sort());
  });
});

const pick = (message: ReturnType<typeof telemetry>) => ({
  messageId: message.messageId,
  sentAt: message.sentAt,
  connectedAt: message.connectedAt,
});
