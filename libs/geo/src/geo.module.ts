import { Module } from '@nestjs/common';
import { AccessModule } from '@poc/access';
import { AuditModule } from '@poc/audit';
import { AdminServiceOfficesController } from './admin-service-offices.controller';
import { DeviceDensityQuery } from './device-density.query';
import { GeoQueriesController } from './geo-queries.controller';
import { GeoQueriesService } from './geo-queries.service';
import { MapDevicesQuery } from './map-devices.query';
import { LostDevicesQuery } from './lost-devices.query';
import { NearestOfficesQuery } from './nearest-offices.query';
import { ServiceOfficesRepository } from './service-offices.repository';
import { ServiceOfficesService } from './service-offices.service';

@Module({
  imports: [AccessModule, AuditModule],
  controllers: [AdminServiceOfficesController, GeoQueriesController],
  providers: [
    ServiceOfficesService,
    GeoQueriesService,
    ServiceOfficesRepository,
    NearestOfficesQuery,
    LostDevicesQuery,
    MapDevicesQuery,
    DeviceDensityQuery,
  ],
  exports: [ServiceOfficesService],
})
export class GeoModule {}
