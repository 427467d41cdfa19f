import { asAdmin, aUser } from '../support/builders';
import { aLinkedDevice, connectLink, publish, telemetry } from '../support/device-link';
import { startTestApp, TestApp } from '../support/test-app';

interface AuditRow {
  actor_role: string;
  action: string;
  purpose: string | null;
  disclosures: Array<{ serialNumber: string | null; subject: string | null; fields: string[] }>;
}

/** A curious insider tries the doors staff roles have; each ends refused, or audited with who and why. */
describe('a curious insider', () => {
  let app: TestApp;
  let admin: string;
  let support: string;
  let field: string;
  let officer: string;

  /** The audit entries appended while `act` ran. */
  const auditedDuring = async (act: () => Promise<unknown>): Promise<AuditRow[]> => {
    const [{ last }] = await app.sql<{ last: string }>('SELECT coalesce(max(id), 0) AS last FROM audit_log');
    await act();
    return app.sql<AuditRow>(
      'SELECT actor_role, action, purpose, disclosures FROM audit_log WHERE id > $1 ORDER BY id',
      [last],
    );
  };
  const pseudonymOf = async (patientId: string) =>
    (await app.sql<{ pseudonym: string }>('SELECT pseudonym FROM audit_subjects WHERE patient_id = $1', [patientId]))[0]
      ?.pseudonym;

  beforeAll(async () => {
    app = await startTestApp();
    admin = await asAdmin(app.api);
    [support, field, officer] = await Promise.all(
      (['support', 'field_service', 'privacy_officer'] as const).map(
        async (r) => (await aUser(app.api, admin, r)).token,
      ),
    );
  });
  afterAll(() => app.close());

  describe('field service, wanting a patient’s whereabouts', () => {
    it('cannot open a loss report to unlock the trail, nor close one; admin cannot either', async () => {
      const link = await aLinkedDevice(app.api, admin);
      const path = `/v1/internal/devices/${link.serialNumber}/loss-reports`;
      const report = { kind: 'lost', reason: 'just checking' };
      expect((await app.api.post(path, report, field)).status).toBe(403);
      expect((await app.api.post(path, report, admin)).status).toBe(403);
      expect((await app.api.get(`/v1/internal/devices/${link.serialNumber}/locations`, field)).status).toBe(403);
      expect(await app.sql('SELECT 1 FROM loss_reports WHERE serial_number = $1', [link.serialNumber])).toEqual([]);
      // Support opens one on the patient's call: then, and only then, field service sees the trail.
      expect((await app.api.post(path, { kind: 'lost' }, support)).status).toBe(400); // no reason, no report
      expect((await app.api.post(path, { kind: 'lost', reason: 'patient called, ticket 4711' }, support)).status).toBe(
        201,
      );
      expect((await app.api.get(`/v1/internal/devices/${link.serialNumber}/locations`, field)).status).toBe(200);
      expect((await app.api.request('DELETE', path, { token: field, body: { reason: 'found it' } })).status).toBe(403);
      expect(
        (await app.api.request('DELETE', path, { token: support, body: { reason: 'patient found it' } })).status,
      ).toBe(204);
      expect((await app.api.get(`/v1/internal/devices/${link.serialNumber}/locations`, field)).status).toBe(403);
    });

    it("a report ends with its patient: it never opens the next patient's whereabouts", async () => {
      const link = await aLinkedDevice(app.api, admin);
      await app.api.post(`/v1/me/devices/${link.serialNumber}/loss-reports`, { kind: 'lost' }, link.patient.token);
      expect((await app.api.get(`/v1/internal/devices/${link.serialNumber}/locations`, field)).status).toBe(200);
      const request = await app.api.post('/v1/me/privacy-requests', { type: 'erasure' }, link.patient.token);
      await app.api.post(`/v1/internal/privacy-requests/${request.body.id}/complete`, {}, officer);
      const next = await aLinkedDevice(app.api, admin);
      const [{ code }] = await app.sql<{ code: string }>(
        'SELECT registration_code AS code FROM devices WHERE serial_number = $1',
        [link.serialNumber],
      );
      expect((await app.api.post('/v1/me/devices', { registrationCode: code }, next.patient.token)).status).toBe(201);
      expect((await app.api.get(`/v1/internal/devices/${link.serialNumber}`, field)).body.lossReport).toBeNull();
      expect((await app.api.get(`/v1/internal/devices/${link.serialNumber}/locations`, field)).status).toBe(403);
    });

    it('every opening and closing of a report is audited with who, in which role, and why', async () => {
      const link = await aLinkedDevice(app.api, admin);
      const path = `/v1/internal/devices/${link.serialNumber}/loss-reports`;
      const opened = await auditedDuring(() =>
        app.api.post(path, { kind: 'stolen', reason: 'police report 2026-118' }, support),
      );
      const closed = await auditedDuring(() =>
        app.api.request('DELETE', path, { token: support, body: { reason: 'recovered by police' } }),
      );
      const byPatient = await auditedDuring(() =>
        app.api.post(`/v1/me/devices/${link.serialNumber}/loss-reports`, { kind: 'lost' }, link.patient.token),
      );
      const subject = await pseudonymOf(link.patient.id);
      expect(opened).toEqual([
        {
          actor_role: 'support',
          action: 'loss-report.open.stolen',
          purpose: 'police report 2026-118',
          disclosures: [{ serialNumber: link.serialNumber, subject, fields: ['lossReport'] }],
        },
      ]);
      expect(closed).toMatchObject([
        { actor_role: 'support', action: 'loss-report.close', purpose: 'recovered by police' },
      ]);
      expect(byPatient).toMatchObject([{ actor_role: 'patient', action: 'loss-report.open.lost' }]);
      const [row] = await app.sql(
        'SELECT reported_role, reason, resolved_role, resolution_reason FROM loss_reports WHERE serial_number = $1 AND resolved_at IS NOT NULL',
        [link.serialNumber],
      );
      expect(row).toEqual({
        reported_role: 'support',
        reason: 'police report 2026-118',
        resolved_role: 'support',
        resolution_reason: 'recovered by police',
      });
      // The accounting of disclosures shows why.
      const accounting = await app.api.get(`/v1/internal/audit?serialNumber=${link.serialNumber}`, officer);
      expect(accounting.body.items).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ action: 'loss-report.open.stolen', purpose: 'police report 2026-118' }),
        ]),
      );
      expect((await app.api.get('/v1/internal/audit/verify', officer)).body).toMatchObject({ valid: true });
    });
  });

  describe('changes that cut a device off or free held data, each leaving who and why', () => {
    it('revoking a device secret, placing and lifting a legal hold', async () => {
      const link = await aLinkedDevice(app.api, admin);
      const revoked = await auditedDuring(() =>
        app.api.delete(`/v1/internal/devices/${link.serialNumber}/secret`, support),
      );
      expect(revoked).toMatchObject([{ actor_role: 'support', action: 'internal.device-secret.revoke' }]);
      const placed = await auditedDuring(() =>
        app.api.post('/v1/internal/legal-holds', { serialNumber: link.serialNumber, reason: 'claim 77' }, officer),
      );
      expect(placed).toMatchObject([
        { actor_role: 'privacy_officer', action: 'privacy.legal-hold.place', purpose: 'claim 77' },
      ]);
      const [{ id }] = await app.sql<{ id: string }>('SELECT id::text FROM legal_holds WHERE serial_number = $1', [
        link.serialNumber,
      ]);
      const lifted = await auditedDuring(() => app.api.delete(`/v1/internal/legal-holds/${id}`, officer));
      expect(lifted).toMatchObject([{ actor_role: 'privacy_officer', action: 'privacy.legal-hold.lift' }]);
      const [hold] = await app.sql<{ lifted_by: string }>('SELECT lifted_by FROM legal_holds WHERE id = $1', [id]);
      expect(hold.lifted_by).toEqual(expect.any(String));
    });
  });

  describe('reads that disclose patient data, each leaving an audit entry', () => {
    it("a device's rejected messages", async () => {
      const link = await aLinkedDevice(app.api, admin);
      const client = await connectLink(app.mqttUrl, link);
      await publish(client, link.serialNumber, { ...telemetry(link), batteryPct: 'full' });
      await client.endAsync();
      const entries = await auditedDuring(() =>
        app.api.get(`/v1/internal/devices/${link.serialNumber}/rejected`, support),
      );
      expect(entries).toEqual([
        expect.objectContaining({
          action: 'internal.rejected.read',
          disclosures: [
            { serialNumber: link.serialNumber, subject: await pseudonymOf(link.patient.id), fields: ['rejected'] },
          ],
        }),
      ]);
    });

    it('stolen-device alerts, which name the device and the account that tried to link it', async () => {
      const link = await aLinkedDevice(app.api, admin);
      await app.api.post(`/v1/me/devices/${link.serialNumber}/loss-reports`, { kind: 'stolen' }, link.patient.token);
      const [{ registration_code: code }] = await app.sql<{ registration_code: string }>(
        'SELECT registration_code FROM devices WHERE serial_number = $1',
        [link.serialNumber],
      );
      const thief = await aLinkedDevice(app.api, admin); // any patient account
      await app.api.post('/v1/me/devices', { registrationCode: code }, thief.patient.token);
      const entries = await auditedDuring(() => app.api.get('/v1/internal/alerts', field));
      expect(entries).toHaveLength(1);
      expect(entries[0].action).toBe('internal.alerts.read');
      expect(entries[0].disclosures).toEqual(
        expect.arrayContaining([
          { serialNumber: link.serialNumber, subject: await pseudonymOf(link.patient.id), fields: ['alert'] },
          { serialNumber: link.serialNumber, subject: await pseudonymOf(thief.patient.id), fields: ['alertAccount'] },
        ]),
      );
    });

    it('the device record, whose alerts name the account that tried to link the device', async () => {
      const link = await aLinkedDevice(app.api, admin);
      await app.api.post(`/v1/me/devices/${link.serialNumber}/loss-reports`, { kind: 'stolen' }, link.patient.token);
      const thief = await aLinkedDevice(app.api, admin);
      const [{ code }] = await app.sql<{ code: string }>(
        'SELECT registration_code AS code FROM devices WHERE serial_number = $1',
        [link.serialNumber],
      );
      await app.api.post('/v1/me/devices', { registrationCode: code }, thief.patient.token);
      const entries = await auditedDuring(() => app.api.get(`/v1/internal/devices/${link.serialNumber}`, support));
      expect(entries[0].disclosures).toContainEqual({
        serialNumber: link.serialNumber,
        subject: await pseudonymOf(thief.patient.id),
        fields: ['alertAccount'],
      });
    });

    it("the privacy officer's request queue and the legal holds", async () => {
      const link = await aLinkedDevice(app.api, admin);
      await app.api.post('/v1/me/privacy-requests', { type: 'access' }, link.patient.token);
      await app.api.post('/v1/internal/legal-holds', { patientId: link.patient.id, reason: 'pending claim' }, officer);
      const subject = await pseudonymOf(link.patient.id);
      const queue = await auditedDuring(() => app.api.get('/v1/internal/privacy-requests', officer));
      expect(queue).toHaveLength(1);
      expect(queue[0].disclosures).toEqual(
        expect.arrayContaining([{ serialNumber: null, subject, fields: ['privacyRequest'] }]),
      );
      const holds = await auditedDuring(() => app.api.get('/v1/internal/legal-holds', officer));
      expect(holds[0].disclosures).toEqual(
        expect.arrayContaining([{ serialNumber: null, subject, fields: ['legalHold'] }]),
      );
    });

    it('a patient reading their own consents, devices and requests', async () => {
      const link = await aLinkedDevice(app.api, admin);
      const token = link.patient.token;
      const entries = await auditedDuring(async () => {
        await app.api.get('/v1/me/consents', token);
        await app.api.get('/v1/me/devices', token);
        await app.api.get('/v1/me/privacy-requests', token);
      });
      const subject = await pseudonymOf(link.patient.id);
      expect(entries.map((e) => [e.actor_role, e.action])).toEqual([
        ['patient', 'patient.consents.read'],
        ['patient', 'patient.devices.read'],
        ['patient', 'patient.privacy-requests.read'],
      ]);
      expect(entries[1].disclosures).toEqual([{ serialNumber: link.serialNumber, subject, fields: ['link'] }]);
    });
  });
});
