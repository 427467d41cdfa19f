import { startApp } from './bootstrap';
import { DEMO_PASSWORD, DEMO_PATIENT, DEMO_USERS } from './demo-data.seeder';

async function main(): Promise<void> {
  const { app, config, httpUrl, mqttUrl, mqttsUrl, internalUrl } = await startApp();
  const opsUrl = internalUrl ?? httpUrl;
  app.enableShutdownHooks();
  const lines = [
    `POC telemetry backend is up`,
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

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
