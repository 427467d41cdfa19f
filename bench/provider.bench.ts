import { Client } from 'pg';
import { Client as HttpClient } from 'undici';
import { benchArgs, percentile, runBench, settle } from './bench-system';

// npm run bench:provider [-- --devices 1000000 --mine 100000 --requests 1000 --warm-up 200]
// One provider supplied `mine` of `devices` devices (linked to patients who share, with latest states).
// Times GET /v1/provider/devices?limit=100 over HTTP, walking the pages with the cursor, audit writes
// included (one chained entry per page listing its 100 devices), and shows the query plan.

const DEVICES = Number(benchArgs.get('--devices') ?? 1_000_000);
const MINE = Number(benchArgs.get('--mine') ?? 100_000);
const REQUESTS = Number(benchArgs.get('--requests') ?? 1000);
// As the geo benchmark: the service's code optimised and the caches filled before timing starts.
const WARM_UP = Number(benchArgs.get('--warm-up') ?? 200);
const PATIENTS = 10_000;

async function seed(sql: Client, providerId: string, otherId: string): Promise<void> {
  await sql.query(
    `INSERT INTO users (username, password_hash, role, email, birth_date)
     SELECT 'bench-patient-' || i, 'x', 'patient', 'p' || i || '@bench.invalid', '1950-01-01' FROM generate_series(1, $1) i`,
    [PATIENTS],
  );
  await sql.query(
    `INSERT INTO consent_events (patient_id, policy_version, location_collection, share_with_provider, marketing, sale_opt_out)
     SELECT id, '2021-05-06', true, true, false, false FROM users WHERE role = 'patient'`,
  );
  // Serials interleave the two suppliers, so the provider's devices are spread through the index.
  await sql.query(
    `WITH p AS (SELECT array_agg(id ORDER BY id) AS ids FROM users WHERE role = 'patient')
     INSERT INTO devices (serial_number, model, supplied_by, registration_code, patient_id, linked_at)
     SELECT 'B' || lpad(i::text, 8, '0'), 'Inogen One G5',
            CASE WHEN i % ($1::int / $2::int) = 0 THEN $3::uuid ELSE $4::uuid END,
            'R' || i, p.ids[1 + i % array_length(p.ids, 1)], now()
       FROM generate_series(1, $1::int) i, p`,
    [DEVICES, MINE, providerId, otherId],
  );
  await sql.query(
    `INSERT INTO device_latest_state (serial_number, device_time, error_code, error_codes, location, accuracy_m,
                                      location_captured_at, location_time)
     SELECT serial_number, now(), 'E07', '{E07}', ST_SetSRID(ST_MakePoint(-119 + random(), 34 + random()), 4326)::geography,
            10, now(), now()
       FROM devices`,
  );
  await settle(sql);
}

runBench('poc_bench_provider', async ({ apiUrl, sql, http, admin }) => {
  const provider = await http.expect<{ id: string }>(
    201,
    'POST',
    '/v1/admin/providers',
    { name: 'Bench provider' },
    admin,
  );
  const other = await http.expect<{ id: string }>(
    201,
    'POST',
    '/v1/admin/providers',
    { name: 'Other provider' },
    admin,
  );
  const password = 'bench-provider-password';
  await http.expect(
    201,
    'POST',
    '/v1/admin/users',
    { username: 'bench-provider', password, role: 'provider', providerId: provider.id },
    admin,
  );
  const seeding = performance.now();
  await seed(sql, provider.id, other.id);
  process.stdout.write(
    `provider listing benchmark: ${DEVICES.toLocaleString('en')} devices, ${MINE.toLocaleString('en')} supplied by the provider ` +
      `(seeded in ${((performance.now() - seeding) / 1000).toFixed(0)} s)\n`,
  );
  const token = await http.signIn('bench-provider', password);
  // One keep-alive connection, requests one at a time, without fetch's stream machinery: what is timed
  // is the service, as a load generator (wrk, autocannon) would time it.
  const connection = new HttpClient(apiUrl);
  const get = async <T>(path: string): Promise<{ status: number; body: T }> => {
    const response = await connection.request({ method: 'GET', path, headers: { authorization: `Bearer ${token}` } });
    return { status: response.statusCode, body: (await response.body.json()) as T };
  };

  const latencies: number[] = [];
  let cursor: string | null = null;
  let items = 0;
  for (let i = -WARM_UP; i < REQUESTS; i++) {
    const started = performance.now();
    const page: { status: number; body: { items: unknown[]; nextCursor: string | null } } = await get(
      `/v1/provider/devices?limit=100${cursor ? `&cursor=${cursor}` : ''}`,
    );
    const { status, body } = page;
    if (status !== 200 || body.items.length !== 100) throw new Error(`page ${i}: ${status}`);
    if (i < 0) continue;
    latencies.push(performance.now() - started);
    items += body.items.length;
    cursor = body.nextCursor;
  }
  latencies.sort((a, b) => a - b);
  const single: number[] = [];
  for (let i = 0; i < 300; i++) {
    const serial = `B${String(((i * 7919) % (DEVICES / (DEVICES / MINE))) * (DEVICES / MINE) || DEVICES / MINE).padStart(8, '0')}`;
    const started = performance.now();
    const { status } = await get(`/v1/provider/devices/${serial}`);
    single.push(performance.now() - started);
    if (status !== 200) throw new Error(`device ${serial}: ${status}`);
  }
  single.sort((a, b) => a - b);
  await connection.close();
  const [{ entries, devices }] = (
    await sql.query(
      `SELECT count(*)::int AS entries, sum(jsonb_array_length(disclosures))::int AS devices
         FROM audit_log WHERE action = 'provider.devices.list'`,
    )
  ).rows;

  // The plan provider_devices_page() runs: its query, under the function's own settings, as a generic plan.
  await sql.query('BEGIN');
  await sql.query(
    `SELECT set_config('app.provider_id', $1, true), set_config('app.policy_version', '2021-05-06', true),
            set_config(split_part(setting, '=', 1), split_part(setting, '=', 2), true)
       FROM pg_proc, unnest(proconfig) setting WHERE proname = 'provider_devices_page'`,
    [provider.id],
  );
  await sql.query(
    `PREPARE page(text, int) AS SELECT serial_number, model, last_connected_at, error_code, last_lat, last_lon
       FROM provider_device_view WHERE serial_number > $1 ORDER BY serial_number LIMIT $2`,
  );
  const plan = await sql.query(`EXPLAIN ANALYZE EXECUTE page('B00500000', 101)`);
  await sql.query('ROLLBACK');
  await sql.query('DEALLOCATE page');
  process.stdout.write(
    [
      `GET /v1/provider/devices?limit=100 over HTTP, ${REQUESTS} pages walked by cursor (${items} devices; after the last page the walk starts again) after ${WARM_UP} warm-up pages, one at a time:`,
      `  p50 ${percentile(latencies, 50).toFixed(1)} ms, p95 ${percentile(latencies, 95).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms, max ${latencies[latencies.length - 1].toFixed(1)} ms`,
      `  audit: ${entries} entries written by these reads, listing ${devices} device disclosures`,
      `GET /v1/provider/devices/{serial}, 300 devices: p50 ${percentile(single, 50).toFixed(1)} ms, p99 ${percentile(single, 99).toFixed(1)} ms`,
      'query plan of one page (provider_devices_page: provider_device_view under the function settings):',
      ...plan.rows.map((r: Record<string, string>) => `  ${r['QUERY PLAN']}`),
    ].join('\n') + '\n',
  );
});
