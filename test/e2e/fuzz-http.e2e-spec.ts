import { DiscoveryService } from '@nestjs/core';
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { routeRules } from '../../libs/auth/src';
import { aProvider, aUser } from '../support/builders';
import { aLinkedDevice, DeviceLink } from '../support/device-link';
import { TestApp, useTestApp } from '../support/test-app';

// Generated bodies per run, over every endpoint that takes one (FUZZ_RUNS to change).
const RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);

// Every field name the API's bodies know, so generated bodies reach past "unknown field" to the checks.
const KEYS = [
  ...['username', 'password', 'email', 'birthDate', 'role', 'providerId', 'refreshToken', 'name', 'kind', 'type'],
  ...['serialNumber', 'model', 'suppliedBy', 'registrationCode', 'policyVersion', 'locationCollection'],
  ...['shareWithProvider', 'marketing', 'saleOptOut', 'patientId', 'reason', 'lat', 'lon', 'phone', 'address'],
  ...['modelsServiced', 'features', 'properties', 'geometry', 'location', 'errorCodes'],
];

/** A valid body for each endpoint that takes one; the fuzzer mutates these as well as making its own. */
const examples = (serialNumber = 'FZ-0001'): Record<string, Record<string, unknown>> => ({
  'PATCH /v1/admin/service-offices/:id': { name: 'Fuzz office B', phone: '+1 805 555 0100' },
  'PUT /v1/admin/alarm-codes/:model/:code': {
    severity: 'minor',
    providerText: 'Fuzz alert',
    supportText: 'Fuzz alert, for support',
    action: 'Nothing to do',
  },
  'PUT /v1/admin/alarm-models/:model': { offlineAfterSeconds: 3600 },
  'PATCH /v1/internal/alarms/:id': { assignee: null },
  'POST /v1/internal/alarms/:id/acknowledge': { comment: 'called the patient' },
  'POST /v1/internal/alarms/:id/comments': { text: 'battery shipped' },
  'POST /v1/provider/alarms/:id/acknowledge': { comment: 'on our way' },
  'POST /v1/provider/alarms/:id/comments': { text: 'visit booked' },
  'POST /v1/internal/webhooks': {
    url: 'https://hooks.example.invalid/poc',
    events: ['alarm.raised'],
    minSeverity: 'major',
  },
  'POST /v1/provider/webhooks': {
    url: 'https://hooks.example.invalid/poc',
    events: ['alarm.raised'],
    minSeverity: 'major',
  },
  'POST /v1/admin/devices': {
    serialNumber: `FZ-${randomUUID().slice(0, 8)}`,
    model: 'Inogen One G5',
    suppliedBy: null,
  },
  'POST /v1/admin/providers': { name: 'Fuzz provider' },
  'POST /v1/admin/service-offices': { name: 'Fuzz office', kind: 'branch', location: { lat: 34.4, lon: -119.8 } },
  'POST /v1/admin/service-offices/import': {
    type: 'FeatureCollection',
    features: [
      {
        type: 'Feature',
        geometry: { type: 'Point', coordinates: [-119.8, 34.4] },
        properties: { name: 'Imported office', kind: 'branch' },
      },
    ],
  },
  'POST /v1/admin/users': {
    username: `fz-${randomUUID().slice(0, 8)}`,
    password: 'a-long-fuzz-password',
    role: 'support',
  },
  'POST /v1/broker/acl': {
    clientid: serialNumber,
    username: serialNumber,
    topic: `poc/v1/${serialNumber}/telemetry`,
    action: 'publish',
    qos: 1,
    retain: false,
  },
  'POST /v1/broker/auth': { clientid: serialNumber, username: serialNumber, password: 'not-the-secret' },
  'POST /v1/auth/password': { currentPassword: 'not-the-password', newPassword: 'a-long-fuzz-password' },
  'POST /v1/auth/refresh': { refreshToken: randomUUID() },
  'POST /v1/auth/register': {
    username: `fz-${randomUUID().slice(0, 8)}`,
    password: 'a-long-fuzz-password',
    email: 'fuzz@example.invalid',
    birthDate: '1950-01-01',
  },
  'POST /v1/auth/token': { username: 'nobody-here', password: 'a-long-fuzz-password' },
  'PATCH /v1/me': { email: 'fuzz-corrected@example.invalid' },
  'POST /v1/internal/device-claims/:id/reject': { reason: 'no proof of purchase' },
  'POST /v1/internal/privacy-requests': {
    patientId: randomUUID(),
    type: 'access',
    agent: { name: 'An agent', evidenceRef: 'POA-1' },
  },
  'POST /v1/internal/privacy-requests/:id/complete': { note: 'corrected the record' },
  'POST /v1/internal/privacy-requests/:id/refuse': { reason: 'identity not confirmed' },
  'POST /v1/internal/device-claims/:id/verify': { reason: 'invoice checked' },
  'POST /v1/internal/devices/:serialNumber/loss-reports': { kind: 'lost', reason: 'patient called support' },
  'POST /v1/internal/incidents': { summary: 'a laptop went missing' },
  'POST /v1/internal/incidents/:id/close': { note: 'recovered, no data read' },
  'POST /v1/internal/legal-holds': { serialNumber, reason: 'pending claim' },
  'POST /v1/me/devices': { registrationCode: 'K7QM-2XPD-9HTA' },
  'POST /v1/me/devices/:serialNumber/loss-reports': { kind: 'stolen' },
  'POST /v1/me/privacy-requests': { type: 'access' },
  'PUT /v1/me/consents': {
    policyVersion: '2021-05-06',
    locationCollection: true,
    shareWithProvider: true,
    marketing: false,
    saleOptOut: true,
  },
});

interface Target {
  route: string;
  method: string;
  path: string;
  token: string | undefined;
}

describe('fuzzing every HTTP body', () => {
  let app: TestApp;
  let admin: string;
  let link: DeviceLink;
  const tokens = new Map<string, string>();
  const targets: Target[] = [];

  const hookSecret = 'fuzz-http-test-broker-hook-secret-0123456789';
  useTestApp((started) => ({ app, admin } = started), { BROKER_HOOK_SECRET: hookSecret });

  /** Counts every row any request inserts, updates or deletes (counted attempts aside: counting them is the point). */
  async function countChanges(): Promise<void> {
    await app.sql(`CREATE TABLE IF NOT EXISTS fuzz_changes (n bigint NOT NULL)`);
    await app.sql(`INSERT INTO fuzz_changes SELECT 0 WHERE NOT EXISTS (SELECT FROM fuzz_changes)`);
    await app.sql(`CREATE OR REPLACE FUNCTION fuzz_count() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER AS
      $$ BEGIN UPDATE fuzz_changes SET n = n + 1; RETURN NULL; END $$`);
    await app.sql(`DO $$ DECLARE t record; BEGIN
      FOR t IN SELECT c.relname FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace
                WHERE s.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
                  AND c.relname NOT IN ('fuzz_changes', 'attempt_counts', 'spatial_ref_sys') LOOP
        EXECUTE format('CREATE TRIGGER fuzz_count AFTER INSERT OR UPDATE OR DELETE ON %I
                        FOR EACH ROW EXECUTE FUNCTION fuzz_count()', t.relname);
      END LOOP; END $$`);
  }
  const changes = async () => Number((await app.sql<{ n: string }>('SELECT n FROM fuzz_changes'))[0].n);

  beforeAll(async () => {
    const provider = await aProvider(app.api, admin);
    link = await aLinkedDevice(app.api, admin, { suppliedBy: provider.id });
    tokens.set('admin', admin);
    tokens.set('broker', hookSecret);
    tokens.set('patient', link.patient.token);
    for (const role of ['provider', 'support', 'field_service', 'privacy_officer'] as const) {
      tokens.set(role, (await aUser(app.api, admin, role, role === 'provider' ? provider.id : undefined)).token);
    }
    const office = await app.api.post(
      '/v1/admin/service-offices',
      { name: 'Fuzz office', kind: 'branch', location: { lat: 1, lon: 2 } },
      admin,
    );
    const params: Record<string, string> = {
      serialNumber: link.serialNumber,
      id: office.body.id ?? randomUUID(),
      patientId: randomUUID(),
    };
    const rules = routeRules(
      app.running.app
        .get(DiscoveryService)
        .getControllers()
        .map((w) => w.metatype as new (...args: never[]) => unknown),
    );
    await countChanges();
    for (const { route, rule } of rules) {
      const [method, pattern] = route.split(' ');
      // Logging out and deactivating take no body, and probing them would end the session the samples use.
      const ends = route.endsWith('/logout') || route.endsWith('/deactivation');
      if (!['POST', 'PUT', 'PATCH'].includes(method) || rule === null || ends) continue;
      const path = pattern.replace(/:(\w+)/g, (_, name: string) => params[name] ?? 'X-1');
      const token = rule === 'public' ? undefined : rule === 'broker' ? hookSecret : tokens.get(rule[0]);
      // An endpoint takes a body when it refuses an unknown field; the others ignore what is sent.
      // (The broker hook answers any question it cannot read with a refusal: it takes a body too.)
      const probe = await app.api.request(method, path, { token, body: { zzFuzz: 1 } });
      if (probe.status === 400 || rule === 'broker') targets.push({ route, method, path, token });
    }
  });

  it('finds the endpoints that take a body, each with a valid example to mutate', () => {
    expect(targets.map((t) => t.route).sort()).toEqual(Object.keys(examples()).sort());
  });

  it(`${RUNS} generated bodies: never a 5xx, every 4xx says why, and a refused request changes no row`, async () => {
    const value = fc.oneof(
      fc.jsonValue({ maxDepth: 3 }),
      fc.constantFrom('lost', 'stolen', 'export', 'erasure', 'restriction', 'patient', 'admin', '2021-05-06'),
      fc.constantFrom(link.serialNumber, link.model, randomUUID(), true, false, 0, -1, 1e308, '', null),
    );
    // A valid example with fields replaced or dropped: many pass, and reach the services' own checks.
    const mutated = (route: string) => {
      const example = examples(link.serialNumber)[route];
      const keys = Object.keys(example);
      return fc
        .tuple(
          fc.subarray(keys, { maxLength: Math.min(2, keys.length) }),
          fc.array(value, { minLength: 2, maxLength: 2 }),
          fc.option(fc.constantFrom(...keys)),
        )
        .map(([replaced, values, drop]) => {
          const body: Record<string, unknown> = { ...example };
          replaced.forEach((key, i) => (body[key] = values[i]));
          if (drop) delete body[drop];
          return body;
        });
    };
    const generated = fc.oneof(
      fc.dictionary(
        fc.oneof(fc.constantFrom(...KEYS), fc.string({ maxLength: 12 })),
        fc.oneof(
          fc.jsonValue({ maxDepth: 3 }),
          fc.constantFrom('lost', 'stolen', 'export', 'erasure', 'restriction', 'patient', 'admin', '2021-05-06'),
          fc.constantFrom(link.serialNumber, link.model, randomUUID(), true, false, 0, -1, 1e308, ''),
        ),
        { maxKeys: 6 },
      ),
      fc.jsonValue({ maxDepth: 2 }),
    );
    const samples = fc.sample(
      fc
        .nat({ max: targets.length - 1 })
        .chain((index) =>
          fc.tuple(
            fc.constant(index),
            fc.oneof(mutated(targets[index].route), mutated(targets[index].route), generated),
          ),
        ),
      { numRuns: RUNS, seed: SEED },
    );
    // Logging out ends the session the next samples would use: those endpoints go last.
    samples.sort(
      ([a], [b]) => Number(targets[a].route.includes('logout')) - Number(targets[b].route.includes('logout')),
    );
    const byStatus = new Map<number, number>();
    const failures: unknown[] = [];
    for (const [index, sample] of samples) {
      const target = targets[index];
      const before = await changes();
      const response = await app.api.request(target.method, target.path, {
        token: target.token,
        rawBody: JSON.stringify(sample),
      });
      byStatus.set(response.status, (byStatus.get(response.status) ?? 0) + 1);
      const refused = response.status >= 400;
      const wroteOnRefusal = refused && (await changes()) !== before;
      const unexplained = refused && !(response.body && response.body.message);
      if (response.status >= 500 || wroteOnRefusal || unexplained) {
        failures.push({ route: target.route, sample, status: response.status, body: response.body, wroteOnRefusal });
      }
    }
    process.stdout.write(
      `HTTP fuzz (seed ${SEED}): ${RUNS} bodies over ${targets.length} endpoints → ` +
        `${[...byStatus]
          .sort(([a], [b]) => a - b)
          .map(([s, n]) => `${n}×${s}`)
          .join(', ')}\n`,
    );
    expect(failures.slice(0, 5)).toEqual([]);
    // The change counter did see the accepted requests' writes (so its silence on refusals means something).
    expect((byStatus.get(201) ?? 0) === 0 || (await changes()) > 0).toBe(true);
    expect((await app.api.get('/health/ready')).status).toBe(200);
  }, 600_000);
});
