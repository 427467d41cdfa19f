import { Controller, Delete, HttpCode, Param } from '@nestjs/common';
import { ApiNoContentResponse, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Principal, Roles } from '@poc/auth';
import { DeviceLinksService } from './device-links.service';

@ApiTags('internal')
@Controller('v1/internal/devices/:serialNumber/secret')
export class DeviceSecretsController {
  constructor(private readonly links: DeviceLinksService) {}

  /** Revokes the device's MQTT secret and drops its live connection; the patient links the device again. */
  @Delete()
  @Roles('support', 'admin')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'The secret is revoked' })
  async revoke(@CurrentUser() caller: Principal, @Param('serialNumber') serial: string): Promise<void> {
    await this.links.revokeSecret(caller, serial);
  }
}
