import { loggableError } from '@poc/common';
import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { TelemetryRepository } from './telemetry.repository';

const DAY_MS = 24 * 3600 * 1000;

/** Keeps monthly telemetry partitions created ahead of time (the migration made the first ones). */
@Injectable()
export class TelemetryPartitionsMaintainer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('TelemetryPartitions');
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly repository: TelemetryRepository) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.repository.ensurePartitions();
    this.timer = setInterval(() => {
      this.repository
        .ensurePartitions()
        .catch((error: unknown) => this.logger.error({ err: loggableError(error) }, 'partition upkeep failed'));
    }, DAY_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }
}
