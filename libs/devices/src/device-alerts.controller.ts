import { Controller, Get, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Roles } from '@poc/auth';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { DeviceAlertsRepository } from './device-alerts.repository';

class AlertsQuery {
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500) limit?: number;
}

/** Alerts for field staff, newest first (serials and account ids only: no location, no patient data). */
@ApiTags('internal')
@Controller('v1/internal/alerts')
export class DeviceAlertsController {
  constructor(private readonly alerts: DeviceAlertsRepository) {}

  @Get()
  @Roles('field_service', 'support', 'admin')
  async list(@Query() query: AlertsQuery) {
    return { items: await this.alerts.recent(query.limit ?? 100) };
  }
}
