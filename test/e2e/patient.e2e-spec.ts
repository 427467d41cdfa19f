import { aDevice, aPatient, aProvider, aUser } from '../support/builders';
import { TestApp, useTestApp } from '../support/test-app';

describe('patient: device links and consents', () => {
  let app: TestApp;
  let admin: string;
  useTestApp((started) => ({ app, admin } = started));

  describe('linking a device', () => {
    it('by registration code gives MQTT credentials; the secret is stored only as a hash', async () => {
      const provider = await aProvider(app.api, admin);
      const device = await aDevice(app.api, admin, { suppliedBy: provider.id });
      const patient = await aPatient(app.api);
      const response = await app.api.post(
        '/v1/me/devices',
        { registrationCode: device.registrationCode },
        patient.token,
      );
      expect(response.status).toBe(201);
      expect(response.body).toEqual({
        serialNumber: device.serialNumber,
        model: device.model,
        mqtt: {
          username: device.serialNumber,
          password: expect.stringMatching(/^[\w-]{43}$/),
          topic: `poc/v1/${device.serialNumber}/telemetry`,
        },
      });
      const [row] = await app.sql<{ patient_id: string; secret_hash: string }>(
        'SELECT patient_id, secret_hash FROM devices WHERE serial_number = $1',
        [device.serialNumber],
      );
      expect(row.patient_id).toBe(patient.id);
      expect(row.secret_hash).not.toEqual(response.body.mqtt.password);
      expect(row.secret_hash).not.toContain(response.body.mqtt.password);
      const mine = await app.api.get('/v1/me/devices', patient.token);
      expect(mine.body.items.map((d: { serialNumber: string }) => d.serialNumber)).toEqual([device.serialNumber]);
    });

    it('by serial number alone: a claim pending verification by support, with no credentials until then', async () => {
      const device = await aDevice(app.api, admin);
      const patient = await aPatient(app.api);
      const response = await app.api.post('/v1/me/devices', { serialNumber: device.serialNumber }, patient.token);
      expect(response.status).toBe(202);
      expect(response.body).toEqual({ serialNumber: device.serialNumber, state: 'pending_verification' });
      const claims = await app.api.get('/v1/me/device-claims', patient.token);
      expect(claims.body.items).toEqual([
        expect.objectContaining({ serialNumber: device.serialNumber, state: 'pending_verification' }),
      ]);
      // Support verifies it (a call, a proof of purchase); the patient then fetches the credentials.
      const support = await aUser(app.api, admin, 'support');
      const verified = await app.api.post(
        `/v1/internal/device-claims/${claims.body.items[0].id}/verify`,
        { reason: 'invoice checked on the phone' },
        support.token,
      );
      expect(verified.status).toBe(200);
      expect(verified.body.state).toBe('verified');
      const fetched = await app.api.post('/v1/me/devices', { serialNumber: device.serialNumber }, patient.token);
      expect(fetched.status).toBe(201);
      expect(fetched.body.mqtt.password).toMatch(/^[\w-]{43}$/);
    });

    it('refuses a device already linked to another account', async () => {
      const device = await aDevice(app.api, admin);
      const first = await aPatient(app.api);
      const second = await aPatient(app.api);
      expect(
        (await app.api.post('/v1/me/devices', { registrationCode: device.registrationCode }, first.token)).status,
      ).toBe(201);
      const taken = await app.api.post('/v1/me/devices', { registrationCode: device.registrationCode }, second.token);
      expect(taken.status).toBe(409);
      const [row] = await app.sql<{ patient_id: string }>('SELECT patient_id FROM devices WHERE serial_number = $1', [
        device.serialNumber,
      ]);
      expect(row.patient_id).toBe(first.id);
    });

    it('answers 404 for an unknown code, takes the serial along with the code, and 400 without either', async () => {
      const patient = await aPatient(app.api);
      const device = await aDevice(app.api, admin);
      expect((await app.api.post('/v1/me/devices', { registrationCode: 'AAAA-BBBB-CCCC' }, patient.token)).status).toBe(
        404,
      );
      expect((await app.api.post('/v1/me/devices', {}, patient.token)).status).toBe(400);
      const mismatched = await app.api.post(
        '/v1/me/devices',
        { serialNumber: 'G5-SOMEONE-ELSE', registrationCode: device.registrationCode },
        patient.token,
      );
      expect(mismatched.status).toBe(404);
      const both = await app.api.post(
        '/v1/me/devices',
        { serialNumber: device.serialNumber, registrationCode: device.registrationCode },
        patient.token,
      );
      expect(both.status).toBe(201);
      expect((await app.api.post('/v1/me/devices', { registrationCode: 'short' }, patient.token)).status).toBe(400);
    });

    it('is for patients only', async () => {
      const device = await aDevice(app.api, admin);
      expect((await app.api.post('/v1/me/devices', { serialNumber: device.serialNumber }, admin)).status).toBe(403);
    });
  });

  describe('consents', () => {
    const choices = (over: Record<string, unknown> = {}) => ({
      policyVersion: '2021-05-06',
      locationCollection: true,
      shareWithProvider: true,
      marketing: false,
      saleOptOut: true,
      ...over,
    });

    it('start with nothing accepted and nothing on', async () => {
      const patient = await aPatient(app.api);
      const response = await app.api.get('/v1/me/consents', patient.token);
      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        currentPolicyVersion: '2021-05-06',
        policyVersion: null,
        locationCollection: false,
        shareWithProvider: false,
        marketing: false,
        saleOptOut: false,
        history: [],
      });
    });

    it('append every change to a ledger, oldest first, and derive the state from the newest', async () => {
      const patient = await aPatient(app.api);
      const first = await app.api.put('/v1/me/consents', choices(), patient.token);
      expect(first.status).toBe(200);
      await app.api.put('/v1/me/consents', choices({ locationCollection: false }), patient.token);
      const state = (await app.api.get('/v1/me/consents', patient.token)).body;
      expect(state).toMatchObject({ ...choices({ locationCollection: false }), currentPolicyVersion: '2021-05-06' });
      expect(state.history).toHaveLength(2);
      expect(state.history[0]).toEqual({ ...choices(), at: expect.any(String) });
      expect(state.history[1]).toEqual({ ...choices({ locationCollection: false }), at: expect.any(String) });
      expect(Date.parse(state.history[0].at)).toBeLessThanOrEqual(Date.parse(state.history[1].at));
      const rows = await app.sql('SELECT * FROM consent_events WHERE patient_id = $1', [patient.id]);
      expect(rows).toHaveLength(2);
    });

    it('refuse an old policy version, missing, mistyped and unknown fields, and change nothing', async () => {
      const patient = await aPatient(app.api);
      const bad: Array<[Record<string, unknown>, string]> = [
        [choices({ policyVersion: '2019-01-01' }), 'policyVersion'],
        [choices({ marketing: 'yes' }), 'marketing'],
        [{ ...choices(), shareWithProvider: undefined }, 'shareWithProvider'],
        [choices({ telemetry: true }), 'telemetry'],
      ];
      for (const [body, field] of bad) {
        const response = await app.api.put('/v1/me/consents', body, patient.token);
        expect(response.status).toBe(400);
        expect(JSON.stringify(response.body)).toContain(field);
      }
      expect(await app.sql('SELECT 1 FROM consent_events WHERE patient_id = $1', [patient.id])).toEqual([]);
    });

    it('belong to patients only', async () => {
      expect((await app.api.get('/v1/me/consents', admin)).status).toBe(403);
      expect((await app.api.get('/v1/me/consents')).status).toBe(401);
    });
  });
});
