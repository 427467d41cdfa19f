import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AttemptLimiter } from '@poc/auth';
import { loggableError } from '@poc/common';
import { AppConfig } from '@poc/config';
import { DataSource } from 'typeorm';
import { ErasureRepository } from './erasure.repository';

const HOURLY = 3600 * 1000;

export interface RetentionSummary {
  telemetry: Record<string, unknown>;
  rejectedMessages: number;
  inactiveAccounts: number;
  attemptCounts: number;
}

/**
 * Enforces the retention periods by itself, hourly: expired telemetry by partition, rejected messages,
 * patient accounts inactive for years (erased through the erasure path), and spent attempt counts. Legal holds are skipped;
 * every purge is recorded in retention_purges.
 */
@Injectable()
export class RetentionJob implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RetentionJob.name);
  private timer?: NodeJS.Timeout;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly erasure: ErasureRepository,
    private readonly attempts: AttemptLimiter,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    const runQuietly = () =>
      this.run().catch((error: unknown) => this.logger.error({ err: loggableError(error) }, 'retention run failed'));
    this.timer = setInterval(runQuietly, HOURLY);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async run(): Promise<RetentionSummary> {
    const { RETENTION_TELEMETRY_MONTHS: months, RETENTION_REJECTED_DAYS: days } = this.config;
    const years = this.config.RETENTION_INACTIVE_ACCOUNT_YEARS;
    const [{ cutoff, detail }] = await this.db.query(
      `SELECT now() - make_interval(months => $1) AS cutoff, purge_expired_telemetry(now() - make_interval(months => $1)) AS detail`,
      [months],
    );
    await this.record('telemetry', cutoff, detail);

    const [rejected] = await this.db.query(
      `WITH gone AS (DELETE FROM rejected_messages WHERE received_at < now() - make_interval(days => $1) RETURNING 1)
       SELECT count(*)::int AS n, now() - make_interval(days => $1) AS cutoff FROM gone`,
      [days],
    );
    await this.record('rejected_messages', rejected.cutoff, { deletedRows: rejected.n });

    const inactive: Array<{ id: string; cutoff: Date }> = await this.db.query(
      `SELECT u.id, now() - make_interval(years => $1) AS cutoff FROM users u
        WHERE u.role = 'patient' AND u.last_active_at < now() - make_interval(years => $1)
          AND NOT EXISTS (SELECT 1 FROM legal_holds h WHERE h.patient_id = u.id AND h.lifted_at IS NULL)`,
      [years],
    );
    for (const account of inactive) await this.db.transaction((tx) => this.erasure.erase(tx, account.id));
    if (inactive.length > 0) await this.record('inactive_accounts', inactive[0].cutoff, { erased: inactive.length });

    // Counts of sign-in, registration and link attempts (hashed addresses and usernames) are security
    // data needed only while their window or lockout lasts: well inside the policies' 45 days.
    const attemptCounts = await this.attempts.purgeExpired();
    await this.record('attempt_counts', new Date(), { deletedRows: attemptCounts });

    return {
      telemetry: detail,
      rejectedMessages: rejected.n,
      inactiveAccounts: inactive.length,
      attemptCounts,
    };
  }

  private async record(category: string, cutoff: Date, detail: unknown): Promise<void> {
    await this.db.query(`INSERT INTO retention_purges (category, cutoff, detail) VALUES ($1, $2, $3)`, [
      category,
      cutoff,
      JSON.stringify(detail),
    ]);
  }
}
