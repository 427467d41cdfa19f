import { Module } from '@nestjs/common';
import { AuditModule } from '@poc/audit';
import { DevicesModule } from '@poc/devices';
import { DeviceLocationService } from './device-location.service';
import { PartnerDatasetController } from './partner-dataset.controller';
import { PartnerDatasetQuery } from './partner-dataset.query';
import { ProviderDevicesController } from './provider-devices.controller';
import { ProviderDevicesRepository } from './provider-devices.repository';
import { ProviderDevicesService } from './provider-devices.service';

@Module({
  imports: [AuditModule, DevicesModule],
  controllers: [ProviderDevicesController, PartnerDatasetController],
  providers: [ProviderDevicesService, ProviderDevicesRepository, DeviceLocationService, PartnerDatasetQuery],
  exports: [DeviceLocationService],
})
export class AccessModule {}
