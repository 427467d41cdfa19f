import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@poc/audit';
import { AuthModule } from '@poc/auth';
import { AdminDevicesController } from './admin-devices.controller';
import { DeviceAlertsController } from './device-alerts.controller';
import { DeviceAlertsRepository } from './device-alerts.repository';
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
  ],
  providers: [DevicesService, DevicesRepository, LossReportsService, LossReportsRepository, DeviceAlertsRepository],
  exports: [DevicesService, LossReportsService],
})
export class DevicesModule {}
