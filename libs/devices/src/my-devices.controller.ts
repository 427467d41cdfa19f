import { Body, Controller, Get, Ip, Param, Post, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Principal, Roles } from '@poc/auth';
import type { Response } from 'express';
import { DeviceLinksService } from './device-links.service';
import { LinkDeviceDto, LinkedDeviceResponse, OwnDeviceListResponse, PendingClaimResponse } from './devices.dto';
import { DevicesService } from './devices.service';

@ApiTags('patient')
@Controller('v1/me/devices')
@Roles('patient')
export class MyDevicesController {
  constructor(
    private readonly devices: DevicesService,
    private readonly links: DeviceLinksService,
  ) {}

  /** With the registration code: linked at once (201). With a serial alone: a claim support verifies (202). */
  @Post()
  @ApiCreatedResponse({ type: LinkedDeviceResponse })
  @ApiAcceptedResponse({ type: PendingClaimResponse })
  async link(
    @CurrentUser() caller: Principal,
    @Body() body: LinkDeviceDto,
    @Ip() address: string,
    @Res({ passthrough: true }) response: Response,
  ): Promise<LinkedDeviceResponse | PendingClaimResponse> {
    const outcome = await this.links.link(caller, body, address);
    if ('linked' in outcome) return outcome.linked;
    response.status(202);
    return outcome.pending;
  }

  /** A new secret for the device's MQTT link; the old one stops working at once. */
  @Post(':serialNumber/secret')
  @ApiCreatedResponse({ type: LinkedDeviceResponse })
  rotate(@CurrentUser() caller: Principal, @Param('serialNumber') serial: string): Promise<LinkedDeviceResponse> {
    return this.links.rotateSecret(caller.userId, serial);
  }

  @Get()
  @ApiOkResponse({ type: OwnDeviceListResponse })
  async list(@CurrentUser() caller: Principal): Promise<OwnDeviceListResponse> {
    return { items: await this.devices.linkedTo(caller) };
  }
}
