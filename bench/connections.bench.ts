import { connectFleet } from '../device-sim/simulation';
import { benchArgs, provisionBenchFleet, startBenchSystem, runMain, treeRssMiB } from './bench-system';

// npm run bench:connections [-- --devices 10000 --hold 30]
// Provisions N device links, connects them all to the embedded broker (each authenticated by serial and
// device secret), holds them idle, and prints the service's memory with them connected.

const DEVICES = Number(benchArgs.get('--devices') ?? 10_000);
const HOLD_S = Number(benchArgs.get('--hold') ?? 30);

async function main(): Promise<void> {
  const { apiUrl, mqttUrl, env, service, stop } = await startBenchSystem('poc_bench_connections');
  const pid = service.pid as number;
  try {
    const fleet = await provisionBenchFleet(apiUrl, env, DEVICES);
    const idleBefore = treeRssMiB(pid, 'VmRSS');
    const started = performance.now();
    const clients = await connectFleet(mqttUrl, fleet, 200);
    const connectS = (performance.now() - started) / 1000;
    let peakHeld = 0;
    for (let s = 0; s < HOLD_S; s++) {
      await new Promise((r) => setTimeout(r, 1000));
      peakHeld = Math.max(peakHeld, treeRssMiB(pid, 'VmRSS'));
    }
    const stillConnected = clients.filter((c) => c.connected).length;
    const held = treeRssMiB(pid, 'VmRSS');
    process.stdout.write(
      [
        `idle connections benchmark: ${DEVICES} device links, each signed in with serial and device secret`,
        `connected ${clients.length} in ${connectS.toFixed(1)} s; still connected after ${HOLD_S} s: ${stillConnected}`,
        `service RSS before connecting: ${idleBefore} MiB; while holding them: ${held} MiB (peak ${peakHeld} MiB); ` +
          `peak since start: ${treeRssMiB(pid)} MiB`,
        `per connection: ${(((held - idleBefore) * 1024) / DEVICES).toFixed(1)} KiB`,
      ].join('\n') + '\n',
    );
    await Promise.all(clients.map((c) => c.endAsync(true)));
  } finally {
    stop();
  }
}

runMain(main);
