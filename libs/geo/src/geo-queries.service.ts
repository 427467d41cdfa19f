import { Injectable } from '@nestjs/common';
import { DeviceLocationService, InternalRole, mayStateReasonForLocations } from '@poc/access';
import { AuditService } from '@poc/audit';
import type { Principal } from '@poc/auth';
import { DomainError } from '@poc/common';
import { AppConfig } from '@poc/config';
import { DeviceDensityQuery } from './device-density.query';
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
import { LostDevicesQuery } from './lost-devices.query';
import { MapDevicesQuery } from './map-devices.query';
import { inDistanceBands, NearestOfficesQuery } from './nearest-offices.query';

/** The map questions: nearest offices, lost devices near a point, devices in a box, density; each read audited. */
@Injectable()
export class GeoQueriesService {
  constructor(
    private readonly nearest: NearestOfficesQuery,
    private readonly lost: LostDevicesQuery,
    private readonly locations: DeviceLocationService,
    private readonly audit: AuditService,
    private readonly map: MapDevicesQuery,
    private readonly density: DeviceDensityQuery,
    private readonly config: AppConfig,
  ) {}

  /** Nearest service offices to a point, or to a device the caller may see (its last location). */
  async nearestOffices(caller: Principal, query: NearestOfficesQueryDto): Promise<NearestOfficeListResponse> {
    const byPoint = query.lat !== undefined || query.lon !== undefined;
    if (
      byPoint === (query.serialNumber !== undefined) ||
      (byPoint && (query.lat === undefined || query.lon === undefined))
    ) {
      throw new DomainError('invalid', 'give lat and lon, or serialNumber', 'lat');
    }
    const { point, shown } = byPoint
      ? { point: { lat: query.lat as number, lon: query.lon as number }, shown: true }
      : await this.locations.lastLocationOf(caller, query.serialNumber as string, 'nearest-offices.by-device');
    const items = await this.nearest.run(point, query.limit ?? 5, { kind: query.kind, model: query.model });
    return { items: shown ? items : inDistanceBands(items) };
  }

  /** Devices reported lost or stolen whose last location lies within the radius, nearest first. */
  async lostDevices(caller: Principal, query: LostDevicesQueryDto): Promise<LostDeviceListResponse> {
    const rows = await this.lost.near({ lat: query.lat, lon: query.lon }, query.radiusKm * 1000, query.limit ?? 100);
    await this.audit.recordEach(caller, 'internal.lost-devices.search', rows, ['lastLocation', 'lossReport']);
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

  /**
   * Devices whose last location lies in a lon/lat box: those reported lost or stolen, and (support, admin)
   * the others only with a stated reason.
   */
  async devicesInBox(caller: Principal, query: MapDevicesQueryDto): Promise<MapDeviceListResponse> {
    const [minLon, minLat, maxLon, maxLat] = query.bbox.split(',').map(Number);
    if (minLon < -180 || maxLon > 180 || minLat < -90 || maxLat > 90 || minLon > maxLon || minLat > maxLat) {
      throw new DomainError(
        'invalid',
        'bbox must be minLon,minLat,maxLon,maxLat within [-180,180] x [-90,90], min <= max',
        'bbox',
      );
    }
    // The policy's purpose for a location is finding lost or stolen equipment: others only with a stated reason.
    const stated = query.reason !== undefined && mayStateReasonForLocations(caller.role as InternalRole);
    const rows = await this.map.inBox([minLon, minLat, maxLon, maxLat], !stated, query.limit ?? 500);
    await this.audit.record(
      caller,
      stated ? 'internal.devices.map.stated' : 'internal.devices.map',
      rows.map((r) => ({
        serialNumber: r.serialNumber,
        patientId: r.patientId,
        fields: ['lastLocation', 'lastConnectedAt'],
      })),
      stated ? query.reason : undefined,
    );
    return {
      items: rows.map((r) => ({
        serialNumber: r.serialNumber,
        model: r.model,
        lastConnectedAt: r.lastConnectedAt,
        lastLocation: { lat: r.lat, lon: r.lon },
        lossReport: r.lossKind && r.lossReportedAt ? { kind: r.lossKind, reportedAt: r.lossReportedAt } : null,
      })),
    };
  }

  /** De-identified: devices per equal-area grid cell, cells under k suppressed, counts rounded down to k. */
  async deviceDensity(caller: Principal, query: DeviceDensityQueryDto): Promise<DeviceDensityResponse> {
    const k = this.config.DENSITY_MIN_K;
    const cells = await this.density.run(query.cellKm, k, query.model);
    await this.audit.record(caller, 'report.device-density', [
      { serialNumber: null, patientId: null, fields: ['density'] },
    ]);
    return { cellKm: query.cellKm, k, cells };
  }
}

/** The map's devices as a GeoJSON FeatureCollection: each a Point, its other fields the properties. */
export const asFeatureCollection = ({ items }: MapDeviceListResponse): MapDeviceFeatureCollectionResponse => ({
  type: 'FeatureCollection',
  features: items.map(({ lastLocation, ...properties }) => ({
    type: 'Feature',
    geometry: { type: 'Point', coordinates: [lastLocation.lon, lastLocation.lat] },
    properties,
  })),
});
