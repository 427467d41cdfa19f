import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import mqtt from 'mqtt';
import { waitFor } from './wait-for';
import { freePort } from './free-port';

// Debian installs the broker in /usr/sbin, which is not on every user's PATH.
const MOSQUITTO = existsSync('/usr/sbin/mosquitto') ? '/usr/sbin/mosquitto' : 'mosquitto';
const DYNSEC_PLUGIN = '/usr/lib/x86_64-linux-gnu/mosquitto_dynamic_security.so';
// From test/support, or from dist/test/support when a benchmark runs it.
const DYNSEC_INIT = ['../..', '../../..']
  .map((up) => resolve(__dirname, up, 'deploy/mosquitto/dynsec-init.sh'))
  .find((path) => existsSync(path)) as string;

export const INGEST_ACCOUNT = { username: 'ingest', password: 'ingest-test-password' };
const CONTROL_ACCOUNT = { username: 'poc-control', password: 'control-test-password' };

export interface Mosquitto {
  port: number;
  /** The MQTT_URL the service consumes with. */
  ingestUrl: string;
  /** The MQTT_DYNSEC_URL the service keeps device accounts with. */
  dynsecUrl: string;
  stop(): Promise<void>;
}

const canSignIn = (port: number, username: string, password: string): Promise<boolean> =>
  mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { username, password, reconnectPeriod: 0, connectTimeout: 1000 }).then(
    (client) => client.endAsync().then(() => true),
    () => false,
  );

/**
 * A real Mosquitto 2 (Debian's package) with the dynamic-security plugin, set up by the deployment's own
 * script (deploy/mosquitto/dynsec-init.sh), on a free port.
 */
export async function startMosquitto(): Promise<Mosquitto> {
  const dir = mkdtempSync(join(tmpdir(), 'poc-mosquitto-'));
  const port = await freePort();
  const env = {
    ...process.env,
    CONTROL_USER: CONTROL_ACCOUNT.username,
    CONTROL_PASSWORD: CONTROL_ACCOUNT.password,
    INGEST_USER: INGEST_ACCOUNT.username,
    INGEST_PASSWORD: INGEST_ACCOUNT.password,
    MQTT_HOST: '127.0.0.1',
    MQTT_PORT: String(port),
  };
  // mosquitto_ctrl exits 0 whatever happened: its errors are read off what it says.
  const init = (...args: string[]) => {
    const run = spawnSync('sh', [DYNSEC_INIT, ...args], { env, encoding: 'utf8' });
    if (run.status !== 0 || /Error/.test(run.stderr)) throw new Error(`dynsec-init.sh ${args[0]}: ${run.stderr}`);
  };
  init('file', join(dir, 'dynamic-security.json'));
  writeFileSync(
    join(dir, 'mosquitto.conf'),
    [
      `listener ${port} 127.0.0.1`,
      'allow_anonymous false',
      `plugin ${DYNSEC_PLUGIN}`,
      `plugin_opt_config_file ${join(dir, 'dynamic-security.json')}`,
      'retain_available false',
      'max_queued_messages 0',
      'max_inflight_messages 1000',
      // Mosquitto started as root drops to this user; keep the one running the tests.
      `user ${userInfo().username}`,
      'log_dest none',
    ].join('\n'),
  );
  const broker: ChildProcess = spawn(MOSQUITTO, ['-c', join(dir, 'mosquitto.conf')], { stdio: 'ignore' });
  await waitFor(
    async () => (await canSignIn(port, CONTROL_ACCOUNT.username, CONTROL_ACCOUNT.password)) || undefined,
    10_000,
    'the broker to listen',
  );
  init('accounts');
  const account = ({ username, password }: { username: string; password: string }) =>
    `mqtt://${username}:${password}@127.0.0.1:${port}`;
  return {
    port,
    ingestUrl: account(INGEST_ACCOUNT),
    dynsecUrl: account(CONTROL_ACCOUNT),
    async stop() {
      const exited = new Promise((r) => broker.once('exit', r));
      broker.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
