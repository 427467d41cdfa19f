import { ClusterRelay, isClusterRelay, loggableError, SERIAL_NUMBER } from '@poc/common';
import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig, tlsCredentials } from '@poc/config';
import { DatabaseNotices } from '@poc/db';
import { DEVICE_CREDENTIALS_CHANNEL, DevicesService, deviceSubtree, rejectedTopic, telemetryTopic } from '@poc/devices';
import Aedes, { AuthenticateError, Client, PublishPacket, Subscription } from 'aedes';
import cluster from 'node:cluster';
import { AddressInfo, createServer, Server, Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { isAnotherDevicesClientId, isClientIdOf } from './device-client-id';
import { IngestPipeline } from './ingest.pipeline';
import { guardPacketSize } from './mqtt-packet-size.guard';
import { TokenBuckets } from './token-buckets';
import { MAX_PAYLOAD_BYTES } from './telemetry-message.parser';
import { rejectionNotice } from './rejection-notice';

const IDENTIFIER_REJECTED = 2;
// Worker processes sharing the ports (WORKERS > 1) pass each other rejection notices through the primary:
// a device may await them on a connection another worker holds.
const NOTICE_CHANNEL = 'rejection-notice';
type RelayedNotice = ClusterRelay<{ serial: string; messageId: string | null; reason: string }>;
const SERVER_UNAVAILABLE = 3;
const BAD_CREDENTIALS = 4;
// A device link needs one or two (its rejection notices); a cap keeps a connection from costing more.
const MAX_SUBSCRIPTIONS = 8;
// A telemetry payload may be 16 KiB (larger ones get a rejection notice); the topic and packet id fit in
// the extra kibibyte. Anything bigger is cut off at the socket, unread.
const MAX_PACKET_BYTES = MAX_PAYLOAD_BYTES + 1024;

function authError(message: string, returnCode = BAD_CREDENTIALS): AuthenticateError {
  return Object.assign(new Error(message), { returnCode }) as AuthenticateError;
}

/**
 * The MQTT broker embedded in the service (unless MQTT_URL names an external one). Its hooks do the
 * work: a device link signs in with its serial and device secret under a client id of its own, may
 * publish only its telemetry (never retained) and subscribe only under its own serial, and a telemetry
 * PUBLISH is acknowledged only after the pipeline committed it. A credential change anywhere ends the
 * device's live connections (the database announces it).
 */
@Injectable()
export class EmbeddedBrokerSource implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('EmbeddedBroker');
  private readonly serialOf = new WeakMap<Client, string>();
  /** The credentials' version each connection signed in with (it changes with every new secret). */
  private readonly versionOf = new WeakMap<Client, string>();
  private readonly subscribedBy = new WeakMap<Client, Set<string>>();
  private readonly linksOf = new Map<string, Set<Client>>();
  /** Whether the database's notices were missed for a while: then every connection is checked again. */
  private noticesMissed = false;
  /** Counts credential notices: a sign-in whose lookup overlapped one is looked up again. */
  private credentialNotices = 0;
  // The remote address of each connection, by the stream the broker reads it through.
  private readonly addressOf = new WeakMap<object, string>();
  private broker: Aedes | null = null;
  private server: Server | null = null;
  private tlsServer: Server | null = null;
  // Abuse limits (see AppConfig): publishes per device, connection attempts per device and in all.
  private readonly publishes: TokenBuckets;
  private readonly connects: TokenBuckets;
  private readonly allConnects: TokenBuckets;
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly config: AppConfig,
    private readonly devices: DevicesService,
    private readonly pipeline: IngestPipeline,
    notices: DatabaseNotices,
  ) {
    const { DEVICE_PUBLISH_PER_SECOND, DEVICE_PUBLISH_BURST, DEVICE_CONNECTS_PER_MINUTE, BROKER_CONNECTS_PER_SECOND } =
      config;
    this.publishes = new TokenBuckets(DEVICE_PUBLISH_PER_SECOND, DEVICE_PUBLISH_BURST, DEVICE_PUBLISH_BURST);
    this.connects = new TokenBuckets(DEVICE_CONNECTS_PER_MINUTE / 60, DEVICE_CONNECTS_PER_MINUTE);
    this.allConnects = new TokenBuckets(BROKER_CONNECTS_PER_SECOND, 2 * BROKER_CONNECTS_PER_SECOND);
    this.sweeper = setInterval(() => {
      this.publishes.sweep();
      this.connects.sweep();
    }, 60_000).unref();
    notices.subscribe(DEVICE_CREDENTIALS_CHANNEL, {
      notice: (serial) => {
        this.credentialNotices++;
        // Unable to look the version up, the connections go: they sign in again against the current one.
        this.checkConnections([serial]).catch(() => this.linksOf.get(serial)?.forEach((c) => this.cutOff(c)));
      },
      listening: (on) => {
        if (!on) this.noticesMissed = true;
        else if (this.noticesMissed) {
          this.noticesMissed = false;
          void this.checkAllConnections();
        }
      },
    });
  }

  private relayNotices(): void {
    if (!cluster.isWorker) return;
    process.on('message', (message: unknown) => {
      if (!isClusterRelay(message) || message.channel !== NOTICE_CHANNEL) return;
      const { serial, messageId, reason } = (message as RelayedNotice).payload;
      this.publishNotice(serial, messageId, reason);
    });
  }

  /** The plain MQTT port actually bound (0 in config picks a free one), or null when not listening. */
  get mqttPort(): number | null {
    return (this.server?.address() as AddressInfo | null)?.port ?? null;
  }

  /** The MQTT-over-TLS port actually bound, or null when TLS is not configured. */
  get mqttsPort(): number | null {
    return (this.tlsServer?.address() as AddressInfo | null)?.port ?? null;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.MQTT_URL) return; // the ExternalBrokerSource consumes instead
    const broker = new Aedes({
      authenticate: (client, username, password, done) => this.authenticate(client, username, password, done),
      authorizePublish: (client, packet, done) => this.authorizePublish(client, packet, done),
      authorizeSubscribe: (client, subscription, done) => this.authorizeSubscribe(client, subscription, done),
    });
    broker.on('clientError', (client, error) =>
      this.logger.debug({ client: client.id, err: error.message }, 'client error'),
    );
    this.broker = broker;
    this.relayNotices();
    broker.on('clientDisconnect', (client) => this.forget(client));
    broker.on('unsubscribe', (topics, client) => topics.forEach((t) => this.subscribedBy.get(client)?.delete(t)));
    const connect = (socket: Socket) => {
      const stream = guardPacketSize(socket, MAX_PACKET_BYTES);
      this.addressOf.set(stream, socket.remoteAddress ?? '');
      broker.handle(stream);
    };
    if (this.config.MQTT_PLAIN) {
      this.server = await this.listen(createServer(connect), this.config.MQTT_PORT);
      this.logger.log(`MQTT listening on ${this.config.HOST}:${this.mqttPort}`);
    }
    const tls = tlsCredentials(this.config);
    if (tls) {
      const server = createTlsServer(tls, connect);
      // A failed handshake is the client's problem, not the broker's.
      server.on('tlsClientError', (error) => this.logger.debug({ err: error.message }, 'TLS handshake failed'));
      this.tlsServer = await this.listen(server, this.config.MQTTS_PORT);
      this.logger.log(`MQTT over TLS listening on ${this.config.HOST}:${this.mqttsPort}`);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.sweeper);
    for (const server of [this.server, this.tlsServer]) {
      await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    }
    await new Promise<void>((resolve) => (this.broker ? this.broker.close(() => resolve()) : resolve()));
  }

  private async listen(server: Server, port: number): Promise<Server> {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, this.config.HOST, resolve);
    });
    return server;
  }

  private authenticate(
    client: Client,
    username: string | undefined,
    password: Buffer | undefined,
    done: (error: AuthenticateError | null, success: boolean | null) => void,
  ): void {
    if (!username || !password) return done(authError('serial and device secret required'), false);
    if (!SERIAL_NUMBER.test(username)) return done(authError('bad serial or device secret'), false);
    // Checked before aedes hands the id over: a borrowed id would otherwise disconnect its owner.
    if (!isClientIdOf(username, client.id)) {
      return done(
        authError('the client id must be the serial, or begin with it and a dash', IDENTIFIER_REJECTED),
        false,
      );
    }
    // Per device and address: someone hammering a serial from elsewhere does not lock the device out.
    const attempt = `${username}@${this.addressOf.get(client.conn) ?? ''}`;
    if (this.connects.take(attempt) !== 0 || this.allConnects.take('') !== 0) {
      return done(authError('too many connection attempts, retry later', SERVER_UNAVAILABLE), false);
    }
    this.signIn(client, username, password.toString('utf8')).then(
      (refusal) => {
        if (refusal) return done(refusal, false);
        this.linksOf.set(username, (this.linksOf.get(username) ?? new Set()).add(client));
        done(null, true);
      },
      (error: unknown) => {
        this.logger.error({ err: loggableError(error) }, 'device sign-in failed');
        done(authError('server unavailable', SERVER_UNAVAILABLE), false);
      },
    );
  }

  /** Checks the device's secret (and that a longer client id is no other device's serial); a refusal or null. */
  private async signIn(client: Client, serial: string, secret: string): Promise<AuthenticateError | null> {
    for (;;) {
      const noticesBefore = this.credentialNotices;
      const [version, idIsAnotherDevice] = await Promise.all([
        this.devices.signInLink(serial, secret),
        isAnotherDevicesClientId(this.devices, serial, client.id),
      ]);
      if (idIsAnotherDevice) return authError("the client id is another device's serial", IDENTIFIER_REJECTED);
      if (version === null) return authError('bad serial or device secret');
      // A credential change announced while this was looked up may have made the answer stale: ask again.
      if (this.credentialNotices !== noticesBefore) continue;
      this.serialOf.set(client, serial);
      this.versionOf.set(client, version);
      return null;
    }
  }

  private authorizePublish(client: Client | null, packet: PublishPacket, done: (error?: Error | null) => void): void {
    const serial = client ? this.serialOf.get(client) : undefined;
    if (!serial || packet.topic !== telemetryTopic(serial)) {
      return done(new Error('a device link may publish only its own telemetry'));
    }
    // Never kept for the next subscriber: it may hold a location the patient withholds.
    packet.retain = false;
    const payload = Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload);
    const receivedAt = new Date();
    // Over its rate the device waits for its acknowledgement (a QoS 1 client then slows down); with a
    // burst's worth already waiting it is cut off, unacknowledged, and nothing of it is stored.
    const wait = this.publishes.take(serial);
    if (wait === null) {
      this.logger.warn({ serial }, 'device over its publish rate: disconnected');
      if (client) this.cutOff(client);
      return done(new Error('publish rate exceeded'));
    }
    if (wait > 0) setTimeout(() => this.store(serial, payload, receivedAt, done), wait);
    else this.store(serial, payload, receivedAt, done);
  }

  private store(serial: string, payload: Buffer, receivedAt: Date, done: (error?: Error | null) => void): void {
    // Acknowledged (PUBACK) only when this callback runs, i.e. after the commit.
    this.pipeline.submit({ topicSerial: serial, payload, receivedAt }).then(
      (outcome) => {
        if (outcome.status === 'rejected') this.notifyRejected(serial, outcome.messageId, outcome.reason);
        done();
      },
      (error: unknown) => {
        // Not stored: no PUBACK. The client is disconnected and resends the message when it reconnects.
        this.logger.error({ err: loggableError(error) }, 'telemetry not stored');
        done(new Error('telemetry could not be stored'));
      },
    );
  }

  private authorizeSubscribe(
    client: Client,
    subscription: Subscription,
    done: (error: Error | null, subscription?: Subscription | null) => void,
  ): void {
    const serial = this.serialOf.get(client);
    const own = serial !== undefined && subscription.topic.startsWith(deviceSubtree(serial));
    const topics = this.subscribedBy.get(client) ?? new Set<string>();
    const allowed = own && (topics.has(subscription.topic) || topics.size < MAX_SUBSCRIPTIONS);
    if (allowed) this.subscribedBy.set(client, topics.add(subscription.topic));
    // A refused subscription is answered with a failure code (0x80), not a disconnect.
    done(null, allowed ? subscription : null);
  }

  private forget(client: Client): void {
    const serial = this.serialOf.get(client);
    const links = serial === undefined ? undefined : this.linksOf.get(serial);
    links?.delete(client);
    if (serial !== undefined && links?.size === 0) this.linksOf.delete(serial);
  }

  /**
   * Ends a connection the service refuses from now on. It stops speaking for its device first, so that
   * nothing it left behind (its will, published as it closes) is taken as the device's telemetry.
   */
  private cutOff(client: Client): void {
    this.forget(client);
    this.serialOf.delete(client);
    client.close();
  }

  /**
   * Drops every connection of these devices whose credentials have changed since it signed in. Compared by
   * version, not dropped on sight: a notice can arrive after a sign-in that already saw its change (under
   * load, LISTEN/NOTIFY lags), and cutting that fresh connection would strand its in-flight publishes.
   */
  private async checkConnections(serials: string[]): Promise<void> {
    const versions = await this.devices.credentialVersionsOf(serials);
    for (const serial of serials) {
      for (const client of this.linksOf.get(serial) ?? []) {
        if (this.versionOf.get(client) !== versions.get(serial)) this.cutOff(client);
      }
    }
  }

  /** After notices may have been missed: every connection is checked. */
  private async checkAllConnections(): Promise<void> {
    try {
      await this.checkConnections([...this.linksOf.keys()]);
    } catch (error) {
      this.logger.error({ err: loggableError(error) }, 'device connections not checked; trying again');
      setTimeout(() => void this.checkAllConnections(), 1000).unref();
    }
  }

  private notifyRejected(serial: string, messageId: string | null, reason: string): void {
    this.publishNotice(serial, messageId, reason);
    if (cluster.isWorker) {
      const relayed: RelayedNotice = {
        type: 'poc:relay',
        channel: NOTICE_CHANNEL,
        payload: { serial, messageId, reason },
      };
      process.send?.(relayed);
    }
  }

  private publishNotice(serial: string, messageId: string | null, reason: string): void {
    this.broker?.publish(
      {
        cmd: 'publish',
        topic: rejectedTopic(serial),
        payload: rejectionNotice(messageId, reason),
        qos: 1,
        retain: false,
        dup: false,
      },
      () => undefined,
    );
  }
}
