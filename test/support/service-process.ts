import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Api } from './api';
import { freePort } from './free-port';
import { TEST_SETTINGS } from './test-app';
import { waitFor } from './wait-for';

/**
 * Which of these processes holds the server side of a TCP connection from `clientPort` (on this machine):
 * found through /proc, as `ss -p` would, by the socket's inode.
 */
export function holderOf(clientPort: number, pids: number[]): number | undefined {
  const hexPort = clientPort.toString(16).toUpperCase().padStart(4, '0');
  const rows = readFileSync('/proc/net/tcp', 'utf8').split('\n').slice(1);
  // Columns: sl local_address rem_address st ... uid timeout inode; the server side's remote port is ours.
  const inode = rows.map((row) => row.trim().split(/\s+/)).find((cols) => cols[2]?.endsWith(`:${hexPort}`))?.[9];
  if (!inode) return undefined;
  return pids.find((pid) =>
    readdirSync(`/proc/${pid}/fd`).some((fd) => {
      try {
        return readlinkSync(`/proc/${pid}/fd/${fd}`) === `socket:[${inode}]`;
      } catch {
        return false; // closed meanwhile
      }
    }),
  );
}

export interface ServiceProcess {
  api: Api;
  mqttUrl: string;
  /** The process ids of its workers (WORKERS > 1), as they are now. */
  workerPids(): number[];
  /** SIGKILL: no shutdown hooks, no flush, as a crash or an OOM kill. */
  kill9(): Promise<void>;
  /** Starts it again on the same ports and database. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The built service (dist/, `npm test` builds it) as its own process, so a test can kill it outright.
 * Fixed ports across restarts, as a deployment has.
 */
export async function startServiceProcess(env: Record<string, string>): Promise<ServiceProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'poc-proc-'));
  const [port, mqttPort] = [await freePort(), await freePort()];
  const fullEnv = {
    ...process.env,
    ...TEST_SETTINGS,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
    PORT: String(port),
    MQTT_PORT: String(mqttPort),
    MQTTS_PORT: '0',
    DATA_DIR: dataDir,
    ...env,
  };
  const api = new Api(`http://127.0.0.1:${port}`);
  let child: ChildProcess;
  const exited = () =>
    new Promise<void>((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', () => resolve())));
  const start = async () => {
    child = spawn('node', ['dist/apps/api/src/main.js'], { env: fullEnv, stdio: ['ignore', 'ignore', 'inherit'] });
    await waitFor(
      async () => ((await api.get('/health/ready').catch(() => ({ status: 0 }))).status === 200 ? true : undefined),
      30_000,
      'the service process to be ready',
    );
  };
  await start();
  return {
    api,
    mqttUrl: `mqtt://127.0.0.1:${mqttPort}`,
    workerPids: () =>
      readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8')
        .trim()
        .split(/\s+/)
        .filter(Boolean)
        .map(Number),
    kill9: async () => {
      child.kill('SIGKILL');
      await exited();
    },
    restart: start,
    stop: async () => {
      child.kill('SIGTERM');
      await exited();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
