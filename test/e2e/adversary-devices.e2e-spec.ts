import { aDevice, aPatient, asAdmin, aUser } from '../support/builders';
import { aLinkedDevice, connectLink, publish, telemetry } from '../support/device-link';
import { startTestApp, TestApp } from '../support/test-app';

/** An outsider with a patient account tries to take a device that is not theirs. */
describe('an outsider claiming devices', () => {
  let app: TestApp;
  let admin: string;
  let support: string;

  const codeOf = async (serial: string) =>
    (
      await app.sql<{ code: string }>('SELECT registration_code AS code FROM devices WHERE serial_number = $1', [
        serial,
      ])
    )[0].code;
  const ownerOf = async (serial: string) =>
    (
      await app.sql<{ patient_id: string | null; secret_hash: string | null }>(
        'SELECT patient_id, secret_hash FROM devices WHERE serial_number = $1',
        [serial],
      )
    )[0];

  beforeAll(async () => {
    app = await startTestApp();
    admin = await asAdmin(app.api);
    support = (await aUser(app.api, admin, 'support')).token;
  });
  afterAll(() => app.close());

  it("cannot take a linked device by its serial: no credentials, the patient's link and secret untouched", async () => {
    const victim = await aLinkedDevice(app.api, admin);
    const before = await ownerOf(victim.serialNumber);
    const client = await connectLink(app.mqttUrl, victim);
    const attacker = await aPatient(app.api);
    const claim = await app.api.post('/v1/me/devices', { serialNumber: victim.serialNumber }, attacker.token);
    expect(claim.status).toBe(202);
    expect(claim.body).toEqual({ serialNumber: victim.serialNumber, state: 'pending_verification' });
    expect(JSON.stringify(claim.body)).not.toMatch(/mqtt|password/);
    expect(await ownerOf(victim.serialNumber)).toEqual(before);
    // The victim's device keeps reporting, on its own connection.
    const message = telemetry(victim);
    await publish(client, victim.serialNumber, message);
    expect(await app.sql('SELECT 1 FROM telemetry WHERE message_id = $1', [message.messageId])).toHaveLength(1);
    await client.endAsync();
  });

  it('cannot tell which serials exist: unknown, linked and free serials are answered alike', async () => {
    const attacker = await aPatient(app.api);
    const linked = await aLinkedDevice(app.api, admin);
    const free = await aDevice(app.api, admin);
    const answers = await Promise.all(
      ['G5-DOESNOTEXIST', linked.serialNumber, free.serialNumber].map((serialNumber) =>
        app.api.post('/v1/me/devices', { serialNumber }, attacker.token),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual([202, 202, 202]);
    expect(answers.map((a) => ({ ...a.body, serialNumber: 'x' }))).toEqual(
      Array(3).fill({ serialNumber: 'x', state: 'pending_verification' }),
    );
    // Nor by asking for the nearest offices to a serial: unknown and someone else's are answered alike.
    const [unknown, others] = await Promise.all(
      ['G5-DOESNOTEXIST', linked.serialNumber].map((serialNumber) =>
        app.api.get(`/v1/service-offices/nearest?serialNumber=${serialNumber}`, attacker.token),
      ),
    );
    expect([unknown.status, others.status]).toEqual([404, 404]);
    expect(unknown.body).toEqual(others.body);
    // A wrong code is answered exactly as an unknown device.
    const wrongCode = await app.api.post('/v1/me/devices', { registrationCode: 'ZZZZ-ZZZZ-ZZZZ' }, attacker.token);
    const codeOfAnother = await app.api.post(
      '/v1/me/devices',
      { registrationCode: await codeOf(free.serialNumber), serialNumber: linked.serialNumber },
      attacker.token,
    );
    expect([wrongCode.status, codeOfAnother.status]).toEqual([404, 404]);
    expect(codeOfAnother.body).toEqual(wrongCode.body);
  });

  it("support's verification never displaces the holder of the code", async () => {
    const device = await aDevice(app.api, admin);
    const claimant = await aPatient(app.api);
    await app.api.post('/v1/me/devices', { serialNumber: device.serialNumber }, claimant.token);
    const holder = await aPatient(app.api);
    expect(
      (await app.api.post('/v1/me/devices', { registrationCode: device.registrationCode }, holder.token)).status,
    ).toBe(201);
    const [claim] = (await app.api.get('/v1/me/device-claims', claimant.token)).body.items;
    // The code holder's link settled the claim, telling the claimant nothing about who holds the device.
    expect(claim).toMatchObject({ state: 'rejected', reason: 'The claim could not be verified' });
    const verify = await app.api.post(
      `/v1/internal/device-claims/${claim.id}/verify`,
      { reason: 'looks fine' },
      support,
    );
    expect(verify.status).toBe(409);
    expect((await ownerOf(device.serialNumber)).patient_id).toBe(holder.id);
    // And a claim verified before the code holder came is refused if the device was linked meanwhile.
    const other = await aLinkedDevice(app.api, admin);
    const late = await aPatient(app.api);
    await app.api.post('/v1/me/devices', { serialNumber: other.serialNumber }, late.token);
    const queue = await app.api.get('/v1/internal/device-claims', support);
    const pending = queue.body.items.find((c: { serialNumber: string }) => c.serialNumber === other.serialNumber);
    expect(pending.device).toEqual({ known: true, linked: true, lossReport: null });
    expect(
      (await app.api.post(`/v1/internal/device-claims/${pending.id}/verify`, { reason: 'trust me' }, support)).status,
    ).toBe(409);
    expect((await ownerOf(other.serialNumber)).patient_id).toBe(other.patient.id);
  });

  it('only support decides claims; the claimant, field service, a provider and admin cannot', async () => {
    const device = await aDevice(app.api, admin);
    const claimant = await aPatient(app.api);
    await app.api.post('/v1/me/devices', { serialNumber: device.serialNumber }, claimant.token);
    const [claim] = (await app.api.get('/v1/me/device-claims', claimant.token)).body.items;
    const field = (await aUser(app.api, admin, 'field_service')).token;
    for (const token of [claimant.token, field, admin]) {
      const response = await app.api.post(`/v1/internal/device-claims/${claim.id}/verify`, { reason: 'mine' }, token);
      expect(response.status).toBe(403);
    }
    expect((await ownerOf(device.serialNumber)).patient_id).toBeNull();
  });

  it('guesses of codes and claims are limited per account; many right codes at once are not', async () => {
    const guesser = await aPatient(app.api);
    const guesses: number[] = [];
    for (let i = 0; i < 12; i++) {
      const code = `AAAA-BBBB-${String(i).padStart(4, '0')}`;
      guesses.push((await app.api.post('/v1/me/devices', { registrationCode: code }, guesser.token)).status);
    }
    expect(guesses).toEqual([...Array(10).fill(404), 429, 429]);
    // Locked: even a right code waits out the window, and nothing is linked meanwhile.
    const device = await aDevice(app.api, admin);
    const right = await app.api.post('/v1/me/devices', { registrationCode: device.registrationCode }, guesser.token);
    expect(right.status).toBe(429);
    expect((await ownerOf(device.serialNumber)).patient_id).toBeNull();
    // A fleet linked at once by one account (as a provider's set-up or the simulator does) is no attack.
    const owner = await aPatient(app.api);
    const fleet = await Promise.all(Array.from({ length: 30 }, () => aDevice(app.api, admin)));
    const links = await Promise.all(
      fleet.map((d) => app.api.post('/v1/me/devices', { registrationCode: d.registrationCode }, owner.token)),
    );
    expect(links.map((l) => l.status)).toEqual(Array(30).fill(201));
    const claimer = await aPatient(app.api);
    const claims = [];
    for (let i = 0; i < 7; i++) {
      claims.push((await app.api.post('/v1/me/devices', { serialNumber: `G5-GUESS-${i}` }, claimer.token)).status);
    }
    expect(claims).toEqual([202, 202, 202, 202, 202, 429, 429]);
  });

  it('the right code of a device reported stolen, tried by another account, raises the stolen-device alert', async () => {
    const stolen = await aLinkedDevice(app.api, admin);
    await app.api.post(`/v1/me/devices/${stolen.serialNumber}/loss-reports`, { kind: 'stolen' }, stolen.patient.token);
    const thief = await aPatient(app.api);
    const attempt = await app.api.post(
      '/v1/me/devices',
      { registrationCode: await codeOf(stolen.serialNumber) },
      thief.token,
    );
    expect(attempt.status).toBe(409);
    const alerts = await app.api.get('/v1/internal/alerts', support);
    expect(alerts.body.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          serialNumber: stolen.serialNumber,
          kind: 'stolen_device_link_attempt',
          accountId: thief.id,
        }),
      ]),
    );
    expect((await ownerOf(stolen.serialNumber)).patient_id).toBe(stolen.patient.id);
  });
});
