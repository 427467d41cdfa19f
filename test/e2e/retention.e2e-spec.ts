import { Client } from 'pg';
import { aUser } from '../support/builders';
import { aLinkedDevice } from '../support/device-link';
import { TestApp, useTestApp } from '../support/test-app';

describe('retention, enforced by a job', () => {
  let app: TestApp;
  let admin: string;

  useTestApp((started) => ({ app, admin } = started));

  const insertTelemetry = (serial: string, patientId: string, monthsAgo: number) =>
    app.sql(
      `INSERT INTO telemetry (device_time, message_id, serial_number, model, sent_at, received_at, error_codes, patient_id)
       VALUES (date_trunc('month', now()) - make_interval(months => $3) + interval '3 days', gen_random_uuid()::text, $1,
               'Inogen One G5', now(), now(), '{}', $2)`,
      [serial, patientId, monthsAgo],
    );

  it('removes exactly the expired data, keeps the rest and what is held, and records each purge', async () => {
    // Monthly partitions 30 and 26 months back, as the ingest path would have created them then.
    await app.sql(`SELECT ensure_telemetry_partitions((now() - interval '31 months')::date, now()::date)`);
    const expired = await aLinkedDevice(app.api, admin);
    const held = await aLinkedDevice(app.api, admin);
    for (const monthsAgo of [30, 26, 1]) {
      await insertTelemetry(expired.serialNumber, expired.patient.id, monthsAgo);
      await insertTelemetry(held.serialNumber, held.patient.id, monthsAgo);
    }
    await insertTelemetry(expired.serialNumber, expired.patient.id, 28); // a month with nothing held: dropped whole
    const officer = (await aUser(app.api, admin, 'privacy_officer')).token;
    await app.api.post(
      '/v1/internal/legal-holds',
      { serialNumber: held.serialNumber, reason: 'recall investigation' },
      officer,
    );
    await app.sql(
      `INSERT INTO rejected_messages (serial_number, message_id, received_at, reason)
       VALUES ($1, 'old', now() - interval '100 days', 'x'), ($1, 'new', now() - interval '10 days', 'x')`,
      [expired.serialNumber],
    );
    const dormant = await aLinkedDevice(app.api, admin);
    await app.sql(`UPDATE users SET last_active_at = now() - interval '6 years' WHERE id = $1`, [dormant.patient.id]);

    const run = await app.api.post('/v1/admin/retention/run', {}, admin);
    expect(run.status).toBe(200);
    expect(run.body).toMatchObject({ rejected_messages: { deletedRows: 1 }, inactive_accounts: { erased: 1 } });
    const partition = (monthsAgo: number) =>
      app.sql<{ name: string }>(
        `SELECT 'telemetry_' || to_char(date_trunc('month', now()) - make_interval(months => $1), 'YYYY_MM') AS name`,
        [monthsAgo],
      );
    const [dropped] = await partition(28);
    expect(run.body.telemetry.droppedPartitions).toContain(dropped.name);
    expect(run.body.telemetry.thinnedPartitions).toEqual(expect.arrayContaining([(await partition(30))[0].name]));
    expect(await app.sql('SELECT 1 FROM pg_class WHERE relname = $1', [dropped.name])).toEqual([]);

    const months = async (serial: string) =>
      (
        await app.sql<{ m: number }>(
          `SELECT (extract(year FROM age(date_trunc('month', now()), date_trunc('month', device_time))) * 12 +
                   extract(month FROM age(date_trunc('month', now()), date_trunc('month', device_time))))::int AS m
             FROM telemetry WHERE serial_number = $1 ORDER BY device_time`,
          [serial],
        )
      ).map((r) => r.m);
    expect(await months(expired.serialNumber)).toEqual([1]);
    expect(await months(held.serialNumber)).toEqual([30, 26, 1]);
    expect(
      await app.sql(`SELECT message_id FROM rejected_messages WHERE serial_number = $1`, [expired.serialNumber]),
    ).toEqual([{ message_id: 'new' }]);
    expect(await app.sql('SELECT 1 FROM users WHERE id = $1', [dormant.patient.id])).toEqual([]);
    const purges = await app.sql<{ category: string }>('SELECT category FROM retention_purges ORDER BY id');
    // Every row of the retention table, every run, recorded.
    expect(purges.map((p) => p.category)).toEqual([
      'telemetry',
      'last_location',
      'rejected_messages',
      'sessions',
      'attempt_counts',
      'resolved_loss_reports',
      'privacy_requests',
      'inactive_accounts',
      'audit_entries',
    ]);
    expect((await app.api.post('/v1/admin/retention/run', {}, officer)).status).toBe(403);
  });

  it('each category of the retention table: expired rows go, held and recent ones stay', async () => {
    const [old, recent, held] = await Promise.all([1, 2, 3].map(() => aLinkedDevice(app.api, admin)));
    const officer = (await aUser(app.api, admin, 'privacy_officer')).token;
    await app.api.post('/v1/internal/legal-holds', { serialNumber: held.serialNumber, reason: 'claim 12' }, officer);
    for (const link of [old, recent, held]) {
      await app.sql(
        `INSERT INTO device_latest_state (serial_number, device_time, location, location_time)
         VALUES ($1, now(), ST_SetSRID(ST_MakePoint(10, 50), 4326)::geography, now() - make_interval(months => $2))
         ON CONFLICT (serial_number) DO UPDATE SET location = EXCLUDED.location, location_time = EXCLUDED.location_time`,
        [link.serialNumber, link === recent ? 1 : 30],
      );
    }
    // A session ended 40 days ago, a loss report resolved 30 months ago, a request answered 6 years ago.
    await app.sql(`UPDATE auth_sessions SET revoked_at = now() - interval '40 days' WHERE user_id = $1`, [
      old.patient.id,
    ]);
    await app.sql(
      `INSERT INTO loss_reports (serial_number, kind, reported_by, reported_at, resolved_at)
       VALUES ($1, 'lost', $2, now() - interval '31 months', now() - interval '30 months'),
              ($3, 'lost', $4, now() - interval '2 months', now() - interval '1 month')`,
      [old.serialNumber, old.patient.id, recent.serialNumber, recent.patient.id],
    );
    const access = await app.api.post('/v1/me/privacy-requests', { type: 'sale_opt_out' }, old.patient.token);
    await app.sql(`UPDATE privacy_requests SET completed_at = now() - interval '6 years' WHERE id = $1`, [
      access.body.id,
    ]);

    const run = await app.api.post('/v1/admin/retention/run', {}, admin);
    expect(run.status).toBe(200);
    const located = await app.sql<{ serial_number: string }>(
      'SELECT serial_number FROM device_latest_state WHERE location IS NOT NULL AND serial_number = ANY($1) ORDER BY 1',
      [[old.serialNumber, recent.serialNumber, held.serialNumber]],
    );
    expect(located.map((r) => r.serial_number)).toEqual([recent.serialNumber, held.serialNumber].sort());
    expect(await app.sql('SELECT 1 FROM auth_sessions WHERE user_id = $1', [old.patient.id])).toEqual([]);
    expect(await app.sql('SELECT 1 FROM auth_sessions WHERE user_id = $1', [recent.patient.id])).not.toEqual([]);
    const reports = await app.sql<{ serial_number: string }>(
      'SELECT serial_number FROM loss_reports WHERE serial_number = ANY($1)',
      [[old.serialNumber, recent.serialNumber]],
    );
    expect(reports.map((r) => r.serial_number)).toEqual([recent.serialNumber]);
    expect(await app.sql('SELECT 1 FROM privacy_requests WHERE id = $1', [access.body.id])).toEqual([]);
    expect(run.body.audit_entries).toEqual({ awaitingMaintenanceRole: 0 });
  });

  it('audit entries are dropped by the maintenance role only, and the chain still verifies', async () => {
    const officer = (await aUser(app.api, admin, 'privacy_officer')).token;
    const reads = () => app.api.get('/v1/internal/audit?serialNumber=G5-ANY-1', officer); // each read is an entry
    await reads();
    // The service's own role may not drop entries, by this function or otherwise.
    const asService = new Client({ connectionString: app.databaseUrl, options: '-c role=poc_service' });
    await asService.connect();
    try {
      await expect(asService.query('SELECT audit_drop_before(now())')).rejects.toThrow(/permission denied/);
      await expect(asService.query('DELETE FROM audit_log')).rejects.toThrow(/permission denied/);
    } finally {
      await asService.end();
    }
    // The maintenance role (the database owner) drops what is older than the cutoff.
    const [{ dropped }] = await app.sql<{ dropped: string }>(`SELECT audit_drop_before(now()) AS dropped`);
    expect(Number(dropped)).toBeGreaterThan(0);
    await reads(); // and new entries chain on
    const verdict = (await app.api.get('/v1/internal/audit/verify', officer)).body;
    expect(verdict).toMatchObject({ valid: true });
    expect(verdict.entries).toBeGreaterThan(0);
  });

  it('the register extract in every export is generated from the retention table', async () => {
    const link = await aLinkedDevice(app.api, admin);
    const register = (await app.api.get('/v1/me/export', link.patient.token)).body.register;
    expect(register.retention.map((r: { category: string }) => r.category)).toHaveLength(9);
    expect(register.retention).toContainEqual(
      expect.objectContaining({
        category: 'audit_entries',
        keptFor: '6 years',
        removedBy: "the database's maintenance role",
      }),
    );
    const location = register.categories.find((c: { category: string }) => c.category === 'location');
    expect(location.retention).toEqual(expect.arrayContaining([expect.stringContaining('24 months')]));
  });
});
