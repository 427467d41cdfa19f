import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Principal, Roles } from '@poc/auth';
import { LinkDeviceDto, LinkedDeviceResponse } from './devices.dto';
import { DevicesService } from './devices.service';

@ApiTags('patient')
@Controller('v1/me/devices')
@Roles('patient')
export class MyDevicesController {
  constructor(private readonly devices: DevicesService) {}

  @Post()
  @ApiCreatedResponse({ type: LinkedDeviceResponse })
  link(@CurrentUser() caller: Principal, @Body() body: LinkDeviceDto): Promise<LinkedDeviceResponse> {
    return this.devices.link(caller.userId, body);
  }

  /** A new secret for the device's MQTT link; the old one stops working at once. */
  @Post(':serialNumber/secret')
  rotate(@CurrentUser() caller: Principal, @Param('serialNumber') serial: string): Promise<LinkedDeviceResponse> {
    return this.devices.rotateSecret(caller.userId, serial);
  }

  @Get()
  async list(@CurrentUser() caller: Principal) {
    return { items: await this.devices.linkedTo(caller) };
  }
}
