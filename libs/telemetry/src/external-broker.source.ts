import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '@poc/config';
import { rejectedTopic, SHARED_TELEMETRY_SUBSCRIPTION, telemetrySerialOf } from '@poc/devices';
import { IngestPipeline } from './ingest.pipeline';
import { SharedSubscriptionConsumer } from './shared-subscription.consumer';
import { rejectionNotice } from './rejection-notice';

/**
 * With MQTT_URL set, the service consumes telemetry from an external broker (Mosquitto, EMQX, HiveMQ)
 * through a shared subscription, so several instances split the load. The broker authenticates the
 * devices and confines each to its own topics (see deploy/mosquitto); this side acknowledges each
 * message to the broker only after the pipeline committed it.
 */
@Injectable()
export class ExternalBrokerSource implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('ExternalBroker');
  private consumers: SharedSubscriptionConsumer[] = [];

  constructor(
    private readonly config: AppConfig,
    private readonly pipeline: IngestPipeline,
  ) {}

  /** Messages this instance handled (stored, duplicate or rejected) and acknowledged. */
  get handled(): number {
    return this.consumers.reduce((sum, consumer) => sum + consumer.handled, 0);
  }

  async onApplicationBootstrap(): Promise<void> {
    const url = this.config.MQTT_URL;
    if (!url) return;
    // Several connections per instance: each is a member of the shared group with its own session.
    this.consumers = Array.from(
      { length: this.config.MQTT_CONSUMER_CONNECTIONS },
      (_, i) =>
        new SharedSubscriptionConsumer(
          {
            url,
            clientId: `${this.config.MQTT_CLIENT_ID}-${i}`,
            topic: SHARED_TELEMETRY_SUBSCRIPTION,
            receiveMaximum: 1000,
          },
          (topic, payload, consumer) => this.ingest(topic, payload, consumer),
        ),
    );
    await Promise.all(this.consumers.map((consumer) => consumer.start()));
    this.logger.log(`consuming ${SHARED_TELEMETRY_SUBSCRIPTION} with ${this.consumers.length} connections`);
  }

  onApplicationShutdown(): void {
    for (const consumer of this.consumers) consumer.stop();
  }

  private async ingest(topic: string, payload: Buffer, consumer: SharedSubscriptionConsumer): Promise<void> {
    const serial = telemetrySerialOf(topic);
    if (serial === null) return; // outside the contract's layout; acknowledged so it is not redelivered forever
    const outcome = await this.pipeline.submit({ topicSerial: serial, payload, receivedAt: new Date() });
    if (outcome.status === 'rejected') {
      consumer.publish(rejectedTopic(serial), rejectionNotice(outcome.messageId, outcome.reason));
    }
  }
}
