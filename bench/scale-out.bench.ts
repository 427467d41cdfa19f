import { spawn } from 'node:child_process';
import { Client } from 'pg';
import { startMosquitto } from '../test/support/mosquitto';
import { benchArgs, CpuProfile, freePort, runForOutput, runMain, startBenchSystem, untilReady } from './bench-system';

// npm run bench:scale-out [-- --devices 1000 --rate 12000 --duration 20]
// MQTT_URL mode on a real Mosquitto 2 (Debian's, dynamic security): the simulator's devices publish to the
// broker, which acknowledges them itself, and the service instances split the telemetry through the shared
// subscription, storing it before they acknowledge it to the broker. Offered more than they can store, the
// rate at which rows land is the instances' throughput: measured with one instance, then two.

const DEVICES = Number(benchArgs.get('--devices') ?? 1000);
const RATE = Number(benchArgs.get('--rate') ?? 12_000);
const DURATION = Number(benchArgs.get('--duration') ?? 20);

async function main(): Promise<void> {
  const broker = await startMosquitto();
  const system = await startBenchSystem('poc_bench_scale_out', {
    MQTT_URL: broker.ingestUrl,
    MQTT_DYNSEC_URL: broker.dynsecUrl,
    MQTT_CLIENT_ID: 'ingest-bench-a',
  });
  const sql = new Client({ connectionString: system.databaseUrl });
  await sql.connect();
  const instances = [system.service];
  try {
    const sim = (rate: number, duration: number) =>
      runForOutput(
        'node',
        [
          'dist/device-sim/main.js',
          '--json',
          ...['--devices', String(DEVICES), '--rate', String(rate), '--duration', String(duration)],
          ...['--api', system.apiUrl, '--mqtt', `mqtt://127.0.0.1:${broker.port}`],
        ],
        system.env,
      ).then((out) => JSON.parse(out) as { sent: number; ackedPerS: number });
    const stored = async () => Number((await sql.query('SELECT count(*) AS n FROM telemetry')).rows[0].n);

    /** Rows stored per second over the middle of a run offered more than the instances store. */
    const throughput = async (label: string) => {
      const cpu = new CpuProfile({
        service: (cmd) => cmd.includes('dist/apps/api/src/main.js'),
        broker: (cmd) => cmd.includes('mosquitto'),
        simulator: (cmd) => cmd.includes('dist/device-sim/main.js'),
        database: (cmd) => cmd.startsWith('postgres'),
      });
      const running = sim(RATE, DURATION);
      await new Promise((r) => setTimeout(r, 5000)); // connected and flowing
      cpu.start();
      const [from, t0] = [await stored(), performance.now()];
      await new Promise((r) => setTimeout(r, (DURATION - 8) * 1000));
      const [to, t1] = [await stored(), performance.now()];
      const busy = cpu.stop();
      const report = await running;
      // Let the backlog drain before the next run (bounded).
      for (let last = -1, now = await stored(); now !== last; last = now, now = await stored()) {
        await new Promise((r) => setTimeout(r, 2000));
      }
      const perS = Math.round((to - from) / ((t1 - t0) / 1000));
      process.stdout.write(
        `${label}: stored ${perS}/s (broker acknowledged the devices ${report.ackedPerS}/s); CPU (100% = one core) ` +
          `services ${busy.service}%, broker ${busy.broker}%, simulator ${busy.simulator}%, database ${busy.database}%\n`,
      );
      return perS;
    };

    process.stdout.write(
      `scale-out benchmark: Mosquitto 2 + ${DEVICES} devices offered ${RATE}/s for ${DURATION} s, QoS 1, stored before the broker gets its PUBACK\n`,
    );
    await sim(500, 3); // provisions the fleet (each link puts the device's account on the broker)
    const one = await throughput('one instance ');
    const port = await freePort();
    const second = spawn('node', ['dist/apps/api/src/main.js'], {
      env: { ...system.env, PORT: String(port), MQTT_CLIENT_ID: 'ingest-bench-b' },
      stdio: 'ignore',
    });
    instances.push(second);
    await untilReady(`http://127.0.0.1:${port}`, () => second.kill('SIGTERM'));
    const two = await throughput('two instances');
    process.stdout.write(`scale-out ratio (two / one): ${(two / one).toFixed(2)}\n`);
  } finally {
    await sql.end();
    instances.slice(1).forEach((child) => child.kill('SIGTERM'));
    system.stop();
    await broker.stop();
  }
}

runMain(main);
