import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { Client } from 'pg';
import { provisionFleet, SimDevice } from '../device-sim/fleet';
import { SimHttp } from '../device-sim/http-client';

export const BENCH_DATA_DIR = process.env.DATA_DIR ?? '.data/bench';

/** argv as `--name value` pairs. */
export const benchArgs = new Map(process.argv.slice(2).map((a, i, all) => [a, all[i + 1]]));

/** The simulator's fleet of `devices` links on a bench system, provisioned through the API (or from its cache). */
export const provisionBenchFleet = (apiUrl: string, env: NodeJS.ProcessEnv, devices: number): Promise<SimDevice[]> =>
  provisionFleet(new SimHttp(apiUrl), {
    devices,
    adminUser: env.ADMIN_USERNAME ?? 'admin',
    adminPassword: env.ADMIN_PASSWORD ?? 'admin-demo-pass',
    cacheFile: join(BENCH_DATA_DIR, 'sim-devices.json'),
    apiUrl,
  });

export const freePort = (): Promise<number> =>
  new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

/** Resident memory of a process in MiB: now (VmRSS) or its peak so far (VmHWM). */
export const rssMiB = (pid: number, which: 'VmRSS' | 'VmHWM' = 'VmHWM'): number => {
  const match = new RegExp(`${which}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Math.round(Number(match[1]) / 1024) : NaN;
};

/** rssMiB of a process and its children (a service with WORKERS > 1 is a primary and its workers). */
export const treeRssMiB = (pid: number, which: 'VmRSS' | 'VmHWM' = 'VmHWM'): number => {
  const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
  return children.reduce((sum, child) => sum + rssMiB(Number(child), which), rssMiB(pid, which));
};

export function runForOutput(command: string, argv: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, argv, { env, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${argv.join(' ')} exited ${code}`))));
  });
}

export interface BenchSystem {
  apiUrl: string;
  mqttUrl: string;
  databaseUrl: string;
  env: NodeJS.ProcessEnv;
  service: ChildProcess;
  stop(): void;
}

/**
 * The system on embedded defaults, as `npm run up` starts it: the project-local PostGIS cluster under
 * DATA_DIR (a fresh database each run) and the built service with its embedded broker, on free ports.
 */
export async function startBenchSystem(database: string, extraEnv: NodeJS.ProcessEnv = {}): Promise<BenchSystem> {
  const pgEnv = { ...process.env, DATA_DIR: BENCH_DATA_DIR };
  const serverUrl = execFileSync('bash', ['scripts/pg-local.sh', 'start'], { env: pgEnv }).toString().trim();
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${database}`);
  await admin.end();
  const databaseUrl = serverUrl.replace(/\/poc$/, `/${database}`);
  rmSync(join(BENCH_DATA_DIR, 'sim-devices.json'), { force: true });

  const port = await freePort();
  const mqttPort = await freePort();
  const env = {
    ...pgEnv,
    DATABASE_URL: databaseUrl,
    PORT: String(port),
    MQTT_PORT: String(mqttPort),
    MQTTS_PORT: '0',
    LOG_LEVEL: 'warn',
    // The simulator stands a fleet's load on fewer devices (1,000 devices at 15,000/s) and connects them
    // all at once: the per-device abuse limits would measure themselves, not the pipeline.
    DEVICE_PUBLISH_PER_SECOND: '100000',
    DEVICE_PUBLISH_BURST: '100000',
    BROKER_CONNECTS_PER_SECOND: '100000',
    // --workers N: the service as N processes sharing its ports (WORKERS).
    WORKERS: benchArgs.get('--workers') ?? '1',
    ...extraEnv,
  };
  // --cpu-prof DIR: the service writes a V8 CPU profile there when it stops (node --cpu-prof).
  const profileDir = benchArgs.get('--cpu-prof');
  const nodeArgs = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  const service = spawn('node', [...nodeArgs, 'dist/apps/api/src/main.js'], { env, stdio: 'ignore' });
  const stop = () => {
    service.kill('SIGTERM');
    execFileSync('bash', ['scripts/pg-local.sh', 'stop'], { env: pgEnv });
  };
  const apiUrl = `http://127.0.0.1:${port}`;
  await untilReady(apiUrl, stop);
  return { apiUrl, mqttUrl: `mqtt://127.0.0.1:${mqttPort}`, databaseUrl, env, service, stop };
}

/** Waits for a service's readiness (60 s at most; then `stop` and throw). */
export async function untilReady(apiUrl: string, stop: () => void): Promise<void> {
  for (let i = 0; ; i++) {
    const ready = await fetch(`${apiUrl}/health/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) break;
    if (i === 120) {
      stop();
      throw new Error('the service did not become ready within 60 s');
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

const TICKS_PER_S = 100; // getconf CLK_TCK on Linux

/** Cumulative user+system CPU seconds of every live process whose command line matches. */
function cpuSecondsByPid(matches: (cmdline: string) => boolean): Map<number, number> {
  const byPid = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (!matches(readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' '))) continue;
      // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
      const fields = readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1].split(' ');
      byPid.set(Number(entry), (Number(fields[11]) + Number(fields[12])) / TICKS_PER_S);
    } catch {
      // the process ended between listing and reading
    }
  }
  return byPid;
}

/**
 * Where the CPU goes during a step: samples each component's processes every second and reports each
 * one's share of one core (100% = one core busy), so a shortfall can be placed on service, simulator
 * or database.
 */
export class CpuProfile {
  private readonly first = new Map<string, Map<number, number>>();
  private readonly last = new Map<string, Map<number, number>>();
  private timer?: NodeJS.Timeout;
  private startedAt = 0;

  constructor(private readonly components: Record<string, (cmdline: string) => boolean>) {}

  start(): void {
    this.startedAt = performance.now();
    const sample = () => {
      for (const [name, matches] of Object.entries(this.components)) {
        const now = cpuSecondsByPid(matches);
        const first = this.first.get(name) ?? new Map<number, number>();
        for (const [pid, seconds] of now) if (!first.has(pid)) first.set(pid, seconds);
        this.first.set(name, first);
        this.last.set(name, new Map([...(this.last.get(name) ?? []), ...now]));
      }
    };
    sample();
    this.timer = setInterval(sample, 1000);
  }

  /** Each component's average CPU use in percent of one core since start. */
  stop(): Record<string, number> {
    clearInterval(this.timer);
    const elapsedS = (performance.now() - this.startedAt) / 1000;
    return Object.fromEntries(
      Object.keys(this.components).map((name) => {
        const first = this.first.get(name) ?? new Map<number, number>();
        let busy = 0;
        for (const [pid, seconds] of this.last.get(name) ?? []) busy += seconds - (first.get(pid) ?? seconds);
        return [name, Math.round((busy / elapsedS) * 100)];
      }),
    );
  }
}

export interface BenchContext extends BenchSystem {
  /** A direct connection to the benchmark's database, as its owner (for seeding and plans). */
  sql: Client;
  http: SimHttp;
  /** An admin access token. */
  admin: string;
}

/** Runs a benchmark's main function; a failure is printed and exits with 1. */
export function runMain(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  });
}

/** A fresh system (with `extraEnv`) with an admin signed in and a database connection; everything stopped afterwards. */
export async function withBenchContext(
  database: string,
  extraEnv: NodeJS.ProcessEnv,
  bench: (context: BenchContext) => Promise<void>,
): Promise<void> {
  const system = await startBenchSystem(database, extraEnv);
  const sql = new Client({ connectionString: system.databaseUrl });
  await sql.connect();
  try {
    const http = new SimHttp(system.apiUrl);
    const admin = await http.signIn(
      system.env.ADMIN_USERNAME ?? 'admin',
      system.env.ADMIN_PASSWORD ?? 'admin-demo-pass',
    );
    await bench({ ...system, sql, http, admin });
  } finally {
    await sql.end();
    system.stop();
  }
}

/** A benchmark's main: a fresh system with an admin signed in and a database connection. */
export function runBench(database: string, bench: (context: BenchContext) => Promise<void>): void {
  runMain(() => withBenchContext(database, {}, bench));
}

/** After bulk seeding: measure the steady state, not autovacuum or a checkpoint catching up. */
export async function settle(sql: Client): Promise<void> {
  await sql.query('VACUUM (ANALYZE)');
  await sql.query('CHECKPOINT');
}

/** The p-th percentile of ascending samples. */
export const percentile = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
