import { aProvider, aUser } from '../support/builders';
import { wholeDatabaseText } from '../support/database-text';
import { aLinkedDevice, connectLink, DeviceLink, publish, telemetry } from '../support/device-link';
import { TestApp, useTestApp } from '../support/test-app';
import { waitFor } from '../support/wait-for';
import { createConnection } from 'node:net';

describe('privacy rights, end to end', () => {
  let app: TestApp;
  let admin: string;
  let officer: string;
  let provider: { id: string };
  let providerStaff: string;

  useTestApp((started) => ({ app, admin } = started));

  beforeAll(async () => {
    officer = (await aUser(app.api, admin, 'privacy_officer')).token;
    provider = await aProvider(app.api, admin);
    providerStaff = (await aUser(app.api, admin, 'provider', provider.id)).token;
  });

  /** A patient with a device that sent `fixes` located messages, at distinct marker coordinates. */
  async function aPatientWithTelemetry(fixes: number[]): Promise<DeviceLink> {
    const link = await aLinkedDevice(app.api, admin, { suppliedBy: provider.id });
    const client = await connectLink(app.mqttUrl, link);
    for (const lat of fixes)
      await publish(client, link.serialNumber, telemetry(link, { location: { lat, lon: -100.123457 } }));
    await client.endAsync();
    return link;
  }
  /** `rows` messages of the patient's device, 1.000001 s apart (timestamps to the microsecond). */
  const seedTelemetry = (link: DeviceLink, rows: number) =>
    app.sql(
      `INSERT INTO telemetry (device_time, message_id, serial_number, model, sent_at, received_at, error_codes, patient_id)
       SELECT now() - i * interval '1.000001 seconds', 'm' || i, $1, 'Inogen One G5', now(), now(), '{}', $2
         FROM generate_series(1, $3) i`,
      [link.serialNumber, link.patient.id, rows],
    );
  const request = (link: DeviceLink, type: string) =>
    app.api.post('/v1/me/privacy-requests', { type }, link.patient.token);

  it('records requests with their state and deadline; the officer sees the queue, overdue marked', async () => {
    const link = await aLinkedDevice(app.api, admin);
    const made = await request(link, 'access');
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ id: expect.any(String), type: 'access', state: 'received', overdue: false });
    const days = (Date.parse(made.body.dueAt) - Date.parse(made.body.requestedAt)) / 86_400_000;
    expect(days).toBeGreaterThanOrEqual(28);
    expect(days).toBeLessThanOrEqual(31);
    expect((await request(link, 'forget_me')).status).toBe(400);

    await app.sql(`UPDATE privacy_requests SET due_at = now() - interval '1 day' WHERE id = $1`, [made.body.id]);
    const queue = await app.api.get('/v1/internal/privacy-requests', officer);
    expect(queue.status).toBe(200);
    expect(queue.body.items.find((r: { id: string }) => r.id === made.body.id)).toMatchObject({
      overdue: true,
      patientId: link.patient.id,
    });
    expect((await app.api.get('/v1/me/privacy-requests', link.patient.token)).body.items).toHaveLength(1);
    expect((await app.api.get('/v1/internal/privacy-requests', link.patient.token)).status).toBe(403);

    // An access request is answered by the export: the officer cannot close it before the patient has it.
    const early = await app.api.post(`/v1/internal/privacy-requests/${made.body.id}/complete`, {}, officer);
    expect(early.status).toBe(409);
    expect((await app.api.get('/v1/me/export', link.patient.token)).status).toBe(200);
    const [answered] = (await app.api.get('/v1/me/privacy-requests', link.patient.token)).body.items;
    expect(answered).toMatchObject({ state: 'completed', overdue: false, outcome: { exportedAt: expect.any(String) } });
  });

  it('export holds every category of the patient and nothing of another patient', async () => {
    const link = await aPatientWithTelemetry([11.111111, 12.222222, 13.333333]);
    const other = await aPatientWithTelemetry([66.666666]);
    await app.api.get(`/v1/provider/devices/${link.serialNumber}`, providerStaff); // a disclosure to account for
    await request(link, 'sale_opt_out');

    const response = await app.api.get('/v1/me/export', link.patient.token);
    expect(response.status).toBe(200);
    const data = response.body;
    expect(Object.keys(data).sort()).toEqual(
      [
        'account',
        'consents',
        'deviceClaims',
        'devices',
        'disclosures',
        'exportedAt',
        'lossReports',
        'privacyRequests',
        'register',
        'telemetry',
      ].sort(),
    );
    expect(data.account).toMatchObject({ id: link.patient.id, username: link.patient.username });
    expect(data.devices.map((d: { serialNumber: string }) => d.serialNumber)).toEqual([link.serialNumber]);
    expect(data.consents).toMatchObject({ saleOptOut: true, history: expect.any(Array) });
    expect(data.telemetry.map((t: { lat: number }) => t.lat)).toEqual([11.111111, 12.222222, 13.333333]);
    expect(data.disclosures.some((d: { role: string }) => d.role === 'provider')).toBe(true);
    expect(data.privacyRequests.map((r: { type: string }) => r.type)).toEqual(['sale_opt_out']);
    expect(data.register.categories.length).toBeGreaterThan(0);
    const text = JSON.stringify(data);
    for (const foreign of [other.serialNumber, other.patient.id, other.patient.username, '66.666666']) {
      expect(text).not.toContain(foreign);
    }
  });

  it('restriction empties the three provider fields and stops location storage; lifting restores both', async () => {
    const link = await aPatientWithTelemetry([21.5]);
    const view = async () => (await app.api.get(`/v1/provider/devices/${link.serialNumber}`, providerStaff)).body;
    expect((await view()).lastLocation).toEqual({ lat: 21.5, lon: -100.123457 });

    // Restriction takes effect when asked: the request is completed at once, its effect in force.
    expect((await request(link, 'restriction')).body.state).toBe('completed');
    expect(await view()).toMatchObject({ lastConnectedAt: null, errorCode: null, lastLocation: null });
    const client = await connectLink(app.mqttUrl, link);
    const during = telemetry(link, { location: { lat: 22.5, lon: -100.5 } });
    await publish(client, link.serialNumber, during);
    const [stored] = await app.sql<{ location: unknown; battery_pct: number }>(
      'SELECT location, battery_pct FROM telemetry WHERE message_id = $1',
      [during.messageId],
    );
    expect(stored).toEqual({ location: null, battery_pct: 81 }); // kept, without the location

    expect((await app.api.delete('/v1/me/restriction', link.patient.token)).status).toBe(204);
    const after = telemetry(link, { location: { lat: 21.5005, lon: -100.123457 } }); // 55 m away: a plausible move
    await publish(client, link.serialNumber, after);
    await client.endAsync();
    expect((await view()).lastLocation).toEqual({ lat: 21.5005, lon: -100.123457 });
  });

  it('withdrawing consent is a consent change for the next message, not retroactive', async () => {
    const link = await aPatientWithTelemetry([31.5]);
    expect((await request(link, 'withdraw_consent')).body.state).toBe('completed');
    const consents = await app.api.get('/v1/me/consents', link.patient.token);
    expect(consents.body).toMatchObject({ locationCollection: false, shareWithProvider: false });
    expect(
      await app.sql('SELECT 1 FROM telemetry WHERE serial_number = $1 AND location IS NOT NULL', [link.serialNumber]),
    ).toHaveLength(1);
  });

  it('erasure leaves no trace of the patient anywhere, keeps the audit chain valid, and frees the device', async () => {
    const link = await aPatientWithTelemetry([41.987654, 42.876543]);
    // An alarm too (it holds the patient's id), acknowledged with a comment.
    const client = await connectLink(app.mqttUrl, link);
    await publish(client, link.serialNumber, telemetry(link, { errorCodes: ['E07'], location: null }));
    await client.endAsync();
    const [alarm] = await waitFor(async () => {
      const rows = await app.sql<{ id: string }>('SELECT id::text FROM alarms WHERE serial_number = $1', [
        link.serialNumber,
      ]);
      return rows.length > 0 ? rows : undefined;
    });
    await app.api.post(`/v1/provider/alarms/${alarm.id}/acknowledge`, { comment: 'called' }, providerStaff);
    await app.api.get(`/v1/provider/devices/${link.serialNumber}`, providerStaff);
    await app.api.get(`/v1/service-offices/nearest?serialNumber=${link.serialNumber}`, link.patient.token);
    await app.api.post(`/v1/me/devices/${link.serialNumber}/loss-reports`, { kind: 'lost' }, link.patient.token);
    const erasure = await request(link, 'erasure');
    expect(erasure.body.state).toBe('received');

    const done = await app.api.post(`/v1/internal/privacy-requests/${erasure.body.id}/complete`, {}, officer);
    expect(done.status).toBe(200);
    expect(done.body.state).toBe('completed');
    expect(done.body.outcome).toMatchObject({
      kept: [],
      notices: [{ id: expect.any(String), providerId: provider.id, serialNumber: link.serialNumber }],
      erased: { accounts: 1, telemetry: 3, alarms: 1 },
    });

    const everything = await wholeDatabaseText(app);
    for (const marker of [
      link.patient.id,
      link.patient.username,
      `${link.patient.username}@example.org`,
      '41.987654',
      '42.876543',
    ]) {
      expect({ marker, found: everything.includes(marker) }).toEqual({ marker, found: false });
    }
    expect((await app.api.get('/v1/internal/audit/verify', officer)).body.valid).toBe(true);
    expect((await app.api.get('/v1/me/consents', link.patient.token)).status).toBe(401); // the session went with the account

    const newcomer = await aLinkedDevice(app.api, admin);
    const [{ code }] = await app.sql<{ code: string }>(
      'SELECT registration_code AS code FROM devices WHERE serial_number = $1',
      [link.serialNumber],
    );
    const relinked = await app.api.post('/v1/me/devices', { registrationCode: code }, newcomer.patient.token);
    expect(relinked.status).toBe(201);
  });

  it('a legal hold on a device survives erasure: its data is kept, de-identified, and reported as kept', async () => {
    const link = await aPatientWithTelemetry([51.5]);
    const hold = await app.api.post(
      '/v1/internal/legal-holds',
      { serialNumber: link.serialNumber, reason: 'litigation 42' },
      officer,
    );
    expect(hold.status).toBe(201);
    const erasure = await request(link, 'erasure');
    const done = await app.api.post(`/v1/internal/privacy-requests/${erasure.body.id}/complete`, {}, officer);
    expect(done.body.outcome.kept).toEqual([{ serialNumber: link.serialNumber, reason: 'legal hold: litigation 42' }]);
    const kept = await app.sql<{ patient_id: string | null }>(
      'SELECT patient_id FROM telemetry WHERE serial_number = $1',
      [link.serialNumber],
    );
    expect(kept).toEqual([{ patient_id: null }]);
    expect(await app.sql('SELECT 1 FROM users WHERE id = $1', [link.patient.id])).toEqual([]);

    const person = await aPatientWithTelemetry([52.5]);
    await app.api.post('/v1/internal/legal-holds', { patientId: person.patient.id, reason: 'claim pending' }, officer);
    const refused = await app.api.post(
      `/v1/internal/privacy-requests/${(await request(person, 'erasure')).body.id}/complete`,
      {},
      officer,
    );
    expect(refused.body).toMatchObject({ state: 'refused', reason: 'legal hold: claim pending' });
    expect(await app.sql('SELECT 1 FROM users WHERE id = $1', [person.patient.id])).toHaveLength(1);
  });

  it('a failure in the middle of an erasure leaves everything as it was', async () => {
    const link = await aPatientWithTelemetry([61.5, 62.5]);
    const erasure = await request(link, 'erasure');
    const snapshot = () =>
      Promise.all([
        app.sql('SELECT count(*)::int AS n FROM telemetry WHERE patient_id = $1', [link.patient.id]),
        app.sql('SELECT count(*)::int AS n FROM consent_events WHERE patient_id = $1', [link.patient.id]),
        app.sql('SELECT patient_id FROM devices WHERE serial_number = $1', [link.serialNumber]),
        app.sql('SELECT state FROM privacy_requests WHERE id = $1', [erasure.body.id]),
      ]);
    const before = await snapshot();
    // The account's deletion comes after telemetry, consents and links are gone: make it fail there.
    await app.sql(`CREATE FUNCTION refuse_user_delete() RETURNS trigger LANGUAGE plpgsql AS $$
                   BEGIN RAISE EXCEPTION 'injected failure'; END $$`);
    await app.sql(
      `CREATE TRIGGER refuse_user_delete BEFORE DELETE ON users FOR EACH ROW EXECUTE FUNCTION refuse_user_delete()`,
    );
    try {
      const failed = await app.api.post(`/v1/internal/privacy-requests/${erasure.body.id}/complete`, {}, officer);
      expect(failed.status).toBe(500);
      expect(JSON.stringify(failed.body)).not.toMatch(/injected|trigger|DELETE/);
      expect(await snapshot()).toEqual(before);
    } finally {
      await app.sql('DROP TRIGGER refuse_user_delete ON users');
      await app.sql('DROP FUNCTION refuse_user_delete');
    }
  });

  it('an account found to belong to a child under 16 is erased through the same path, by a second officer', async () => {
    const child = await aPatientWithTelemetry([71.5]);
    const recorded = await app.api.post(
      `/v1/internal/privacy-requests/child-accounts/${child.patient.id}`,
      {},
      officer,
    );
    expect(recorded.status).toBe(200);
    expect(recorded.body).toMatchObject({ type: 'erasure', state: 'received', identityCheck: 'child_account' });
    // Four eyes: the officer who recorded it cannot also carry it out.
    const alone = await app.api.post(`/v1/internal/privacy-requests/${recorded.body.id}/complete`, {}, officer);
    expect(alone.status).toBe(403);
    const second = (await aUser(app.api, admin, 'privacy_officer')).token;
    const erased = await app.api.post(`/v1/internal/privacy-requests/${recorded.body.id}/complete`, {}, second);
    expect(erased.body).toMatchObject({ type: 'erasure', state: 'completed', outcome: { erased: { accounts: 1 } } });
    expect(await app.sql('SELECT 1 FROM users WHERE id = $1', [child.patient.id])).toEqual([]);
    const again = await app.api.post(`/v1/internal/privacy-requests/child-accounts/${child.patient.id}`, {}, officer);
    expect(again.status).toBe(404);
  });

  it('export streams every row once across pages, timestamps to the microsecond', async () => {
    const link = await aLinkedDevice(app.api, admin);
    await seedTelemetry(link, 4500);
    const data = (await app.api.get('/v1/me/export', link.patient.token)).body;
    const ids = data.telemetry.map((t: { messageId: string }) => t.messageId);
    expect(ids).toHaveLength(4500);
    expect(new Set(ids).size).toBe(4500);
  });

  it('an export the client abandons midway lets its snapshot and database connection go', async () => {
    const link = await aLinkedDevice(app.api, admin);
    await seedTelemetry(link, 60000);
    const exporting = `SELECT 1 FROM pg_stat_activity WHERE query LIKE '%telemetry_export%' AND pid <> pg_backend_pid()
                         AND state LIKE 'idle in transaction%'`;
    const { hostname, port } = new URL(app.running.httpUrl);
    for (let i = 0; i < 3; i++) {
      // Asks for the export, reads nothing (the service's writes back up), then leaves.
      const socket = createConnection(Number(port), hostname);
      socket.write(
        `GET /v1/me/export HTTP/1.1\r\nHost: ${hostname}\r\nAuthorization: Bearer ${link.patient.token}\r\n\r\n`,
      );
      socket.pause();
      await waitFor(
        async () => ((await app.sql(exporting)).length > 0 ? true : undefined),
        10_000,
        'the export to wait',
      );
      socket.destroy();
    }
    await waitFor(
      async () => ((await app.sql(exporting)).length === 0 ? true : undefined),
      10_000,
      'the cursors to close',
    );
    // The service still answers, and an export taken whole still works.
    expect((await app.api.get('/v1/me/export', link.patient.token)).body.telemetry).toHaveLength(60000);
  });
});
