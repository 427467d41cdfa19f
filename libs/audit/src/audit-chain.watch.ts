import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { loggableError } from '@poc/common';
import { AppConfig } from '@poc/config';
import { AuditService } from './audit.service';

/**
 * Verifies the whole audit chain on a schedule (AUDIT_VERIFY_SECONDS): tampering is found without anyone
 * asking, and opens an incident (see AuditService.verify).
 */
@Injectable()
export class AuditChainWatch implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(AuditChainWatch.name);
  private timer?: NodeJS.Timeout;
  private running = false;

  constructor(
    private readonly audit: AuditService,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.check(), this.config.AUDIT_VERIFY_SECONDS * 1000);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  private async check(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      const verdict = await this.audit.verify();
      if (!verdict.valid) this.logger.error({ firstBreak: verdict.firstBreak }, 'the audit chain is broken');
    } catch (error) {
      this.logger.error({ err: loggableError(error) }, 'audit chain not verified');
    } finally {
      this.running = false;
    }
  }
}
