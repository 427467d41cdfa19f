import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { Client } from 'pg';
import { benchArgs, CpuProfile, runForOutput, runMain, startBenchSystem, withBenchContext } from './bench-system';

// npm run bench:alarms [-- --devices 1000 --rate 12000 --duration 15 --rounds 2 --alarm-rate 2000]
// 1. The cost of alarms on ingest: the simulator at a saturating rate against the service with ALARMS on
//    and off, alternated (on, off, on, off) so the machine's drift falls on both; medians compared.
// 2. Alarms raised and cleared per second, and webhook deliveries per second, with every message of the
//    simulator reporting a catalogued code half the time (each change raises or clears), and a webhook
//    receiver in this process verifying nothing but counting.

const DEVICES = Number(benchArgs.get('--devices') ?? 1000);
const RATE = Number(benchArgs.get('--rate') ?? 12000);
const DURATION = Number(benchArgs.get('--duration') ?? 15);
const ROUNDS = Number(benchArgs.get('--rounds') ?? 2);
const ALARM_RATE = Number(benchArgs.get('--alarm-rate') ?? 2000);
const CODES = 'E01,E02,E03,E04,E05,E06,E07,E08,E09';

interface SimResult {
  ackedPerS: number;
  stored: number;
  latencyMs: { p50: number; p99: number };
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

async function simulate(
  system: { apiUrl: string; mqttUrl: string; env: NodeJS.ProcessEnv },
  rate: number,
  duration: number,
  codeRate: number,
): Promise<SimResult> {
  const argv = ['dist/device-sim/main.js', '--json', '--devices', String(DEVICES), '--rate', String(rate)];
  argv.push('--duration', String(duration), '--api', system.apiUrl, '--mqtt', system.mqttUrl);
  argv.push('--codes', CODES, '--code-rate', String(codeRate));
  return JSON.parse(await runForOutput('node', argv, system.env));
}

/** One round of the ingest comparison: acked/s, p99 and the service's µs of CPU per message. */
async function ingestRound(alarms: boolean): Promise<{ ackedPerS: number; p99: number; serviceUs: number }> {
  const system = await startBenchSystem('poc_bench_alarms', { ALARMS: String(alarms) });
  try {
    await simulate(system, 500, 3, 0.02); // provisions the fleet and warms up
    const cpu = new CpuProfile({ service: (cmd) => cmd.includes('dist/apps/api/src/main.js') });
    cpu.start();
    const r = await simulate(system, RATE, DURATION, 0.02);
    const busy = cpu.stop();
    const serviceUs = Math.round((busy.service / 100 / r.ackedPerS) * 1e6);
    process.stdout.write(
      `  alarms ${alarms ? 'on ' : 'off'}: acked ${r.ackedPerS}/s, p99 ${r.latencyMs.p99} ms, service ${serviceUs} µs/msg\n`,
    );
    return { ackedPerS: r.ackedPerS, p99: r.latencyMs.p99, serviceUs };
  } finally {
    system.stop();
  }
}

async function alarmThroughput(): Promise<void> {
  let delivered = 0;
  let firstAt = 0;
  let lastAt = 0;
  const receiver = createServer((request, response) => {
    request.resume().on('end', () => {
      delivered++;
      lastAt = Date.now();
      firstAt ||= lastAt;
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/alarms`;
  try {
    await withBenchContext('poc_bench_alarms', { WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' }, async (system) => {
      const { sql, http, admin } = system;
      const hook = { url, events: ['alarm.raised', 'alarm.cleared'], minSeverity: 'info' };
      await http.expect(201, 'POST', '/v1/internal/webhooks', hook, admin);
      await simulate(system, 500, 3, 0); // provisions the fleet and warms up
      const since = new Date();
      const r = await simulate(system, ALARM_RATE, DURATION, 0.5);
      const backlogAtEnd = await pendingDeliveries(sql);
      // Bounded: what is still pending a minute after the run is reported, not waited for.
      for (let i = 0; i < 120 && (await pendingDeliveries(sql)) > 0; i++) await new Promise((r) => setTimeout(r, 500));
      const [events] = (
        await sql.query(
          `SELECT (SELECT count(*) FROM alarms WHERE raised_at >= $1)::int AS raised,
                  (SELECT count(*) FROM alarms WHERE cleared_at >= $1)::int AS cleared`,
          [since],
        )
      ).rows;
      const perS = (n: number) => Math.round(n / DURATION);
      const deliveriesPerS = lastAt > firstAt ? Math.round(delivered / ((lastAt - firstAt) / 1000)) : 0;
      process.stdout.write(
        [
          `alarm load: ${ALARM_RATE} msgs/s for ${DURATION} s, half of them reporting one of ${CODES.split(',').length} codes (acked ${r.ackedPerS}/s, p99 ${r.latencyMs.p99} ms)`,
          `  alarms raised ${events.raised} (${perS(events.raised)}/s), cleared ${events.cleared} (${perS(events.cleared)}/s)`,
          `  webhook deliveries: ${delivered} delivered at ${deliveriesPerS}/s sustained; ${backlogAtEnd} pending when the load ended, ${await pendingDeliveries(sql)} after`,
        ].join('\n') + '\n',
      );
    });
  } finally {
    receiver.close();
  }
}

const pendingDeliveries = async (sql: Client): Promise<number> =>
  (await sql.query(`SELECT count(*)::int AS n FROM webhook_deliveries WHERE state = 'pending'`)).rows[0].n;

async function main(): Promise<void> {
  process.stdout.write(
    `alarms benchmark: ${DEVICES} devices, QoS 1, ingest at ${RATE}/s for ${DURATION} s with alarms on and off, ${ROUNDS} rounds each\n`,
  );
  const on: Array<{ ackedPerS: number; p99: number; serviceUs: number }> = [];
  const off: typeof on = [];
  for (let round = 0; round < ROUNDS; round++) {
    on.push(await ingestRound(true));
    off.push(await ingestRound(false));
  }
  const m = (rows: typeof on, key: keyof (typeof on)[number]) => median(rows.map((r) => r[key]));
  process.stdout.write(
    [
      `median acked/s: alarms on ${m(on, 'ackedPerS')}, off ${m(off, 'ackedPerS')} (on/off ${(m(on, 'ackedPerS') / m(off, 'ackedPerS')).toFixed(3)})`,
      `median service CPU per message: on ${m(on, 'serviceUs')} µs, off ${m(off, 'serviceUs')} µs`,
      `median p99: on ${m(on, 'p99')} ms, off ${m(off, 'p99')} ms`,
    ].join('\n') + '\n',
  );
  await alarmThroughput();
}

runMain(main);
