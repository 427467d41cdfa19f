import { createHash } from 'node:crypto';
import { Client } from 'pg';
import { aProvider, aUser, signIn } from '../support/builders';
import { aLinkedDevice, DeviceLink } from '../support/device-link';
import { startTestApp, TestApp, useTestApp } from '../support/test-app';

describe('the audit trail of reads', () => {
  let app: TestApp;
  let admin: string;
  let officer: string;
  let link: DeviceLink;
  let providerId: string;
  let providerStaff: { id: string; username: string; token: string };
  let support: { id: string; token: string };

  useTestApp((started) => ({ app, admin } = started));

  beforeAll(async () => {
    providerId = (await aProvider(app.api, admin)).id;
    providerStaff = await aUser(app.api, admin, 'provider', providerId);
    support = await aUser(app.api, admin, 'support');
    officer = (await aUser(app.api, admin, 'privacy_officer')).token;
    link = await aLinkedDevice(app.api, admin, { suppliedBy: providerId });
  });

  const accounting = async (query: string) => {
    const response = await app.api.get(`/v1/internal/audit?${query}`, officer);
    expect(response.status).toBe(200);
    return response.body.items as Array<Record<string, unknown>>;
  };

  it('records provider and internal reads: who, role, action, device, patient and fields', async () => {
    expect((await app.api.get(`/v1/provider/devices/${link.serialNumber}`, providerStaff.token)).status).toBe(200);
    expect((await app.api.get('/v1/provider/devices', providerStaff.token)).status).toBe(200);
    expect((await app.api.get(`/v1/internal/devices/${link.serialNumber}`, support.token)).status).toBe(200);
    expect((await app.api.get(`/v1/internal/devices/${link.serialNumber}/telemetry`, support.token)).status).toBe(200);

    const items = await accounting(`patientId=${link.patient.id}`);
    expect(items.map((i) => [i.actor, i.role, i.action])).toEqual([
      [support.id, 'support', 'internal.telemetry.read'],
      [support.id, 'support', 'internal.device.read'],
      [providerStaff.id, 'provider', 'provider.devices.list'],
      [providerStaff.id, 'provider', 'provider.devices.read'],
    ]);
    for (const item of items) {
      expect(item).toMatchObject({
        serialNumber: link.serialNumber,
        patientId: link.patient.id,
        at: expect.any(String),
      });
    }
    expect(items[3].fields).toEqual(['serialNumber', 'model']); // no telemetry yet: nothing more disclosed
    expect(await accounting(`serialNumber=${link.serialNumber}`)).toHaveLength(4);
  });

  it('the accounting finds old entries behind many newer ones, newest first, up to the limit', async () => {
    const quiet = await aLinkedDevice(app.api, admin, { suppliedBy: providerId });
    const read = (serial: string) => app.api.get(`/v1/provider/devices/${serial}`, providerStaff.token);
    expect((await read(quiet.serialNumber)).status).toBe(200);
    for (let i = 0; i < 250; i++) expect((await read(link.serialNumber)).status).toBe(200);
    expect((await read(quiet.serialNumber)).status).toBe(200);

    const items = await accounting(`serialNumber=${quiet.serialNumber}`);
    expect(items).toHaveLength(2);
    expect(new Date(items[0].at as string) >= new Date(items[1].at as string)).toBe(true);
    expect(await accounting(`serialNumber=${quiet.serialNumber}&limit=1`)).toHaveLength(1);
    expect(await accounting(`patientId=${quiet.patient.id}`)).toHaveLength(2);
  });

  it('the accounting and the verification are for the privacy officer only', async () => {
    expect((await app.api.get(`/v1/internal/audit?serialNumber=${link.serialNumber}`, support.token)).status).toBe(403);
    expect((await app.api.get('/v1/internal/audit/verify', admin)).status).toBe(403);
    expect((await app.api.get('/v1/internal/audit', officer)).status).toBe(400);
  });

  it("the service's database role may add entries but not change, delete or truncate them", async () => {
    const asService = new Client({ connectionString: app.databaseUrl, options: '-c role=poc_service' });
    await asService.connect();
    try {
      expect((await asService.query('SELECT current_user AS u')).rows[0].u).toBe('poc_service');
      await expect(asService.query("UPDATE audit_log SET action = 'x'")).rejects.toThrow(/permission denied/);
      await expect(asService.query('DELETE FROM audit_log')).rejects.toThrow(/permission denied/);
      await expect(asService.query('TRUNCATE audit_log')).rejects.toThrow(/permission denied/);
    } finally {
      await asService.end();
    }
    const [{ n }] = await app.sql<{ n: string }>('SELECT count(*) AS n FROM audit_log');
    expect(Number(n)).toBeGreaterThan(0);
  });

  it('reads racing on two instances of the service append to one unbroken chain', async () => {
    const second = await startTestApp({ DATABASE_URL: app.databaseUrl });
    try {
      // Each instance here signs its own tokens (replicas in production share JWT_SECRET).
      const tokenAtSecond = await signIn(second.api, providerStaff.username);
      const [{ n: before }] = await app.sql<{ n: string }>('SELECT count(*) AS n FROM audit_log');
      const reads = Array.from({ length: 40 }, (_, i) =>
        i % 2
          ? second.api.get(`/v1/provider/devices/${link.serialNumber}`, tokenAtSecond)
          : app.api.get(`/v1/provider/devices/${link.serialNumber}`, providerStaff.token),
      );
      expect((await Promise.all(reads)).map((r) => r.status)).toEqual(reads.map(() => 200));
      const verdict = (await app.api.get('/v1/internal/audit/verify', officer)).body;
      expect(verdict).toEqual({ valid: true, entries: Number(before) + 40 });
    } finally {
      await second.close();
    }
  });

  it('one entry per read lists every device it disclosed, and anyone can recompute the chain from the rows', async () => {
    const second = await aLinkedDevice(app.api, admin, { suppliedBy: providerId });
    const page = await app.api.get('/v1/provider/devices', providerStaff.token);
    const shown: string[] = page.body.items.map((item: { serialNumber: string }) => item.serialNumber);
    expect(shown).toEqual(expect.arrayContaining([link.serialNumber, second.serialNumber]));
    await accounting(`patientId=${link.patient.id}`); // an entry without a device
    const rows = await app.sql<{ at: Date; disclosures: string; purpose: string | null } & Record<string, string>>(
      'SELECT at, actor_id, actor_role, action, disclosures::text AS disclosures, purpose, prev_hash, hash FROM audit_log ORDER BY id',
    );
    const [list, ofPatient] = rows.slice(-2).map((row) => JSON.parse(row.disclosures));
    expect(list.map((d: { serialNumber: string }) => d.serialNumber).sort()).toEqual(shown.sort());
    const mine = list.find((d: { serialNumber: string }) => d.serialNumber === link.serialNumber);
    expect(mine).toEqual({ serialNumber: link.serialNumber, subject: expect.any(String), fields: expect.any(Array) });
    expect(ofPatient).toEqual([{ serialNumber: null, subject: mine.subject, fields: ['audit'] }]);

    // sha256 of the previous hash and the content, one item per line, the disclosures as stored, and the
    // purpose last when the entry states one.
    let head = '0'.repeat(64);
    for (const row of rows) {
      const content = [head, row.at.toISOString(), row.actor_id, row.actor_role, row.action, row.disclosures];
      if (row.purpose !== null) content.push(row.purpose);
      expect(row.prev_hash).toBe(head);
      head = createHash('sha256').update(content.join('\n')).digest('hex');
      expect(row.hash).toBe(head);
    }
  });

  it('verify recomputes the chain, and reports the first entry changed behind its back', async () => {
    const intact = await app.api.get('/v1/internal/audit/verify', officer);
    expect(intact.body).toEqual({ valid: true, entries: expect.any(Number) });
    expect(intact.body.entries).toBeGreaterThanOrEqual(5);

    const [victim] = await app.sql<{ id: string; disclosures: unknown }>(
      'SELECT id, disclosures FROM audit_log ORDER BY id LIMIT 1 OFFSET 2',
    );
    await app.sql(
      `UPDATE audit_log SET disclosures = jsonb_set(disclosures, '{0,fields}', '["serialNumber"]') WHERE id = $1`,
      [victim.id],
    );
    const broken = await app.api.get('/v1/internal/audit/verify', officer);
    expect(broken.body).toEqual({ valid: false, entries: 3, firstBreak: { id: victim.id, reason: 'hash' } });

    // Restored, it verifies again; an entry deleted breaks the link of the one after it.
    await app.sql(`UPDATE audit_log SET disclosures = $2 WHERE id = $1`, [
      victim.id,
      JSON.stringify(victim.disclosures),
    ]);
    expect((await app.api.get('/v1/internal/audit/verify', officer)).body.valid).toBe(true);
    await app.sql(`DELETE FROM audit_log WHERE id = $1`, [victim.id]);
    const gap = await app.api.get('/v1/internal/audit/verify', officer);
    expect(gap.body).toMatchObject({ valid: false, firstBreak: { reason: 'prev_hash' } });
  });
});
