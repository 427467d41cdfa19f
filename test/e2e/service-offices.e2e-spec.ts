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
