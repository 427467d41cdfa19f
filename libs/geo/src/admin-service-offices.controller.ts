import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '@poc/auth';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { CreateServiceOfficeDto, ServiceOfficeResponse } from './service-office.dto';
import { ServiceOfficesService } from './service-offices.service';

class ListQuery {
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500) limit?: number;
}

@ApiTags('admin')
@Controller('v1/admin/service-offices')
@Roles('admin')
export class AdminServiceOfficesController {
  constructor(private readonly offices: ServiceOfficesService) {}

  @Post()
  @ApiCreatedResponse({ type: ServiceOfficeResponse })
  create(@Body() body: CreateServiceOfficeDto): Promise<ServiceOfficeResponse> {
    return this.offices.create(body);
  }

  @Post('import')
  @HttpCode(201)
  @ApiBody({ description: 'GeoJSON FeatureCollection of points; properties: name, kind, address, phone, ...' })
  importGeoJson(@Body() body: unknown): Promise<{ imported: number }> {
    return this.offices.importGeoJson(body);
  }

  @Get()
  async list(@Query() query: ListQuery): Promise<{ items: ServiceOfficeResponse[] }> {
    return { items: await this.offices.list(query.limit ?? 100) };
  }
}
