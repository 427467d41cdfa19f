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
    expect(run.body).toMatchObject({ rejectedMessages: 1, inactiveAccounts: 1 });
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
    expect(purges.map((p) => p.category)).toEqual([
      'telemetry',
      'rejected_messages',
      'inactive_accounts',
      'attempt_counts',
    ]);
    expect((await app.api.post('/v1/admin/retention/run', {}, officer)).status).toBe(403);
  });
});
