import { Logger } from '@nestjs/common';
import { generate, IPublishPacket, Packet, parser } from 'mqtt-packet';
import { connect as tcpConnect, Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';

export interface SharedSubscriptionOptions {
  /** mqtt://user:password@host:port or mqtts://... (the CA from NODE_EXTRA_CA_CERTS). */
  url: string;
  clientId: string;
  /** A shared subscription filter, e.g. $share/ingest/poc/v1/+/telemetry. */
  topic: string;
  /** How many unacknowledged messages the broker may send this connection at once. */
  receiveMaximum: number;
}

/** Handles one message; the message is acknowledged when this resolves and redelivered if it rejects. */
export type MessageHandler = (topic: string, payload: Buffer, consumer: SharedSubscriptionConsumer) => Promise<void>;

const PROTOCOL = { protocolVersion: 5 } as const;
const KEEPALIVE_SECONDS = 30;
// A persistent session: messages in flight when this connection drops are redelivered to it on reconnect.
const SESSION_EXPIRY_SECONDS = 3600;
const RECONNECT_DELAYS_MS = [200, 500, 1000, 2000, 5000];

/**
 * One MQTT 5 connection that consumes a shared subscription at QoS 1 and acknowledges each message
 * only after its handler resolved, in whatever order handlers finish. MQTT.js cannot do this: it reads
 * the next packet only after the previous message's PUBACK, so one slow commit would stall the
 * connection. Speaking the protocol through mqtt-packet keeps up to `receiveMaximum` messages in
 * flight, which is what lets group commits fill.
 */
export class SharedSubscriptionConsumer {
  private readonly logger: Logger;
  private socket: Socket | null = null;
  private stopped = false;
  private attempt = 0;
  private outgoingId = 0;
  private keepalive?: NodeJS.Timeout;
  private reconnect?: NodeJS.Timeout;
  /** Messages this connection handled and acknowledged. */
  handled = 0;

  constructor(
    private readonly options: SharedSubscriptionOptions,
    private readonly handler: MessageHandler,
  ) {
    this.logger = new Logger(`Consumer ${options.clientId}`);
  }

  /** Resolves when first subscribed; retries while the broker is unreachable, fails if it refuses us. */
  start(): Promise<void> {
    return new Promise((resolve, reject) => this.connect(resolve, reject));
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.keepalive);
    clearTimeout(this.reconnect);
    if (this.socket && !this.socket.destroyed) {
      this.socket.end(generate({ cmd: 'disconnect' }, PROTOCOL));
    }
  }

  /** Publishes at QoS 1 without waiting for the broker's PUBACK (used for rejection notices). */
  publish(topic: string, payload: Buffer): void {
    this.outgoingId = (this.outgoingId % 65535) + 1;
    this.write(this.socket, {
      cmd: 'publish',
      topic,
      payload,
      qos: 1,
      retain: false,
      dup: false,
      messageId: this.outgoingId,
    });
  }

  private connect(subscribed: () => void, refused: (error: Error) => void): void {
    const url = new URL(this.options.url);
    const secure = url.protocol === 'mqtts:' || url.protocol === 'ssl:';
    const port = Number(url.port || (secure ? 8883 : 1883));
    const socket = secure
      ? tlsConnect({ host: url.hostname, port, servername: url.hostname })
      : tcpConnect(port, url.hostname);
    socket.setNoDelay(true);
    this.socket = socket;
    const packets = parser(PROTOCOL);
    let lastHeard = Date.now();

    socket.once(secure ? 'secureConnect' : 'connect', () => {
      this.write(socket, {
        cmd: 'connect',
        protocolId: 'MQTT',
        protocolVersion: 5,
        clientId: this.options.clientId,
        clean: false,
        keepalive: KEEPALIVE_SECONDS,
        username: url.username ? decodeURIComponent(url.username) : undefined,
        password: url.password ? Buffer.from(decodeURIComponent(url.password)) : undefined,
        properties: { sessionExpiryInterval: SESSION_EXPIRY_SECONDS, receiveMaximum: this.options.receiveMaximum },
      });
    });
    socket.on('data', (chunk) => {
      lastHeard = Date.now();
      packets.parse(chunk);
    });
    packets.on('error', (error) => this.drop(socket, `malformed packet from the broker: ${error.message}`));
    packets.on('packet', (packet: Packet) => {
      switch (packet.cmd) {
        case 'connack':
          if ((packet.reasonCode ?? packet.returnCode ?? 0) !== 0) {
            this.stopped = true;
            refused(
              new Error(`broker refused ${this.options.clientId}: code ${packet.reasonCode ?? packet.returnCode}`),
            );
            return this.drop(socket, 'connection refused');
          }
          this.write(socket, {
            cmd: 'subscribe',
            messageId: 1,
            subscriptions: [{ topic: this.options.topic, qos: 1 }],
          });
          return;
        case 'suback':
          if ((packet.granted[0] as number) >= 0x80) {
            this.stopped = true;
            refused(new Error(`broker refused the subscription ${this.options.topic}`));
            return this.drop(socket, 'subscription refused');
          }
          this.attempt = 0;
          this.logger.log(`subscribed to ${this.options.topic}`);
          return subscribed();
        case 'publish':
          return this.receive(socket, packet);
        default:
          return; // pingresp, puback of our notices, ...
      }
    });

    this.keepalive = setInterval(
      () => {
        if (Date.now() - lastHeard > 2 * KEEPALIVE_SECONDS * 1000) return this.drop(socket, 'broker silent');
        this.write(socket, { cmd: 'pingreq' });
      },
      (KEEPALIVE_SECONDS * 1000) / 2,
    );
    socket.on('error', (error) => this.logger.warn(`connection error: ${error.message}`));
    socket.on('close', () => {
      clearInterval(this.keepalive);
      if (this.stopped) return;
      const delay = RECONNECT_DELAYS_MS[Math.min(this.attempt++, RECONNECT_DELAYS_MS.length - 1)];
      this.logger.warn(`connection to the broker closed; reconnecting in ${delay} ms`);
      this.reconnect = setTimeout(() => this.connect(subscribed, refused), delay);
    });
  }

  private receive(socket: Socket, packet: IPublishPacket): void {
    const payload = Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload);
    this.handler(packet.topic, payload, this).then(
      () => {
        this.handled++;
        // The PUBACK belongs to the connection the message came on; after a reconnect the broker resends it.
        if (packet.qos > 0) this.write(socket, { cmd: 'puback', messageId: packet.messageId as number });
      },
      (error: unknown) => this.drop(socket, `message not handled, left for redelivery: ${String(error)}`),
    );
  }

  private write(socket: Socket | null, packet: Packet): void {
    if (socket && !socket.destroyed && socket.writable) socket.write(generate(packet, PROTOCOL));
  }

  private drop(socket: Socket, reason: string): void {
    this.logger.warn(reason);
    socket.destroy();
  }
}
