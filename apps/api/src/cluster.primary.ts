import { isClusterRelay } from '@poc/common';
import cluster, { Worker } from 'node:cluster';

/**
 * The primary of `WORKERS` service processes sharing the ports: starts the first worker alone (it migrates
 * the database and seeds it), then the others; relays messages between them; starts a worker again when
 * one dies (a crash, kill -9: its devices reconnect to the others meanwhile); on SIGTERM stops them all.
 */
export function runPrimary(workers: number): void {
  let stopping = false;
  let othersStarted = false;
  // A worker that keeps dying within seconds of its start (bad settings, no database) stops the whole service,
  // which reports it, instead of being started again forever.
  let quickDeaths = 0;
  const fork = (index: number): void => {
    const startedAt = Date.now();
    const worker = cluster.fork({ POC_WORKER_INDEX: String(index) });
    worker.on('message', (message: unknown) => {
      if ((message as { type?: string } | null)?.type === 'poc:ready' && index === 0 && !othersStarted) {
        othersStarted = true;
        for (let other = 1; other < workers; other++) fork(other);
      }
      if (!isClusterRelay(message)) return;
      for (const other of Object.values(cluster.workers ?? {})) if (other && other !== worker) other.send(message);
    });
    worker.on('exit', (code, signal) => {
      if (stopping) return;
      quickDeaths = Date.now() - startedAt < 10_000 ? quickDeaths + 1 : 0;
      if (quickDeaths >= 5) {
        process.stderr.write(
          `worker ${index} keeps exiting (${signal ?? code}) within seconds of its start: stopping\n`,
        );
        process.exitCode = 1;
        return stop();
      }
      process.stderr.write(`worker ${index} exited (${signal ?? code}); starting it again in a second\n`);
      setTimeout(() => !stopping && fork(index), 1000);
    });
  };
  fork(0);
  const stop = () => {
    stopping = true;
    const running = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined);
    let left = running.length;
    if (left === 0) process.exit();
    for (const worker of running) {
      worker.once('exit', () => --left === 0 && process.exit());
      worker.process.kill('SIGTERM');
    }
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
