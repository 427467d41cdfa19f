import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AuditService } from '@poc/audit';
import { AccountsService, AttemptLimiter } from '@poc/auth';
import { loggableError } from '@poc/common';
import { AppConfig } from '@poc/config';
import { LossReportsService } from '@poc/devices';
import { ErasureRepository } from './erasure.repository';
import { RetentionRepository } from './retention.repository';
import { RetentionCategory, retentionSchedule } from './retention.schedule';

const HOURLY = 3600 * 1000;

/** What each category's run removed (or, for the audit trail, how much awaits the maintenance role). */
export type RetentionSummary = Record<RetentionCategory, unknown>;

/**
 * Enforces the retention table (`retention.schedule.ts`) by itself, hourly: each category's expired data goes,
 * through the lib that owns it; legal holds are skipped; every run of every category is recorded in
 * retention_purges. The audit trail is the maintenance role's to drop (`audit_drop_before`), never the
 * service's: the job only counts what awaits it.
 */
@Injectable()
export class RetentionJob implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RetentionJob.name);
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly retention: RetentionRepository,
    private readonly erasure: ErasureRepository,
    private readonly attempts: AttemptLimiter,
    private readonly accounts: AccountsService,
    private readonly lossReports: LossReportsService,
    private readonly audit: AuditService,
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

  async run(now = new Date()): Promise<RetentionSummary> {
    const enforce: Record<RetentionCategory, (cutoff: Date) => Promise<unknown>> = {
      telemetry: (cutoff) => this.retention.purgeTelemetry(cutoff),
      last_location: async (cutoff) => ({ clearedLocations: await this.retention.purgeLastLocations(cutoff) }),
      rejected_messages: async (cutoff) => ({ deletedRows: await this.retention.purgeRejectedMessages(cutoff) }),
      sessions: async (cutoff) => ({ deletedRows: await this.accounts.purgeEndedSessions(cutoff) }),
      attempt_counts: async () => ({ deletedRows: await this.attempts.purgeExpired() }),
      resolved_loss_reports: (cutoff) => this.lossReports.purgeBefore(cutoff),
      privacy_requests: async (cutoff) => ({ deletedRows: await this.retention.purgeAnsweredRequests(cutoff) }),
      inactive_accounts: async (cutoff) => {
        const inactive = await this.retention.inactiveSince(cutoff);
        for (const id of inactive) await this.erasure.eraseAlone(id);
        return { erased: inactive.length };
      },
      audit_entries: async (cutoff) => ({ awaitingMaintenanceRole: await this.audit.countBefore(cutoff) }),
    };
    const summary = {} as RetentionSummary;
    for (const rule of retentionSchedule(this.config)) {
      const cutoff = rule.cutoff(now);
      summary[rule.category] = await enforce[rule.category](cutoff);
      await this.retention.record(rule.category, cutoff, summary[rule.category]);
    }
    return summary;
  }
}
