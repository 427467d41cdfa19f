import { Injectable } from '@nestjs/common';
import { SERIAL_NUMBER } from '@poc/common';
import { AppConfig } from '@poc/config';
import { DevicesService, telemetryTopic } from '@poc/devices';
import { createHash, timingSafeEqual } from 'node:crypto';
import { isClientIdOf } from './embedded-broker.source';
import { deviceSubtree } from './telemetry-topic';

export type BrokerAccess = 'publish' | 'subscribe';

// The ingest account's rights: the shared telemetry subscription, and rejection notices back to a device.
const INGEST_SUBSCRIPTION = /^(\$share\/[^/+#]+\/)?poc\/v1\/\+\/telemetry$/;
const REJECTION_NOTICE = /^poc\/v1\/[^/+#]+\/rejected$/;

const sameSecret = (a: string, b: string): boolean => {
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(a), digest(b));
};

/**
 * What an external broker asks of the service about its clients, answered with the same rules the embedded
 * broker applies: a device link signs in with its serial and current secret under a client id of its own,
 * publishes only its telemetry (never retained) and subscribes only under its own serial; the ingest account
 * (MQTT_URL's) consumes the telemetry and sends the notices. Every answer reads the database, so a rotated,
 * revoked or erased secret is refused from the next question on.
 */
@Injectable()
export class BrokerHookRules {
  private readonly ingest: { username: string; password: string } | null;

  constructor(
    config: AppConfig,
    private readonly devices: DevicesService,
  ) {
    const url = config.MQTT_URL ? new URL(config.MQTT_URL) : null;
    this.ingest = url?.username
      ? { username: decodeURIComponent(url.username), password: decodeURIComponent(url.password) }
      : null;
  }

  async authenticate(clientId: string, username = '', password = ''): Promise<boolean> {
    if (this.isIngest(username)) return sameSecret(password, this.ingest?.password ?? '');
    if (!SERIAL_NUMBER.test(username) || !isClientIdOf(username, clientId)) return false;
    const [version, idIsAnotherDevice] = await Promise.all([
      this.devices.signInLink(username, password),
      clientId === username ? false : this.devices.recordOf(clientId).then((device) => device !== null),
    ]);
    return version !== null && !idIsAnotherDevice;
  }

  async authorize(clientId: string, username: string, topic: string, access: BrokerAccess, retain = false) {
    if (this.isIngest(username)) {
      return access === 'subscribe' ? INGEST_SUBSCRIPTION.test(topic) : REJECTION_NOTICE.test(topic) && !retain;
    }
    if (!SERIAL_NUMBER.test(username) || !isClientIdOf(username, clientId)) return false;
    const allowed =
      access === 'publish'
        ? topic === telemetryTopic(username) && !retain
        : topic.startsWith(deviceSubtree(username)) && !topic.startsWith('$');
    if (!allowed) return false;
    // A connection that outlived its secret (revoked, erased) is refused on its next publish or subscribe.
    const versions = await this.devices.credentialVersionsOf([username]);
    return (versions.get(username) ?? null) !== null;
  }

  private isIngest(username: string): boolean {
    return this.ingest !== null && username === this.ingest.username;
  }
}
