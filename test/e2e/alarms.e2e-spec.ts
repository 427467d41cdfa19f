import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { MqttClient } from 'mqtt';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SHIPPED_CATALOG } from '@poc/alarms';
import { provisionFleet } from '../../device-sim/fleet';
import { SimHttp } from '../../device-sim/http-client';
import { connectFleet, simulate } from '../../device-sim/simulation';
import { aProvider, aUser } from '../support/builders';
import { aLinkedDevice, connectLink, consentChoices, publish, telemetry } from '../support/device-link';
import { ADMIN, TestApp, useTestApp } from '../support/test-app';
import { waitFor } from '../support/wait-for';

interface Alarm {
  id: string;
  serialNumber: string;
  kind: string;
  code: string | null;
  severity: string;
  text: string;
  state: string;
  acknowledged: boolean;
}

/** A webhook receiver that checks every signature and answers as told. */
class Receiver {
  readonly received: Array<{ delivery: string; body: { event: string; alarm: Alarm }; validSignature: boolean }> = [];
  answer = 200;
  secret = '';
  private server!: Server;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      void readBody(request).then((raw) => {
        this.received.push({
          delivery: String(request.headers['x-webhook-delivery']),
          body: JSON.parse(raw),
          validSignature: verify(this.secret, raw, String(request.headers['x-signature'])),
        });
        response.writeHead(this.answer).end();
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}

const readBody = (request: IncomingMessage): Promise<string> =>
  new Promise((resolve) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c)).on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });

// As a receiver verifies it (docs/alarms.md): HMAC-SHA256 over "t.body", compared in constant time, t recent.
function verify(secret: string, body: string, header: string): boolean {
  const parts = Object.fromEntries(header.split(',').map((p) => p.split('=') as [string, string]));
  const expected = createHmac('sha256', secret).update(`${parts.t}.${body}`).digest('hex');
  const fresh = Math.abs(Date.now() / 1000 - Number(parts.t)) < 300;
  return fresh && parts.v1?.length === expected.length && timingSafeEqual(Buffer.from(parts.v1), Buffer.from(expected));
}

describe('alarms', () => {
  let app: TestApp;
  let admin: string;
  let support: string;
  let provider: { id: string; token: string };
  const clients: MqttClient[] = [];

  // Declared first, so it runs before the app closes: the broker waits for connected clients.
  afterAll(() => Promise.all(clients.map((c) => c.endAsync(true))));
  useTestApp((started) => ({ app, admin } = started), {
    ALARM_SWEEP_SECONDS: '1',
    ALARM_ESCALATE_AFTER_SECONDS: '4',
    WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
    WEBHOOK_RETRY_BASE_MS: '200',
    WEBHOOK_MAX_ATTEMPTS: '3',
  });

  beforeAll(async () => {
    support = (await aUser(app.api, admin, 'support')).token;
    const { id } = await aProvider(app.api, admin);
    provider = { id, token: (await aUser(app.api, admin, 'provider', id)).token };
  });

  const linked = async (model = 'Inogen One G5') => {
    const link = await aLinkedDevice(app.api, admin, { suppliedBy: provider.id, model });
    const client = await connectLink(app.mqttUrl, link);
    clients.push(client);
    return { link, send: (over: Record<string, unknown>) => publish(client, link.serialNumber, telemetry(link, over)) };
  };
  // Device times in the past: the service takes a time ahead of its clock as its own receipt time.
  const at = (seconds: number) => new Date(Date.now() - 120_000 + seconds * 1000).toISOString();
  const internalAlarms = async (serial: string, state?: string): Promise<Alarm[]> =>
    (await app.api.get(`/v1/internal/alarms?serialNumber=${serial}${state ? `&state=${state}` : ''}`, support)).body
      .items;
  const providerAlarms = async (serial: string): Promise<Alarm[]> =>
    (await app.api.get('/v1/provider/alarms?limit=500', provider.token)).body.items.filter(
      (a: Alarm) => a.serialNumber === serial,
    );

  it('each catalogued code gives exactly one alarm with its catalog text, repeats included; a code no longer reported clears, and a late message changes nothing', async () => {
    const { link, send } = await linked();
    const catalog = SHIPPED_CATALOG.filter((e) => e.model === 'Inogen One G5');
    const codes = catalog.map((e) => e.code);
    for (let i = 0; i < 3; i++) await send({ sentAt: at(i), connectedAt: at(i), errorCodes: codes });
    const active = await waitFor(async () => {
      const items = await internalAlarms(link.serialNumber, 'active');
      return items.length === codes.length ? items : undefined;
    });
    await new Promise((r) => setTimeout(r, 1500)); // a sweep later, still one each
    expect(await internalAlarms(link.serialNumber)).toHaveLength(codes.length);
    for (const entry of catalog) {
      expect(active.filter((a) => a.code === entry.code)).toEqual([
        expect.objectContaining({ kind: 'error_code', severity: entry.severity, text: entry.supportText }),
      ]);
    }
    const shared = await providerAlarms(link.serialNumber);
    expect(shared.map((a) => a.text).sort()).toEqual(catalog.map((e) => e.providerText).sort());
    for (const alarm of shared) {
      expect(Object.keys(alarm).sort()).toEqual(
        [
          'acknowledged',
          'clearedAt',
          'code',
          'id',
          'kind',
          'raisedAt',
          'serialNumber',
          'severity',
          'state',
          'text',
        ].sort(),
      );
    }

    // E07 only: the others clear; then a late message with every code changes nothing.
    await send({ sentAt: at(10), connectedAt: at(10), errorCodes: ['E07'] });
    await waitFor(async () => ((await internalAlarms(link.serialNumber, 'active')).length === 1 ? true : undefined));
    await send({ sentAt: at(5), connectedAt: at(5), errorCodes: codes });
    await new Promise((r) => setTimeout(r, 1500));
    const after = await internalAlarms(link.serialNumber);
    expect(after.filter((a) => a.state === 'active').map((a) => a.code)).toEqual(['E07']);
    expect(after).toHaveLength(codes.length); // the cleared ones kept as history, none re-opened
  });

  it("under the simulator's load (every catalogued code, unknown codes, duplicates, late messages) each device's active alarms are exactly its latest codes", async () => {
    const fleet = await provisionFleet(new SimHttp(app.running.httpUrl), {
      devices: 30,
      adminUser: ADMIN.username,
      adminPassword: ADMIN.password,
      cacheFile: join(mkdtempSync(join(tmpdir(), 'poc-sim-')), 'fleet.json'),
      apiUrl: app.running.httpUrl,
    });
    const fleetClients = await connectFleet(app.mqttUrl, fleet);
    clients.push(...fleetClients);
    const codes = [...new Set(SHIPPED_CATALOG.map((e) => e.code))];
    const report = await simulate(fleet, fleetClients, {
      mqttUrl: app.mqttUrl,
      rate: 150,
      durationS: 4,
      qos: 1,
      mix: { invalid: 0, duplicate: 0.05, late: 0.05, codes, codeRate: 0.7, unknownRate: 0.1 },
      silent: 0,
    });
    expect(report.failed).toBe(0);
    const serials = fleet.map((d) => d.serialNumber);
    const mismatches = () =>
      app.sql<{ serial: string; latest: string[]; active: string[] }>(
        `SELECT s.serial_number AS serial, s.error_codes AS latest,
                coalesce(array_agg(a.code) FILTER (WHERE a.id IS NOT NULL), '{}') AS active
           FROM device_latest_state s
           LEFT JOIN alarms a ON a.serial_number = s.serial_number AND a.state = 'active' AND a.kind <> 'offline'
          WHERE s.serial_number = ANY ($1)
          GROUP BY s.serial_number, s.error_codes
         HAVING coalesce(array_agg(a.code ORDER BY a.code) FILTER (WHERE a.id IS NOT NULL), '{}')
                IS DISTINCT FROM (SELECT coalesce(array_agg(DISTINCT c ORDER BY c), '{}') FROM unnest(s.error_codes) c)`,
        [serials],
      );
    await waitFor(
      async () => ((await mismatches()).length === 0 ? true : undefined),
      10_000,
      () => 'matching alarms',
    );
    // Each catalogued code was raised under its catalog text somewhere; uncatalogued ones as unknown codes.
    const raised = await app.sql<{ model: string; code: string; kind: string }>(
      `SELECT DISTINCT d.model, a.code, a.kind FROM alarms a JOIN devices d USING (serial_number)
        WHERE a.serial_number = ANY ($1)`,
      [serials],
    );
    const catalogued = new Set(SHIPPED_CATALOG.map((e) => `${e.model}/${e.code}`));
    for (const { model, code, kind } of raised) {
      const expected = catalogued.has(`${model}/${code}`) ? 'error_code' : 'unknown_code';
      expect({ model, code, kind }).toEqual({ model, code, kind: expected });
    }
    const g5 = raised.filter((r) => r.model === 'Inogen One G5' && r.kind === 'error_code').map((r) => r.code);
    expect(new Set(g5)).toEqual(new Set(SHIPPED_CATALOG.filter((e) => e.model === 'Inogen One G5').map((e) => e.code)));
  }, 60_000);

  it('an unknown code raises an "unknown error code" alarm of its own', async () => {
    const { link, send } = await linked();
    await send({ errorCodes: ['X42'] });
    const [alarm] = await waitFor(async () => {
      const items = await internalAlarms(link.serialNumber, 'active');
      return items.length > 0 ? items : undefined;
    });
    expect(alarm).toMatchObject({ kind: 'unknown_code', code: 'X42', text: 'Unknown error code X42' });
  });

  it('a silent device raises "offline" within its period plus a sweep, once; it clears when the device reports', async () => {
    const model = 'Test Silent 1';
    const set = await app.api.put(
      `/v1/admin/alarm-models/${encodeURIComponent(model)}`,
      { offlineAfterSeconds: 2 },
      admin,
    );
    expect(set.status).toBe(200);
    const { link, send } = await linked(model);
    await send({});
    const reported = Date.now();
    const [offline] = await waitFor(
      async () => {
        const items = (await internalAlarms(link.serialNumber, 'active')).filter((a) => a.kind === 'offline');
        return items.length > 0 ? items : undefined;
      },
      15_000,
      'an offline alarm',
    );
    // Within the period plus one minute (the goal); here, with a 1 s sweep, well within it.
    expect(Date.now() - reported).toBeLessThan(2000 + 10_000);
    expect(offline).toMatchObject({ code: null, severity: 'major' });
    await new Promise((r) => setTimeout(r, 2500));
    expect((await internalAlarms(link.serialNumber)).filter((a) => a.kind === 'offline')).toHaveLength(1);
    await send({});
    await waitFor(async () => ((await internalAlarms(link.serialNumber, 'active')).length === 0 ? true : undefined));
  });

  it("a provider sees only its own devices' alarms, and none while sharing is withdrawn", async () => {
    const { link, send } = await linked();
    const other = await aLinkedDevice(app.api, admin);
    const otherClient = await connectLink(app.mqttUrl, other);
    clients.push(otherClient);
    await send({ errorCodes: ['E03'] });
    await publish(otherClient, other.serialNumber, telemetry(other, { errorCodes: ['E03'] }));
    const [mine] = await waitFor(async () => {
      const items = await providerAlarms(link.serialNumber);
      return items.length > 0 ? items : undefined;
    });
    const [theirs] = await waitFor(async () => {
      const items = await internalAlarms(other.serialNumber);
      return items.length > 0 ? items : undefined;
    });
    expect(await providerAlarms(other.serialNumber)).toEqual([]);
    expect((await app.api.get(`/v1/provider/alarms/${theirs.id}`, provider.token)).status).toBe(404);
    expect((await app.api.post(`/v1/provider/alarms/${theirs.id}/acknowledge`, {}, provider.token)).status).toBe(404);

    await app.api.put('/v1/me/consents', consentChoices({ shareWithProvider: false }), link.patient.token);
    expect(await providerAlarms(link.serialNumber)).toEqual([]);
    expect((await app.api.get(`/v1/provider/alarms/${mine.id}`, provider.token)).status).toBe(404);
    expect((await app.api.post(`/v1/provider/alarms/${mine.id}/acknowledge`, {}, provider.token)).status).toBe(404);
    // What happens while sharing is off stays undisclosed when it is turned back on.
    await send({ errorCodes: ['E03', 'E05'] });
    await waitFor(async () => ((await internalAlarms(link.serialNumber)).length === 2 ? true : undefined));
    await app.api.put('/v1/me/consents', consentChoices({ shareWithProvider: true }), link.patient.token);
    expect((await providerAlarms(link.serialNumber)).map((a) => a.code)).toEqual(['E03']);
    const unshared = (await internalAlarms(link.serialNumber)).find((a) => a.code === 'E05') as Alarm;
    expect((await app.api.get(`/v1/provider/alarms/${unshared.id}`, provider.token)).status).toBe(404);
    // Support sees both, and the reads are audited.
    expect((await internalAlarms(link.serialNumber)).map((a) => a.code).sort()).toEqual(['E03', 'E05']);
    const audit = await app.sql(`SELECT 1 FROM audit_log WHERE action = 'provider.alarms.read'`);
    expect(audit.length).toBeGreaterThan(0);
  });

  it('acknowledgement and comments are kept and audited', async () => {
    const { link, send } = await linked();
    await send({ errorCodes: ['E02'] });
    const [alarm] = await waitFor(async () => {
      const items = await providerAlarms(link.serialNumber);
      return items.length > 0 ? items : undefined;
    });
    const acked = await app.api.post(
      `/v1/provider/alarms/${alarm.id}/acknowledge`,
      { comment: 'called the patient' },
      provider.token,
    );
    expect(acked.status).toBe(200);
    expect(acked.body).toMatchObject({
      acknowledged: true,
      comments: [expect.objectContaining({ text: 'called the patient' })],
    });
    const noted = await app.api.post(
      `/v1/internal/alarms/${alarm.id}/comments`,
      { text: 'battery swap shipped' },
      support,
    );
    expect(noted.body.comments.map((c: { text: string }) => c.text)).toEqual([
      'called the patient',
      'battery swap shipped',
    ]);
    // The provider reads its own comments only.
    expect((await app.api.get(`/v1/provider/alarms/${alarm.id}`, provider.token)).body.comments).toHaveLength(1);
    const actions = await app.sql<{ action: string }>(
      `SELECT action FROM audit_log WHERE action IN ('provider.alarm.acknowledge', 'internal.alarm.comment')`,
    );
    expect(new Set(actions.map((a) => a.action))).toEqual(
      new Set(['provider.alarm.acknowledge', 'internal.alarm.comment']),
    );
  });

  describe('webhooks', () => {
    const receiver = new Receiver();
    beforeAll(() => receiver.start());
    afterAll(() => receiver.stop());

    const register = async (token: string, path: string, body: Record<string, unknown>) => {
      const made = await app.api.post(path, { url: receiver.url, minSeverity: 'info', ...body }, token);
      expect(made.status).toBe(201);
      receiver.secret = made.body.secret;
      return made.body as { id: string; secret: string };
    };
    const deliveriesOf = async (token: string, path: string, hook: string) =>
      (await app.api.get(`${path}/${hook}/deliveries`, token)).body.items as Array<{
        id: string;
        state: string;
        attempts: number;
        event: string;
      }>;

    it('refuses a target that is not https or reaches an internal address', async () => {
      for (const url of ['http://example.org/hook', 'https://10.0.0.8/hook', 'https://localhost/hook', 'ftp://x']) {
        const made = await app.api.post(
          '/v1/provider/webhooks',
          { url, events: ['alarm.raised'], minSeverity: 'info' },
          provider.token,
        );
        expect({ url, status: made.status }).toEqual({ url, status: 400 });
      }
    });

    it('signs each delivery, retries after 500s, dead-letters after the limit, and replays', async () => {
      const path = '/v1/provider/webhooks';
      const hook = await register(provider.token, path, { events: ['alarm.raised'] });
      receiver.answer = 500;
      const { link, send } = await linked();
      await send({ errorCodes: ['E05'] });
      // The other tests' devices raise alarms too (one goes silent again): this device's delivery is the one.
      const ours = () => receiver.received.filter((r) => r.body.alarm.serialNumber === link.serialNumber);
      const dead = await waitFor(
        async () => {
          const delivery = ours()[0]?.delivery;
          const items = await deliveriesOf(provider.token, path, hook.id);
          return items.find((d) => d.id === delivery && d.state === 'dead');
        },
        10_000,
        'a dead letter',
      );
      expect(dead).toMatchObject({ attempts: 3, event: 'alarm.raised' });
      const tries = receiver.received.filter((r) => r.delivery === dead.id);
      expect(tries).toHaveLength(3);
      expect(tries.every((t) => t.validSignature)).toBe(true);
      expect(tries[0].body.alarm).toMatchObject({
        serialNumber: link.serialNumber,
        code: 'E05',
        text: 'Concentrator too hot',
      });
      expect(JSON.stringify(tries[0].body)).not.toContain(link.patient.id);
      // Each push is a disclosure to the webhook's owner: audited, naming the delivery.
      const sent = await app.sql(
        `SELECT 1 FROM audit_log WHERE action = 'webhook.alarm.send'
            AND $1 = ANY (string_to_array(substring(purpose FROM '^webhook deliveries (.*)$'), ' '))`,
        [dead.id],
      );
      expect(sent).toHaveLength(3);

      receiver.answer = 200;
      const replayed = await app.api.post(`${path}/${hook.id}/deliveries/${dead.id}/replay`, {}, provider.token);
      expect(replayed.status).toBe(200);
      await waitFor(async () =>
        (await deliveriesOf(provider.token, path, hook.id)).some((d) => d.id === dead.id && d.state === 'delivered')
          ? true
          : undefined,
      );
      expect(receiver.received.filter((r) => r.delivery === dead.id)).toHaveLength(4);
      // Another provider's token sees no such webhook.
      const { id } = await aProvider(app.api, admin);
      const stranger = (await aUser(app.api, admin, 'provider', id)).token;
      expect((await app.api.get(`${path}/${hook.id}/deliveries`, stranger)).status).toBe(404);
      await app.api.delete(`${path}/${hook.id}`, provider.token);
    });

    it('a delivery answered 500 is retried until it succeeds, and only events at or above the severity floor go', async () => {
      const path = '/v1/internal/webhooks';
      const hook = await register(support, path, { events: ['alarm.raised'], minSeverity: 'critical' });
      receiver.answer = 500;
      const { link, send } = await linked();
      await send({ errorCodes: ['E01', 'E03'] }); // minor and critical: only the critical one is wanted
      const ours = () => receiver.received.filter((r) => r.body.alarm.serialNumber === link.serialNumber);
      await waitFor(async () => (ours().length > 0 ? true : undefined), 10_000, 'a first attempt');
      receiver.answer = 200;
      const delivered = await waitFor(
        async () =>
          (await deliveriesOf(support, path, hook.id)).find(
            (d) => d.id === ours()[0].delivery && d.state === 'delivered',
          ),
        10_000,
        'the delivery',
      );
      expect(delivered.attempts).toBeGreaterThanOrEqual(2);
      expect(new Set(ours().map((r) => r.body.alarm.code))).toEqual(new Set(['E03']));
      await app.api.delete(`${path}/${hook.id}`, support);
    });

    it('escalation fires only for an alarm still unacknowledged', async () => {
      const path = '/v1/internal/webhooks';
      receiver.answer = 200;
      const hook = await register(support, path, { events: ['alarm.escalated'] });
      const { link, send } = await linked();
      await send({ errorCodes: ['E04', 'E09'] });
      const alarms = await waitFor(async () => {
        const items = await internalAlarms(link.serialNumber, 'active');
        return items.length === 2 ? items : undefined;
      });
      const acked = alarms.find((a) => a.code === 'E04') as Alarm;
      await app.api.post(`/v1/internal/alarms/${acked.id}/acknowledge`, {}, support);
      const escalated = await waitFor(
        async () => {
          const items = receiver.received.filter(
            (r) => r.body.event === 'alarm.escalated' && r.body.alarm.serialNumber === link.serialNumber,
          );
          return items.length > 0 ? items : undefined;
        },
        10_000,
        'an escalation',
      );
      await new Promise((r) => setTimeout(r, 1500));
      const all = receiver.received.filter(
        (r) => r.body.event === 'alarm.escalated' && r.body.alarm.serialNumber === link.serialNumber,
      );
      expect(all.map((r) => r.body.alarm.code)).toEqual(['E09']);
      expect(escalated[0].validSignature).toBe(true);
      await app.api.delete(`${path}/${hook.id}`, support);
    });
  });
});
