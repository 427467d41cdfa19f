import { telemetryTopic } from '../libs/devices/src/device-topics';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import type { SimDevice } from '../device-sim/fleet';
import { benchArgs, CpuProfile, provisionBenchFleet, runMain, startBenchSystem } from './bench-system';

// npm run bench:independent [-- --devices 200 --messages 500]
// The same system as bench:ingest, loaded by a client nobody here wrote: Debian's mosquitto_pub, one process
// per device, each publishing its own file of contract messages at QoS 1 as fast as the service acknowledges
// them (-l: a message per line, up to 20 in flight). Prints the acknowledged-and-stored rate.

const DEVICES = Number(benchArgs.get('--devices') ?? 200);
const MESSAGES = Number(benchArgs.get('--messages') ?? 500);

const message = (device: SimDevice, i: number, at: number) => {
  const sentAt = new Date(at - (MESSAGES - i) * 1000).toISOString();
  return JSON.stringify({
    messageId: `ind-${device.serialNumber}-${i}`,
    serialNumber: device.serialNumber,
    model: device.model,
    sentAt,
    connectedAt: sentAt,
    errorCodes: [],
    location: { lat: 34.4 + i * 1e-5, lon: -119.8, accuracyM: 10, capturedAt: sentAt },
    batteryPct: 80,
    flowSetting: 3,
    firmware: '5.2.1',
  });
};

async function main(): Promise<void> {
  const { apiUrl, mqttUrl, databaseUrl, env, stop } = await startBenchSystem('poc_bench_independent');
  const dir = mkdtempSync(join(tmpdir(), 'poc-independent-'));
  const sql = new Client({ connectionString: databaseUrl });
  await sql.connect();
  try {
    // The simulator's provisioning (patients, consents, links), through the public API.
    const fleet = await provisionBenchFleet(apiUrl, env, DEVICES);
    const now = Date.now();
    for (const device of fleet) {
      writeFileSync(
        join(dir, device.serialNumber),
        Array.from({ length: MESSAGES }, (_, i) => message(device, i, now)).join('\n') + '\n',
      );
    }
    const { port } = new URL(mqttUrl);
    const cpu = new CpuProfile({
      service: (cmd) => cmd.includes('dist/apps/api/src/main.js'),
      mosquitto_pub: (cmd) => cmd.startsWith('mosquitto_pub'),
      database: (cmd) => cmd.startsWith('postgres'),
    });
    cpu.start();
    const started = performance.now();
    const codes = await Promise.all(
      fleet.map(
        (device) =>
          new Promise<number | null>((resolve) => {
            const pub = spawn(
              'mosquitto_pub',
              [
                ...['-h', '127.0.0.1', '-p', port, '-u', device.serialNumber, '-P', device.password],
                ...['-i', `${device.serialNumber}-pub`, '-q', '1', '-t', telemetryTopic(device.serialNumber)],
                '-l',
              ],
              { stdio: ['pipe', 'ignore', 'inherit'] },
            );
            pub.stdin.end(readFileSync(join(dir, device.serialNumber)));
            pub.on('exit', resolve);
          }),
      ),
    );
    const seconds = (performance.now() - started) / 1000;
    const busy = cpu.stop();
    const { rows } = await sql.query(`SELECT count(*)::int AS n FROM telemetry WHERE message_id LIKE 'ind-%'`);
    const failed = codes.filter((code) => code !== 0).length;
    process.stdout.write(
      [
        `independent load (Debian's mosquitto_pub): ${DEVICES} devices × ${MESSAGES} messages, QoS 1, one process each`,
        `all published and acknowledged in ${seconds.toFixed(1)} s (${failed} of ${DEVICES} processes failed)`,
        `stored ${rows[0].n} of ${DEVICES * MESSAGES}: ${Math.round(rows[0].n / seconds)} msgs/s acknowledged and stored`,
        `CPU (100% = one core) service ${busy.service}%, mosquitto_pub ${busy.mosquitto_pub}%, database ${busy.database}%`,
      ].join('\n') + '\n',
    );
  } finally {
    await sql.end();
    rmSync(dir, { recursive: true, force: true });
    stop();
  }
}

runMain(main);
