import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Principal, Roles } from '@poc/auth';
import { LimitQuery } from '@poc/common';
import { DeviceAlertListResponse } from './devices.dto';
import { DevicesService } from './devices.service';

/** Alerts for field staff, newest first (serials and account ids only: no location), each read audited. */
@ApiTags('internal')
@Controller('v1/internal/alerts')
export class DeviceAlertsController {
  constructor(private readonly devices: DevicesService) {}

  @Get()
  @Roles('field_service', 'support', 'admin')
  @ApiOkResponse({ type: DeviceAlertListResponse })
  async list(@CurrentUser() caller: Principal, @Query() query: LimitQuery): Promise<DeviceAlertListResponse> {
    return { items: await this.devices.recentAlerts(caller, query.limit ?? 100) };
  }
}
