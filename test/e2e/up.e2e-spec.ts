import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, fetch } from 'undici';
import { freePort } from '../support/free-port';

const exited = (child: ChildProcess): Promise<number | null> =>
  new Promise((resolve) => child.once('exit', (code) => resolve(code)));

describe('npm run up', () => {
  it('starts the whole system on embedded defaults with demo data, and Ctrl-C stops everything', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'poc-up-'));
    const port = await freePort();
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DATA_DIR: dataDir,
      PORT: String(port),
      MQTT_PORT: String(await freePort()),
      MQTTS_PORT: String(await freePort()),
      SKIP_BUILD: 'true', // npm test has built dist/, which the suites beside this one are serving
    };
    delete env.DATABASE_URL;
    // Its own process group, so the interrupt reaches the whole tree as a terminal's Ctrl-C does.
    const child = spawn('bash', ['scripts/up.sh'], { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout?.on('data', (chunk) => (output += chunk));
    child.stderr?.on('data', (chunk) => (output += chunk));
    // HTTPS with the self-signed pair it makes under DATA_DIR, trusted here as a user would add it.
    const certFile = join(dataDir, 'tls', 'cert.pem');
    let dispatcher: Agent | undefined;
    const api = `https://127.0.0.1:${port}`;
    try {
      const deadline = Date.now() + 150_000;
      let ready = 0;
      while (Date.now() < deadline && ready !== 200) {
        await new Promise((r) => setTimeout(r, 500));
        if (!dispatcher && existsSync(certFile)) dispatcher = new Agent({ connect: { ca: readFileSync(certFile) } });
        if (!dispatcher) continue;
        ready = await fetch(`${api}/health/ready`, { dispatcher }).then(
          (r) => r.status,
          () => 0,
        );
      }
      expect(ready).toBe(200);
      expect(output).toContain(`${api}/docs`);
      expect(output).toContain(`portals      ${api}/`);
      const portal = await fetch(`${api}/`, { dispatcher });
      expect(await portal.text()).toContain('<div id="root">');
      expect(output).toContain(`mqtts://127.0.0.1:${env.MQTTS_PORT}`);
      expect(output).toContain('provider.sunrise');
      const token = await fetch(`${api}/v1/auth/token`, {
        dispatcher,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'field.demo', password: 'demo-password-1' }),
      });
      expect(token.status).toBe(200);
      // The simulator, as `npm run sim` runs it beside `npm run up` (built already): its defaults find the
      // service over HTTPS with the generated certificate, and the embedded broker.
      const sim = spawn(
        process.execPath,
        ['dist/device-sim/main.js', '--devices', '3', '--rate', '30', '--duration', '1', '--json'],
        { env, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let simOutput = '';
      sim.stdout?.on('data', (chunk) => (simOutput += chunk));
      sim.stderr?.on('data', (chunk) => (simOutput += chunk));
      expect({ exit: await exited(sim), simOutput }).toEqual({
        exit: 0,
        simOutput: expect.stringContaining('"stored"'),
      });
      expect(JSON.parse(simOutput).acked).toBeGreaterThan(0);
    } finally {
      process.kill(-(child.pid as number), 'SIGINT');
      await exited(child);
    }
    expect(output).toContain('stopped PostgreSQL');
    expect(
      await fetch(`${api}/health/live`, { dispatcher }).then(
        () => 'up',
        () => 'down',
      ),
    ).toBe('down');
    rmSync(dataDir, { recursive: true, force: true });
  }, 240_000);
});
