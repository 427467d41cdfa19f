import { Client } from 'pg';
import { LOST_DEVICES_NEAR } from '../libs/geo/src/lost-devices.query';
import { NEAREST_OFFICES } from '../libs/geo/src/nearest-offices.query';
import { benchArgs, percentile, runBench, settle } from './bench-system';

// npm run bench:geo [-- --offices 100000 --devices 1000000 --queries 1000]
// Seeds offices and devices' last locations over the contiguous United States, 1 % of devices under a
// loss report, then times nearest-office and lost-device queries in the database and over HTTP.

const OFFICES = Number(benchArgs.get('--offices') ?? 100_000);
const DEVICES = Number(benchArgs.get('--devices') ?? 1_000_000);
const QUERIES = Number(benchArgs.get('--queries') ?? 1000);
const PATIENTS = 10_000;
const POLICY_VERSION = '2021-05-06';
const RANDOM_POINT = `ST_SetSRID(ST_MakePoint(-124 + random() * 57, 25 + random() * 24), 4326)::geography`;

const percentiles = (samples: number[]): string => {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => percentile(sorted, p).toFixed(2);
  return `p50 ${at(50)} ms, p95 ${at(95)} ms, p99 ${at(99)} ms`;
};

// A fixed pseudo-random sequence of query points, the same in every run.
function points(n: number): Array<{ lat: number; lon: number }> {
  let state = 7;
  const next = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  return Array.from({ length: n }, () => ({ lat: 25 + next() * 24, lon: -124 + next() * 57 }));
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

async function seed(sql: Client, reporter: string): Promise<void> {
  await sql.query(
    `INSERT INTO service_offices (name, kind, location, properties)
     SELECT 'Office ' || i, CASE WHEN i % 3 = 0 THEN 'service_rep' ELSE 'branch' END, ${RANDOM_POINT}, '{}'
       FROM generate_series(1, $1) i`,
    [OFFICES],
  );
  // Patients who accepted the policy with location collection on: only their locations are ever used.
  await sql.query(
    `INSERT INTO users (username, password_hash, role, email, birth_date)
     SELECT 'geo-patient-' || i, 'x', 'patient', 'g' || i || '@bench.invalid', '1950-01-01' FROM generate_series(1, $1) i`,
    [PATIENTS],
  );
  await sql.query(
    `INSERT INTO consent_events (patient_id, policy_version, location_collection, share_with_provider, marketing, sale_opt_out)
     SELECT id, $1, true, true, false, false FROM users WHERE role = 'patient'`,
    [POLICY_VERSION],
  );
  await sql.query(
    `WITH p AS (SELECT array_agg(id ORDER BY id) AS ids FROM users WHERE role = 'patient')
     INSERT INTO devices (serial_number, model, registration_code, patient_id, linked_at)
     SELECT 'G' || lpad(i::text, 8, '0'), 'Inogen One G5', 'R' || i, p.ids[1 + i % array_length(p.ids, 1)], now()
       FROM generate_series(1, $1) i, p`,
    [DEVICES],
  );
  await sql.query(
    `INSERT INTO device_latest_state (serial_number, device_time, error_codes, location, location_time)
     SELECT serial_number, now(), '{}', ${RANDOM_POINT}, now() FROM devices`,
  );
  await sql.query(
    `INSERT INTO loss_reports (serial_number, kind, reported_by)
     SELECT serial_number, CASE WHEN random() < 0.5 THEN 'lost' ELSE 'stolen' END, $1 FROM devices WHERE random() < 0.01`,
    [reporter],
  );
  await settle(sql);
  // The database's permission views read the policy version from the connection, as the service sets it.
  await sql.query(`SELECT set_config('app.policy_version', $1, false)`, [POLICY_VERSION]);
}

runBench('poc_bench_geo', async ({ apiUrl, sql, http, admin }) => {
  const password = 'bench-field-password';
  const field = await http.expect<{ id: string }>(
    201,
    'POST',
    '/v1/admin/users',
    { username: 'bench-field', password, role: 'field_service' },
    admin,
  );
  const started = performance.now();
  await seed(sql, field.id);
  const [{ lost }] = (await sql.query('SELECT count(*)::int AS lost FROM loss_reports')).rows;
  process.stdout.write(
    `geo benchmark: ${OFFICES.toLocaleString('en')} offices, ${DEVICES.toLocaleString('en')} last locations ` +
      `(${lost.toLocaleString('en')} reported lost or stolen), seeded in ${((performance.now() - started) / 1000).toFixed(0)} s; ` +
      `${QUERIES} queries each, one at a time, after 200 warm-up requests of each kind\n`,
  );
  const token = await http.signIn('bench-field', password);
  const get = (path: string) =>
    fetch(`${apiUrl}${path}`, { headers: { authorization: `Bearer ${token}` } }).then(async (r) => {
      if (r.status !== 200) throw new Error(`${path}: ${r.status}`);
      return r.json();
    });
  const at = points(QUERIES);
  // Warm-up (not timed): the service just started, and V8 optimises its hot paths in the first requests.
  for (const p of points(200)) {
    await get(`/v1/service-offices/nearest?lat=${p.lat}&lon=${p.lon}&limit=5`);
    await get(`/v1/internal/lost-devices?lat=${p.lat}&lon=${p.lon}&radiusKm=10`);
  }

  const nearestDb = [];
  for (const p of at) nearestDb.push(await timed(() => sql.query(NEAREST_OFFICES, [p.lat, p.lon, 5, null, null])));
  const nearestHttp = [];
  for (const p of at)
    nearestHttp.push(await timed(() => get(`/v1/service-offices/nearest?lat=${p.lat}&lon=${p.lon}&limit=5`)));
  const lostDb = [];
  for (const p of at) lostDb.push(await timed(() => sql.query(LOST_DEVICES_NEAR, [p.lat, p.lon, 10_000, 100])));
  const lostHttp = [];
  let found = 0;
  for (const p of at) {
    lostHttp.push(
      await timed(async () => {
        found += (
          (await get(`/v1/internal/lost-devices?lat=${p.lat}&lon=${p.lon}&radiusKm=10`)) as { items: unknown[] }
        ).items.length;
      }),
    );
  }
  const explain = async (text: string, params: unknown[]) =>
    (await sql.query(`EXPLAIN ${text}`, params)).rows.map((r: Record<string, string>) => `    ${r['QUERY PLAN']}`);
  process.stdout.write(
    [
      `nearest 5 offices, in the database: ${percentiles(nearestDb)}`,
      `nearest 5 offices, over HTTP:       ${percentiles(nearestHttp)}`,
      `lost devices within 10 km, in the database: ${percentiles(lostDb)}`,
      `lost devices within 10 km, over HTTP (audit included): ${percentiles(lostHttp)}; ${found} devices found in all`,
      '  plan, nearest offices:',
      ...(await explain(NEAREST_OFFICES, [39, -98, 5, null, null])),
      '  plan, lost devices:',
      ...(await explain(LOST_DEVICES_NEAR, [39, -98, 10_000, 100])),
    ].join('\n') + '\n',
  );
});
