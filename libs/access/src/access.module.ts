import { Module } from '@nestjs/common';
import { AuditModule } from '@poc/audit';
import { DevicesModule } from '@poc/devices';
import { DeviceLocationService } from './device-location.service';
import { LastLocationQuery } from './last-location.query';
import { PartnerDatasetController } from './partner-dataset.controller';
import { PartnerDatasetQuery } from './partner-dataset.query';
import { PartnerDatasetService } from './partner-dataset.service';
import { ProviderDevicesController } from './provider-devices.controller';
import { ProviderDevicesRepository } from './provider-devices.repository';
import { ProviderDevicesService } from './provider-devices.service';

@Module({
  imports: [AuditModule, DevicesModule],
  controllers: [ProviderDevicesController, PartnerDatasetController],
  providers: [
    ProviderDevicesService,
    ProviderDevicesRepository,
    DeviceLocationService,
    PartnerDatasetService,
    LastLocationQuery,
    PartnerDatasetQuery,
  ],
  exports: [DeviceLocationService],
})
export class AccessModule {}
