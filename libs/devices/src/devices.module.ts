import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '@poc/auth';
import { AdminDevicesController } from './admin-devices.controller';
import { DeviceEntity } from './device.entity';
import { DevicesRepository } from './devices.repository';
import { DevicesService } from './devices.service';
import { MyDevicesController } from './my-devices.controller';

@Module({
  imports: [AuthModule, TypeOrmModule.forFeature([DeviceEntity])],
  controllers: [AdminDevicesController, MyDevicesController],
  providers: [DevicesService, DevicesRepository],
  exports: [DevicesService],
})
export class DevicesModule {}
