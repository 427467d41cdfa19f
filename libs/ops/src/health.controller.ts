import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { InjectDataSource } from '@nestjs/typeorm';
import { Public } from '@poc/auth';
import { DataSource } from 'typeorm';
import { LivenessResponse } from './ops.responses';

@ApiTags('operations')
@Controller('health')
@Public()
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly database: TypeOrmHealthIndicator,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  @Get('live')
  @ApiOkResponse({ type: LivenessResponse })
  live(): LivenessResponse {
    return { status: 'ok' };
  }

  /** Ready when the database answers and no migration is pending. */
  @Get('ready')
  @HealthCheck()
  ready() {
    return this.health.check([
      // Down without the driver's words (they can name the database's host or login): this route is public.
      async () => {
        const { database } = await this.database.pingCheck('database', { timeout: 2000 });
        const indicator = this.indicators.check('database');
        return database.status === 'up' ? indicator.up() : indicator.down();
      },
      async () => {
        const indicator = this.indicators.check('migrations');
        return (await this.db.showMigrations()) ? indicator.down({ pending: true }) : indicator.up();
      },
    ]);
  }
}
