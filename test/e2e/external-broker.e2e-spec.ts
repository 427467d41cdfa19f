import mqtt, { MqttClient } from 'mqtt';
import { ExternalBrokerSource } from '@poc/telemetry';
import { aDevice, aPatient, asAdmin, aUser } from '../support/builders';
import { deviceAccount } from '../../libs/telemetry/src/mosquitto-device-accounts';
import { MosquittoDynsecControl } from '../../libs/telemetry/src/mosquitto-dynsec.control';
import { aLinkedDevice, DeviceLink, linkedDevices, publish, telemetry, topicOf } from '../support/device-link';
import { Mosquitto, startMosquitto } from '../support/mosquitto';
import { startTestApp, TestApp } from '../support/test-app';
import { waitFor } from '../support/wait-for';

const DEVICES = 20;
const HOOK_SECRET = 'external-broker-test-hook-secret-0123456789';
const MESSAGES_PER_DEVICE = 50;

/** MQTT_URL mode: two service instances share one real Mosquitto 2's telemetry through $share/ingest. */
describe('consuming from an external broker (Mosquitto) with two instances', () => {
  let broker: Mosquitto;
  let first: TestApp;
  let second: TestApp;
  let links: DeviceLink[];
  let admin: string;
  const clients: MqttClient[] = [];

  // On Mosquitto a device's account admits its serial, exactly, as the client id.
  const connect = async (link: DeviceLink, password = link.password, clientId = link.serialNumber) => {
    const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${broker.port}`, {
      username: link.serialNumber,
      password,
      clientId,
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

  const instance = (clientId: string, env: Record<string, string> = {}) =>
    startTestApp({
      MQTT_URL: broker.ingestUrl,
      MQTT_DYNSEC_URL: broker.dynsecUrl,
      MQTT_CLIENT_ID: clientId,
      MQTT_CONSUMER_CONNECTIONS: '2',
      // One signing key: a token from one instance is good at the other, as behind a load balancer.
      JWT_SECRET: 'external-broker-test-signing-key-0123456789',
      BROKER_HOOK_SECRET: HOOK_SECRET,
      ...env,
    });

  beforeAll(async () => {
    broker = await startMosquitto();
    first = await instance('ingest-a');
    second = await instance('ingest-b', { DATABASE_URL: first.databaseUrl });
    admin = await asAdmin(first.api);
    // Linking puts each device's account on the broker (its dynamic-security plugin).
    links = await linkedDevices(first.api, admin, DEVICES);
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

  const closed = (client: MqttClient) =>
    new Promise<number>((resolve) => client.once('close', () => resolve(Date.now())));
  const refusedWithin1s = async (link: DeviceLink, password: string) => {
    for (const started = Date.now(); Date.now() - started < 1000;) {
      try {
        (await connect(link, password)).end(true);
      } catch (error) {
        return String(error);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    return 'still admitted after 1 s';
  };

  it('a rotated, revoked or erased secret is refused by the broker and its live connection ends within a second', async () => {
    const support = await aUser(first.api, admin, 'support');
    const officer = await aUser(first.api, admin, 'privacy_officer');
    const [rotated, revoked, erased] = await Promise.all([1, 2, 3].map(() => aLinkedDevice(first.api, admin)));

    const rotatedClient = await connect(rotated);
    const rotation = closed(rotatedClient);
    const started = Date.now();
    const fresh = await first.api.post(`/v1/me/devices/${rotated.serialNumber}/secret`, {}, rotated.patient.token);
    expect(fresh.status).toBe(201);
    expect((await rotation) - started).toBeLessThan(1000);
    expect(await refusedWithin1s(rotated, rotated.password)).toMatch(/not authorized/i);
    const renewed = await connect(rotated, fresh.body.mqtt.password);
    const message = telemetry(rotated);
    await publish(renewed, rotated.serialNumber, message);

    const revokedClient = await connect(revoked);
    const revocation = closed(revokedClient);
    const revokedAt = Date.now();
    // Revoked through the second instance: the other one hears of it from the database too.
    expect((await second.api.delete(`/v1/internal/devices/${revoked.serialNumber}/secret`, support.token)).status).toBe(
      204,
    );
    expect((await revocation) - revokedAt).toBeLessThan(1000);
    expect(await refusedWithin1s(revoked, revoked.password)).toMatch(/not authorized/i);

    const erasedClient = await connect(erased);
    const erasure = closed(erasedClient);
    const request = await first.api.post('/v1/me/privacy-requests', { type: 'erasure' }, erased.patient.token);
    const erasedAt = Date.now();
    await first.api.post(`/v1/internal/privacy-requests/${request.body.id}/complete`, {}, officer.token);
    expect((await erasure) - erasedAt).toBeLessThan(1000);
    expect(await refusedWithin1s(erased, erased.password)).toMatch(/not authorized/i);
  });

  it('an account the broker kept for a device with no secret (a missed notice) is swept away at start-up', async () => {
    const device = await aDevice(first.api, admin); // never linked: no secret in the database
    const control = await MosquittoDynsecControl.connect(broker.dynsecUrl, 'test-control');
    try {
      await control.run(deviceAccount(device.serialNumber, 'a-stale-secret'));
    } finally {
      await control.close();
    }
    const stale = { serialNumber: device.serialNumber, password: 'a-stale-secret' } as DeviceLink;
    const client = await connect(stale);
    const swept = closed(client);
    // An instance starting (here: the second, restarted under its own consumer id) sweeps the broker.
    await second.close();
    second = await instance('ingest-b', { DATABASE_URL: first.databaseUrl });
    await swept;
    await expect(connect(stale)).rejects.toThrow(/not authorized/i);
  });

  it("a device cannot borrow another device's client id, nor the ingest consumers', on the broker", async () => {
    const [victim, attacker] = links.slice(-2);
    const victimClient = await connect(victim);
    for (const clientId of [victim.serialNumber, 'ingest-a-0', `${attacker.serialNumber}-x`]) {
      await expect(connect(attacker, attacker.password, clientId)).rejects.toThrow(/not authorized/i);
    }
    expect(victimClient.connected).toBe(true);
    expect(first.running.app.get(ExternalBrokerSource).handled).toBeGreaterThan(0);
  });

  it('nothing is retained: a retained publish ends the connection and reaches no later subscriber', async () => {
    const [link] = links;
    const client = await connect(link);
    const ended = closed(client);
    client.publish(topicOf(link.serialNumber), JSON.stringify(telemetry(link)), { qos: 1, retain: true });
    await ended;
    const listener = await connect(link);
    const heard: string[] = [];
    listener.on('message', (topic) => heard.push(topic));
    await listener.subscribeAsync(`poc/v1/${link.serialNumber}/#`, { qos: 1 });
    await new Promise((r) => setTimeout(r, 300));
    expect(heard).toEqual([]);
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
    second = await instance('ingest-b', { DATABASE_URL: first.databaseUrl });
    const expected = before + (await Promise.all(streams)).reduce((a, b) => a + b, 0);

    await waitFor(async () => ((await storedCount(serials)) >= expected ? true : undefined), 20_000, 'all stored');
    const [{ rows, ids }] = await first.sql<{ rows: string; ids: string }>(
      'SELECT count(*) AS rows, count(DISTINCT message_id) AS ids FROM telemetry WHERE serial_number = ANY($1)',
      [serials],
    );
    expect({ rows: Number(rows), ids: Number(ids) }).toEqual({ rows: expected, ids: expected });
  });
  describe('the broker hook (POST /v1/broker/auth and /acl, as EMQX and mosquitto-go-auth call it)', () => {
    const ask = (path: 'auth' | 'acl', body: Record<string, unknown>, secret: string | null = HOOK_SECRET) =>
      first.api.request('POST', `/v1/broker/${path}`, {
        body,
        headers: secret ? { authorization: `Bearer ${secret}` } : {},
      });
    const verdictOf = async (path: 'auth' | 'acl', body: Record<string, unknown>) => {
      const response = await ask(path, body);
      expect(response.status).toBe(200);
      return response.body.result as 'allow' | 'deny';
    };
    const ingest = () => {
      const url = new URL(broker.ingestUrl);
      return { username: decodeURIComponent(url.username), password: decodeURIComponent(url.password) };
    };

    it('answers only the broker: no secret or a wrong one is 401, and a guessed body is no way in', async () => {
      const [link] = links;
      const body = { clientid: link.serialNumber, username: link.serialNumber, password: link.password };
      expect((await ask('auth', body, null)).status).toBe(401);
      expect((await ask('auth', body, `${HOOK_SECRET}x`)).status).toBe(401);
      expect(
        (await ask('acl', { ...body, topic: topicOf(link.serialNumber), action: 'publish' }, 'wrong')).status,
      ).toBe(401);
      expect((await ask('auth', { ...body, is_superuser: true })).body).toEqual({
        result: 'deny',
        ok: false,
        is_superuser: false,
      });
    });

    it('admits a device with its current secret under its own client id, and nothing else', async () => {
      const [link, other] = links;
      const device = { clientid: link.serialNumber, username: link.serialNumber, password: link.password };
      expect(await verdictOf('auth', device)).toBe('allow');
      expect(await verdictOf('auth', { ...device, clientid: `${link.serialNumber}-app` })).toBe('allow');
      expect((await ask('auth', device)).body).toEqual({ result: 'allow', ok: true, is_superuser: false });
      expect(await verdictOf('auth', { ...device, password: 'wrong-secret' })).toBe('deny');
      expect(await verdictOf('auth', { ...device, password: other.password })).toBe('deny');
      expect(await verdictOf('auth', { ...device, username: 'NO-SUCH-1', clientid: 'NO-SUCH-1' })).toBe('deny');
      // A borrowed client id would disconnect its owner (or an ingest consumer).
      expect(await verdictOf('auth', { ...device, clientid: other.serialNumber })).toBe('deny');
      expect(await verdictOf('auth', { ...device, clientid: 'ingest-a-0' })).toBe('deny');
      expect(await verdictOf('auth', { ...device, clientid: `${other.serialNumber}-app` })).toBe('deny');
      expect(await verdictOf('auth', { clientid: link.serialNumber, username: link.serialNumber })).toBe('deny');
      // Found by the HTTP fuzz test: a null password was a 500.
      expect(await verdictOf('auth', { ...device, password: null })).toBe('deny');
      expect(
        await verdictOf('acl', {
          ...device,
          password: undefined,
          username: null,
          topic: topicOf(link.serialNumber),
          action: 'publish',
          retain: null,
        }),
      ).toBe('deny');
      expect(await verdictOf('auth', { clientid: 'ingest-c-0', ...ingest() })).toBe('allow');
      // A device whose serial is a consumer's id up to a dash cannot take its ids (and the whole telemetry with them).
      const named = await first.api.post(
        '/v1/admin/devices',
        { serialNumber: 'ingest-a', model: 'G5', suppliedBy: null },
        admin,
      );
      const holder = await aPatient(first.api);
      const linked = await first.api.post(
        '/v1/me/devices',
        { registrationCode: named.body.registrationCode },
        holder.token,
      );
      const lookalike = { username: 'ingest-a', password: linked.body.mqtt.password };
      expect(linked.status).toBe(201);
      expect(await verdictOf('auth', { ...lookalike, clientid: 'ingest-a-0' })).toBe('deny');
      expect(await verdictOf('auth', { clientid: 'ingest-c-0', ...ingest(), password: 'guess' })).toBe('deny');
    });

    it('lets a device publish its own telemetry only, never retained, and subscribe under its own serial', async () => {
      const [link, other] = links;
      const as = { clientid: link.serialNumber, username: link.serialNumber };
      expect(await verdictOf('auth', { ...as, password: link.password })).toBe('allow');
      const own = topicOf(link.serialNumber);
      expect(await verdictOf('acl', { ...as, topic: own, action: 'publish', qos: '1', retain: 'false' })).toBe('allow');
      expect(await verdictOf('acl', { ...as, topic: own, action: 'publish', retain: 'true' })).toBe('deny');
      expect(await verdictOf('acl', { ...as, topic: topicOf(other.serialNumber), action: 'publish' })).toBe('deny');
      expect(await verdictOf('acl', { ...as, topic: `poc/v1/${link.serialNumber}/other`, action: 'publish' })).toBe(
        'deny',
      );
      const rejected = `poc/v1/${link.serialNumber}/rejected`;
      expect(await verdictOf('acl', { ...as, topic: rejected, action: 'subscribe' })).toBe('allow');
      for (const topic of [
        `poc/v1/${other.serialNumber}/rejected`,
        'poc/v1/+/telemetry',
        '#',
        '$share/x/poc/v1/+/telemetry',
      ]) {
        expect({ topic, verdict: await verdictOf('acl', { ...as, topic, action: 'subscribe' }) }).toEqual({
          topic,
          verdict: 'deny',
        });
      }
      // mosquitto-go-auth's form: acc 2 is write (publish), 4 subscribe, 1 read.
      expect(await verdictOf('acl', { ...as, topic: own, acc: 2 })).toBe('allow');
      expect(await verdictOf('acl', { ...as, topic: topicOf(other.serialNumber), acc: 2 })).toBe('deny');
      expect(await verdictOf('acl', { ...as, topic: topicOf(other.serialNumber), acc: 1 })).toBe('deny');
      // The ingest account consumes everyone's telemetry and sends notices, and publishes no telemetry.
      const consumer = { clientid: 'ingest-a-0', username: ingest().username };
      expect(
        await verdictOf('acl', { ...consumer, topic: '$share/ingest/poc/v1/+/telemetry', action: 'subscribe' }),
      ).toBe('allow');
      expect(await verdictOf('acl', { ...consumer, topic: rejected, action: 'publish' })).toBe('allow');
      expect(await verdictOf('acl', { ...consumer, topic: own, action: 'publish' })).toBe('deny');
      // go-auth asks per message whether the consumer may receive it (acc 1, the concrete topic).
      expect(await verdictOf('acl', { ...consumer, topic: own, acc: 1 })).toBe('allow');
      expect(await verdictOf('acl', { ...consumer, topic: rejected, acc: 1 })).toBe('deny');
      // Anything the hook cannot read is a refusal, never a 400 (EMQX would ask the next authenticator).
      expect(await verdictOf('acl', { ...as, topic: 'x'.repeat(600), action: 'publish' })).toBe('deny');
      expect(await verdictOf('auth', { clientid: link.serialNumber, username: link.serialNumber, extra: 1 })).toBe(
        'deny',
      );
    });

    it('a connection signed in with a since-rotated secret is refused from its next question', async () => {
      const link = await aLinkedDevice(first.api, admin);
      const as = { clientid: link.serialNumber, username: link.serialNumber };
      const publishing = { ...as, topic: topicOf(link.serialNumber), action: 'publish' };
      expect(await verdictOf('auth', { ...as, password: link.password })).toBe('allow');
      expect(await verdictOf('acl', publishing)).toBe('allow');
      // A client id that never signed in through the hook is no one's.
      expect(await verdictOf('acl', { ...publishing, clientid: `${link.serialNumber}-never` })).toBe('deny');
      const fresh = await first.api.post(`/v1/me/devices/${link.serialNumber}/secret`, {}, link.patient.token);
      expect(fresh.status).toBe(201);
      expect(await verdictOf('acl', publishing)).toBe('deny');
      expect(await verdictOf('auth', { ...as, password: link.password })).toBe('deny');
      // The device signing in again with its new secret has its rights back.
      expect(await verdictOf('auth', { ...as, password: fresh.body.mqtt.password })).toBe('allow');
      expect(await verdictOf('acl', publishing)).toBe('allow');
    });

    it('refuses a revoked secret at once, and a connection that outlived it on its next publish', async () => {
      const support = await aUser(first.api, admin, 'support');
      const link = await aLinkedDevice(first.api, admin);
      const device = { clientid: link.serialNumber, username: link.serialNumber, password: link.password };
      const publishing = {
        clientid: link.serialNumber,
        username: link.serialNumber,
        topic: topicOf(link.serialNumber),
      };
      expect(await verdictOf('auth', device)).toBe('allow');
      expect(await verdictOf('acl', { ...publishing, action: 'publish' })).toBe('allow');
      expect((await second.api.delete(`/v1/internal/devices/${link.serialNumber}/secret`, support.token)).status).toBe(
        204,
      );
      expect(await verdictOf('auth', device)).toBe('deny');
      expect(await verdictOf('acl', { ...publishing, action: 'publish' })).toBe('deny');
    });
  });
});
