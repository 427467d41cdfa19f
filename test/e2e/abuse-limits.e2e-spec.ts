import type { MqttClient } from 'mqtt';
import { generate, parser as parser5 } from 'mqtt-packet';
import { createConnection } from 'node:net';
import { asAdmin } from '../support/builders';
import { aLinkedDevice, connectLink, DeviceLink, linkedDevices, publish, telemetry } from '../support/device-link';
import { startTestApp, TestApp } from '../support/test-app';

const RATE = 2; // messages per second allowed to a device in this test
const BURST = 4;
const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The CONNACK return code a device gets when it connects from `localAddress` (raw MQTT 3.1.1). */
function connackFrom(url: string, localAddress: string, link: DeviceLink): Promise<number> {
  return new Promise((resolve, reject) => {
    const { port } = new URL(url);
    const socket = createConnection({ host: '127.0.0.1', port: Number(port), localAddress });
    const parser = parser5({ protocolVersion: 4 });
    parser.on('packet', (packet) => {
      socket.destroy();
      if (packet.cmd === 'connack') resolve(packet.returnCode ?? -1);
    });
    socket.on('data', (chunk) => parser.parse(chunk));
    socket.on('error', reject);
    socket.write(
      generate({
        cmd: 'connect',
        protocolId: 'MQTT',
        protocolVersion: 4,
        clientId: `${link.serialNumber}-elsewhere`,
        clean: true,
        keepalive: 30,
        username: link.serialNumber,
        password: Buffer.from(link.password),
      }),
    );
  });
}

describe('abuse limits at the broker', () => {
  let app: TestApp;
  let admin: string;
  const clients: MqttClient[] = [];

  beforeAll(async () => {
    app = await startTestApp({
      DEVICE_PUBLISH_PER_SECOND: String(RATE),
      DEVICE_PUBLISH_BURST: String(BURST),
      DEVICE_CONNECTS_PER_MINUTE: '5',
    });
    admin = await asAdmin(app.api);
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.endAsync(true)));
    await app.close();
  });

  /** Each device publishes one message per second for `seconds`; the PUBACK latencies of all. */
  async function steadyRound(links: DeviceLink[], devices: MqttClient[], seconds: number): Promise<number[]> {
    const latencies: number[] = [];
    for (let s = 0; s < seconds; s++) {
      const started = performance.now();
      await Promise.all(
        links.map(async (link, i) => {
          const sent = performance.now();
          await publish(devices[i], link.serialNumber, telemetry(link));
          latencies.push(performance.now() - sent);
        }),
      );
      await sleep(Math.max(0, 1000 - (performance.now() - started)));
    }
    return latencies.sort((a, b) => a - b);
  }

  it('a device publishing 100x its rate is slowed then cut off, while 100 others keep their latency', async () => {
    const links = await linkedDevices(app.api, admin, 100);
    const devices = await Promise.all(links.map((l) => connectLink(app.mqttUrl, l)));
    clients.push(...devices);
    const quiet = await steadyRound(links, devices, 3);

    const rogue = await aLinkedDevice(app.api, admin);
    const flooding = await connectLink(app.mqttUrl, rogue);
    clients.push(flooding);
    let closed = false;
    flooding.on('close', () => (closed = true));
    flooding.on('error', () => undefined);
    const started = performance.now();
    const flood = (async () => {
      let sent = 0;
      // 100x the allowed rate for 3 s, without waiting for acknowledgements.
      for (let t = 0; t < 30 && !closed; t++) {
        for (let k = 0; k < (RATE * 100) / 10; k++) {
          flooding.publish(
            `poc/v1/${rogue.serialNumber}/telemetry`,
            JSON.stringify(telemetry(rogue)),
            { qos: 1 },
            () => undefined,
          );
          sent++;
        }
        await sleep(100);
      }
      return sent;
    })();
    const loud = await steadyRound(links, devices, 3);
    const sent = await flood;
    const elapsedS = (performance.now() - started) / 1000;

    const [{ n: stored }] = await app.sql<{ n: number }>(
      'SELECT count(*)::int AS n FROM telemetry WHERE serial_number = $1',
      [rogue.serialNumber],
    );
    // A burst goes through, another burst waits its turn at the allowed rate, the next one cuts it off.
    expect({ cutOff: closed, storedAtMost: stored <= 2 * BURST }).toEqual({ cutOff: true, storedAtMost: true });
    expect(sent).toBeGreaterThanOrEqual((RATE * 100) / 10);
    expect(elapsedS).toBeGreaterThan(2);

    // Every message of the well-behaved devices was acknowledged, and the flood did not slow them down
    // beyond scheduling noise on a shared machine.
    expect(loud).toHaveLength(300);
    const figures = { quietP95: percentile(quiet, 95), loudP95: percentile(loud, 95) };
    process.stdout.write(
      `publish-rate limit: rogue sent ${sent}, stored ${stored}; others p95 ${figures.quietP95.toFixed(1)} → ${figures.loudP95.toFixed(1)} ms\n`,
    );
    expect(figures.loudP95).toBeLessThan(Math.max(3 * figures.quietP95, figures.quietP95 + 250));
  }, 60_000);

  it('a device reconnecting in a storm is refused for a while; another device connects meanwhile', async () => {
    const stormy = await aLinkedDevice(app.api, admin);
    const outcomes: string[] = [];
    for (let i = 0; i < 8; i++) {
      try {
        const client = await connectLink(app.mqttUrl, stormy);
        await client.endAsync(true);
        outcomes.push('connected');
      } catch (error) {
        outcomes.push((error as Error).message);
      }
    }
    expect(outcomes.slice(0, 5)).toEqual(Array(5).fill('connected'));
    expect(outcomes.slice(5)).toEqual(Array(3).fill(expect.stringMatching(/Server unavailable/i)));
    // The limit is per device and address: the same device from another address still gets in.
    expect(await connackFrom(app.mqttUrl, '127.0.0.2', stormy)).toBe(0);

    const calm = await aLinkedDevice(app.api, admin);
    const client = await connectLink(app.mqttUrl, calm);
    clients.push(client);
    await publish(client, calm.serialNumber, telemetry(calm));
  });
});
