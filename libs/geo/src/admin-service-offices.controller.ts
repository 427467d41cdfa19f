import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '@poc/auth';
import { LimitQuery } from '@poc/common';
import {
  CreateServiceOfficeDto,
  OfficeImportResponse,
  ServiceOfficeListResponse,
  ServiceOfficeResponse,
  UpdateServiceOfficeDto,
} from './service-office.dto';
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
  @ApiCreatedResponse({ type: OfficeImportResponse })
  @ApiConsumes('application/json', 'text/csv')
  @ApiBody({
    description:
      'application/json: a GeoJSON FeatureCollection of points (properties: name, kind, address, phone, ...); ' +
      'text/csv: a header row name,kind,lat,lon[,address,phone,modelsServiced,openingHours]',
    schema: {
      oneOf: [
        {
          type: 'object',
          required: ['type', 'features'],
          properties: { type: { enum: ['FeatureCollection'] }, features: { type: 'array', items: { type: 'object' } } },
        },
        { type: 'string', description: 'the CSV text' },
      ],
    },
  })
  import(@Body() body: unknown): Promise<OfficeImportResponse> {
    return this.offices.import(body);
  }

  @Patch(':id')
  @ApiOkResponse({ type: ServiceOfficeResponse })
  update(@Param('id', ParseUUIDPipe) id: string, @Body() body: UpdateServiceOfficeDto): Promise<ServiceOfficeResponse> {
    return this.offices.update(id, body);
  }

  @Get()
  @ApiOkResponse({ type: ServiceOfficeListResponse })
  async list(@Query() query: LimitQuery): Promise<ServiceOfficeListResponse> {
    return { items: await this.offices.list(query.limit ?? 100) };
  }
}
