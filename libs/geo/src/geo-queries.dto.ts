import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsLatitude,
  IsLongitude,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Length,
  Min,
} from 'class-validator';
import { LimitQuery, LimitUpTo, SERIAL_NUMBER } from '@poc/common';
import { LossReportResponse } from '@poc/devices';
import type { DensityCell } from './device-density.query';
import { LatLonDto } from './lat-lon.dto';
import type { NearestOffice } from './nearest-offices.query';
import { OFFICE_KINDS, OfficeKind } from './service-office.dto';

export class NearestOfficesQueryDto {
  @ApiPropertyOptional({ type: Number, minimum: -90, maximum: 90, description: 'with lon; or give serialNumber' })
  @IsOptional()
  @Type(() => Number)
  @IsNumber({ allowNaN: false })
  @IsLatitude()
  lat?: number;

  @ApiPropertyOptional({ type: Number, minimum: -180, maximum: 180, description: 'with lat; or give serialNumber' })
  @IsOptional()
  @Type(() => Number)
  @IsNumber({ allowNaN: false })
  @IsLongitude()
  lon?: number;

  @ApiPropertyOptional({
    type: String,
    pattern: SERIAL_NUMBER.source,
    description: 'instead of lat and lon: from the last location of a device the caller may see',
  })
  @IsOptional()
  @Matches(SERIAL_NUMBER)
  serialNumber?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(50)
  limit?: number;

  @ApiPropertyOptional({ enum: OFFICE_KINDS }) @IsOptional() @IsIn(OFFICE_KINDS) kind?: OfficeKind;

  @ApiPropertyOptional({ type: String, maxLength: 100, description: 'only offices that service this device model' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  model?: string;
}

export class LostDevicesQueryDto extends LimitQuery {
  @ApiProperty({ type: Number, minimum: -90, maximum: 90 })
  @Type(() => Number)
  @IsNumber({ allowNaN: false })
  @IsLatitude()
  lat!: number;

  @ApiProperty({ type: Number, minimum: -180, maximum: 180 })
  @Type(() => Number)
  @IsNumber({ allowNaN: false })
  @IsLongitude()
  lon!: number;

  @ApiProperty({ type: Number, minimum: 0.001, maximum: 1000 })
  @Type(() => Number)
  @IsNumber({ allowNaN: false })
  @Min(0.001)
  @Max(1000)
  radiusKm!: number;
}

/** minLon,minLat,maxLon,maxLat */
const BBOX = /^-?\d+(\.\d+)?(,-?\d+(\.\d+)?){3}$/;

export class MapDevicesQueryDto extends LimitUpTo(1000) {
  @ApiProperty({
    type: String,
    pattern: BBOX.source,
    description: 'minLon,minLat,maxLon,maxLat',
    example: '2.2,48.8,2.5,48.9',
  })
  @Matches(BBOX, { message: 'bbox must be minLon,minLat,maxLon,maxLat' })
  bbox!: string;

  @ApiPropertyOptional({
    type: String,
    minLength: 3,
    maxLength: 500,
    description: 'support and admin: why devices not reported lost must be shown too (a break-glass read, audited)',
  })
  @IsOptional()
  @IsString()
  @Length(3, 500)
  reason?: string;
}

export class DeviceDensityQueryDto {
  @ApiProperty({ type: Number, minimum: 1, maximum: 1000, description: 'the side of a grid cell, in km' })
  @Type(() => Number)
  @IsNumber({ allowNaN: false })
  @Min(1)
  @Max(1000)
  cellKm!: number;

  @ApiPropertyOptional({ type: String, maxLength: 100, description: 'only devices of this model' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  model?: string;
}

export class NearestOfficeResponse implements NearestOffice {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: OFFICE_KINDS }) kind!: OfficeKind;
  @ApiProperty({ type: LatLonDto }) location!: LatLonDto;
  /** Geodesic, in metres; rounded up to 10 km when ranked from a device whose location the caller may not see. */
  @ApiProperty() distanceM!: number;
}

export class NearestOfficeListResponse {
  @ApiProperty({ type: [NearestOfficeResponse] }) items!: NearestOfficeResponse[];
}

/** The device's open loss report. */
export class LostDeviceResponse {
  @ApiProperty() serialNumber!: string;
  @ApiProperty() model!: string;
  @ApiProperty({ type: LossReportResponse }) lossReport!: LossReportResponse;
  @ApiProperty({ type: LatLonDto }) lastLocation!: LatLonDto;
  /** Geodesic, in metres, from the searched point. */
  @ApiProperty() distanceM!: number;
}

export class LostDeviceListResponse {
  @ApiProperty({ type: [LostDeviceResponse] }) items!: LostDeviceResponse[];
}

export class MapDeviceResponse {
  @ApiProperty() serialNumber!: string;
  @ApiProperty() model!: string;
  @ApiProperty({ type: String, format: 'date-time' }) lastConnectedAt!: Date;
  @ApiProperty({ type: LatLonDto }) lastLocation!: LatLonDto;
  /** Null while the device stands reported neither lost nor stolen. */
  @ApiProperty({ type: LossReportResponse, nullable: true }) lossReport!: LossReportResponse | null;
}

export class MapDeviceListResponse {
  @ApiProperty({ type: [MapDeviceResponse] }) items!: MapDeviceResponse[];
}

export class PointGeometryResponse {
  @ApiProperty({ enum: ['Point'] }) type!: 'Point';
  /** [lon, lat] */
  @ApiProperty({ type: [Number] }) coordinates!: number[];
}

export class MapDeviceFeaturePropertiesResponse extends OmitType(MapDeviceResponse, ['lastLocation'] as const) {}

/** A map device as a GeoJSON Feature: its last location the geometry, the rest its properties. */
export class MapDeviceFeatureResponse {
  @ApiProperty({ enum: ['Feature'] }) type!: 'Feature';
  @ApiProperty({ type: PointGeometryResponse }) geometry!: PointGeometryResponse;
  @ApiProperty({ type: MapDeviceFeaturePropertiesResponse }) properties!: MapDeviceFeaturePropertiesResponse;
}

export class MapDeviceFeatureCollectionResponse {
  @ApiProperty({ enum: ['FeatureCollection'] }) type!: 'FeatureCollection';
  @ApiProperty({ type: [MapDeviceFeatureResponse] }) features!: MapDeviceFeatureResponse[];
}

export class DensityCellResponse implements DensityCell {
  /** The cell's centre, to three decimals: all that is said of a location. */
  @ApiProperty({ type: LatLonDto }) center!: LatLonDto;
  /** Rounded down to a multiple of k. */
  @ApiProperty() devices!: number;
}

export class DeviceDensityResponse {
  @ApiProperty() cellKm!: number;
  /** The fewest devices a cell shows: cells with fewer are left out. */
  @ApiProperty() k!: number;
  @ApiProperty({ type: [DensityCellResponse] }) cells!: DensityCellResponse[];
}
