import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '@poc/auth';
import { LimitQuery } from '@poc/common';
import { CreateServiceOfficeDto, ServiceOfficeResponse, UpdateServiceOfficeDto } from './service-office.dto';
import { ServiceOfficesService } from './service-offices.service';

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
  @ApiBody({
    description:
      'application/json: a GeoJSON FeatureCollection of points (properties: name, kind, address, phone, ...); ' +
      'text/csv: a header row name,kind,lat,lon[,address,phone,modelsServiced,openingHours]',
  })
  import(@Body() body: unknown): Promise<{ imported: number }> {
    return this.offices.import(body);
  }

  @Patch(':id')
  update(@Param('id', ParseUUIDPipe) id: string, @Body() body: UpdateServiceOfficeDto): Promise<ServiceOfficeResponse> {
    return this.offices.update(id, body);
  }

  @Get()
  async list(@Query() query: LimitQuery): Promise<{ items: ServiceOfficeResponse[] }> {
    return { items: await this.offices.list(query.limit ?? 100) };
  }
}
