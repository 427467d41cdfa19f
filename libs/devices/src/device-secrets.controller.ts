import { Controller, Delete, HttpCode, Param } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Roles } from '@poc/auth';
import { DevicesService } from './devices.service';

@ApiTags('internal')
@Controller('v1/internal/devices/:serialNumber/secret')
export class DeviceSecretsController {
  constructor(private readonly devices: DevicesService) {}

  /** Revokes the device's MQTT secret and drops its live connection; the patient links the device again. */
  @Delete()
  @Roles('support', 'admin')
  @HttpCode(204)
  async revoke(@Param('serialNumber') serial: string): Promise<void> {
    await this.devices.revokeSecret(serial);
  }
}
