import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@poc/audit';
import { AuthModule } from '@poc/auth';
import { AdminDevicesController } from './admin-devices.controller';
import { DeviceAlertsController } from './device-alerts.controller';
import { DeviceAlertsRepository } from './device-alerts.repository';
import { DeviceClaimsQueueController, MyDeviceClaimsController } from './device-claims.controller';
import { DeviceClaimsRepository } from './device-claims.repository';
import { DeviceClaimsService } from './device-claims.service';
import { DeviceCredentialStores } from './device-credentials';
import { DeviceLinksService } from './device-links.service';
import { DeviceSecretsController } from './device-secrets.controller';
import { DeviceEntity } from './device.entity';
import { DevicesRepository } from './devices.repository';
import { DevicesService } from './devices.service';
import { InternalLossReportsController, MyLossReportsController } from './loss-reports.controller';
import { LossReportsRepository } from './loss-reports.repository';
import { LossReportsService } from './loss-reports.service';
import { MyDevicesController } from './my-devices.controller';

@Module({
  imports: [AuditModule, AuthModule, TypeOrmModule.forFeature([DeviceEntity])],
  controllers: [
    AdminDevicesController,
    MyDevicesController,
    MyLossReportsController,
    InternalLossReportsController,
    DeviceAlertsController,
    DeviceSecretsController,
    MyDeviceClaimsController,
    DeviceClaimsQueueController,
  ],
  providers: [
    DevicesService,
    DevicesRepository,
    LossReportsService,
    LossReportsRepository,
    DeviceAlertsRepository,
    DeviceLinksService,
    DeviceClaimsService,
    DeviceClaimsRepository,
    DeviceCredentialStores,
  ],
  exports: [DevicesService, LossReportsService, DeviceCredentialStores],
})
export class DevicesModule {}
