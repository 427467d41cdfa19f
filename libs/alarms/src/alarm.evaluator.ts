import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { loggableError, registeredMetric } from '@poc/common';
import { AppConfig } from '@poc/config';
import { IngestPipeline } from '@poc/telemetry';
import { Counter } from 'prom-client';
import { AlarmRulesRepository } from './alarm-rules.repository';

const BATCH = 5000;
const SETTLE_MS = 100;

const events = registeredMetric(
  'alarm_events_total',
  () =>
    new Counter({
      name: 'alarm_events_total',
      help: 'Alarm events (raised, cleared, escalated)',
      labelNames: ['event'],
    }),
);

/**
 * Evaluates the alarm rules off the hot path: a group commit only marks the devices it wrote, and the
 * evaluation runs after, in batches, never delaying an acknowledgement. A sweep every
 * ALARM_SWEEP_SECONDS checks every device (silence, escalation, and anything a crash left unevaluated).
 */
@Injectable()
export class AlarmEvaluator implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(AlarmEvaluator.name);
  private readonly dirty = new Set<string>();
  /** The codes each device last reported here: only a change needs an evaluation (the sweep covers the rest). */
  private readonly lastCodes = new Map<string, string>();
  private pending?: NodeJS.Timeout;
  private sweeper?: NodeJS.Timeout;
  /** The work in progress: evaluations run one after another. */
  private work: Promise<void> = Promise.resolve();
  private closing = false;

  constructor(
    private readonly pipeline: IngestPipeline,
    private readonly rules: AlarmRulesRepository,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    if (!this.config.ALARMS) return;
    this.pipeline.onCommitted((stored) => {
      for (const { serialNumber, errorCodes } of stored) {
        const codes = errorCodes.join(',');
        // A device first heard here is evaluated if it reports a code; one reporting none may still have
        // an alarm raised elsewhere or before a restart: the sweep clears that.
        if ((this.lastCodes.get(serialNumber) ?? '') === codes) continue;
        this.lastCodes.set(serialNumber, codes);
        this.dirty.add(serialNumber);
      }
      if (this.dirty.size > 0) this.pending ??= setTimeout(() => this.enqueue(() => this.evaluateDirty()), SETTLE_MS);
    });
  }

  onApplicationBootstrap(): void {
    if (!this.config.ALARMS) return;
    this.enqueue(() => this.sweep());
    this.sweeper = setInterval(() => this.enqueue(() => this.sweep()), this.config.ALARM_SWEEP_SECONDS * 1000);
    this.sweeper.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    this.closing = true;
    clearTimeout(this.pending);
    clearInterval(this.sweeper);
    await this.work;
  }

  private enqueue(task: () => Promise<void>): void {
    if (this.closing) return;
    this.work = this.work.then(task).catch((error: unknown) => {
      // Nothing is lost: the next sweep evaluates every device again.
      this.logger.warn({ err: loggableError(error) }, 'alarm evaluation failed');
    });
  }

  private async evaluateDirty(): Promise<void> {
    this.pending = undefined;
    const serials = [...this.dirty].slice(0, BATCH);
    for (const serial of serials) this.dirty.delete(serial);
    if (this.dirty.size > 0) this.pending = setTimeout(() => this.enqueue(() => this.evaluateDirty()), 0);
    this.count(await this.rules.evaluateCodes(serials));
  }

  private async sweep(): Promise<void> {
    this.count(
      await this.rules.sweep(this.config.ALARM_OFFLINE_AFTER_SECONDS, this.config.ALARM_ESCALATE_AFTER_SECONDS),
    );
  }

  private count(happened: Array<{ event: string }>): void {
    for (const { event } of happened) events.inc({ event });
  }
}
