import { existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { join } from 'node:path';
import { provisionFleet } from './fleet';
import { as, SimHttp } from './http-client';
import { connectFleet, simulate } from './simulation';

// npm run sim -- --devices 1000 --rate 5000 --duration 30 [--api URL] [--ca FILE] [--mqtt URL] [--qos 1]
//   alarms: [--codes E01,E07 --code-rate 0.02] [--unknown-rate 0.001] [--silent 0.05]
// Its defaults are `npm run up`'s: HTTPS with the certificate it made under DATA_DIR, the embedded broker.
const DATA_DIR = process.env.DATA_DIR ?? '.data';
const UP_CERTIFICATE = join(DATA_DIR, 'tls', 'cert.pem');
const UP_SCHEME = existsSync(UP_CERTIFICATE) ? 'https' : 'http';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      api: { type: 'string', default: `${UP_SCHEME}://127.0.0.1:${process.env.PORT ?? 3000}` },
      ca: { type: 'string', default: UP_SCHEME === 'https' ? UP_CERTIFICATE : undefined },
      mqtt: { type: 'string', default: `mqtt://127.0.0.1:${process.env.MQTT_PORT ?? 1883}` },
      devices: { type: 'string', default: '100' },
      rate: { type: 'string', default: '1000' },
      duration: { type: 'string', default: '10' },
      qos: { type: 'string', default: '1' },
      invalid: { type: 'string', default: '0.01' },
      duplicate: { type: 'string', default: '0.01' },
      late: { type: 'string', default: '0.02' },
      codes: { type: 'string', default: 'E07' },
      'code-rate': { type: 'string', default: '0.02' },
      'unknown-rate': { type: 'string', default: '0' },
      silent: { type: 'string', default: '0' },
      'admin-user': { type: 'string', default: process.env.ADMIN_USERNAME ?? 'admin' },
      'admin-password': { type: 'string', default: process.env.ADMIN_PASSWORD ?? 'admin-demo-pass' },
      json: { type: 'boolean', default: false },
    },
  });
  const http = new SimHttp(values.api, values.ca ? readFileSync(values.ca) : undefined);
  const since = new Date();
  const fleet = await provisionFleet(http, {
    devices: Number(values.devices),
    adminUser: values['admin-user'],
    adminPassword: values['admin-password'],
    cacheFile: join(DATA_DIR, 'sim-devices.json'),
    apiUrl: values.api,
  });
  const clients = await connectFleet(values.mqtt, fleet);
  const report = await simulate(fleet, clients, {
    mqttUrl: values.mqtt,
    rate: Number(values.rate),
    durationS: Number(values.duration),
    qos: values.qos === '0' ? 0 : 1,
    mix: {
      invalid: Number(values.invalid),
      duplicate: Number(values.duplicate),
      late: Number(values.late),
      codes: values.codes.split(',').filter(Boolean),
      codeRate: Number(values['code-rate']),
      unknownRate: Number(values['unknown-rate']),
    },
    silent: Number(values.silent),
  });
  await Promise.all(clients.map((c) => c.endAsync()));
  const admin = await http.signIn(values['admin-user'], values['admin-password']);
  const counts = SimHttp.data(
    await http.client.GET('/v1/internal/ingest/stats', {
      params: { query: { since: since.toISOString() } },
      ...as(admin),
    }),
  );
  const result = { ...report, stored: counts.stored, rejected: counts.rejected };
  if (values.json) {
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return;
  }
  process.stdout.write(
    [
      `devices ${result.devices}, sent ${result.sent} (${JSON.stringify(result.byKind)})`,
      `acknowledged ${result.acked}, failed ${result.failed}, stored ${result.stored}, rejected ${result.rejected}`,
      `rate ${result.ackedPerS} acked msgs/s (target ${values.rate}) over ${result.elapsedS} s`,
      `publish-to-ack latency ms: p50 ${result.latencyMs.p50}, p95 ${result.latencyMs.p95}, p99 ${result.latencyMs.p99}, max ${result.latencyMs.max}`,
    ].join('\n') + '\n',
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
