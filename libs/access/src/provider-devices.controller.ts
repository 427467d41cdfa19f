import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CurrentUser, Principal, Roles } from '@poc/auth';
import { LimitQuery } from '@poc/common';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { ProviderDevicesService } from './provider-devices.service';

class ProviderDevicesQuery extends LimitQuery {
  @IsOptional() @IsString() @MaxLength(100) cursor?: string;
}

@ApiTags('provider')
@Controller('v1/provider/devices')
export class ProviderDevicesController {
  constructor(private readonly devices: ProviderDevicesService) {}

  @Get()
  @Roles('provider')
  list(@CurrentUser() caller: Principal, @Query() query: ProviderDevicesQuery) {
    return this.devices.list(caller, query.limit ?? 100, query.cursor);
  }

  @Get(':serialNumber')
  @Roles('provider')
  one(@CurrentUser() caller: Principal, @Param('serialNumber') serialNumber: string) {
    return this.devices.one(caller, serialNumber);
  }
}
