import mqtt, { MqttClient } from 'mqtt';
import type { SimDevice } from './fleet';
import { inParallel } from './http-client';
import { telemetryTopic } from '../libs/devices/src/device-topics';
import { MessageKind, MessageMix, TelemetryGenerator } from './telemetry-generator';

export interface SimulationOptions {
  mqttUrl: string;
  rate: number;
  durationS: number;
  qos: 0 | 1;
  mix: MessageMix;
  /** The share of the fleet that stays silent (for offline alarms): the last devices never publish. */
  silent: number;
}

export interface SimulationReport {
  devices: number;
  sent: number;
  acked: number;
  failed: number;
  byKind: Record<MessageKind, number>;
  elapsedS: number;
  ackedPerS: number;
  latencyMs: { p50: number; p95: number; p99: number; max: number };
}

const percentile = (sorted: number[], p: number): number =>
  sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

export async function connectFleet(mqttUrl: string, fleet: SimDevice[], concurrency = 50): Promise<MqttClient[]> {
  return inParallel(fleet, concurrency, (device) =>
    mqtt.connectAsync(mqttUrl, {
      username: device.serialNumber,
      password: device.password,
      clientId: device.serialNumber,
      reconnectPeriod: 1000,
      connectTimeout: 30_000,
      keepalive: 120,
    }),
  );
}

/** Publishes at the target rate round-robin over the connected devices, timing each PUBACK. */
export async function simulate(
  fleet: SimDevice[],
  clients: MqttClient[],
  options: SimulationOptions,
): Promise<SimulationReport> {
  const generator = new TelemetryGenerator(options.mix);
  const speaking = Math.max(1, fleet.length - Math.floor(fleet.length * options.silent));
  const latencies: number[] = [];
  const byKind: Record<MessageKind, number> = { valid: 0, invalid: 0, duplicate: 0, late: 0 };
  let sent = 0;
  let acked = 0;
  let failed = 0;
  let next = 0;
  const outstanding = new Set<Promise<void>>();
  const start = performance.now();
  const endAt = start + options.durationS * 1000;

  while (performance.now() < endAt) {
    const due = Math.floor(((performance.now() - start) / 1000) * options.rate) - sent;
    for (let i = 0; i < due; i++) {
      const index = next++ % speaking;
      const { kind, payload } = generator.next(fleet[index], new Date());
      byKind[kind]++;
      sent++;
      const t0 = performance.now();
      const done: Promise<void> = new Promise<void>((resolve) => {
        clients[index].publish(telemetryTopic(fleet[index].serialNumber), payload, { qos: options.qos }, (error) => {
          if (error) failed++;
          else {
            acked++;
            latencies.push(performance.now() - t0);
          }
          resolve();
        });
      }).finally(() => outstanding.delete(done));
      outstanding.add(done);
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  // Bounded wait for the last acknowledgements.
  await Promise.race([Promise.all(outstanding), new Promise((resolve) => setTimeout(resolve, 15_000).unref())]);
  const elapsedS = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    devices: fleet.length,
    sent,
    acked,
    failed,
    byKind,
    elapsedS: +elapsedS.toFixed(2),
    // Over the whole run including the drain: a service that falls behind shows a lower rate here.
    ackedPerS: Math.round(acked / elapsedS),
    latencyMs: {
      p50: +percentile(latencies, 50).toFixed(1),
      p95: +percentile(latencies, 95).toFixed(1),
      p99: +percentile(latencies, 99).toFixed(1),
      max: +(latencies.at(-1) ?? 0).toFixed(1),
    },
  };
}
