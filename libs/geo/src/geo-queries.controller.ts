import { Controller, Get, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { DeviceLocationService } from '@poc/access';
import { AuditService } from '@poc/audit';
import { CurrentUser, Principal, Roles, ROLES } from '@poc/auth';
import { DomainError } from '@poc/common';
import { LostDevicesQueryDto, NearestOfficesQueryDto } from './geo-queries.dto';
import { LostDevicesQuery } from './lost-devices.query';
import { NearestOfficesQuery } from './nearest-offices.query';

@ApiTags('geo')
@Controller('v1')
export class GeoQueriesController {
  constructor(
    private readonly nearest: NearestOfficesQuery,
    private readonly lost: LostDevicesQuery,
    private readonly locations: DeviceLocationService,
    private readonly audit: AuditService,
  ) {}

  /** Nearest service offices to a point, or to a device the caller may see (its last location). */
  @Get('service-offices/nearest')
  @Roles(...ROLES)
  async nearestOffices(@CurrentUser() caller: Principal, @Query() query: NearestOfficesQueryDto) {
    const byPoint = query.lat !== undefined || query.lon !== undefined;
    if (
      byPoint === (query.serialNumber !== undefined) ||
      (byPoint && (query.lat === undefined || query.lon === undefined))
    ) {
      throw new DomainError('invalid', 'give lat and lon, or serialNumber', 'lat');
    }
    const point = byPoint
      ? { lat: query.lat as number, lon: query.lon as number }
      : await this.locations.lastLocationOf(caller, query.serialNumber as string, 'nearest-offices.by-device');
    return { items: await this.nearest.run(point, query.limit ?? 5, { kind: query.kind, model: query.model }) };
  }

  /** Devices reported lost or stolen whose last location lies within the radius, nearest first. */
  @Get('internal/lost-devices')
  @Roles('field_service', 'support', 'admin')
  async lostDevices(@CurrentUser() caller: Principal, @Query() query: LostDevicesQueryDto) {
    const rows = await this.lost.near({ lat: query.lat, lon: query.lon }, query.radiusKm * 1000, query.limit ?? 100);
    await this.audit.record(
      caller,
      'internal.lost-devices.search',
      rows.map((r) => ({
        serialNumber: r.serialNumber,
        patientId: r.patientId,
        fields: ['lastLocation', 'lossReport'],
      })),
    );
    return {
      items: rows.map((r) => ({
        serialNumber: r.serialNumber,
        model: r.model,
        lossReport: { kind: r.kind, reportedAt: r.reportedAt },
        lastLocation: { lat: r.lat, lon: r.lon },
        distanceM: r.distanceM,
      })),
    };
  }
}
