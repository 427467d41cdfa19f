import { aUser } from '../support/builders';
import { TestApp, useTestApp } from '../support/test-app';

const point = (lon: number, lat: number, properties: Record<string, unknown>) => ({
  type: 'Feature',
  geometry: { type: 'Point', coordinates: [lon, lat] },
  properties,
});

describe('service offices (admin)', () => {
  let app: TestApp;
  let admin: string;
  useTestApp((started) => ({ app, admin } = started));

  it('creates an office with its optional properties', async () => {
    const response = await app.api.post(
      '/v1/admin/service-offices',
      {
        name: 'Santa Barbara branch',
        kind: 'branch',
        location: { lat: 34.4208, lon: -119.6982 },
        properties: { phone: '+1 805 555 0100', modelsServiced: ['Inogen One G5'] },
      },
      admin,
    );
    expect(response.status).toBe(201);
    expect(response.body).toEqual({
      id: expect.any(String),
      name: 'Santa Barbara branch',
      kind: 'branch',
      location: { lat: 34.4208, lon: -119.6982 },
      properties: { phone: '+1 805 555 0100', modelsServiced: ['Inogen One G5'] },
    });
  });

  it.each([
    [{ lat: 95, lon: 0 }, 'location.lat'],
    [{ lat: 0, lon: 181 }, 'location.lon'],
    [{ lat: 0 }, 'location.lon'],
  ])('refuses coordinates %j with 400 naming %s', async (location, field) => {
    const response = await app.api.post('/v1/admin/service-offices', { name: 'X', kind: 'branch', location }, admin);
    expect(response.status).toBe(400);
    expect(JSON.stringify(response.body)).toContain(field);
  });

  it('imports a FeatureCollection all at once', async () => {
    const before = await app.sql<{ n: number }>('SELECT count(*)::int AS n FROM service_offices');
    const response = await app.api.post(
      '/v1/admin/service-offices/import',
      {
        type: 'FeatureCollection',
        features: [
          point(-118.2437, 34.0522, { name: 'LA branch', kind: 'branch' }),
          point(-119.229, 34.2746, { name: 'Ventura rep', kind: 'service_rep', address: '1 Main St' }),
        ],
      },
      admin,
    );
    expect(response.status).toBe(201);
    expect(response.body).toEqual({ imported: 2 });
    const after = await app.sql<{ n: number }>('SELECT count(*)::int AS n FROM service_offices');
    expect(after[0].n - before[0].n).toBe(2);
  });

  it('stores nothing of an import with one bad feature, and names it', async () => {
    const before = await app.sql<{ n: number }>('SELECT count(*)::int AS n FROM service_offices');
    const response = await app.api.post(
      '/v1/admin/service-offices/import',
      {
        type: 'FeatureCollection',
        features: [
          point(-118.2437, 34.0522, { name: 'Good one', kind: 'branch' }),
          point(-118.2437, 34.0522, { name: 'Bad kind', kind: 'warehouse' }),
        ],
      },
      admin,
    );
    expect(response.status).toBe(400);
    expect(response.body.message).toMatch(/^features\[1\]\.kind/);
    const after = await app.sql<{ n: number }>('SELECT count(*)::int AS n FROM service_offices');
    expect(after[0].n).toBe(before[0].n);
  });

  it('imports CSV all or nothing, naming the line of the first bad record', async () => {
    const csv = (rows: string[]) =>
      app.api.request('POST', '/v1/admin/service-offices/import', {
        token: admin,
        rawBody: ['name,kind,lat,lon,phone,modelsServiced', ...rows].join('\n'),
        headers: { 'content-type': 'text/csv' },
      });
    const count = async () => (await app.sql<{ n: number }>('SELECT count(*)::int AS n FROM service_offices'))[0].n;
    const before = await count();
    const bad = await csv(['Reno branch,branch,39.53,-119.81,,', 'Nowhere,branch,39.5,-181,,']);
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/^line 3: location\.lon/);
    expect(await count()).toBe(before);

    const good = await csv([
      'Reno branch,branch,39.53,-119.81,+1 775 555 0100,Inogen One G5;Inogen Rove 6',
      'Tahoe rep,service_rep,39.1,-120.03,,',
    ]);
    expect(good.status).toBe(201);
    expect(good.body).toEqual({ imported: 2 });
    expect(await count()).toBe(before + 2);
  });

  it('updates an office, and 404s an unknown one', async () => {
    const created = await app.api.post(
      '/v1/admin/service-offices',
      { name: 'Old name', kind: 'branch', location: { lat: 36.6, lon: -121.9 } },
      admin,
    );
    const updated = await app.api.request('PATCH', `/v1/admin/service-offices/${created.body.id}`, {
      token: admin,
      body: { name: 'Monterey branch', location: { lat: 36.61, lon: -121.89 } },
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({
      id: created.body.id,
      name: 'Monterey branch',
      kind: 'branch',
      location: { lat: 36.61, lon: -121.89 },
    });
    const missing = await app.api.request('PATCH', '/v1/admin/service-offices/00000000-0000-4000-8000-000000000000', {
      token: admin,
      body: { name: 'x' },
    });
    expect(missing.status).toBe(404);
    const invalid = await app.api.request('PATCH', `/v1/admin/service-offices/${created.body.id}`, {
      token: admin,
      body: { location: { lat: 95, lon: 0 } },
    });
    expect(invalid.status).toBe(400);
  });

  it('is for admins only', async () => {
    const support = await aUser(app.api, admin, 'support');
    const response = await app.api.post(
      '/v1/admin/service-offices',
      { name: 'X', kind: 'branch', location: { lat: 1, lon: 1 } },
      support.token,
    );
    expect(response.status).toBe(403);
  });
});
