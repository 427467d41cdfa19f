import { aProvider, asAdmin, aUser } from '../support/builders';
import { aLinkedDevice, connectLink, consentChoices, DeviceLink, publish, telemetry } from '../support/device-link';
import { startTestApp, TestApp } from '../support/test-app';

const HOME = { lat: 34.4358, lon: -119.8276 };
const WHY = `reason=${encodeURIComponent('the patient called: where is my device?')}`;

/**
 * A location the patient withholds (location collection off, processing restricted, the account erased)
 * is looked for on every path that ever used one, by every role that might try.
 */
describe('a withheld location, looked for everywhere', () => {
  let app: TestApp;
  let admin: string;
  let provider: { id: string; token: string };
  let support: string;
  let field: string;

  const at = (link: DeviceLink) => {
    const around = `${HOME.lon - 0.5},${HOME.lat - 0.5},${HOME.lon + 0.5},${HOME.lat + 0.5}`;
    const serial = link.serialNumber;
    return {
      providerView: () => app.api.get(`/v1/provider/devices/${serial}`, provider.token),
      providerPage: () => app.api.get('/v1/provider/devices?limit=500', provider.token),
      // Support states a reason (a break-glass read), so every purpose that could open a location is tried.
      record: () => app.api.get(`/v1/internal/devices/${serial}?${WHY}`, support),
      trail: () => app.api.get(`/v1/internal/devices/${serial}/locations?${WHY}`, support),
      history: () => app.api.get(`/v1/internal/devices/${serial}/telemetry?${WHY}`, support),
      map: (token: string) => app.api.get(`/v1/internal/devices?bbox=${around}&limit=500&${WHY}`, token),
      lost: () => app.api.get(`/v1/internal/lost-devices?lat=${HOME.lat}&lon=${HOME.lon}&radiusKm=50`, field),
      nearestBy: (token: string) => app.api.get(`/v1/service-offices/nearest?serialNumber=${serial}`, token),
    };
  };

  /** Every reader of a location, for this device: each must show none, and none may hint at it. */
  async function expectNoLocationAnywhere(link: DeviceLink): Promise<void> {
    const paths = at(link);
    const view = await paths.providerView();
    expect(view.status).toBe(200);
    expect(view.body.lastLocation).toBeNull();
    const page = (await paths.providerPage()).body.items.find(
      (d: { serialNumber: string }) => d.serialNumber === link.serialNumber,
    );
    expect(page.lastLocation).toBeNull();
    expect((await paths.record()).body.lastLocation).toBeNull();
    expect((await paths.trail()).body.items).toEqual([]);
    expect((await paths.history()).body.items.every((i: { location: unknown }) => i.location === null)).toBe(true);
    for (const token of [support, field, admin]) {
      const map = await paths.map(token);
      expect(map.body.items.map((d: { serialNumber: string }) => d.serialNumber)).not.toContain(link.serialNumber);
    }
    const lost = await paths.lost();
    expect(lost.body.items.map((d: { serialNumber: string }) => d.serialNumber)).not.toContain(link.serialNumber);
    for (const token of [link.patient.token, provider.token, support]) {
      const nearest = await paths.nearestBy(token);
      expect(nearest.status).toBe(404);
      expect(JSON.stringify(nearest.body)).not.toMatch(/distanceM/);
    }
  }

  async function aDeviceAtHome(): Promise<DeviceLink> {
    const link = await aLinkedDevice(app.api, admin, { suppliedBy: provider.id });
    const client = await connectLink(app.mqttUrl, link);
    await publish(client, link.serialNumber, telemetry(link, { location: { ...HOME, accuracyM: 8 } }));
    await client.endAsync();
    // Reported lost, so that field service's paths would show it too.
    await app.api.post(
      `/v1/internal/devices/${link.serialNumber}/loss-reports`,
      { kind: 'lost', reason: 'patient called' },
      support,
    );
    return link;
  }

  async function expectLocationShown(link: DeviceLink): Promise<void> {
    const paths = at(link);
    expect((await paths.providerView()).body.lastLocation).toEqual(HOME);
    expect((await paths.record()).body.lastLocation).toMatchObject(HOME);
    expect((await paths.lost()).body.items.map((d: { serialNumber: string }) => d.serialNumber)).toContain(
      link.serialNumber,
    );
    expect((await paths.nearestBy(link.patient.token)).status).toBe(200);
  }

  beforeAll(async () => {
    app = await startTestApp();
    admin = await asAdmin(app.api);
    const supplier = await aProvider(app.api, admin);
    provider = { id: supplier.id, token: (await aUser(app.api, admin, 'provider', supplier.id)).token };
    support = (await aUser(app.api, admin, 'support')).token;
    field = (await aUser(app.api, admin, 'field_service')).token;
    await app.api.post(
      '/v1/admin/service-offices',
      { name: 'Goleta branch', kind: 'branch', location: { lat: 34.44, lon: -119.83 } },
      admin,
    );
  });
  afterAll(() => app.close());

  it('location collection switched off takes the last location out of every reader', async () => {
    const link = await aDeviceAtHome();
    await expectLocationShown(link);
    const off = consentChoices({ locationCollection: false });
    expect((await app.api.put('/v1/me/consents', off, link.patient.token)).status).toBe(200);
    await expectNoLocationAnywhere(link);
    // Sharing itself still stands: the provider sees the other fields.
    expect((await at(link).providerView()).body.lastConnectedAt).not.toBeNull();
  });

  it('a restriction of processing does too, keeps everything stored, and lifting it brings it back', async () => {
    const link = await aDeviceAtHome();
    await app.api.post('/v1/me/privacy-requests', { type: 'restriction' }, link.patient.token);
    await expectNoLocationAnywhere(link);
    expect(
      await app.sql('SELECT 1 FROM device_latest_state WHERE serial_number = $1 AND location IS NOT NULL', [
        link.serialNumber,
      ]),
    ).toHaveLength(1);
    expect((await app.api.delete('/v1/me/restriction', link.patient.token)).status).toBe(204);
    await expectLocationShown(link);
  });

  it('the market-analysis density report counts only locations their patients allow to be used', async () => {
    const spot = { lat: -33.8688, lon: 151.2093 }; // nobody else's devices are here
    const crowd = await Promise.all(Array.from({ length: 5 }, () => aLinkedDevice(app.api, admin)));
    for (const link of crowd) {
      const client = await connectLink(app.mqttUrl, link);
      await publish(client, link.serialNumber, telemetry(link, { location: { ...spot, accuracyM: 8 } }));
      await client.endAsync();
    }
    const cellsNearSpot = async () =>
      (await app.api.get('/v1/internal/reports/device-density?cellKm=50', admin)).body.cells.filter(
        (c: { center: { lat: number } }) => Math.abs(c.center.lat - spot.lat) < 1,
      );
    expect(await cellsNearSpot()).toEqual([{ center: expect.any(Object), devices: 5 }]);
    await app.api.post('/v1/me/privacy-requests', { type: 'objection' }, crowd[0].patient.token);
    expect(await cellsNearSpot()).toEqual([]); // four left: under k, suppressed
  });

  it("an erased patient's last location cannot be recovered by whoever links the device next", async () => {
    const link = await aDeviceAtHome();
    const [{ registration_code: code }] = await app.sql<{ registration_code: string }>(
      'SELECT registration_code FROM devices WHERE serial_number = $1',
      [link.serialNumber],
    );
    const officer = (await aUser(app.api, admin, 'privacy_officer')).token;
    // Under a legal hold the device's telemetry is kept, de-identified: the location must stay out of reach.
    const hold = { serialNumber: link.serialNumber, reason: 'warranty claim' };
    expect((await app.api.post('/v1/internal/legal-holds', hold, officer)).status).toBe(201);
    const request = await app.api.post('/v1/me/privacy-requests', { type: 'erasure' }, link.patient.token);
    await app.api.post(`/v1/internal/privacy-requests/${request.body.id}/complete`, {}, officer);
    const next = await aLinkedDevice(app.api, admin); // a patient with sharing and location on
    const relinked = await app.api.post('/v1/me/devices', { registrationCode: code }, next.patient.token);
    expect(relinked.status).toBe(201);
    await expectNoLocationAnywhere({ ...link, patient: next.patient });
    // Nor anything else of theirs (flow setting, battery, errors): the device's history starts with its new patient.
    expect((await at(link).history()).body.items).toEqual([]);
  });
});
