import { strFromU8, unzipSync } from 'fflate';
import { aProvider, aUser, PASSWORD } from '../support/builders';
import { wholeDatabaseText } from '../support/database-text';
import { aLinkedDevice, connectLink, consentChoices, DeviceLink, publish, telemetry } from '../support/device-link';
import { TestApp, useTestApp } from '../support/test-app';
import { waitFor } from '../support/wait-for';

/** Each clause of the policies as a behaviour, performed through the API and checked where it lands. */
describe('the policies, clause by clause', () => {
  let app: TestApp;
  let admin: string;
  let officer: string;
  let provider: { id: string; token: string };
  let otherProvider: { id: string; token: string };

  // The audit chain verified every 2 s, so that the breach test sees its scheduled run.
  useTestApp((started) => ({ app, admin } = started), { AUDIT_VERIFY_SECONDS: '2' });

  beforeAll(async () => {
    officer = (await aUser(app.api, admin, 'privacy_officer')).token;
    for (const made of [(p: typeof provider) => (provider = p), (p: typeof provider) => (otherProvider = p)]) {
      const { id } = await aProvider(app.api, admin);
      made({ id, token: (await aUser(app.api, admin, 'provider', id)).token });
    }
  });

  const aPatientOf = (supplier: { id: string }) => aLinkedDevice(app.api, admin, { suppliedBy: supplier.id });
  const ask = (link: DeviceLink, body: Record<string, unknown>) =>
    app.api.post('/v1/me/privacy-requests', body, link.patient.token);
  const noticesOf = async (of: { token: string }) => {
    const items: Array<{ id: string; serialNumber: string; kind: string; at: string }> = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: typeof items; nextCursor: string | null } } = await app.api.get(
        `/v1/provider/notices?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        of.token,
      );
      items.push(...page.body.items);
      cursor = page.body.nextCursor;
    } while (cursor);
    return items;
  };

  describe('rectification (all five policies; 000: by signing in to My account)', () => {
    it('a patient corrects their own account data, audited; an under-16 birth date is refused', async () => {
      const link = await aPatientOf(provider);
      const before = await app.api.get('/v1/me', link.patient.token);
      expect(before.body).toMatchObject({ id: link.patient.id, username: link.patient.username });
      const corrected = await app.api.request('PATCH', '/v1/me', {
        token: link.patient.token,
        body: { email: 'corrected@example.org' },
      });
      expect(corrected.status).toBe(200);
      expect(corrected.body.email).toBe('corrected@example.org');
      const [row] = await app.sql<{ email: string }>('SELECT email FROM users WHERE id = $1', [link.patient.id]);
      expect(row.email).toBe('corrected@example.org');
      const child = `${new Date().getUTCFullYear() - 12}-01-01`;
      const young = await app.api.request('PATCH', '/v1/me', { token: link.patient.token, body: { birthDate: child } });
      expect(young.status).toBe(400);
      expect(JSON.stringify(young.body)).toContain('birthDate');
      expect(
        (await app.api.request('PATCH', '/v1/me', { token: link.patient.token, body: { username: 'x' } })).status,
      ).toBe(400);
      const audited = await app.sql<{ action: string }>(
        `SELECT action FROM audit_log WHERE action LIKE 'patient.account.%' ORDER BY id`,
      );
      expect(audited.map((a) => a.action)).toEqual(
        expect.arrayContaining(['patient.account.read', 'patient.account.correct']),
      );
    });

    it('a rectification request carries what should change; completing it applies it and tells the provider', async () => {
      const link = await aPatientOf(provider);
      expect((await ask(link, { type: 'rectification' })).status).toBe(400); // says what should change
      const made = await ask(link, { type: 'rectification', changes: { email: 'fixed@example.org' } });
      expect(made.body).toMatchObject({ state: 'received', details: { changes: { email: 'fixed@example.org' } } });
      const done = await app.api.post(`/v1/internal/privacy-requests/${made.body.id}/complete`, {}, officer);
      expect(done.body).toMatchObject({ state: 'completed', outcome: { applied: { email: 'fixed@example.org' } } });
      const [row] = await app.sql<{ email: string }>('SELECT email FROM users WHERE id = $1', [link.patient.id]);
      expect(row.email).toBe('fixed@example.org');
      expect(await noticesOf(provider)).toContainEqual(
        expect.objectContaining({ serialNumber: link.serialNumber, kind: 'rectification' }),
      );
      // What the system cannot apply by itself is completed only with a note of what was done.
      const told = await ask(link, { type: 'rectification', details: 'the error code of 3 Nov was a test' });
      const bare = await app.api.post(`/v1/internal/privacy-requests/${told.body.id}/complete`, {}, officer);
      expect(bare.status).toBe(400);
      const noted = await app.api.post(
        `/v1/internal/privacy-requests/${told.body.id}/complete`,
        { note: 'the 3 Nov record marked as a test' },
        officer,
      );
      expect(noted.body).toMatchObject({ state: 'completed', note: 'the 3 Nov record marked as a test' });
    });
  });

  describe('no request ends completed without its effect', () => {
    it('access is completed by the export the patient takes; restriction and consent changes at once', async () => {
      const link = await aPatientOf(provider);
      const access = await ask(link, { type: 'access' });
      expect((await app.api.post(`/v1/internal/privacy-requests/${access.body.id}/complete`, {}, officer)).status).toBe(
        409,
      );
      await app.api.get('/v1/me/export', link.patient.token);
      const restriction = await ask(link, { type: 'restriction' });
      expect(restriction.body).toMatchObject({ state: 'completed', outcome: { restricted: true } });
      expect(
        await app.sql('SELECT 1 FROM processing_restrictions WHERE patient_id = $1', [link.patient.id]),
      ).toHaveLength(1);
      const optOut = await ask(link, { type: 'sale_opt_out' });
      expect(optOut.body).toMatchObject({ state: 'completed', outcome: { consents: { saleOptOut: true } } });
      const states = (await app.api.get('/v1/me/privacy-requests', link.patient.token)).body.items.map(
        (r: { type: string; state: string }) => [r.type, r.state],
      );
      expect(states).toEqual(
        expect.arrayContaining([
          ['access', 'completed'],
          ['restriction', 'completed'],
        ]),
      );
    });
  });

  describe('refusal with reasons; a legal hold revisited when lifted', () => {
    it('the officer refuses with a reason the patient sees; an erasure refused for a hold comes back when it is lifted', async () => {
      const link = await aPatientOf(provider);
      const access = await ask(link, { type: 'access' });
      const refused = await app.api.post(
        `/v1/internal/privacy-requests/${access.body.id}/refuse`,
        { reason: 'identity could not be confirmed by phone' },
        officer,
      );
      expect(refused.body).toMatchObject({ state: 'refused', reason: 'identity could not be confirmed by phone' });
      const seen = (await app.api.get('/v1/me/privacy-requests', link.patient.token)).body.items;
      expect(seen.find((r: { id: string }) => r.id === access.body.id).reason).toBe(
        'identity could not be confirmed by phone',
      );
      expect(
        (await app.api.post(`/v1/internal/privacy-requests/${access.body.id}/refuse`, { reason: 'again' }, officer))
          .status,
      ).toBe(409);

      const hold = await app.api.post(
        '/v1/internal/legal-holds',
        { patientId: link.patient.id, reason: 'court order 9' },
        officer,
      );
      const erasure = await ask(link, { type: 'erasure' });
      const held = await app.api.post(`/v1/internal/privacy-requests/${erasure.body.id}/complete`, {}, officer);
      expect(held.body).toMatchObject({ state: 'refused', reason: 'legal hold: court order 9' });
      expect((await app.api.delete(`/v1/internal/legal-holds/${hold.body.id}`, officer)).status).toBe(204);
      const queue = (await app.api.get('/v1/internal/privacy-requests', officer)).body.items;
      expect(queue.find((r: { id: string }) => r.id === erasure.body.id)).toMatchObject({
        state: 'received',
        reason: 'queued again: the legal hold was lifted',
        outcome: { previousRefusal: 'legal hold: court order 9' },
      });
      const [holdRow] = await app.sql<{ placed_by: string; lifted_by: string }>(
        'SELECT placed_by, lifted_by FROM legal_holds WHERE id = $1',
        [hold.body.id],
      );
      expect(holdRow).toEqual({ placed_by: expect.any(String), lifted_by: expect.any(String) });
      const done = await app.api.post(`/v1/internal/privacy-requests/${erasure.body.id}/complete`, {}, officer);
      expect(done.body.state).toBe('completed');
      // The lifted hold named the patient: it goes with them.
      expect((await wholeDatabaseText(app)).includes(link.patient.id)).toBe(false);
    });
  });

  describe('two officers deciding one request at once', () => {
    it('one decision wins, the other is refused, and the patient is erased exactly when the request says so', async () => {
      const second = (await aUser(app.api, admin, 'privacy_officer')).token;
      const links = await Promise.all([1, 2, 3, 4, 5].map(() => aPatientOf(provider)));
      const requests = await Promise.all(links.map((link) => ask(link, { type: 'erasure' })));
      const decisions = await Promise.all(
        requests.map(({ body: { id } }) =>
          Promise.all([
            app.api.post(`/v1/internal/privacy-requests/${id}/complete`, {}, officer),
            app.api.post(`/v1/internal/privacy-requests/${id}/refuse`, { reason: 'not verified' }, second),
          ]),
        ),
      );
      for (const [i, [completed, refused]] of decisions.entries()) {
        expect([completed.status, refused.status].sort()).toEqual([200, 409]);
        const state = (
          await app.sql<{ state: string }>('SELECT state FROM privacy_requests WHERE id = $1', [requests[i].body.id])
        )[0].state;
        const account = await app.sql('SELECT 1 FROM users WHERE id = $1', [links[i].patient.id]);
        expect({ state, erased: account.length === 0 }).toEqual({ state, erased: state === 'completed' });
        // Decided is decided, even once the patient is gone.
        const late = await app.api.post(
          `/v1/internal/privacy-requests/${requests[i].body.id}/refuse`,
          { reason: 'late' },
          second,
        );
        expect(late.status).toBe(409);
      }
    });
  });

  describe('recipients are told (policy 001, 10.4)', () => {
    it('the supplying provider reads a notice of each rectification, restriction, lifting and erasure, and no one else does', async () => {
      const link = await aPatientOf(provider);
      const stranger = await aPatientOf(otherProvider);
      const fix = await ask(link, { type: 'rectification', changes: { email: 'n@example.org' } });
      const fixed = await app.api.post(`/v1/internal/privacy-requests/${fix.body.id}/complete`, {}, officer);
      expect([fix.status, fixed.status, fixed.body]).toEqual([
        201,
        200,
        expect.objectContaining({
          state: 'completed',
          outcome: expect.objectContaining({
            notices: [{ id: expect.any(String), providerId: provider.id, serialNumber: link.serialNumber }],
          }),
        }),
      ]);
      await ask(link, { type: 'restriction' });
      await app.api.delete('/v1/me/restriction', link.patient.token);
      const erasure = await ask(link, { type: 'erasure' });
      const erased = await app.api.post(`/v1/internal/privacy-requests/${erasure.body.id}/complete`, {}, officer);
      const mine = (await noticesOf(provider)).filter((n) => n.serialNumber === link.serialNumber);
      // The feed as stored (id, provider, kind), beside what was read: a difference names which side lost one.
      const stored = await app.sql<{ notice: string }>(
        `SELECT id || ' ' || provider_id || ' ' || kind AS notice FROM provider_notices WHERE serial_number = $1 ORDER BY id`,
        [link.serialNumber],
      );
      const kinds = ['rectification', 'restriction', 'restriction_lifted', 'erasure'];
      expect({
        read: mine.map((n) => `${n.id} ${provider.id} ${n.kind}`),
        stored: stored.map((r) => r.notice),
      }).toEqual({
        read: kinds.map((kind) => expect.stringMatching(new RegExp(`^\\d+ ${provider.id} ${kind}$`))),
        stored: kinds.map((kind) => expect.stringMatching(new RegExp(`^\\d+ ${provider.id} ${kind}$`))),
      });
      for (const notice of mine) expect(Object.keys(notice).sort()).toEqual(['at', 'id', 'kind', 'serialNumber']);
      // The outcome records the notice sent, not a claim.
      expect(erased.body.outcome.notices).toEqual([
        { id: mine[3].id, providerId: provider.id, serialNumber: link.serialNumber },
      ]);
      const theirs = await noticesOf(otherProvider);
      expect(theirs.map((n) => n.serialNumber)).not.toContain(link.serialNumber);
      expect(JSON.stringify(await noticesOf(provider))).not.toContain(link.patient.id);
      expect(stranger.serialNumber).toBeDefined();
      expect((await app.api.get('/v1/provider/notices', officer)).status).toBe(403);
    });
  });

  describe('the notice feed pages by number', () => {
    it('reads every notice in order across ids of more digits (98, 99, 100, ...), two at a time', async () => {
      const { id } = await aProvider(app.api, admin);
      const reader = { token: (await aUser(app.api, admin, 'provider', id)).token };
      const ids = [98, 99, 100, 101, 102, 999, 1000];
      await app.sql(
        `INSERT INTO provider_notices (id, provider_id, serial_number, kind) OVERRIDING SYSTEM VALUE
         SELECT i, $1, 'PAGED-' || i, 'restriction' FROM unnest($2::bigint[]) i`,
        [id, ids],
      );
      // Later notices of this file's database are numbered after them.
      await app.sql(`SELECT setval(pg_get_serial_sequence('provider_notices', 'id'), 1000)`);
      expect((await noticesOf(reader)).map((n) => n.id)).toEqual(ids.map(String));
    });
  });

  describe('restriction and objection everywhere (000: restriction stops processing, keeps storage)', () => {
    it("every internal reader shows a restricted patient's data as stored only, and it is still stored", async () => {
      const link = await aPatientOf(provider);
      const client = await connectLink(app.mqttUrl, link);
      await publish(client, link.serialNumber, telemetry(link, { errorCodes: ['E07'] }));
      await publish(client, link.serialNumber, { ...telemetry(link), batteryPct: 'full' }); // a rejected one
      await client.endAsync();
      const support = (await aUser(app.api, admin, 'support')).token;
      const why = `reason=${encodeURIComponent('ticket 5')}`;
      const device = `/v1/internal/devices/${link.serialNumber}`;
      expect((await app.api.get(`${device}?${why}`, support)).body).toMatchObject({ errorCode: 'E07' });
      await app.sql(`INSERT INTO device_alerts (serial_number, kind) VALUES ($1, 'stolen_device_link_attempt')`, [
        link.serialNumber,
      ]);
      const alerted = async () =>
        (await app.api.get('/v1/internal/alerts?limit=100', support)).body.items.some(
          (a: { serialNumber: string }) => a.serialNumber === link.serialNumber,
        );
      expect(await alerted()).toBe(true);
      await app.api.put('/v1/me/consents', consentChoices({ marketing: true }), link.patient.token);
      await ask(link, { type: 'objection' });
      const record = (await app.api.get(`${device}?${why}`, support)).body;
      expect(record).toMatchObject({
        processingRestricted: true,
        lastConnectedAt: null,
        errorCode: null,
        errorCodes: [],
      });
      expect(record.lastLocation ?? null).toBeNull();
      expect(await alerted()).toBe(false);
      for (const path of [`${device}/telemetry?${why}`, `${device}/rejected`, `${device}/locations?${why}`]) {
        const read = await app.api.get(path, support);
        expect({ path, items: read.body.items, withheld: typeof read.body.withheld }).toEqual({
          path,
          items: [],
          withheld: 'string',
        });
      }
      expect(await app.sql('SELECT 1 FROM telemetry WHERE serial_number = $1', [link.serialNumber])).toHaveLength(1);
      expect(
        await app.sql('SELECT 1 FROM rejected_messages WHERE serial_number = $1', [link.serialNumber]),
      ).toHaveLength(1);
      // An objection also ends marketing.
      expect((await app.api.get('/v1/me/consents', link.patient.token)).body.marketing).toBe(false);
    });
  });

  describe('purpose limitation for location (000: lost or stolen equipment, market analysis, nearest office)', () => {
    it('no role sees a location outside the purposes; support and admin only with a reason, which is audited', async () => {
      const link = await aPatientOf(provider);
      const client = await connectLink(app.mqttUrl, link);
      await publish(client, link.serialNumber, telemetry(link));
      await client.endAsync();
      const [support, field] = await Promise.all([
        aUser(app.api, admin, 'support'),
        aUser(app.api, admin, 'field_service'),
      ]);
      const device = `/v1/internal/devices/${link.serialNumber}`;
      for (const token of [support.token, field.token, admin, officer]) {
        expect((await app.api.get(device, token)).body.lastLocation).toBeUndefined();
      }
      // Field service has no break-glass: its purpose is recovering devices reported lost or stolen.
      expect((await app.api.get(`${device}?reason=curious`, field.token)).body.lastLocation).toBeUndefined();
      const stated = await app.api.get(
        `${device}?reason=${encodeURIComponent('ticket 77: no fix since Monday')}`,
        support.token,
      );
      expect(stated.body.lastLocation).toMatchObject({ lat: 34.4358, lon: -119.8276 });
      const [entry] = await app.sql<{ action: string; purpose: string }>(
        'SELECT action, purpose FROM audit_log ORDER BY id DESC LIMIT 1',
      );
      expect(entry).toEqual({ action: 'internal.device.read.stated', purpose: 'ticket 77: no fix since Monday' });
      // The nearest offices to the device never show where it is, nor place it: three exact distances would
      // (trilateration), so outside a loss report they come in 10 km bands.
      for (const [i, [lat, lon]] of [
        [34.41, -119.8],
        [34.5, -119.9],
        [34.3, -119.7],
      ].entries()) {
        const office = { name: `Band office ${i}`, kind: 'branch', location: { lat, lon } };
        expect((await app.api.post('/v1/admin/service-offices', office, admin)).status).toBe(201);
      }
      const distancesFor = async (token: string) => {
        const nearest = await app.api.get(
          `/v1/service-offices/nearest?serialNumber=${link.serialNumber}&limit=3`,
          token,
        );
        expect(nearest.status).toBe(200);
        expect(JSON.stringify(nearest.body)).not.toMatch(/34\.4358|-119\.8276/);
        return nearest.body.items.map((o: { distanceM: number }) => o.distanceM);
      };
      const banded = await distancesFor(support.token);
      expect(banded).toHaveLength(3);
      expect(banded.filter((d: number) => d % 10_000 !== 0)).toEqual([]);
      // Reported lost: field service sees it, no reason needed, and the distances are exact.
      await app.api.post(`/v1/me/devices/${link.serialNumber}/loss-reports`, { kind: 'lost' }, link.patient.token);
      expect((await app.api.get(device, field.token)).body.lastLocation).toMatchObject({ lat: 34.4358 });
      const exact = await distancesFor(field.token);
      expect(exact.filter((d: number) => d % 10_000 !== 0)).toHaveLength(3);
      expect(exact.map((d: number) => Math.ceil(d / 10_000) * 10_000)).toEqual(banded);
    });
  });

  describe('a complete, portable export (access and portability; CCPA right to know)', () => {
    it('holds all 24 months of telemetry and every disclosure, as JSON and as a zip of CSV files', async () => {
      const link = await aPatientOf(provider);
      const months = 24;
      // One message a month for 24 months (partitions exist that far back), straight into storage.
      await app.sql(
        `INSERT INTO telemetry (device_time, message_id, serial_number, model, sent_at, received_at, error_codes, patient_id,
                                location)
         SELECT date_trunc('month', now()) - make_interval(months => m) + interval '2 days', 'm-' || m, $1, 'Inogen One G5',
                now(), now(), '{}', $2, ST_SetSRID(ST_MakePoint(-100, 40 + m * 0.01), 4326)::geography
           FROM generate_series(0, $3 - 1) m`,
        [link.serialNumber, link.patient.id, months],
      );
      // More disclosures than any page or cap: 10,050 reads of this device by the provider, in the chain.
      await app.sql(
        `SELECT audit_append($1, 'provider', 'provider.devices.read', jsonb_build_array(jsonb_build_object(
           'serialNumber', $2::text, 'fields', '["serialNumber","model"]'::jsonb))) FROM generate_series(1, 10050)`,
        [provider.id, link.serialNumber],
      );
      const json = await app.api.get('/v1/me/export', link.patient.token);
      expect(json.status).toBe(200);
      expect(json.body.telemetry).toHaveLength(months);
      expect(json.body.disclosures.length).toBeGreaterThanOrEqual(10_050);
      expect(json.body.telemetry.map((t: { messageId: string }) => t.messageId)).toContain('m-23');

      const zipped = await fetch(`${app.api.baseUrl}/v1/me/export?format=csv`, {
        headers: { authorization: `Bearer ${link.patient.token}` },
      });
      expect(zipped.status).toBe(200);
      expect(zipped.headers.get('content-type')).toMatch(/application\/zip/);
      const files = unzipSync(new Uint8Array(await zipped.arrayBuffer()));
      expect(Object.keys(files).sort()).toEqual(
        [
          'account.csv',
          'consents.csv',
          'device-claims.csv',
          'devices.csv',
          'disclosures.csv',
          'loss-reports.csv',
          'privacy-requests.csv',
          'register.json',
          'telemetry.csv',
        ].sort(),
      );
      const lines = (name: string) => strFromU8(files[name]).trimEnd().split('\r\n');
      expect(lines('telemetry.csv')).toHaveLength(months + 1);
      expect(lines('telemetry.csv')[0]).toMatch(/^messageId,serialNumber,deviceTime/);
      expect(lines('disclosures.csv').length).toBeGreaterThanOrEqual(10_050 + 1);
      expect(lines('account.csv')[1]).toContain(link.patient.username);
      expect(JSON.parse(strFromU8(files['register.json'])).categories.length).toBeGreaterThan(0);
    }, 60_000);
  });

  describe('consent flags honoured (000 marketing; CCPA sale opt-out)', () => {
    const choose = (link: DeviceLink, over: Record<string, boolean>) =>
      app.api.put('/v1/me/consents', consentChoices(over), link.patient.token);

    it('the marketing audience holds only patients who consented, neither object nor are deactivated', async () => {
      const [willing, unwilling, objecting, gone] = await Promise.all([1, 2, 3, 4].map(() => aPatientOf(provider)));
      for (const link of [willing, objecting, gone]) await choose(link, { marketing: true });
      await choose(unwilling, { marketing: false });
      await ask(objecting, { type: 'objection' });
      await app.api.post('/v1/me/deactivation', {}, gone.patient.token);
      const audience: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { body: { items: Array<{ patientId: string }>; nextCursor: string | null } } = await app.api.get(
          `/v1/internal/marketing-audience?limit=3${cursor ? `&cursor=${cursor}` : ''}`,
          admin,
        );
        audience.push(...page.body.items.map((i) => i.patientId));
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(audience).toContain(willing.patient.id);
      for (const out of [unwilling, objecting, gone]) expect(audience).not.toContain(out.patient.id);
      expect((await app.api.get('/v1/internal/marketing-audience', officer)).status).toBe(403);
    });

    it('the export to third parties never includes a patient who opted out of sale or restricts processing', async () => {
      const [shared, optingOut, restricting] = await Promise.all([1, 2, 3].map(() => aPatientOf(provider)));
      for (const link of [shared, optingOut, restricting]) {
        const client = await connectLink(app.mqttUrl, link);
        await publish(client, link.serialNumber, telemetry(link, { errorCodes: ['E07'] }));
        await client.endAsync();
      }
      const from = new Date(Date.now() - 86_400_000).toISOString();
      const to = new Date(Date.now() + 86_400_000).toISOString();
      const exported = async () => {
        const dataset = await app.api.get(`/v1/internal/exports/partner-dataset?from=${from}&to=${to}`, admin);
        expect(dataset.status).toBe(200);
        for (const link of [shared, optingOut, restricting]) {
          expect(JSON.stringify(dataset.body)).not.toContain(link.serialNumber); // pseudonyms only
        }
        return new Set(dataset.body.items.map((i: { device: string }) => i.device)).size;
      };
      const before = await exported();
      await choose(optingOut, { saleOptOut: true });
      await ask(restricting, { type: 'restriction' });
      // The same data, exported again: exactly those two patients' devices have left it.
      expect(await exported()).toBe(before - 2);
      expect((await app.api.get(`/v1/internal/exports/partner-dataset?from=${from}&to=${to}`, officer)).status).toBe(
        403,
      );
    });
  });

  describe('consent changed by a request never accepts a policy for the patient', () => {
    it('a withdrawal and a sale opt-out of someone who accepted nothing keep them minimal and out of any sale', async () => {
      const link = await aLinkedDevice(app.api, admin, { suppliedBy: provider.id, consent: { accepted: false } });
      expect((await ask(link, { type: 'withdraw_consent' })).body.state).toBe('completed');
      expect((await ask(link, { type: 'sale_opt_out' })).body.state).toBe('completed');
      const consents = (await app.api.get('/v1/me/consents', link.patient.token)).body;
      expect(consents).toMatchObject({ policyVersion: null, locationCollection: false, saleOptOut: true });
      expect(consents.history.map((e: { policyVersion: string | null }) => e.policyVersion)).toEqual([null, null]);
      const permissions = await app.sql(
        `SELECT may_share, may_use_location, may_sell FROM device_patient_permissions WHERE serial_number = $1`,
        [link.serialNumber],
      );
      expect(permissions).toEqual([{ may_share: false, may_use_location: false, may_sell: false }]);
      // What the device sends is still collected as for someone who accepted nothing: no location, no battery.
      const client = await connectLink(app.mqttUrl, link);
      await publish(client, link.serialNumber, telemetry(link));
      await client.endAsync();
      const [row] = await app.sql(
        `SELECT location IS NULL AS "noLocation", battery_pct AS battery FROM telemetry WHERE serial_number = $1`,
        [link.serialNumber],
      );
      expect(row).toEqual({ noLocation: true, battery: null });
    });
  });

  describe('identity verified before acting (003, 004: verification, authorised agents)', () => {
    it("each request records how identity was verified; an agent's erasure needs a second officer", async () => {
      const link = await aPatientOf(provider);
      expect((await ask(link, { type: 'access' })).body.identityCheck).toBe('signed_in');
      expect((await ask(link, { type: 'erasure' })).body.identityCheck).toBe('password_step_up');
      const byAgent = await app.api.post(
        '/v1/internal/privacy-requests',
        {
          patientId: link.patient.id,
          type: 'erasure',
          agent: { name: 'J. Doe (daughter)', evidenceRef: 'POA-2026-17' },
        },
        officer,
      );
      expect(byAgent.status).toBe(201);
      expect(byAgent.body).toMatchObject({
        identityCheck: 'authorised_agent',
        details: { agent: { name: 'J. Doe (daughter)', evidenceRef: 'POA-2026-17' } },
      });
      expect(
        (await app.api.post(`/v1/internal/privacy-requests/${byAgent.body.id}/complete`, {}, officer)).status,
      ).toBe(403);
      const secondOfficer = await aUser(app.api, admin, 'privacy_officer');
      const second = secondOfficer.token;
      const done = await app.api.post(`/v1/internal/privacy-requests/${byAgent.body.id}/complete`, {}, second);
      expect(done.body.state).toBe('completed');
      // An admin could make both officers: every account an admin makes is sealed into the audit chain, and a
      // privileged one is a security event a monitor sees.
      const [made] = await app.sql<{ action: string; actor_role: string; purpose: string }>(
        `SELECT action, actor_role, purpose FROM audit_log WHERE purpose LIKE $1`,
        [`%${secondOfficer.id}%`],
      );
      expect(made).toEqual({
        action: 'admin.users.create',
        actor_role: 'admin',
        purpose: `privacy_officer account ${secondOfficer.username} (${secondOfficer.id})`,
      });
      expect((await app.api.get('/v1/internal/audit/verify', officer)).body).toMatchObject({ valid: true });
      expect(String((await app.api.get('/metrics')).body)).toMatch(
        /security_events_total\{kind="privileged_account_created"\} [1-9]/,
      );
      expect(await app.sql('SELECT 1 FROM users WHERE id = $1', [link.patient.id])).toEqual([]);
      const missing = { patientId: link.patient.id, type: 'access', agent: { name: 'x', evidenceRef: 'y' } };
      expect((await app.api.post('/v1/internal/privacy-requests', missing, officer)).status).toBe(404);
    });

    it('a patient deactivates their profile: no more sign-ins, sessions or collection; the office reactivates it', async () => {
      const link = await aPatientOf(provider);
      const client = await connectLink(app.mqttUrl, link);
      const dropped = new Promise<void>((resolve) => client.once('close', () => resolve()));
      expect((await app.api.post('/v1/me/deactivation', {}, link.patient.token)).status).toBe(204);
      await dropped;
      expect((await app.api.get('/v1/me/consents', link.patient.token)).status).toBe(401);
      const again = await app.api.post('/v1/auth/token', { username: link.patient.username, password: PASSWORD });
      expect(again.status).toBe(403);
      expect(again.body.message).toMatch(/deactivated/);
      expect(await app.sql('SELECT 1 FROM users WHERE id = $1', [link.patient.id])).toHaveLength(1); // data kept
      expect((await app.api.post(`/v1/internal/patients/${link.patient.id}/reactivation`, {}, officer)).status).toBe(
        204,
      );
      expect(
        (await app.api.post('/v1/auth/token', { username: link.patient.username, password: PASSWORD })).status,
      ).toBe(200);
    });
  });

  describe('identity (children, 000): admin-created patient accounts pass the same age rule', () => {
    it('refuses an under-16 patient made by an admin, and one without a birth date', async () => {
      const child = `${new Date().getUTCFullYear() - 10}-06-01`;
      const base = { username: `made-${Date.now()}`, password: 'a-long-test-password', role: 'patient' };
      expect(
        (await app.api.post('/v1/admin/users', { ...base, email: 'c@example.org', birthDate: child }, admin)).status,
      ).toBe(400);
      expect((await app.api.post('/v1/admin/users', base, admin)).status).toBe(400);
      const adult = await app.api.post(
        '/v1/admin/users',
        { ...base, email: 'a@example.org', birthDate: '1960-02-02' },
        admin,
      );
      expect(adult.status).toBe(201);
      expect(adult.body.role).toBe('patient');
    });
  });

  // Last: it breaks the audit chain on purpose.
  describe('breach support (HIPAA security incidents; 002: continuous monitoring)', () => {
    it("names the patients an actor's reads disclosed in a window, and counts security events", async () => {
      const [a, b] = await Promise.all([aPatientOf(provider), aPatientOf(provider)]);
      const from = new Date(Date.now() - 1000).toISOString();
      const providerUser = JSON.parse(Buffer.from(provider.token.split('.')[1], 'base64url').toString()).sub;
      for (const link of [a, b]) await app.api.get(`/v1/provider/devices/${link.serialNumber}`, provider.token);
      const to = new Date(Date.now() + 1000).toISOString();
      const affected = await app.api.get(
        `/v1/internal/audit/affected?actor=${providerUser}&from=${from}&to=${to}`,
        officer,
      );
      expect(affected.status).toBe(200);
      const patients = affected.body.items.map((i: { patientId: string }) => i.patientId);
      expect(patients).toEqual(expect.arrayContaining([a.patient.id, b.patient.id]));
      expect(
        (await app.api.get(`/v1/internal/audit/affected?actor=${providerUser}&from=${from}&to=${to}`, admin)).status,
      ).toBe(403);
      await app.api.get('/v1/internal/privacy-requests', provider.token); // a refused access
      const metrics = String((await app.api.get('/metrics')).body);
      expect(metrics).toMatch(/security_events_total\{kind="refused_access"\} [1-9]/);
      expect(metrics).toMatch(/security_events_total\{kind="bulk_export"\} [1-9]/);
    });

    it('a tampered audit entry opens an incident within one scheduled verification, once', async () => {
      const [{ id }] = await app.sql<{ id: string }>(
        'SELECT id::text FROM audit_log ORDER BY id DESC OFFSET 3 LIMIT 1',
      );
      await app.sql(`UPDATE audit_log SET action = 'nothing to see' WHERE id = $1`, [id]);
      const incident = await waitFor(
        async () => {
          const list = await app.api.get('/v1/internal/incidents', officer);
          return list.body.items.find(
            (i: { kind: string; detail: { id: string } }) => i.kind === 'audit_chain_broken' && i.detail.id === id,
          );
        },
        8000,
        'an incident',
      );
      expect(incident).toMatchObject({ summary: expect.stringContaining(`entry ${id}`), closedAt: null });
      await new Promise((resolve) => setTimeout(resolve, 2500)); // another scheduled run: no second incident
      const again = (await app.api.get('/v1/internal/incidents', officer)).body.items.filter(
        (i: { kind: string }) => i.kind === 'audit_chain_broken',
      );
      expect(again).toHaveLength(1);
      expect(String((await app.api.get('/metrics')).body)).toMatch(
        /security_events_total\{kind="audit_chain_broken"\} [1-9]/,
      );
      const closed = await app.api.post(
        `/v1/internal/incidents/${incident.id}/close`,
        { note: 'restored from backup' },
        officer,
      );
      expect(closed.body).toMatchObject({ closedAt: expect.any(String), note: 'restored from backup' });
    });
  });
});
