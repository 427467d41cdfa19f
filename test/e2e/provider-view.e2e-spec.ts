import { Client } from 'pg';
import { PROVIDER_ASSET_FIELDS, PROVIDER_DEVICE_FIELDS } from '@poc/access';
import { aDevice, aProvider, aUser } from '../support/builders';
import { aLinkedDevice, connectLink, consentChoices, DeviceLink, publish, telemetry } from '../support/device-link';
import { TestApp, useTestApp } from '../support/test-app';

/** Every key at every depth of a JSON value, as dotted paths ("lastLocation.lat"). */
function keyPaths(value: unknown, prefix = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((v) => keyPaths(v, prefix));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => [`${prefix}${k}`, ...keyPaths(v, `${prefix}${k}.`)]);
}
const ALLOWED_PATHS = [...PROVIDER_DEVICE_FIELDS, 'lastLocation.lat', 'lastLocation.lon'];

describe('the provider view (minimum necessary)', () => {
  let app: TestApp;
  let admin: string;
  let provider: { id: string };
  let staff: string;
  let otherStaff: string;
  const links: DeviceLink[] = [];

  useTestApp((started) => ({ app, admin } = started));

  beforeAll(async () => {
    provider = await aProvider(app.api, admin);
    const other = await aProvider(app.api, admin);
    staff = (await aUser(app.api, admin, 'provider', provider.id)).token;
    otherStaff = (await aUser(app.api, admin, 'provider', other.id)).token;
    for (let i = 0; i < 5; i++) links.push(await aLinkedDevice(app.api, admin, { suppliedBy: provider.id }));
    await aLinkedDevice(app.api, admin, { suppliedBy: other.id });
    await aDevice(app.api, admin, { suppliedBy: null });
    const client = await connectLink(app.mqttUrl, links[0]);
    await publish(client, links[0].serialNumber, telemetry(links[0], { errorCodes: ['E07'] }));
    await client.endAsync();
  });

  it('lists exactly its own devices across pages, each with exactly the five keys', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let pages = 0; pages < 10; pages++) {
      const query: string = `/v1/provider/devices?limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const response = await app.api.get(query, staff);
      expect(response.status).toBe(200);
      for (const item of response.body.items) {
        expect(Object.keys(item).sort()).toEqual([...PROVIDER_DEVICE_FIELDS].sort());
        expect(keyPaths(item).filter((p) => !ALLOWED_PATHS.includes(p))).toEqual([]);
        seen.push(item.serialNumber);
      }
      cursor = response.body.nextCursor;
      if (!cursor) break;
    }
    expect(seen).toEqual(links.map((l) => l.serialNumber).sort());
  });

  it('shows the latest state of a device with telemetry', async () => {
    const response = await app.api.get(`/v1/provider/devices/${links[0].serialNumber}`, staff);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      serialNumber: links[0].serialNumber,
      model: links[0].model,
      lastConnectedAt: expect.any(String),
      errorCode: 'E07',
      lastLocation: { lat: 34.4358, lon: -119.8276 },
    });
  });

  it("another provider's device is 404, as is no device at all", async () => {
    expect((await app.api.get(`/v1/provider/devices/${links[0].serialNumber}`, otherStaff)).status).toBe(404);
    expect((await app.api.get('/v1/provider/devices/NO-SUCH-DEVICE', staff)).status).toBe(404);
    const page = await app.api.get('/v1/provider/devices?limit=500', otherStaff);
    expect(page.body.items.map((i: { serialNumber: string }) => i.serialNumber)).not.toContain(links[0].serialNumber);
  });

  it('internal endpoints are 403 for providers, and provider endpoints 403 for internal roles and patients', async () => {
    expect((await app.api.get(`/v1/internal/devices/${links[0].serialNumber}`, staff)).status).toBe(403);
    expect((await app.api.get('/v1/internal/audit/verify', staff)).status).toBe(403);
    const support = (await aUser(app.api, admin, 'support')).token;
    expect((await app.api.get('/v1/provider/devices', support)).status).toBe(403);
    expect((await app.api.get('/v1/provider/devices', admin)).status).toBe(403);
    expect((await app.api.get('/v1/provider/devices', links[0].patient.token)).status).toBe(403);
  });

  it('after the patient withdraws sharing, only serial and model remain; sharing again restores them', async () => {
    const consent = (shareWithProvider: boolean) =>
      app.api.put('/v1/me/consents', consentChoices({ shareWithProvider }), links[0].patient.token);
    await consent(false);
    const withdrawn = await app.api.get(`/v1/provider/devices/${links[0].serialNumber}`, staff);
    const filled = (body: Record<string, unknown>) => Object.keys(body).filter((k) => body[k] !== null);
    expect(filled(withdrawn.body)).toEqual([...PROVIDER_ASSET_FIELDS]);
    expect(Object.keys(withdrawn.body).sort()).toEqual([...PROVIDER_DEVICE_FIELDS].sort());

    await consent(true);
    const restored = await app.api.get(`/v1/provider/devices/${links[0].serialNumber}`, staff);
    expect(filled(restored.body)).toEqual([...PROVIDER_DEVICE_FIELDS]);
  });

  it('rejects a limit over 500 and a forged cursor', async () => {
    expect((await app.api.get('/v1/provider/devices?limit=501', staff)).status).toBe(400);
    expect((await app.api.get('/v1/provider/devices?cursor=%2F%2F%2F', staff)).status).toBe(400);
  });

  it('no marker of any other column reaches a provider response', async () => {
    // Fill every column of a device, its patient, consents and telemetry with marker values.
    const link = await aLinkedDevice(app.api, admin, { suppliedBy: provider.id });
    const client = await connectLink(app.mqttUrl, link);
    await publish(
      client,
      link.serialNumber,
      telemetry(link, {
        firmware: 'MARKER-FIRMWARE',
        batteryPct: 77.7123,
        flowSetting: 4.4321,
        errorCodes: ['E07', 'MARKERCODE2'],
      }),
    );
    await client.endAsync();
    const markers = [
      'MARKER-FIRMWARE',
      '77.7123',
      '4.4321',
      'MARKERCODE2',
      link.patient.id,
      provider.id,
      '@example.org',
      '"accuracyM"',
      '"capturedAt"',
      'messageId',
      'patient',
      'registration',
      'secret',
    ];
    const [device] = await app.sql<{ registration_code_hash: string | null; secret_hash: string | null }>(
      'SELECT * FROM devices WHERE serial_number = $1',
      [link.serialNumber],
    );
    markers.push(
      ...Object.values(device).filter(
        (v): v is string => typeof v === 'string' && v.length > 8 && v !== link.serialNumber && v !== link.model,
      ),
    );
    const bodies = [
      JSON.stringify((await app.api.get('/v1/provider/devices?limit=500', staff)).body),
      JSON.stringify((await app.api.get(`/v1/provider/devices/${link.serialNumber}`, staff)).body),
    ];
    for (const body of bodies) {
      expect(body).toContain(link.serialNumber);
      for (const marker of markers) expect({ marker, found: body.includes(marker) }).toEqual({ marker, found: false });
    }
  });

  it('the database refuses the provider role anything but its view, and the view shows nothing without the provider', async () => {
    const sql = new Client({ connectionString: app.databaseUrl });
    await sql.connect();
    try {
      await sql.query('BEGIN');
      await sql.query("SELECT set_config('role', 'poc_provider', true)");
      await expect(sql.query('SELECT * FROM devices')).rejects.toThrow(/permission denied/);
      await sql.query('ROLLBACK');

      await sql.query('BEGIN');
      await sql.query("SELECT set_config('role', 'poc_provider', true)");
      await expect(sql.query('SELECT * FROM device_latest_state')).rejects.toThrow(/permission denied/);
      await sql.query('ROLLBACK');

      await sql.query('BEGIN');
      await sql.query("SELECT set_config('role', 'poc_provider', true)");
      expect((await sql.query('SELECT * FROM provider_device_view')).rows).toEqual([]);
      const other = await aProvider(app.api, admin);
      await sql.query("SELECT set_config('app.provider_id', $1, true)", [other.id]);
      expect((await sql.query('SELECT * FROM provider_device_view')).rows).toEqual([]);
      await sql.query("SELECT set_config('app.provider_id', $1, true)", [provider.id]);
      const mine = await sql.query('SELECT * FROM provider_device_view');
      expect(Object.keys(mine.rows[0]).sort()).toEqual(
        ['error_code', 'last_connected_at', 'last_lat', 'last_lon', 'model', 'serial_number'].sort(),
      );
      await sql.query('ROLLBACK');
    } finally {
      await sql.end();
    }
  });
});
