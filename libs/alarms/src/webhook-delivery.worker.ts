import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { loggableError, registeredMetric } from '@poc/common';
import { AuditService } from '@poc/audit';
import { AppConfig } from '@poc/config';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Counter } from 'prom-client';
import { signatureHeader } from './webhook-signature';
import { WebhookTargets } from './webhook-target';
import { DeliveryOutcome, DueDelivery, WebhooksRepository } from './webhooks.repository';

const POLL_MS = 200;
const BATCH = 200;
const TIMEOUT_MS = 10_000;
const MAX_BACKOFF_MS = 3_600_000;

const attempts = registeredMetric(
  'webhook_delivery_attempts_total',
  () =>
    new Counter({
      name: 'webhook_delivery_attempts_total',
      help: 'Webhook delivery attempts by outcome',
      labelNames: ['outcome'],
    }),
);

type Outcome = { ok: true; status: number } | { ok: false; status: number | null; error: string };

/**
 * Sends what the outbox holds: each delivery signed, tried until the receiver answers 2xx, waiting twice as
 * long each time, and dead-lettered after WEBHOOK_MAX_ATTEMPTS (replayable). Every instance may run one;
 * a delivery is held by one worker at a time.
 */
@Injectable()
export class WebhookDeliveryWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(WebhookDeliveryWorker.name);
  private readonly targets: WebhookTargets;
  private timer?: NodeJS.Timeout;
  private running: Promise<void> = Promise.resolve();
  private closing = false;

  constructor(
    private readonly webhooks: WebhooksRepository,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
  ) {
    this.targets = new WebhookTargets(config.WEBHOOK_ALLOWED_HOSTS);
  }

  onApplicationBootstrap(): void {
    if (this.config.ALARMS) this.schedule();
  }

  async onApplicationShutdown(): Promise<void> {
    this.closing = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private schedule(delay = POLL_MS): void {
    if (this.closing) return;
    this.timer = setTimeout(() => {
      this.running = this.round()
        .catch((error: unknown) => this.logger.warn({ err: loggableError(error) }, 'webhook deliveries failed'))
        .then((busy) => this.schedule(busy ? 0 : POLL_MS));
    }, delay);
    this.timer.unref();
  }

  /** One round of due deliveries, sent concurrently; whether it was full (more may be due). */
  private async round(): Promise<boolean> {
    const due = await this.webhooks.takeDue(BATCH);
    const sent = due.filter((d) => !d.withheld);
    await this.auditSends(sent);
    const outcomes = await Promise.all(
      due.map(async (delivery): Promise<DeliveryOutcome> => {
        const base = { id: delivery.id, attempts: delivery.attempts, retryInMs: null };
        if (delivery.withheld) {
          const error = 'not sent: the webhook was removed, or the patient no longer allows it';
          return { ...base, state: 'withheld', status: null, error };
        }
        const outcome = await this.post(delivery);
        attempts.inc({ outcome: outcome.ok ? 'delivered' : 'failed' });
        if (outcome.ok) return { ...base, state: 'delivered', status: outcome.status, error: null };
        if (delivery.attempts >= this.config.WEBHOOK_MAX_ATTEMPTS) {
          return { ...base, state: 'dead', status: outcome.status, error: outcome.error };
        }
        const retryInMs = Math.min(MAX_BACKOFF_MS, this.config.WEBHOOK_RETRY_BASE_MS * 2 ** (delivery.attempts - 1));
        return { ...base, state: 'pending', status: outcome.status, error: outcome.error, retryInMs };
      }),
    );
    await this.webhooks.settle(outcomes);
    return due.length === BATCH;
  }

  /**
   * A push discloses the alarm (the device's error code) to the webhook's owner: one audit entry per owner
   * and round, naming the deliveries, written before anything is sent.
   */
  private async auditSends(sent: DueDelivery[]): Promise<void> {
    const byOwner = new Map<string, DueDelivery[]>();
    for (const delivery of sent) byOwner.set(delivery.ownerId, [...(byOwner.get(delivery.ownerId) ?? []), delivery]);
    for (const [ownerId, deliveries] of byOwner) {
      await this.audit.record(
        { userId: ownerId, role: deliveries[0].ownerRole },
        'webhook.alarm.send',
        deliveries.map((d) => ({
          serialNumber: d.serialNumber,
          patientId: d.patientId,
          fields: ['alarm', 'errorCode'],
        })),
        `webhook deliveries ${deliveries.map((d) => d.id).join(' ')}`,
      );
    }
  }

  private post(delivery: DueDelivery): Promise<Outcome> {
    return new Promise((resolve) => {
      let url: URL;
      try {
        url = this.targets.check(delivery.url);
      } catch (error) {
        return resolve({ ok: false, status: null, error: (error as Error).message });
      }
      const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
      const request = send(
        url,
        {
          method: 'POST',
          lookup: this.targets.lookupFor(url),
          headers: {
            'content-type': 'application/json',
            'user-agent': 'poc-telemetry-webhooks/1',
            'x-webhook-delivery': delivery.id,
            'x-signature': signatureHeader(delivery.secret, delivery.body, new Date()),
          },
        },
        (response) => {
          response.resume(); // the answer's body is not needed
          const status = response.statusCode ?? 0;
          resolve(
            status >= 200 && status < 300 ? { ok: true, status } : { ok: false, status, error: `HTTP ${status}` },
          );
        },
      );
      // A whole attempt has one deadline: a receiver that answers a byte at a time cannot hold the worker.
      const deadline = setTimeout(() => request.destroy(new Error(`no answer within ${TIMEOUT_MS} ms`)), TIMEOUT_MS);
      request.on('close', () => clearTimeout(deadline));
      request.on('error', (error) => resolve({ ok: false, status: null, error: error.message }));
      request.end(delivery.body);
    });
  }
}
