import { Injectable } from '@nestjs/common';
import { parseOfficeCsv, parseOfficeFeatureCollection } from './office-import.parser';
import { DomainError } from '@poc/common';
import type {
  CreateServiceOfficeDto,
  OfficeImportResponse,
  ServiceOfficeResponse,
  UpdateServiceOfficeDto,
} from './service-office.dto';
import { ServiceOfficesRepository } from './service-offices.repository';

@Injectable()
export class ServiceOfficesService {
  constructor(private readonly offices: ServiceOfficesRepository) {}

  async create(dto: CreateServiceOfficeDto): Promise<ServiceOfficeResponse> {
    const [office] = await this.offices.insertAll([dto]);
    return office;
  }

  /** A GeoJSON FeatureCollection (parsed JSON) or CSV text; all offices are stored or none. */
  async import(body: unknown): Promise<OfficeImportResponse> {
    const parsed = typeof body === 'string' ? parseOfficeCsv(body) : parseOfficeFeatureCollection(body);
    const offices = await this.offices.insertAll(parsed);
    return { imported: offices.length };
  }

  async update(id: string, change: UpdateServiceOfficeDto): Promise<ServiceOfficeResponse> {
    const office = await this.offices.update(id, change);
    if (!office) throw new DomainError('not_found', 'No such service office');
    return office;
  }

  list(limit: number): Promise<ServiceOfficeResponse[]> {
    return this.offices.list(limit);
  }

  count(): Promise<number> {
    return this.offices.count();
  }
}
