import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Principal, Roles } from '@poc/auth';
import { LimitQuery } from '@poc/common';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { ProviderDevicePage, ProviderDeviceResponse } from './access.responses';
import { ProviderDevicesService } from './provider-devices.service';

class ProviderDevicesQuery extends LimitQuery {
  @ApiPropertyOptional({ type: String, maxLength: 100, description: "the previous page's nextCursor" })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  cursor?: string;
}

@ApiTags('provider')
@Controller('v1/provider/devices')
export class ProviderDevicesController {
  constructor(private readonly devices: ProviderDevicesService) {}

  @Get()
  @Roles('provider')
  @ApiOkResponse({ type: ProviderDevicePage })
  list(@CurrentUser() caller: Principal, @Query() query: ProviderDevicesQuery) {
    return this.devices.list(caller, query.limit ?? 100, query.cursor);
  }

  @Get(':serialNumber')
  @Roles('provider')
  @ApiOkResponse({ type: ProviderDeviceResponse })
  one(@CurrentUser() caller: Principal, @Param('serialNumber') serialNumber: string): Promise<ProviderDeviceResponse> {
    return this.devices.one(caller, serialNumber);
  }
}
