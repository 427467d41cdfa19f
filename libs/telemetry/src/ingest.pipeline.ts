import { loggableError, registeredMetric } from '@poc/common';
import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { ConsentService } from '@poc/consent';
import { DevicesService } from '@poc/devices';
import { Counter, Histogram } from 'prom-client';
import { applyCollectionRule } from './collection-rule';
import { GroupCommitQueue } from './group-commit.queue';
import { RejectedRow, TelemetryRepository, telemetryKey, TelemetryRow } from './telemetry.repository';
import { ParsedTelemetry, parseTelemetry } from './telemetry-message.parser';

/** One message as a source received it: the serial of its topic and the raw payload. */
/** What a listener of committed telemetry hears of each stored message. */
export interface CommittedTelemetry {
  serialNumber: string;
  errorCodes: string[];
}

export interface IngestInput {
  topicSerial: string;
  payload: Buffer;
  receivedAt: Date;
}

export type IngestOutcome =
  | { status: 'stored' | 'duplicate'; messageId: string }
  | { status: 'rejected'; messageId: string | null; reason: string };

interface Pending {
  input: IngestInput;
  parsed: ParsedTelemetry;
}

const messages = registeredMetric(
  'ingest_messages_total',
  () => new Counter({ name: 'ingest_messages_total', help: 'Telemetry messages by outcome', labelNames: ['outcome'] }),
);
const batchSize = registeredMetric(
  'ingest_batch_size',
  () =>
    new Histogram({
      name: 'ingest_batch_size',
      help: 'Messages per group commit',
      buckets: [1, 10, 50, 100, 250, 500, 1000],
    }),
);
const commitSeconds = registeredMetric(
  'ingest_commit_seconds',
  () =>
    new Histogram({
      name: 'ingest_commit_seconds',
      help: 'Time of one group commit',
      buckets: [0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 1],
    }),
);

const RETRY_DELAYS_MS = [100, 500, 2000];

const isDataException = (error: unknown): boolean =>
  typeof (error as { code?: unknown })?.code === 'string' && (error as { code: string }).code.startsWith('22');

/**
 * The ingest pipeline every source feeds (embedded broker, external broker): validate, apply consent,
 * store exactly once in group commits. `submit` settles only after the message's batch committed,
 * so a source acknowledges a message only once it is durable.
 */
@Injectable()
export class IngestPipeline implements OnApplicationShutdown {
  private closing = false;
  private readonly committedListeners: Array<(stored: readonly CommittedTelemetry[]) => void> = [];
  private readonly logger = new Logger(IngestPipeline.name);
  private readonly queue = new GroupCommitQueue<Pending, IngestOutcome>((batch) => this.commitWithRetry(batch), {
    maxBatch: 2000,
    maxDelayMs: 4,
    concurrency: 1,
  });

  constructor(
    private readonly repository: TelemetryRepository,
    private readonly devices: DevicesService,
    private readonly consent: ConsentService,
  ) {}

  /** Hears, after each group commit, the messages it stored: kept cheap, it runs before the acknowledgements. */
  onCommitted(listener: (stored: readonly CommittedTelemetry[]) => void): void {
    this.committedListeners.push(listener);
  }

  onApplicationShutdown(): void {
    this.closing = true;
  }

  submit(input: IngestInput): Promise<IngestOutcome> {
    return this.queue.push({ input, parsed: this.verdictOn(input) });
  }

  // A validator bug must cost one message (rejected, with a reason), never the broker or a batch.
  private verdictOn(input: IngestInput): ParsedTelemetry {
    try {
      return parseTelemetry(input.payload, input.topicSerial);
    } catch (error) {
      this.logger.error({ err: loggableError(error) }, 'telemetry validation failed');
      return { ok: false, messageId: null, reason: 'payload could not be validated' };
    }
  }

  private async commitWithRetry(batch: Pending[]): Promise<IngestOutcome[]> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.commit(batch);
      } catch (error) {
        // A value the database refuses (SQLSTATE class 22) would fail every retry: find it by halves so
        // the rest of the batch is stored, and reject it alone.
        if (isDataException(error) && (batch.length > 1 || batch[0].parsed.ok)) return this.isolate(batch);
        // Safe to retry: a batch whose commit did land is deduplicated by messageId.
        // Shutting down: fail now; the source does not acknowledge, so the message is sent again later.
        if (attempt >= RETRY_DELAYS_MS.length || this.closing) throw error;
        this.logger.warn({ err: loggableError(error), attempt }, 'group commit failed; retrying');
        await new Promise((resolve) => setTimeout(resolve, RETRY_DELAYS_MS[attempt]));
      }
    }
  }

  private async isolate(batch: Pending[]): Promise<IngestOutcome[]> {
    if (batch.length > 1) {
      const half = Math.ceil(batch.length / 2);
      return [
        ...(await this.commitWithRetry(batch.slice(0, half))),
        ...(await this.commitWithRetry(batch.slice(half))),
      ];
    }
    const [{ input, parsed }] = batch;
    const messageId = parsed.ok ? parsed.message.messageId : parsed.messageId;
    this.logger.warn({ serial: input.topicSerial, messageId }, 'telemetry refused by the database: rejected');
    return this.commitWithRetry([{ input, parsed: { ok: false, messageId, reason: 'a value cannot be stored' } }]);
  }

  private async commit(batch: Pending[]): Promise<IngestOutcome[]> {
    const end = commitSeconds.startTimer();
    const serials = [...new Set(batch.flatMap((p) => (p.parsed.ok ? [p.parsed.message.serialNumber] : [])))];
    const owners = serials.length > 0 ? await this.devices.ownersOf(serials) : new Map<string, string | null>();
    const patients = [...new Set([...owners.values()].filter((id): id is string => id !== null))];
    const rules = patients.length > 0 ? await this.consent.collectionRulesFor(patients) : new Map();

    const rows: TelemetryRow[] = [];
    const rejected: RejectedRow[] = [];
    const verdicts = batch.map(({ input, parsed }): IngestOutcome | TelemetryRow => {
      if (parsed.ok && !owners.has(parsed.message.serialNumber)) {
        parsed = { ok: false, messageId: parsed.message.messageId, reason: 'unknown device' };
      }
      if (!parsed.ok) {
        const outcome = { status: 'rejected' as const, messageId: parsed.messageId, reason: parsed.reason };
        rejected.push({
          serialNumber: input.topicSerial,
          messageId: parsed.messageId,
          receivedAt: input.receivedAt,
          reason: parsed.reason,
        });
        return outcome;
      }
      const patientId = owners.get(parsed.message.serialNumber) ?? null;
      const row = {
        ...applyCollectionRule(parsed.message, (patientId && rules.get(patientId)) || 'minimal', input.receivedAt),
        // Whose data this is: export and erasure take exactly this patient's rows.
        patientId,
      };
      rows.push(row);
      return row;
    });

    const stored = await this.repository.commitBatch(rows, rejected);
    const seen = new Set<string>();
    const outcomes = verdicts.map((verdict): IngestOutcome => {
      if ('status' in verdict) return verdict;
      const id = telemetryKey(verdict);
      // Within a batch, only the first copy of a message counts as stored.
      const status = stored.has(id) && !seen.has(id) ? 'stored' : 'duplicate';
      seen.add(id);
      return { status, messageId: verdict.messageId };
    });
    for (const outcome of outcomes) messages.inc({ outcome: outcome.status });
    if (stored.size > 0 && this.committedListeners.length > 0) {
      const written = rows.filter((row) => stored.has(telemetryKey(row)));
      // The batch is committed: a listener's failure must not make it look failed (and be retried).
      for (const listener of this.committedListeners) {
        try {
          listener(written);
        } catch (error) {
          this.logger.error({ err: loggableError(error) }, 'a listener of committed telemetry failed');
        }
      }
    }
    batchSize.observe(batch.length);
    end();
    return outcomes;
  }
}
