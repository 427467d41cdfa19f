import { aDevice, aPatient, aProvider, aUser, PASSWORD } from '../support/builders';
import { TestApp, useTestApp } from '../support/test-app';

describe('admin', () => {
  let app: TestApp;
  let admin: string;
  useTestApp((started) => ({ app, admin } = started));

  it('creates providers', async () => {
    const response = await app.api.post('/v1/admin/providers', { name: 'Sunrise Home Care' }, admin);
    expect(response.status).toBe(201);
    expect(response.body).toEqual({ id: expect.any(String), name: 'Sunrise Home Care' });
    expect((await app.api.post('/v1/admin/providers', { name: '' }, admin)).status).toBe(400);
  });

  it('creates users of every internal role, a provider user only with its provider', async () => {
    const provider = await aProvider(app.api, admin);
    for (const role of ['support', 'field_service', 'privacy_officer', 'admin'] as const) {
      const user = await aUser(app.api, admin, role);
      expect(user.token).toEqual(expect.any(String));
    }
    const ok = await app.api.post(
      '/v1/admin/users',
      { username: 'provider-user-1', password: PASSWORD, role: 'provider', providerId: provider.id },
      admin,
    );
    expect(ok.status).toBe(201);
    expect(ok.body).toEqual({
      id: expect.any(String),
      username: 'provider-user-1',
      role: 'provider',
      providerId: provider.id,
    });

    const unbound = await app.api.post(
      '/v1/admin/users',
      { username: 'p2-user', password: PASSWORD, role: 'provider' },
      admin,
    );
    expect(unbound.status).toBe(400);
    expect(JSON.stringify(unbound.body)).toContain('providerId');
    const bound = await app.api.post(
      '/v1/admin/users',
      { username: 'support-bound', password: PASSWORD, role: 'support', providerId: provider.id },
      admin,
    );
    expect(bound.status).toBe(400);
    const badRole = await app.api.post(
      '/v1/admin/users',
      { username: 'x-user', password: PASSWORD, role: 'root' },
      admin,
    );
    expect(badRole.status).toBe(400);
    expect(JSON.stringify(badRole.body)).toContain('role');
  });

  it('registers devices with a registration code', async () => {
    const provider = await aProvider(app.api, admin);
    const response = await app.api.post(
      '/v1/admin/devices',
      { serialNumber: 'G5-1234567', model: 'Inogen One G5', suppliedBy: provider.id },
      admin,
    );
    expect(response.status).toBe(201);
    expect(response.body).toEqual({
      serialNumber: 'G5-1234567',
      model: 'Inogen One G5',
      suppliedBy: provider.id,
      registrationCode: expect.stringMatching(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/),
    });
    const manufacturer = await aDevice(app.api, admin, { suppliedBy: null });
    expect(manufacturer.suppliedBy).toBeNull();
  });

  it('refuses duplicate serials, unknown suppliers, topic-unsafe serials and unknown fields', async () => {
    const device = await aDevice(app.api, admin);
    const duplicate = await app.api.post('/v1/admin/devices', { ...device, registrationCode: undefined }, admin);
    expect(duplicate.status).toBe(409);
    const unknownSupplier = await app.api.post(
      '/v1/admin/devices',
      { serialNumber: 'G5-7654321', model: 'G5', suppliedBy: '00000000-0000-4000-8000-000000000000' },
      admin,
    );
    expect(unknownSupplier.status).toBe(400);
    expect(JSON.stringify(unknownSupplier.body)).toContain('suppliedBy');
    for (const serialNumber of ['G5/1', 'G5+1', 'G5#1', '']) {
      const response = await app.api.post('/v1/admin/devices', { serialNumber, model: 'G5', suppliedBy: null }, admin);
      expect(response.status).toBe(400);
      expect(JSON.stringify(response.body)).toContain('serialNumber');
    }
    const extra = await app.api.post(
      '/v1/admin/devices',
      { serialNumber: 'G5-0000001', model: 'G5', suppliedBy: null, colour: 'blue' },
      admin,
    );
    expect(extra.status).toBe(400);
    expect(JSON.stringify(extra.body)).toContain('colour');
    expect(await app.sql(`SELECT 1 FROM devices WHERE serial_number = 'G5-0000001'`)).toEqual([]);
  });

  it('is for admins only', async () => {
    const patient = await aPatient(app.api);
    const support = await aUser(app.api, admin, 'support');
    for (const token of [patient.token, support.token]) {
      expect((await app.api.post('/v1/admin/providers', { name: 'X' }, token)).status).toBe(403);
      expect(
        (await app.api.post('/v1/admin/devices', { serialNumber: 'G5-9', model: 'G5', suppliedBy: null }, token))
          .status,
      ).toBe(403);
    }
  });
});
