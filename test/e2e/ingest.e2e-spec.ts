import { randomUUID } from 'node:crypto';
import type { MqttClient } from 'mqtt';
import { generate } from 'mqtt-packet';
import { createConnection } from 'node:net';
import { asAdmin, aUser } from '../support/builders';
import { aLinkedDevice, connectLink, DeviceLink, publish, telemetry } from '../support/device-link';
import { startTestApp, TestApp } from '../support/test-app';
import { wholeDatabaseText } from '../support/database-text';
import { waitFor } from '../support/wait-for';

describe('telemetry ingest over MQTT', () => {
  let app: TestApp;
  let admin: string;
  const clients: MqttClient[] = [];
  const connect = async (link: Pick<DeviceLink, 'serialNumber' | 'password'>) => {
    const client = await connectLink(app.mqttUrl, link);
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    // Some tests stream hundreds of messages from one device; the rate limits have their own tests.
    app = await startTestApp({ DEVICE_PUBLISH_PER_SECOND: '10000', DEVICE_PUBLISH_BURST: '10000' });
    admin = await asAdmin(app.api);
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.endAsync(true)));
    await app.close();
  });

  it('refuses a link with a wrong secret or an unknown serial', async () => {
    const link = await aLinkedDevice(app.api, admin);
    await expect(connectLink(app.mqttUrl, { ...link, password: 'wrong-secret' })).rejects.toThrow(
      /Bad username or password/i,
    );
    await expect(connectLink(app.mqttUrl, { serialNumber: 'NO-SUCH-1', password: link.password })).rejects.toThrow(
      /Bad username or password/i,
    );
  });

  it('stores a message before acknowledging it, and updates the latest state', async () => {
    const link = await aLinkedDevice(app.api, admin);
    const client = await connect(link);
    const message = telemetry(link, { errorCodes: ['E07'] });
    await publish(client, link.serialNumber, message);
    // PUBACK arrived: the row must already be there, no waiting.
    const rows = await app.sql('SELECT * FROM telemetry WHERE message_id = $1', [message.messageId]);
    expect(rows).toHaveLength(1);
    const support = await aUser(app.api, admin, 'support');
    // The location is read for one of the policy's purposes: here a stated reason (a break-glass read).
    const why = `reason=${encodeURIComponent('ticket 123: the patient reports no fix')}`;
    const record = await app.api.get(`/v1/internal/devices/${link.serialNumber}?${why}`, support.token);
    expect(record.status).toBe(200);
    expect(record.body).toMatchObject({
      serialNumber: link.serialNumber,
      model: link.model,
      suppliedBy: null,
      processingRestricted: false,
      lastConnectedAt: message.connectedAt,
      errorCode: 'E07',
      lastLocation: { lat: 34.4358, lon: -119.8276, accuracyM: 12, capturedAt: message.location.capturedAt },
      lossReport: null,
    });
    const history = await app.api.get(`/v1/internal/devices/${link.serialNumber}/telemetry?${why}`, support.token);
    expect(history.body.items).toEqual([
      {
        messageId: message.messageId,
        serialNumber: link.serialNumber,
        model: link.model,
        sentAt: message.sentAt,
        connectedAt: message.connectedAt,
        errorCodes: ['E07'],
        location: { lat: 34.4358, lon: -119.8276, accuracyM: 12, capturedAt: message.location.capturedAt },
        locationFlag: null,
        batteryPct: 81,
        flowSetting: 3,
        firmware: '5.2.1',
        receivedAt: expect.any(String),
      },
    ]);
  });

  it('stores a message delivered twice once', async () => {
    const link = await aLinkedDevice(app.api, admin);
    const client = await connect(link);
    const message = telemetry(link);
    await publish(client, link.serialNumber, message);
    await publish(client, link.serialNumber, message);
    await Promise.all([publish(client, link.serialNumber, message), publish(client, link.serialNumber, message)]);
    const rows = await app.sql('SELECT 1 FROM telemetry WHERE message_id = $1', [message.messageId]);
    expect(rows).toHaveLength(1);
  });

  it('a late message does not move the last location or connection back', async () => {
    const link = await aLinkedDevice(app.api, admin);
    const client = await connect(link);
    const newer = telemetry(link, {
      connectedAt: '2026-11-21T10:00:00Z',
      sentAt: '2026-11-21T10:00:01Z',
      location: { lat: 10, lon: 10, capturedAt: '2026-11-21T10:00:00Z' },
      errorCodes: [],
    });
    const older = telemetry(link, {
      connectedAt: '2026-11-21T09:00:00Z',
      sentAt: '2026-11-21T09:00:01Z',
      location: { lat: 20, lon: 20, capturedAt: '2026-11-21T09:00:00Z' },
      errorCodes: ['E99'],
    });
    await publish(client, link.serialNumber, newer);
    await publish(client, link.serialNumber, older);
    const [state] = await app.sql<{ last: Date; error_code: string | null; lat: number }>(
      `SELECT device_time AS last, error_code, ST_Y(location::geometry) AS lat FROM device_latest_state WHERE serial_number = $1`,
      [link.serialNumber],
    );
    expect(state).toEqual({ last: new Date('2026-11-21T10:00:00Z'), error_code: null, lat: 10 });
    expect(await app.sql('SELECT 1 FROM telemetry WHERE serial_number = $1', [link.serialNumber])).toHaveLength(2);
  });

  it('rejects invalid JSON and invalid fields with a notice and a stored reason', async () => {
    const link = await aLinkedDevice(app.api, admin);
    const client = await connect(link);
    const notices: Array<{ messageId: string | null; reason: string }> = [];
    client.on('message', (_topic, payload) => notices.push(JSON.parse(payload.toString())));
    await client.subscribeAsync(`poc/v1/${link.serialNumber}/rejected`, { qos: 1 });
    const bad = telemetry(link, { batteryPct: 300 });
    await publish(client, link.serialNumber, '{"messageId": "broken');
    await publish(client, link.serialNumber, bad);
    await waitFor(async () => (notices.length >= 2 ? true : undefined));
    expect(notices).toEqual([
      { messageId: null, reason: 'payload is not valid JSON' },
      { messageId: bad.messageId, reason: expect.stringContaining('batteryPct') },
    ]);
    const stored = await app.sql<{ message_id: string | null; reason: string }>(
      'SELECT message_id, reason FROM rejected_messages WHERE serial_number = $1 ORDER BY id',
      [link.serialNumber],
    );
    expect(stored).toEqual([
      { message_id: null, reason: 'payload is not valid JSON' },
      { message_id: bad.messageId, reason: expect.stringContaining('batteryPct') },
    ]);
    expect(await app.sql('SELECT 1 FROM telemetry WHERE serial_number = $1', [link.serialNumber])).toEqual([]);
  });

  it('a message the database refuses is rejected alone; the others committed with it are stored', async () => {
    const link = await aLinkedDevice(app.api, admin);
    const client = await connect(link);
    const notices: Array<{ messageId: string; reason: string }> = [];
    client.on('message', (_topic, payload) => notices.push(JSON.parse(payload.toString())));
    await client.subscribeAsync(`poc/v1/${link.serialNumber}/rejected`, { qos: 1 });
    // PostgreSQL text cannot hold NUL: the one message fails inside a group commit of 50.
    const good = Array.from({ length: 49 }, () => telemetry(link));
    const poison = telemetry(link, { firmware: 'v\u00001' });
    await Promise.all(
      [...good.slice(0, 20), poison, ...good.slice(20)].map((m) => publish(client, link.serialNumber, m)),
    );
    const stored = await app.sql<{ message_id: string }>('SELECT message_id FROM telemetry WHERE serial_number = $1', [
      link.serialNumber,
    ]);
    expect(stored.map((r) => r.message_id).sort()).toEqual(good.map((m) => m.messageId).sort());
    await waitFor(async () => (notices.length > 0 ? true : undefined));
    expect(notices).toEqual([{ messageId: poison.messageId, reason: 'a value cannot be stored' }]);
  });

  it('a payload over 16 KiB is rejected; a packet far over it is cut off at the socket, and others carry on', async () => {
    const link = await aLinkedDevice(app.api, admin);
    const client = await connect(link);
    const notices: Array<{ reason: string }> = [];
    client.on('message', (_topic, payload) => notices.push(JSON.parse(payload.toString())));
    await client.subscribeAsync(`poc/v1/${link.serialNumber}/rejected`, { qos: 1 });
    await publish(client, link.serialNumber, telemetry(link, { firmware: 'x'.repeat(16 * 1024) }));
    await waitFor(async () => (notices.length > 0 ? true : undefined));
    expect(notices).toEqual([{ messageId: null, reason: 'payload exceeds 16 KiB' }]);

    // A raw socket declares a 1 MiB PUBLISH after a valid CONNECT: dropped on its header alone.
    const { port } = new URL(app.mqttUrl);
    const raw = createConnection(Number(port), '127.0.0.1');
    const closed = new Promise<void>((resolve) => raw.once('close', () => resolve()));
    raw.write(
      generate({
        cmd: 'connect',
        protocolId: 'MQTT',
        protocolVersion: 4,
        clientId: `${link.serialNumber}-raw`,
        clean: true,
        keepalive: 30,
        username: link.serialNumber,
        password: Buffer.from(link.password),
      }),
    );
    raw.write(Buffer.from([0x32, 0x80, 0x80, 0x40])); // PUBLISH QoS 1, remaining length 1 MiB
    await closed;
    const next = telemetry(link);
    await publish(client, link.serialNumber, next);
    expect(await app.sql('SELECT 1 FROM telemetry WHERE message_id = $1', [next.messageId])).toHaveLength(1);
  });

  it('a rotated secret stops the old one at once and drops its live connection; support can revoke', async () => {
    const link = await aLinkedDevice(app.api, admin);
    const client = await connect(link);
    const dropped = new Promise<void>((resolve) => client.once('close', () => resolve()));
    const rotated = await app.api.post(`/v1/me/devices/${link.serialNumber}/secret`, {}, link.patient.token);
    expect(rotated.status).toBe(201);
    await dropped;
    await expect(connectLink(app.mqttUrl, link)).rejects.toThrow(/Bad username or password/i);
    const renewed = await connect({ ...link, password: rotated.body.mqtt.password });
    const next = telemetry(link);
    await publish(renewed, link.serialNumber, next);
    expect(await app.sql('SELECT 1 FROM telemetry WHERE message_id = $1', [next.messageId])).toHaveLength(1);

    const support = await aUser(app.api, admin, 'support');
    const revokedDrop = new Promise<void>((resolve) => renewed.once('close', () => resolve()));
    expect((await app.api.delete(`/v1/internal/devices/${link.serialNumber}/secret`, support.token)).status).toBe(204);
    await revokedDrop;
    await expect(connectLink(app.mqttUrl, { ...link, password: rotated.body.mqtt.password })).rejects.toThrow();
    const stranger = await aLinkedDevice(app.api, admin);
    expect((await app.api.post(`/v1/me/devices/${link.serialNumber}/secret`, {}, stranger.patient.token)).status).toBe(
      404,
    );
  });

  it('publishing to another serial stores nothing and ends the connection', async () => {
    const mine = await aLinkedDevice(app.api, admin);
    const other = await aLinkedDevice(app.api, admin);
    const client = await connect(mine);
    const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
    client.publish(`poc/v1/${other.serialNumber}/telemetry`, JSON.stringify(telemetry(other)), { qos: 1 });
    await closed;
    expect(await app.sql('SELECT 1 FROM telemetry WHERE serial_number = $1', [other.serialNumber])).toEqual([]);
  });

  it('may subscribe only to its own subtree', async () => {
    const mine = await aLinkedDevice(app.api, admin);
    const other = await aLinkedDevice(app.api, admin);
    const client = await connect(mine);
    const [own] = await client.subscribeAsync(`poc/v1/${mine.serialNumber}/#`, { qos: 1 });
    expect(own.qos).toBe(1);
    // The broker answers a refused subscription with the failure code 0x80, which MQTT.js raises.
    await expect(client.subscribeAsync(`poc/v1/${other.serialNumber}/#`, { qos: 1 })).rejects.toThrow(
      /Subscribe error/,
    );
    await expect(client.subscribeAsync('poc/v1/+/telemetry', { qos: 1 })).rejects.toThrow(/Subscribe error/);
  });

  it('with location collection off, no trace of the location is stored anywhere', async () => {
    const link = await aLinkedDevice(app.api, admin, { consent: { locationCollection: false } });
    const client = await connect(link);
    const marker = { lat: 12.3456789, lon: 98.7654321, accuracyM: 7.654321 };
    const message = telemetry(link, { location: { ...marker, capturedAt: new Date().toISOString() } });
    await publish(client, link.serialNumber, message);
    const [row] = await app.sql<{ location: unknown; error_codes: string[] }>(
      'SELECT location, error_codes FROM telemetry WHERE message_id = $1',
      [message.messageId],
    );
    expect(row).toEqual({ location: null, error_codes: [] });
    const everything = await wholeDatabaseText(app);
    for (const value of ['12.3456789', '98.7654321', '7.654321', '12.34567', '98.76543']) {
      expect(everything).not.toContain(value);
    }
    const geometries = await app.sql(
      `SELECT 1 FROM telemetry WHERE location IS NOT NULL AND serial_number = $1
       UNION ALL SELECT 1 FROM device_latest_state WHERE location IS NOT NULL AND serial_number = $1`,
      [link.serialNumber],
    );
    expect(geometries).toEqual([]);
  });

  it('until the policy is accepted, keeps only what the device link needs', async () => {
    const link = await aLinkedDevice(app.api, admin, { consent: { accepted: false } });
    const client = await connect(link);
    const message = telemetry(link, { errorCodes: ['E07'] });
    await publish(client, link.serialNumber, message);
    const [row] = await app.sql('SELECT location, error_codes, battery_pct FROM telemetry WHERE message_id = $1', [
      message.messageId,
    ]);
    expect(row).toEqual({ location: null, error_codes: [], battery_pct: null });
  });

  it('internal reads: the location trail oldest first, for internal roles only', async () => {
    const link = await aLinkedDevice(app.api, admin);
    const client = await connect(link);
    for (const [i, lat] of [30, 31, 32].entries()) {
      const at = new Date(Date.UTC(2026, 10, 20, 10, i)).toISOString();
      await publish(
        client,
        link.serialNumber,
        telemetry(link, { sentAt: at, connectedAt: at, location: { lat, lon: -119 } }),
      );
    }
    const support = await aUser(app.api, admin, 'support');
    const range = 'from=2026-11-20T00:00:00Z&to=2026-11-21T00:00:00Z';
    // Not reported lost: support reads the trail only with a stated reason (audited).
    const unstated = await app.api.get(`/v1/internal/devices/${link.serialNumber}/locations?${range}`, support.token);
    expect(unstated.status).toBe(403);
    const trail = await app.api.get(
      `/v1/internal/devices/${link.serialNumber}/locations?${range}&reason=patient%20asked%20where%20it%20was`,
      support.token,
    );
    expect(trail.status).toBe(200);
    expect(trail.body.items.map((p: { lat: number }) => p.lat)).toEqual([30, 31, 32]);
    expect(trail.body.items[0]).toEqual({
      lat: 30,
      lon: -119,
      accuracyM: null,
      capturedAt: '2026-11-20T10:00:00.000Z',
    });
    expect((await app.api.get(`/v1/internal/devices/${link.serialNumber}`, link.patient.token)).status).toBe(403);
    expect((await app.api.get(`/v1/internal/devices/NOPE-000`, support.token)).status).toBe(404);
    const badRange = await app.api.get(`/v1/internal/devices/${link.serialNumber}/telemetry?from=yesterday`, admin);
    expect(badRange.status).toBe(400);
  });

  it('every acknowledged message is stored exactly once across database connection loss', async () => {
    const link = await aLinkedDevice(app.api, admin);
    const client = await connectLink(app.mqttUrl, link);
    clients.push(client);
    const acked: string[] = [];
    const total = 400;
    let terminated = 0;
    const sends: Array<Promise<void>> = [];
    for (let i = 0; i < total; i++) {
      const message = telemetry(link, { messageId: randomUUID() });
      sends.push(
        publish(client, link.serialNumber, message).then(
          () => void acked.push(message.messageId),
          () => undefined,
        ),
      );
      if (i % 100 === 50) {
        // Cut every connection the service holds to its database.
        terminated += await app
          .sql(
            `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
            WHERE datname = current_database() AND application_name = 'poc-telemetry'`,
          )
          .then((rows) => rows.length);
      }
      if (i % 20 === 0) await new Promise((r) => setTimeout(r, 5));
    }
    await Promise.all(sends);
    expect(terminated).toBeGreaterThan(0);
    expect(acked.length).toBeGreaterThan(0);
    const rows = await app.sql<{ message_id: string; n: number }>(
      `SELECT message_id, count(*)::int AS n FROM telemetry WHERE serial_number = $1 GROUP BY message_id`,
      [link.serialNumber],
    );
    const stored = new Map(rows.map((r) => [r.message_id, r.n]));
    expect(acked.filter((id) => stored.get(id) !== 1)).toEqual([]);
    expect(rows.every((r) => r.n === 1)).toBe(true);
  });
});
