import { Controller, Get, Headers, Query, Res } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { CurrentUser, Principal, Roles, ROLES } from '@poc/auth';
import type { Response } from 'express';
import {
  DeviceDensityQueryDto,
  DeviceDensityResponse,
  LostDeviceListResponse,
  LostDevicesQueryDto,
  MapDeviceFeatureCollectionResponse,
  MapDeviceListResponse,
  MapDevicesQueryDto,
  NearestOfficeListResponse,
  NearestOfficesQueryDto,
} from './geo-queries.dto';
import { asFeatureCollection, GeoQueriesService } from './geo-queries.service';

@ApiTags('geo')
@Controller('v1')
export class GeoQueriesController {
  constructor(private readonly geo: GeoQueriesService) {}

  @Get('service-offices/nearest')
  @Roles(...ROLES)
  @ApiOkResponse({ type: NearestOfficeListResponse })
  nearestOffices(
    @CurrentUser() caller: Principal,
    @Query() query: NearestOfficesQueryDto,
  ): Promise<NearestOfficeListResponse> {
    return this.geo.nearestOffices(caller, query);
  }

  @Get('internal/lost-devices')
  @Roles('field_service', 'support', 'admin')
  @ApiOkResponse({ type: LostDeviceListResponse })
  lostDevices(@CurrentUser() caller: Principal, @Query() query: LostDevicesQueryDto): Promise<LostDeviceListResponse> {
    return this.geo.lostDevices(caller, query);
  }

  @Get('internal/devices')
  @Roles('support', 'field_service', 'admin')
  @ApiExtraModels(MapDeviceListResponse, MapDeviceFeatureCollectionResponse)
  @ApiOkResponse({
    description: 'A GeoJSON FeatureCollection when the request accepts application/geo+json',
    content: {
      'application/json': { schema: { $ref: getSchemaPath(MapDeviceListResponse) } },
      'application/geo+json': { schema: { $ref: getSchemaPath(MapDeviceFeatureCollectionResponse) } },
    },
  })
  async devicesInBox(
    @CurrentUser() caller: Principal,
    @Query() query: MapDevicesQueryDto,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<MapDeviceListResponse | MapDeviceFeatureCollectionResponse> {
    const devices = await this.geo.devicesInBox(caller, query);
    if (!accept?.includes('application/geo+json')) return devices;
    response.type('application/geo+json');
    return asFeatureCollection(devices);
  }

  @Get('internal/reports/device-density')
  @Roles('admin')
  @ApiOkResponse({ type: DeviceDensityResponse })
  deviceDensity(
    @CurrentUser() caller: Principal,
    @Query() query: DeviceDensityQueryDto,
  ): Promise<DeviceDensityResponse> {
    return this.geo.deviceDensity(caller, query);
  }
}
