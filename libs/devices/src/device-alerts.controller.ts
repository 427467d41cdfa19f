import { Controller, Get, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Roles } from '@poc/auth';
import { LimitQuery } from '@poc/common';
import { DeviceAlertsRepository } from './device-alerts.repository';

/** Alerts for field staff, newest first (serials and account ids only: no location, no patient data). */
@ApiTags('internal')
@Controller('v1/internal/alerts')
export class DeviceAlertsController {
  constructor(private readonly alerts: DeviceAlertsRepository) {}

  @Get()
  @Roles('field_service', 'support', 'admin')
  async list(@Query() query: LimitQuery) {
    return { items: await this.alerts.recent(query.limit ?? 100) };
  }
}
