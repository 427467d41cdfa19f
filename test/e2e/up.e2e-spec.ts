import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const freePort = (): Promise<number> =>
  new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

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
    };
    delete env.DATABASE_URL;
    // Its own process group, so the interrupt reaches the whole tree as a terminal's Ctrl-C does.
    const child = spawn('bash', ['scripts/up.sh'], { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout?.on('data', (chunk) => (output += chunk));
    child.stderr?.on('data', (chunk) => (output += chunk));
    try {
      const deadline = Date.now() + 150_000;
      let ready = 0;
      while (Date.now() < deadline && ready !== 200) {
        await new Promise((r) => setTimeout(r, 500));
        ready = await fetch(`http://127.0.0.1:${port}/health/ready`).then(
          (r) => r.status,
          () => 0,
        );
      }
      expect(ready).toBe(200);
      expect(output).toContain(`http://127.0.0.1:${port}/docs`);
      expect(output).toContain('provider.sunrise');
      const token = await fetch(`http://127.0.0.1:${port}/v1/auth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'field.demo', password: 'demo-password-1' }),
      });
      expect(token.status).toBe(200);
    } finally {
      process.kill(-(child.pid as number), 'SIGINT');
      await exited(child);
    }
    expect(output).toContain('stopped PostgreSQL');
    expect(
      await fetch(`http://127.0.0.1:${port}/health/live`).then(
        () => 'up',
        () => 'down',
      ),
    ).toBe('down');
    rmSync(dataDir, { recursive: true, force: true });
  }, 240_000);
});
