import { Module } from '@nestjs/common';
import { AdminServiceOfficesController } from './admin-service-offices.controller';
import { ServiceOfficesRepository } from './service-offices.repository';
import { ServiceOfficesService } from './service-offices.service';

@Module({
  controllers: [AdminServiceOfficesController],
  providers: [ServiceOfficesService, ServiceOfficesRepository],
  exports: [ServiceOfficesService],
})
export class GeoModule {}
