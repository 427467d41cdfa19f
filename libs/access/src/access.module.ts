import { Module } from '@nestjs/common';
import { AuditModule } from '@poc/audit';
import { DevicesModule } from '@poc/devices';
import { ProviderDevicesController } from './provider-devices.controller';
import { ProviderDevicesRepository } from './provider-devices.repository';
import { ProviderDevicesService } from './provider-devices.service';

@Module({
  imports: [AuditModule, DevicesModule],
  controllers: [ProviderDevicesController],
  providers: [ProviderDevicesService, ProviderDevicesRepository],
})
export class AccessModule {}
