import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import mqtt from 'mqtt';
import { waitFor } from './wait-for';
import { freePort } from './free-port';

// Debian installs the broker in /usr/sbin, which is not on every user's PATH.
const MOSQUITTO = existsSync('/usr/sbin/mosquitto') ? '/usr/sbin/mosquitto' : 'mosquitto';

export const INGEST_ACCOUNT = { username: 'ingest', password: 'ingest-test-password' };

export interface Mosquitto {
  port: number;
  /** The MQTT_URL the service consumes with. */
  ingestUrl: string;
  /** Adds device accounts (username = serial) and reloads the broker, as provisioning would. */
  addAccounts(accounts: { username: string; password: string }[]): Promise<void>;
  stop(): Promise<void>;
}

const until = (check: () => Promise<boolean>, what: string): Promise<true> =>
  waitFor(async () => (await check()) || undefined, 10_000, what);

const canSignIn = (port: number, username: string, password: string): Promise<boolean> =>
  mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { username, password, reconnectPeriod: 0, connectTimeout: 1000 }).then(
    (client) => client.endAsync().then(() => true),
    () => false,
  );

/** A real Mosquitto 2 (Debian's package) with password file and the shipped ACL, on a free port. */
export async function startMosquitto(): Promise<Mosquitto> {
  const dir = mkdtempSync(join(tmpdir(), 'poc-mosquitto-'));
  const passwords = join(dir, 'passwords');
  const port = await freePort();
  execFileSync('mosquitto_passwd', ['-c', '-b', passwords, INGEST_ACCOUNT.username, INGEST_ACCOUNT.password]);
  writeFileSync(
    join(dir, 'mosquitto.conf'),
    [
      `listener ${port} 127.0.0.1`,
      'allow_anonymous false',
      `password_file ${passwords}`,
      `acl_file ${resolve(__dirname, '../../deploy/mosquitto/acl')}`,
      'max_queued_messages 0',
      // Mosquitto started as root drops to this user; keep the one running the tests.
      `user ${userInfo().username}`,
      'log_dest none',
    ].join('\n'),
  );
  const broker: ChildProcess = spawn(MOSQUITTO, ['-c', join(dir, 'mosquitto.conf')], { stdio: 'ignore' });
  await until(() => canSignIn(port, INGEST_ACCOUNT.username, INGEST_ACCOUNT.password), 'the broker to listen');
  return {
    port,
    ingestUrl: `mqtt://${INGEST_ACCOUNT.username}:${INGEST_ACCOUNT.password}@127.0.0.1:${port}`,
    async addAccounts(accounts) {
      for (const { username, password } of accounts)
        execFileSync('mosquitto_passwd', ['-b', passwords, username, password]);
      broker.kill('SIGHUP');
      const last = accounts[accounts.length - 1];
      await until(() => canSignIn(port, last.username, last.password), 'the new accounts to be accepted');
    },
    async stop() {
      const exited = new Promise((r) => broker.once('exit', r));
      broker.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
