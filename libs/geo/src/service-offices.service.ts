import { Injectable } from '@nestjs/common';
import { parseOfficeFeatureCollection } from './office-import.parser';
import type { CreateServiceOfficeDto, ServiceOfficeResponse } from './service-office.dto';
import { ServiceOfficesRepository } from './service-offices.repository';

@Injectable()
export class ServiceOfficesService {
  constructor(private readonly offices: ServiceOfficesRepository) {}

  async create(dto: CreateServiceOfficeDto): Promise<ServiceOfficeResponse> {
    const [office] = await this.offices.insertAll([dto]);
    return office;
  }

  async importGeoJson(body: unknown): Promise<{ imported: number }> {
    const offices = await this.offices.insertAll(parseOfficeFeatureCollection(body));
    return { imported: offices.length };
  }

  list(limit: number): Promise<ServiceOfficeResponse[]> {
    return this.offices.list(limit);
  }

  count(): Promise<number> {
    return this.offices.count();
  }
}
