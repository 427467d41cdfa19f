import { aUser } from '../support/builders';
import { aLinkedDevice, connectLink, DeviceLink, publish, telemetry } from '../support/device-link';
import { TestApp, useTestApp } from '../support/test-app';

// A small deterministic generator, so a failure can be replayed.
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

describe('geospatial queries: nearest offices, lost and stolen devices', () => {
  let app: TestApp;
  let admin: string;
  let field: string;
  const next = random(42);

  useTestApp((started) => ({ app, admin } = started));

  beforeAll(async () => {
    field = (await aUser(app.api, admin, 'field_service')).token;
    // 80 offices scattered over California and Nevada, a few servicing only one model.
    const features = Array.from({ length: 80 }, (_, i) => ({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [-124 + next() * 9, 32.5 + next() * 9] },
      properties: {
        name: `Office ${i}`,
        kind: i % 3 === 0 ? 'service_rep' : 'branch',
        ...(i % 5 === 0 ? { modelsServiced: ['Inogen Rove 6'] } : {}),
      },
    }));
    const imported = await app.api.post(
      '/v1/admin/service-offices/import',
      { type: 'FeatureCollection', features },
      admin,
    );
    expect(imported.status).toBe(201);
  });

  const moveTo = async (link: DeviceLink, lat: number, lon: number) => {
    const client = await connectLink(app.mqttUrl, link);
    await publish(client, link.serialNumber, telemetry(link, { location: { lat, lon, accuracyM: 10 } }));
    await client.endAsync();
  };

  it('nearest offices agree with a brute-force geodesic ranking of every office, for many random points', async () => {
    for (let i = 0; i < 25; i++) {
      const lat = 32 + next() * 10;
      const lon = -125 + next() * 11;
      const response = await app.api.get(`/v1/service-offices/nearest?lat=${lat}&lon=${lon}&limit=5`, field);
      expect(response.status).toBe(200);
      const bruteForce = await app.sql<{ id: string; d: number }>(
        `SELECT id, ST_Distance(location, ST_SetSRID(ST_MakePoint($2, $1), 4326)::geography, true) AS d
           FROM service_offices ORDER BY d, id LIMIT 5`,
        [lat, lon],
      );
      expect(response.body.items.map((o: { id: string }) => o.id)).toEqual(bruteForce.map((o) => o.id));
      response.body.items.forEach((office: { distanceM: number }, k: number) =>
        expect(office.distanceM).toBeCloseTo(bruteForce[k].d, 3),
      );
      expect(Object.keys(response.body.items[0]).sort()).toEqual(['distanceM', 'id', 'kind', 'location', 'name']);
    }
  });

  it('filters by kind and by model serviced', async () => {
    const reps = await app.api.get('/v1/service-offices/nearest?lat=36&lon=-120&limit=10&kind=service_rep', field);
    expect(reps.body.items.length).toBeGreaterThan(0);
    expect(reps.body.items.every((o: { kind: string }) => o.kind === 'service_rep')).toBe(true);
    const rove = await app.api.get(
      '/v1/service-offices/nearest?lat=36&lon=-120&limit=50&model=Inogen%20Rove%206',
      field,
    );
    expect(rove.body.items).toHaveLength(16);
  });

  it('latitude 95 or longitude 181 is 400, as is giving neither a point nor a device', async () => {
    for (const query of ['lat=95&lon=0', 'lat=0&lon=181', 'lat=10', '', 'lat=1&lon=1&serialNumber=G5-ABC']) {
      expect((await app.api.get(`/v1/service-offices/nearest?${query}`, field)).status).toBe(400);
    }
  });

  it('nearest to a device uses its last location, only for a caller who may see the device', async () => {
    const mine = await aLinkedDevice(app.api, admin);
    await moveTo(mine, 34.42, -119.7);
    const byDevice = await app.api.get(
      `/v1/service-offices/nearest?serialNumber=${mine.serialNumber}`,
      mine.patient.token,
    );
    const byPoint = await app.api.get('/v1/service-offices/nearest?lat=34.42&lon=-119.7', mine.patient.token);
    expect(byDevice.status).toBe(200);
    expect(byDevice.body).toEqual(byPoint.body);

    const stranger = await aLinkedDevice(app.api, admin);
    expect(
      (await app.api.get(`/v1/service-offices/nearest?serialNumber=${mine.serialNumber}`, stranger.patient.token))
        .status,
    ).toBe(404);
    // Field service sees a device's location only while it is reported lost or stolen.
    expect((await app.api.get(`/v1/service-offices/nearest?serialNumber=${mine.serialNumber}`, field)).status).toBe(
      404,
    );
  });

  it('lost-device radius search returns exactly the reported devices within the radius, nearest first', async () => {
    const centre = { lat: 37.7749, lon: -122.4194 };
    // Offsets north of the centre: about 1.1 km, 5.6 km, 8.9 km and 15.6 km.
    const [near, middle, edge, far] = await Promise.all(
      [0.01, 0.05, 0.08, 0.14].map(() => aLinkedDevice(app.api, admin)),
    );
    const unreported = await aLinkedDevice(app.api, admin);
    await moveTo(near, centre.lat + 0.01, centre.lon);
    await moveTo(middle, centre.lat + 0.05, centre.lon);
    await moveTo(edge, centre.lat + 0.08, centre.lon);
    await moveTo(far, centre.lat + 0.14, centre.lon);
    await moveTo(unreported, centre.lat + 0.02, centre.lon);

    expect(
      (await app.api.post(`/v1/me/devices/${near.serialNumber}/loss-reports`, { kind: 'stolen' }, near.patient.token))
        .status,
    ).toBe(201);
    const support = (await aUser(app.api, admin, 'support')).token;
    for (const link of [middle, edge, far]) {
      const report = { kind: 'lost', reason: 'the patient called support' };
      expect(
        (await app.api.post(`/v1/internal/devices/${link.serialNumber}/loss-reports`, report, support)).status,
      ).toBe(201);
    }
    const search = await app.api.get(
      `/v1/internal/lost-devices?lat=${centre.lat}&lon=${centre.lon}&radiusKm=10`,
      field,
    );
    expect(search.status).toBe(200);
    expect(search.body.items.map((d: { serialNumber: string }) => d.serialNumber)).toEqual([
      near.serialNumber,
      middle.serialNumber,
      edge.serialNumber,
    ]);
    expect(search.body.items[0]).toEqual({
      serialNumber: near.serialNumber,
      model: near.model,
      lossReport: { kind: 'stolen', reportedAt: expect.any(String) },
      lastLocation: { lat: centre.lat + 0.01, lon: centre.lon },
      distanceM: expect.any(Number),
    });
    expect(search.body.items[0].distanceM).toBeGreaterThan(1100);
    expect(search.body.items[0].distanceM).toBeLessThan(1120);

    // The device record shows the report, and field service now sees where the device is.
    const record = await app.api.get(`/v1/internal/devices/${near.serialNumber}`, field);
    expect(record.body.lossReport).toEqual({ kind: 'stolen', reportedAt: expect.any(String) });
    expect(record.body.lastLocation).toMatchObject({ lat: centre.lat + 0.01, lon: centre.lon });

    // Found: the report is withdrawn and the device leaves the search.
    expect((await app.api.delete(`/v1/me/devices/${near.serialNumber}/loss-reports`, near.patient.token)).status).toBe(
      204,
    );
    const after = await app.api.get(`/v1/internal/lost-devices?lat=${centre.lat}&lon=${centre.lon}&radiusKm=10`, field);
    expect(after.body.items.map((d: { serialNumber: string }) => d.serialNumber)).toEqual([
      middle.serialNumber,
      edge.serialNumber,
    ]);
  });

  it("a patient cannot report another patient's device, and the search is internal only", async () => {
    const a = await aLinkedDevice(app.api, admin);
    const b = await aLinkedDevice(app.api, admin);
    expect(
      (await app.api.post(`/v1/me/devices/${a.serialNumber}/loss-reports`, { kind: 'lost' }, b.patient.token)).status,
    ).toBe(404);
    expect(
      (await app.api.post(`/v1/me/devices/${a.serialNumber}/loss-reports`, { kind: 'misplaced' }, a.patient.token))
        .status,
    ).toBe(400);
    expect((await app.api.get('/v1/internal/lost-devices?lat=1&lon=1&radiusKm=1', a.patient.token)).status).toBe(403);
    expect((await app.api.get('/v1/internal/lost-devices?lat=91&lon=1&radiusKm=1', field)).status).toBe(400);
  });

  it('a bounding box returns exactly the devices inside it, as JSON or GeoJSON', async () => {
    const box = { minLon: -117.2, minLat: 39.4, maxLon: -116.8, maxLat: 39.6 };
    const spots = [
      [39.5, -117.0, true],
      [39.4, -117.2, true], // on the corner: inside
      [39.45, -116.81, true],
      [39.61, -117.0, false],
      [39.5, -116.79, false],
    ] as const;
    const links = await Promise.all(spots.map(() => aLinkedDevice(app.api, admin)));
    for (const [i, [lat, lon]] of spots.entries()) await moveTo(links[i], lat, lon);
    const support = (await aUser(app.api, admin, 'support')).token;
    const bbox = `${box.minLon},${box.minLat},${box.maxLon},${box.maxLat}`;

    // Devices not reported lost appear only with a stated reason (a break-glass read, audited with it).
    expect((await app.api.get(`/v1/internal/devices?bbox=${bbox}`, support)).body.items).toEqual([]);
    const stated = `bbox=${bbox}&reason=${encodeURIComponent('recall of a battery batch in the area')}`;
    const response = await app.api.get(`/v1/internal/devices?${stated}`, support);
    expect(response.status).toBe(200);
    const inside = links.filter((_, i) => spots[i][2]).map((l) => l.serialNumber);
    expect(response.body.items.map((d: { serialNumber: string }) => d.serialNumber).sort()).toEqual(inside.sort());
    const [entry] = await app.sql<{ action: string; purpose: string }>(
      'SELECT action, purpose FROM audit_log ORDER BY id DESC LIMIT 1',
    );
    expect(entry).toEqual({ action: 'internal.devices.map.stated', purpose: 'recall of a battery batch in the area' });

    const geojson = await app.api.request('GET', `/v1/internal/devices?${stated}`, {
      token: support,
      headers: { accept: 'application/geo+json' },
    });
    expect(geojson.headers.get('content-type')).toMatch(/application\/geo\+json/);
    expect(geojson.body.type).toBe('FeatureCollection');
    expect(geojson.body.features).toHaveLength(inside.length);
    expect(geojson.body.features[0].geometry.type).toBe('Point');

    // Field service sees only devices reported lost or stolen.
    expect((await app.api.get(`/v1/internal/devices?bbox=${bbox}`, field)).body.items).toEqual([]);
    for (const bad of ['1,2,3', '-181,0,0,1', '0,0,-1,1', '0,91,1,92', 'a,b,c,d']) {
      expect((await app.api.get(`/v1/internal/devices?bbox=${bad}`, support)).status).toBe(400);
    }
  });

  it('the density report counts devices per cell, leaves out every cell under k, and names no device', async () => {
    const crowd = await Promise.all(Array.from({ length: 7 }, () => aLinkedDevice(app.api, admin)));
    for (const [i, link] of crowd.entries()) await moveTo(link, 45.0 + i * 0.001, 10.0);
    const few = await Promise.all(Array.from({ length: 2 }, () => aLinkedDevice(app.api, admin)));
    for (const link of few) await moveTo(link, 46.5, 12.5);

    const response = await app.api.get('/v1/internal/reports/device-density?cellKm=20', admin);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ cellKm: 20, k: 5 });
    const near = (lat: number, lon: number) =>
      response.body.cells.filter(
        (c: { center: { lat: number; lon: number } }) =>
          Math.abs(c.center.lat - lat) < 0.2 && Math.abs(c.center.lon - lon) < 0.2,
      );
    expect(near(45.0, 10.0)).toEqual([{ center: expect.any(Object), devices: 5 }]); // 7, rounded down to k
    expect(near(46.5, 12.5)).toEqual([]);
    const text = JSON.stringify(response.body);
    for (const link of [...crowd, ...few]) expect(text).not.toContain(link.serialNumber);
    expect(response.body.cells.every((c: { devices: number }) => c.devices >= 5 && c.devices % 5 === 0)).toBe(true);
    expect((await app.api.get('/v1/internal/reports/device-density?cellKm=20', field)).status).toBe(403);
  });

  it('another account trying to link a device reported stolen raises an alert on the record and in the list', async () => {
    const stolen = await aLinkedDevice(app.api, admin);
    const lost = await aLinkedDevice(app.api, admin);
    const thief = await aLinkedDevice(app.api, admin);
    await app.api.post(`/v1/me/devices/${stolen.serialNumber}/loss-reports`, { kind: 'stolen' }, stolen.patient.token);
    await app.api.post(`/v1/me/devices/${lost.serialNumber}/loss-reports`, { kind: 'lost' }, lost.patient.token);

    for (const device of [stolen, lost]) {
      const [{ code }] = await app.sql<{ code: string }>(
        'SELECT registration_code AS code FROM devices WHERE serial_number = $1',
        [device.serialNumber],
      );
      const attempt = await app.api.post('/v1/me/devices', { registrationCode: code }, thief.patient.token);
      expect(attempt.status).toBe(409);
    }
    const alerts = await app.api.get('/v1/internal/alerts', field);
    expect(alerts.status).toBe(200);
    const mine = alerts.body.items.filter((a: { serialNumber: string }) =>
      [stolen.serialNumber, lost.serialNumber].includes(a.serialNumber),
    );
    expect(mine).toEqual([
      {
        serialNumber: stolen.serialNumber,
        kind: 'stolen_device_link_attempt',
        accountId: thief.patient.id,
        at: expect.any(String),
      },
    ]);
    const record = await app.api.get(`/v1/internal/devices/${stolen.serialNumber}`, field);
    expect(record.body.alerts).toEqual(mine);
    expect((await app.api.get('/v1/internal/alerts', thief.patient.token)).status).toBe(403);
  });

  it('a fix too inaccurate or too far from the last one is kept, flagged, and does not become the last location', async () => {
    const link = await aLinkedDevice(app.api, admin);
    const client = await connectLink(app.mqttUrl, link);
    const fix = (minute: number, lat: number, lon: number, accuracyM = 10) => {
      const at = new Date(Date.UTC(2026, 10, 21, 9, minute)).toISOString();
      return telemetry(link, { sentAt: at, connectedAt: at, location: { lat, lon, accuracyM, capturedAt: at } });
    };
    await publish(client, link.serialNumber, fix(0, 40.0, -105.0));
    await publish(client, link.serialNumber, fix(1, 40.01, -105.0, 5000)); // 5 km accuracy
    await publish(client, link.serialNumber, fix(2, 48.85, 2.35)); // Paris a minute later
    await publish(client, link.serialNumber, fix(3, 40.02, -105.0)); // 2.2 km in 3 minutes: plausible
    await client.endAsync();

    const support = (await aUser(app.api, admin, 'support')).token;
    const why = `reason=${encodeURIComponent('checking the fix filter for ticket 88')}`;
    const record = await app.api.get(`/v1/internal/devices/${link.serialNumber}?${why}`, support);
    expect(record.body.lastLocation).toMatchObject({ lat: 40.02, lon: -105.0 });
    const history = await app.api.get(
      `/v1/internal/devices/${link.serialNumber}/telemetry?from=2026-11-21T00:00:00Z&to=2026-11-22T00:00:00Z&${why}`,
      support,
    );
    expect(history.body.items.map((i: { locationFlag: string | null }) => i.locationFlag)).toEqual([
      null,
      'inaccurate',
      'implausible_speed',
      null,
    ]);
  });
});
