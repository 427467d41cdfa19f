import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { INSERT_TELEMETRY } from '../libs/telemetry/src/telemetry.sql';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { benchArgs, CpuProfile, freePort, runForOutput, startBenchSystem, runMain, treeRssMiB } from './bench-system';

// npm run bench:ingest [-- --devices 1000 --rates 5000,10000,15000 --duration 15]
// Starts the system on embedded defaults (project-local PostGIS, the service with its embedded broker),
// runs the simulator at rising rates, then measures the database alone with the same rows.

const DEVICES = Number(benchArgs.get('--devices') ?? 1000);
const RATES = (benchArgs.get('--rates') ?? '5000,10000,15000,20000').split(',').map(Number);
const DURATION = Number(benchArgs.get('--duration') ?? 15);

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
          1000,
          1200 / 3.6,
          batch.map(() => null),
        ]);
        await c.query('COMMIT');
        rows += batch.length;
      }
    }),
  );
  await Promise.all(connections.map((c) => c.end()));
  return Math.round(rows / seconds);
}

/** The same simulator against the bare broker (bench/bare-broker.ts) on a port of its own. */
async function bareBrokerCeiling(
  run: (mqttUrl: string) => Promise<{ ackedPerS: number; latencyMs: { p99: number } }>,
): Promise<{ ackedPerS: number; latencyMs: { p99: number } }> {
  const port = await freePort();
  const broker = spawn('node', ['dist/bench/bare-broker.js', String(port)], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    await once(broker.stdout, 'data');
    return await run(`mqtt://127.0.0.1:${port}`);
  } finally {
    broker.kill('SIGTERM');
  }
}

async function main(): Promise<void> {
  const { apiUrl, mqttUrl, databaseUrl, env, service, stop } = await startBenchSystem('poc_bench');
  try {
    const sim = (rate: number, duration: number, mqtt = mqttUrl) =>
      runForOutput(
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
          apiUrl,
          '--mqtt',
          mqtt,
        ],
        env,
      ).then((out) => JSON.parse(out));

    process.stdout.write(
      `ingest benchmark: ${DEVICES} devices, QoS 1, PUBACK after commit, fsync on, ${DURATION} s per step\n`,
    );
    await sim(500, 3); // provisions the fleet and warms up
    const steps = [];
    for (const rate of RATES) {
      const cpu = new CpuProfile({
        service: (cmd) => cmd.includes('dist/apps/api/src/main.js'),
        simulator: (cmd) => cmd.includes('dist/device-sim/main.js'),
        database: (cmd) => cmd.startsWith('postgres'),
      });
      cpu.start();
      const r = await sim(rate, DURATION);
      const busy = cpu.stop();
      steps.push({ rate, ...r });
      // CPU time the service spent per acknowledged message, in microseconds.
      const serviceUs = Math.round((busy.service / 100 / r.ackedPerS) * 1e6);
      process.stdout.write(
        `target ${String(rate).padStart(6)}/s: acked ${String(r.ackedPerS).padStart(6)}/s, sent ${r.sent}, acked ${r.acked}, stored ${r.stored}, rejected ${r.rejected}, ` +
          `latency p50 ${r.latencyMs.p50} ms, p95 ${r.latencyMs.p95} ms, p99 ${r.latencyMs.p99} ms; ` +
          `CPU (100% = one core) service ${busy.service}% (${serviceUs} µs/msg), simulator ${busy.simulator}%, database ${busy.database}%\n`,
      );
    }
    const rss = treeRssMiB(service.pid as number);
    const brokerAlone = await bareBrokerCeiling((url) => sim(Math.max(...RATES) * 2, DURATION, url));
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
        `broker alone (aedes without hooks, same simulator, asked for ${Math.max(...RATES) * 2}/s): ${brokerAlone.ackedPerS} acked/s, p99 ${brokerAlone.latencyMs.p99} ms`,
        `ratio service / broker alone: ${(best / brokerAlone.ackedPerS).toFixed(2)}`,
        `database alone (same INSERT, 1,000-row batches, 3 connections): ${ceiling} rows/s`,
        `ratio end-to-end / database alone: ${(best / ceiling).toFixed(2)}`,
      ].join('\n') + '\n',
    );
  } finally {
    stop();
  }
}

runMain(main);
