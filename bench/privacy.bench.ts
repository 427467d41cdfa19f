import { benchArgs, rssMiB, runBench, settle } from './bench-system';

// npm run bench:privacy [-- --rows 1000000]
// One patient with `rows` telemetry rows over the last 12 months: streams their export over HTTP while
// sampling the service's memory, then times their erasure.

const ROWS = Number(benchArgs.get('--rows') ?? 1_000_000);

runBench('poc_bench_privacy', async ({ apiUrl, sql, http, admin, service }) => {
  const pid = service.pid as number;
  const password = 'bench-patient-password';
  await http.expect(201, 'POST', '/v1/auth/register', {
    username: 'bench-patient',
    password,
    email: 'bench-patient@bench.invalid',
    birthDate: '1950-01-01',
  });
  const patient = await http.signIn('bench-patient', password);
  const device = await http.expect<{ registrationCode: string }>(
    201,
    'POST',
    '/v1/admin/devices',
    { serialNumber: 'BENCH-PRIVACY-1', model: 'Inogen One G5', suppliedBy: null },
    admin,
  );
  await http.expect(201, 'POST', '/v1/me/devices', { registrationCode: device.registrationCode }, patient);
  await http.expect(
    201,
    'POST',
    '/v1/admin/users',
    { username: 'bench-officer', password, role: 'privacy_officer' },
    admin,
  );
  const officer = await http.signIn('bench-officer', password);

  const seeding = performance.now();
  await sql.query(
    `INSERT INTO telemetry (device_time, message_id, serial_number, model, sent_at, received_at, error_codes, battery_pct,
                              flow_setting, firmware, location, accuracy_m, patient_id)
       SELECT now() - (i * interval '30 seconds'), 'm' || i, 'BENCH-PRIVACY-1', 'Inogen One G5', now(), now(), '{}', 80, 3,
              '5.2.1', ST_SetSRID(ST_MakePoint(-119 + i * 1e-7, 34), 4326)::geography, 10, d.patient_id
         FROM generate_series(1, $1) i, devices d WHERE d.serial_number = 'BENCH-PRIVACY-1'`,
    [ROWS],
  );
  await settle(sql);
  const before = rssMiB(pid, 'VmRSS');
  process.stdout.write(
    `privacy benchmark: one patient with ${ROWS.toLocaleString('en')} telemetry rows (seeded in ` +
      `${((performance.now() - seeding) / 1000).toFixed(0)} s); service RSS before the export ${before} MiB\n`,
  );

  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, rssMiB(pid, 'VmRSS'))), 50);
  const started = performance.now();
  // An export needs a password sign-in of the last 5 minutes, as does an erasure request.
  const signedInNow = await http.signIn('bench-patient', password);
  const response = await fetch(`${apiUrl}/v1/me/export`, { headers: { authorization: `Bearer ${signedInNow}` } });
  let bytes = 0;
  let items = 0;
  let tail = '';
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    bytes += chunk.length;
    const text = tail + Buffer.from(chunk).toString('utf8');
    items += text.split('"messageId"').length - 1;
    tail = text.slice(-20); // a key split across chunks is counted once, in the next chunk
    items -= tail.split('"messageId"').length - 1;
  }
  items += tail.split('"messageId"').length - 1;
  const exportS = (performance.now() - started) / 1000;
  clearInterval(sampler);

  const erasureRequest = await http.expect<{ id: string }>(
    201,
    'POST',
    '/v1/me/privacy-requests',
    { type: 'erasure' },
    await http.signIn('bench-patient', password),
  );
  const erasing = performance.now();
  const erased = await http.expect<{ state: string; outcome: { erased: { telemetry: number } } }>(
    200,
    'POST',
    `/v1/internal/privacy-requests/${erasureRequest.id}/complete`,
    {},
    officer,
  );
  const erasureS = (performance.now() - erasing) / 1000;
  process.stdout.write(
    [
      `export: ${response.status}, ${items.toLocaleString('en')} telemetry rows, ${(bytes / 2 ** 20).toFixed(0)} MiB streamed in ${exportS.toFixed(1)} s; ` +
        `service RSS peak during the export ${peak} MiB (${peak - before} MiB above before)`,
      `erasure: ${erased.state}, ${erased.outcome.erased.telemetry.toLocaleString('en')} telemetry rows erased in ${erasureS.toFixed(1)} s (one transaction)`,
    ].join('\n') + '\n',
  );
});
