import { Body, Controller, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '@poc/auth';
import { CreateDeviceDto, DeviceResponse } from './devices.dto';
import { DevicesService } from './devices.service';

@ApiTags('admin')
@Controller('v1/admin/devices')
@Roles('admin')
export class AdminDevicesController {
  constructor(private readonly devices: DevicesService) {}

  @Post()
  @ApiCreatedResponse({ type: DeviceResponse })
  create(@Body() body: CreateDeviceDto): Promise<DeviceResponse> {
    return this.devices.register(body);
  }
}
