import { Injectable } from '@nestjs/common';
import { secretsEqual, SERIAL_NUMBER } from '@poc/common';
import { AppConfig } from '@poc/config';
import { DevicesService, deviceSubtree, telemetryTopic } from '@poc/devices';
import { BrokerSessionsRepository } from './broker-sessions.repository';
import { isAnotherDevicesClientId, isClientIdOf } from './device-client-id';

/** Publish to a topic, subscribe to a filter, or receive a message published on a topic (go-auth's read). */
export type BrokerAccess = 'publish' | 'subscribe' | 'read';

// The ingest account's rights: the shared telemetry subscription (and reading any device's telemetry, as
// mosquitto-go-auth asks per message), and rejection notices back to a device.
const INGEST_SUBSCRIPTION = /^(\$share\/[^/+#]+\/)?poc\/v1\/\+\/telemetry$/;
const TELEMETRY = /^poc\/v1\/[^/+#]+\/telemetry$/;
const REJECTION_NOTICE = /^poc\/v1\/[^/+#]+\/rejected$/;

/**
 * What an external broker asks of the service about its clients, answered with the same rules the embedded
 * broker applies: a device link signs in with its serial and current secret under a client id of its own,
 * publishes only its telemetry (never retained) and subscribes only under its own serial; the ingest account
 * (MQTT_URL's) consumes the telemetry and sends the notices. Every answer reads the database: a rotated,
 * revoked or erased secret is refused from the next sign-in, and a connection signed in with it from its next
 * publish or subscribe (each client id's credentials are kept, broker_sessions).
 */
@Injectable()
export class BrokerHookRules {
  private readonly ingest: { username: string; password: string } | null;
  /** The ingest consumers' client ids begin with this: no device may take one (it would get their sessions). */
  private readonly ingestClientIds: string;

  constructor(
    config: AppConfig,
    private readonly devices: DevicesService,
    private readonly sessions: BrokerSessionsRepository,
  ) {
    const url = config.MQTT_URL ? new URL(config.MQTT_URL) : null;
    // An account without a password would admit anyone who names it.
    this.ingest =
      url?.username && url.password
        ? { username: decodeURIComponent(url.username), password: decodeURIComponent(url.password) }
        : null;
    // Every instance's consumers: the ids' first segment (`ingest-` by default, whatever the host).
    this.ingestClientIds = config.MQTT_CLIENT_ID.replace(/-.*$/, '-');
  }

  async authenticate(clientId: string, username: string, password: string): Promise<boolean> {
    if (this.isIngest(username)) return secretsEqual(password, this.ingest?.password ?? '');
    if (!this.isDeviceClient(username, clientId)) return false;
    const [version, idIsAnotherDevice] = await Promise.all([
      this.devices.signInLink(username, password),
      isAnotherDevicesClientId(this.devices, username, clientId),
    ]);
    if (version === null || idIsAnotherDevice) return false;
    await this.sessions.signedIn(clientId, username, version);
    return true;
  }

  async authorize(clientId: string, username: string, topic: string, access: BrokerAccess, retain: boolean) {
    if (this.isIngest(username)) {
      if (access === 'publish') return REJECTION_NOTICE.test(topic) && !retain;
      return access === 'subscribe' ? INGEST_SUBSCRIPTION.test(topic) : TELEMETRY.test(topic);
    }
    if (!this.isDeviceClient(username, clientId)) return false;
    const allowed =
      access === 'publish' ? topic === telemetryTopic(username) && !retain : topic.startsWith(deviceSubtree(username));
    if (!allowed) return false;
    // A connection that outlived the secret it signed in with (rotated, revoked, erased) is refused from its
    // next question on.
    return this.sessions.isCurrent(clientId, username);
  }

  private isDeviceClient(serial: string, clientId: string): boolean {
    return SERIAL_NUMBER.test(serial) && isClientIdOf(serial, clientId) && !clientId.startsWith(this.ingestClientIds);
  }

  private isIngest(username: string): boolean {
    return this.ingest !== null && username === this.ingest.username;
  }
}
