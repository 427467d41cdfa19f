export { GeoModule } from './geo.module';
export { CreateServiceOfficeDto } from './service-office.dto';
export { ServiceOfficesService } from './service-offices.service';
