import { applyDecorators } from '@nestjs/common';
import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  validateSync,
} from 'class-validator';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';

const toBoolean = ({ value }: { value: unknown }): unknown =>
  value === 'true' ? true : value === 'false' ? false : value;
const toInt = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;

/** A whole number of at least 1, given as text in the environment. */
const PositiveInt = (): PropertyDecorator => applyDecorators(Transform(toInt), IsInt(), Min(1));

/** Every setting of the service, read once from the environment and validated at boot. */
export class AppConfig {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @IsString()
  HOST = '127.0.0.1';

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  MQTT_PORT = 1883;

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  MQTTS_PORT = 8883;

  // Plain (unencrypted) MQTT on MQTT_PORT; off by default in production, where devices use MQTTS_PORT.
  @Transform(toBoolean)
  @IsBoolean()
  MQTT_PLAIN = true;

  // A PEM certificate and key: when both are set the API speaks HTTPS and the broker listens for MQTT
  // over TLS on MQTTS_PORT. `npm run up` makes a self-signed pair under DATA_DIR/tls.
  @IsOptional()
  @IsString()
  TLS_CERT_FILE?: string;

  @IsOptional()
  @IsString()
  TLS_KEY_FILE?: string;

  // When set, /metrics and /docs are served on this port only (bound to HOST), not on PORT.
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  INTERNAL_PORT?: number;

  // Credentials go in the URL (mqtt://user:password@host:1883); secret, never logged.
  @IsOptional()
  @Matches(/^(mqtts?|tcp|ssl):\/\/.+/, { message: 'MQTT_URL must be an mqtt://, mqtts://, tcp:// or ssl:// URL' })
  MQTT_URL?: string;

  // MQTT_URL mode with Mosquitto: an account of its dynamic-security plugin (mqtt://user:password@host:1883,
  // allowed on $CONTROL/dynamic-security/#). The service then keeps the broker's device accounts in step:
  // each new secret put in place before it is committed, every revocation and erasure pushed at once
  // (live connections end), a sweep whenever notices may have been missed. Secret, never logged.
  @IsOptional()
  @Matches(/^(mqtts?|tcp|ssl):\/\/.+/, {
    message: 'MQTT_DYNSEC_URL must be an mqtt://, mqtts://, tcp:// or ssl:// URL',
  })
  MQTT_DYNSEC_URL?: string;

  // A broker that authenticates its clients through this service (EMQX's HTTP authentication and
  // authorization, mosquitto-go-auth's HTTP backend) sends this as `Authorization: Bearer ...` on
  // POST /v1/broker/auth and /v1/broker/acl; unset, those routes answer 404. Secret, never logged.
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'BROKER_HOOK_SECRET must be at least 32 characters' })
  BROKER_HOOK_SECRET?: string;

  // Stable per instance: the broker keeps each consumer connection's session (and its unacknowledged
  // messages) under this id, suffixed with the connection's number, across restarts.
  @Matches(/^[A-Za-z0-9._-]{1,60}$/, { message: 'MQTT_CLIENT_ID must be 1-60 of A-Z a-z 0-9 . _ -' })
  MQTT_CLIENT_ID = `ingest-${hostname()
    .replace(/[^A-Za-z0-9._-]/g, '-')
    .slice(0, 40)}`;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(64)
  MQTT_CONSUMER_CONNECTIONS = 4;

  // Processes of the service on one machine (node cluster): each a whole service, sharing the HTTP and MQTT
  // ports, so connections are spread over the cores. Per-device limits then hold per worker.
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(16)
  WORKERS = 1;

  // Abuse limits at the embedded broker. A device publishing faster than DEVICE_PUBLISH_PER_SECOND
  // (after a burst of DEVICE_PUBLISH_BURST, e.g. an app relaying a backlog) has its acknowledgements
  // slowed to that rate; with more than a burst's worth waiting it is disconnected.
  @PositiveInt()
  DEVICE_PUBLISH_PER_SECOND = 10;

  @PositiveInt()
  DEVICE_PUBLISH_BURST = 100;

  // Reconnect storms: connection attempts per device and address, and for the whole broker (after a burst of
  // twice that), beyond which a CONNECT is answered "server unavailable" and the device retries later.
  @PositiveInt()
  DEVICE_CONNECTS_PER_MINUTE = 12;

  @PositiveInt()
  BROKER_CONNECTS_PER_SECOND = 500;

  // scrypt's cost N for new password hashes (r=8, p=1). OWASP's minimum, 2^17 (128 MiB, ~0.6 s here), is
  // the least production accepts; tests may go lower to keep hundreds of test accounts quick.
  @Transform(toInt)
  @IsInt()
  @IsIn(Array.from({ length: 8 }, (_, i) => 2 ** (14 + i)), { message: 'PASSWORD_SCRYPT_N must be 2^14 .. 2^21' })
  PASSWORD_SCRYPT_N = 2 ** 17;

  // Self-registrations per client address in 15 minutes: each costs a memory-hard password hash. Generous,
  // since many patients may share one carrier-grade NAT address.
  @PositiveInt()
  REGISTRATIONS_PER_ADDRESS = 100;

  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL?: string;

  @IsString()
  DATA_DIR = '.data';

  // The portals' built single-page app (npm run build), served at `/` when the folder exists.
  @IsString()
  PORTAL_DIR = 'dist/portal';

  // A raster tile server for the portals' maps ({z}/{x}/{y} in the URL), e.g. a deployment's own; unset,
  // the maps use the outlines shipped with the app and need no internet.
  @IsOptional()
  @Matches(/^https?:\/\/\S*\{z\}\S*\{x\}\S*\{y\}\S*$/, {
    message: 'PORTAL_TILE_URL must be an http(s) URL with {z}, {x} and {y}',
  })
  PORTAL_TILE_URL?: string;

  @IsString()
  @Matches(/^[a-z0-9][a-z0-9._-]{2,63}$/, { message: 'ADMIN_USERNAME must be 3-64 of a-z, 0-9, . _ -' })
  ADMIN_USERNAME = 'admin';

  // Secret: never logged. The demo default is printed by `npm run up` and refused in production.
  @IsString()
  @MinLength(10)
  ADMIN_PASSWORD = 'admin-demo-pass';

  @Transform(toBoolean)
  @IsBoolean()
  DEMO_DATA = false;

  // Secret: HMAC key for access tokens. Generated and kept under DATA_DIR when unset.
  @IsOptional()
  @IsString()
  @MinLength(32)
  JWT_SECRET?: string;

  // Secret: earlier JWT_SECRETs (comma-separated) whose tokens still verify until they expire.
  @IsOptional()
  @Matches(/^[^,]{32,}(,[^,]{32,})*$/, { message: 'JWT_PREVIOUS_SECRETS must be comma-separated keys of 32+ chars' })
  JWT_PREVIOUS_SECRETS?: string;

  @Transform(toInt)
  @IsInt()
  @Min(30)
  @Max(3600)
  ACCESS_TOKEN_TTL_SECONDS = 900;

  @Transform(toInt)
  @IsInt()
  @Min(60)
  REFRESH_TOKEN_TTL_SECONDS = 8 * 3600;

  // The version of the governing privacy policy a patient must accept before data is collected or shared.
  @Matches(/^[A-Za-z0-9._-]{1,40}$/, { message: 'POLICY_VERSION must be 1-40 of A-Z a-z 0-9 . _ -' })
  POLICY_VERSION = '2021-05-06';

  // Position quality: a fix less accurate than this, or implying a faster move from the last location
  // (a patient may fly with a POC), is stored flagged and does not become the last location.
  @PositiveInt()
  MAX_FIX_ACCURACY_M = 1000;

  @PositiveInt()
  MAX_FIX_SPEED_KMH = 1200;

  // Retention per data category (defaults from the governing policies: technical data 24 months,
  // accounts 5 years after the last activity). The audit log is kept by the database owner, not purged here.
  @PositiveInt()
  RETENTION_TELEMETRY_MONTHS = 24;

  @PositiveInt()
  RETENTION_REJECTED_DAYS = 90;

  @PositiveInt()
  RETENTION_INACTIVE_ACCOUNT_YEARS = 5;

  // The last location a device's latest state keeps, when no newer one came (policy 002: technical data).
  @PositiveInt()
  RETENTION_LAST_LOCATION_MONTHS = 24;

  // Ended (revoked or expired) sign-in sessions.
  @PositiveInt()
  RETENTION_SESSIONS_DAYS = 30;

  // Loss reports and device alerts, once resolved (alerts: once raised).
  @PositiveInt()
  RETENTION_RESOLVED_REPORTS_MONTHS = 24;

  // Completed or refused privacy requests, kept as proof of how each was answered.
  @PositiveInt()
  RETENTION_PRIVACY_REQUESTS_YEARS = 5;

  // Audit entries (HIPAA: 6 years), dropped by the database's maintenance role, never by the service.
  @PositiveInt()
  RETENTION_AUDIT_YEARS = 6;

  // How often the whole audit chain is verified by itself; a break opens a security incident.
  @PositiveInt()
  AUDIT_VERIFY_SECONDS = 3600;

  // De-identified density reports suppress every cell with fewer devices than this (k-anonymity).
  @Transform(toInt)
  @IsInt()
  @Min(2)
  DENSITY_MIN_K = 5;

  // Browser origins allowed to call the API (comma-separated, e.g. https://portal.example.com). None by
  // default: the portals are served by the service itself, same origin.
  @Matches(/^(https?:\/\/[^,\s]+)?(,https?:\/\/[^,\s]+)*$/, {
    message: 'CORS_ORIGINS must be comma-separated http(s) origins',
  })
  CORS_ORIGINS = '';

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  // Alarms from error codes and silence, and their webhooks; `false` turns evaluation and delivery off.
  @Transform(toBoolean)
  @IsBoolean()
  ALARMS = true;

  // How often every device is checked for silence, missed evaluations and escalation.
  @PositiveInt()
  ALARM_SWEEP_SECONDS = 30;

  // A linked device silent longer than this raises an "offline" alarm, unless its model says otherwise.
  @PositiveInt()
  ALARM_OFFLINE_AFTER_SECONDS = 86400;

  // An alarm still unacknowledged this long escalates (to the manufacturer's support).
  @PositiveInt()
  ALARM_ESCALATE_AFTER_SECONDS = 900;

  // A webhook delivery is tried this many times, waiting WEBHOOK_RETRY_BASE_MS, then twice as long each
  // time (at most an hour), before it is dead-lettered.
  @PositiveInt()
  WEBHOOK_MAX_ATTEMPTS = 8;

  @PositiveInt()
  WEBHOOK_RETRY_BASE_MS = 5000;

  // Hosts that deliveries may reach although otherwise refused (loopback, private ranges), over plain
  // HTTP too (comma-separated host names or addresses): for tests and local set-ups.
  @Matches(/^([^,\s]+(,[^,\s]+)*)?$/, { message: 'WEBHOOK_ALLOWED_HOSTS must be comma-separated hosts' })
  WEBHOOK_ALLOWED_HOSTS = '';
}

export class InvalidConfigError extends Error {}

/** Reads the settings from an environment; a bad value throws naming the variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  // Optional settings have no default, so they are not own keys of a fresh instance.
  const optional = [
    'MQTT_URL',
    'MQTT_DYNSEC_URL',
    'BROKER_HOOK_SECRET',
    'DATABASE_URL',
    'JWT_SECRET',
    'JWT_PREVIOUS_SECRETS',
    'TLS_CERT_FILE',
    'TLS_KEY_FILE',
    'INTERNAL_PORT',
    'PORTAL_TILE_URL',
  ];
  const known = [...Object.keys(new AppConfig()), ...optional];
  const source = Object.fromEntries(
    Object.entries(env).filter(([key, value]) => value !== undefined && value !== '' && known.includes(key)),
  );
  const config = plainToInstance(AppConfig, source, { exposeDefaultValues: true });
  const errors = validateSync(config, { forbidUnknownValues: true });
  if (errors.length > 0) {
    const messages = errors.flatMap((e) => Object.values(e.constraints ?? {}).map((m) => `${e.property}: ${m}`));
    throw new InvalidConfigError(`Invalid configuration: ${messages.join('; ')}`);
  }
  if (!config.TLS_CERT_FILE !== !config.TLS_KEY_FILE) {
    throw new InvalidConfigError('Invalid configuration: TLS_CERT_FILE and TLS_KEY_FILE go together');
  }
  if (config.NODE_ENV === 'production') refuseUnsafeInProduction(config, source);
  return config;
}

/**
 * Production starts only without demo defaults: its own admin password, no demo accounts, OWASP's password
 * hashing cost, an external broker's device accounts kept in step, and plain (unencrypted) MQTT off unless
 * asked for by name.
 */
function refuseUnsafeInProduction(config: AppConfig, given: Record<string, unknown>): void {
  const refuse = (message: string) => {
    throw new InvalidConfigError(`Invalid configuration: ${message}`);
  };
  if (config.ADMIN_PASSWORD === new AppConfig().ADMIN_PASSWORD) refuse('ADMIN_PASSWORD must be set in production');
  if (config.DEMO_DATA) refuse('DEMO_DATA (demo accounts with published passwords) is refused in production');
  if (config.PASSWORD_SCRYPT_N < 2 ** 17) refuse('PASSWORD_SCRYPT_N must be at least 2^17 in production');
  if (config.MQTT_URL && !config.MQTT_DYNSEC_URL && !config.BROKER_HOOK_SECRET) {
    refuse(
      'MQTT_URL needs MQTT_DYNSEC_URL or BROKER_HOOK_SECRET in production: otherwise revoked device secrets keep working on the broker',
    );
  }
  if (given.MQTT_PLAIN === undefined) config.MQTT_PLAIN = false;
}

/** The configured TLS certificate and key, read from their files, or null when TLS is not configured. */
export function tlsCredentials(
  config: Pick<AppConfig, 'TLS_CERT_FILE' | 'TLS_KEY_FILE'>,
): { cert: Buffer; key: Buffer } | null {
  if (!config.TLS_CERT_FILE || !config.TLS_KEY_FILE) return null;
  return { cert: readFileSync(config.TLS_CERT_FILE), key: readFileSync(config.TLS_KEY_FILE) };
}
