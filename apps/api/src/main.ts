import { loadConfig } from '@poc/config';
import cluster from 'node:cluster';
import { startApp } from './bootstrap';
import { runPrimary } from './cluster.primary';
import { DEMO_PASSWORD, DEMO_PATIENT, DEMO_USERS } from './demo-data.seeder';

async function main(): Promise<void> {
  const { app, config, httpUrl, mqttUrl, mqttsUrl, internalUrl } = await startApp();
  const opsUrl = internalUrl ?? httpUrl;
  app.enableShutdownHooks();
  process.send?.({ type: 'poc:ready' });
  // One banner for the whole cluster: its first worker's.
  if (cluster.isWorker && process.env.POC_WORKER_INDEX !== '0') return;
  const lines = [
    `POC telemetry backend is up${config.WORKERS > 1 ? ` (${config.WORKERS} workers sharing its ports)` : ''}`,
    `  portals      ${httpUrl}/`,
    `  API          ${httpUrl}/v1`,
    `  MQTT         ${mqttUrl ?? `consuming from ${config.MQTT_URL ? 'MQTT_URL' : '(plain MQTT off)'}`}`,
    ...(mqttsUrl ? [`  MQTT (TLS)   ${mqttsUrl}`] : []),
    ...(config.TLS_CERT_FILE ? [`  certificate  ${config.TLS_CERT_FILE}`] : []),
    `  OpenAPI UI   ${opsUrl}/docs`,
    `  health       ${httpUrl}/health/ready`,
    `  metrics      ${opsUrl}/metrics`,
    `  admin        ${config.ADMIN_USERNAME} / ${config.ADMIN_PASSWORD === 'admin-demo-pass' ? config.ADMIN_PASSWORD : '(ADMIN_PASSWORD)'}`,
  ];
  if (config.DEMO_DATA) {
    lines.push(`  demo users   password ${DEMO_PASSWORD}:`);
    for (const { username, role } of [...DEMO_USERS, { username: DEMO_PATIENT, role: 'patient' }]) {
      lines.push(`               ${username.padEnd(18)} ${role}`);
    }
  }
  process.stdout.write(`\n${lines.join('\n')}\n\n`);
}

const fail = (error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
};

try {
  const { WORKERS } = loadConfig();
  if (WORKERS > 1 && cluster.isPrimary) runPrimary(WORKERS);
  else main().catch(fail);
} catch (error) {
  fail(error);
}
