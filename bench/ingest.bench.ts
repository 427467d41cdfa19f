import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { Client } from 'pg';
import { INSERT_TELEMETRY } from '../libs/telemetry/src/telemetry.sql';

// npm run bench:ingest [-- --devices 1000 --rates 5000,10000,15000 --duration 15]
// Starts the system on embedded defaults (project-local PostGIS, the service with its embedded broker),
// runs the simulator at rising rates, then measures the database alone with the same rows.

const args = new Map(process.argv.slice(2).map((a, i, all) => [a, all[i + 1]]));
const DEVICES = Number(args.get('--devices') ?? 1000);
const RATES = (args.get('--rates') ?? '5000,10000,15000,20000').split(',').map(Number);
const DURATION = Number(args.get('--duration') ?? 15);
const DATA_DIR = process.env.DATA_DIR ?? '.data/bench';

const freePort = (): Promise<number> =>
  new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

const peakRssMiB = (pid: number): number => {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Math.round(Number(match[1]) / 1024) : NaN;
};

function run(command: string, argv: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, argv, { env, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${argv.join(' ')} exited ${code}`))));
  });
}

async function databaseCeiling(url: string, serials: string[], seconds: number): Promise<number> {
  const connections = await Promise.all(
    [0, 1, 2].map(async () => {
      const c = new Client({ connectionString: url });
      await c.connect();
      return c;
    }),
  );
  let rows = 0;
  const end = Date.now() + seconds * 1000;
  await Promise.all(
    connections.map(async (c) => {
      while (Date.now() < end) {
        const now = Date.now();
        const batch = Array.from({ length: 1000 }, (_, i) => ({
          serial: serials[i % serials.length],
          t: new Date(now - i),
        }));
        await c.query('BEGIN');
        await c.query(INSERT_TELEMETRY, [
          batch.map((b) => b.t),
          batch.map(() => randomUUID()),
          batch.map((b) => b.serial),
          batch.map(() => 'Inogen One G5'),
          batch.map((b) => b.t.toISOString()),
          batch.map((b) => b.t.toISOString()),
          batch.map(() => new Date()),
          batch.map(() => ''),
          batch.map(() => 80),
          batch.map(() => 3),
          batch.map(() => '5.2.1'),
          batch.map(() => 30 + Math.random() * 15),
          batch.map(() => -120 + Math.random() * 45),
          batch.map(() => 12),
          batch.map((b) => b.t.toISOString()),
        ]);
        await c.query('COMMIT');
        rows += batch.length;
      }
    }),
  );
  await Promise.all(connections.map((c) => c.end()));
  return Math.round(rows / seconds);
}

async function main(): Promise<void> {
  const serverUrl = execFileSync('bash', ['scripts/pg-local.sh', 'start'], { env: { ...process.env, DATA_DIR } })
    .toString()
    .trim();
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query('DROP DATABASE IF EXISTS poc_bench WITH (FORCE)');
  await admin.query('CREATE DATABASE poc_bench');
  await admin.end();
  const databaseUrl = serverUrl.replace(/\/poc$/, '/poc_bench');
  rmSync(join(DATA_DIR, 'sim-devices.json'), { force: true });

  const port = await freePort();
  const mqttPort = await freePort();
  const env = {
    ...process.env,
    DATA_DIR,
    DATABASE_URL: databaseUrl,
    PORT: String(port),
    MQTT_PORT: String(mqttPort),
    LOG_LEVEL: 'warn',
  };
  const service: ChildProcess = spawn('node', ['dist/apps/api/src/main.js'], { env, stdio: 'ignore' });
  try {
    for (let i = 0; i < 120; i++) {
      const ready = await fetch(`http://127.0.0.1:${port}/health/ready`).then(
        (r) => r.ok,
        () => false,
      );
      if (ready) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    const sim = (rate: number, duration: number) =>
      run(
        'node',
        [
          'dist/device-sim/main.js',
          '--json',
          '--devices',
          String(DEVICES),
          '--rate',
          String(rate),
          '--duration',
          String(duration),
          '--api',
          `http://127.0.0.1:${port}`,
          '--mqtt',
          `mqtt://127.0.0.1:${mqttPort}`,
        ],
        env,
      ).then((out) => JSON.parse(out));

    process.stdout.write(
      `ingest benchmark: ${DEVICES} devices, QoS 1, PUBACK after commit, fsync on, ${DURATION} s per step\n`,
    );
    await sim(500, 3); // provisions the fleet and warms up
    const steps = [];
    for (const rate of RATES) {
      const r = await sim(rate, DURATION);
      steps.push({ rate, ...r });
      process.stdout.write(
        `target ${String(rate).padStart(6)}/s: acked ${String(r.ackedPerS).padStart(6)}/s, sent ${r.sent}, acked ${r.acked}, stored ${r.stored}, rejected ${r.rejected}, ` +
          `latency p50 ${r.latencyMs.p50} ms, p95 ${r.latencyMs.p95} ms, p99 ${r.latencyMs.p99} ms\n`,
      );
    }
    const rss = peakRssMiB(service.pid as number);
    const serials = Array.from({ length: DEVICES }, (_, i) => `BENCH-${i}`);
    const ceiling = await databaseCeiling(databaseUrl, serials, 10);
    const sustained = steps
      .filter((s) => s.latencyMs.p99 < 250 && s.ackedPerS >= 0.95 * s.rate)
      .map((s) => s.ackedPerS);
    const best = Math.max(...steps.map((s) => s.ackedPerS));
    process.stdout.write(
      [
        `sustained end to end with p99 < 250 ms: ${sustained.length ? Math.max(...sustained) : 'none'} msgs/s`,
        `highest acked-and-stored rate: ${best} msgs/s`,
        `service peak RSS: ${rss} MiB`,
        `database alone (same INSERT, 1,000-row batches, 3 connections): ${ceiling} rows/s`,
        `ratio end-to-end / database alone: ${(best / ceiling).toFixed(2)}`,
      ].join('\n') + '\n',
    );
  } finally {
    service.kill('SIGTERM');
    execFileSync('bash', ['scripts/pg-local.sh', 'stop'], { env: { ...process.env, DATA_DIR } });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
