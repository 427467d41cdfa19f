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
import { SERIAL_NUMBER } from '@poc/common';
import { OFFICE_KINDS, OfficeKind } from './service-office.dto';

export class NearestOfficesQueryDto {
  @IsOptional() @Type(() => Number) @IsNumber({ allowNaN: false }) @IsLatitude() lat?: number;
  @IsOptional() @Type(() => Number) @IsNumber({ allowNaN: false }) @IsLongitude() lon?: number;
  @IsOptional() @Matches(SERIAL_NUMBER) serialNumber?: string;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(50) limit?: number;
  @IsOptional() @IsIn(OFFICE_KINDS) kind?: OfficeKind;
  @IsOptional() @IsString() @MaxLength(100) model?: string;
}

export class LostDevicesQueryDto {
  @Type(() => Number) @IsNumber({ allowNaN: false }) @IsLatitude() lat!: number;
  @Type(() => Number) @IsNumber({ allowNaN: false }) @IsLongitude() lon!: number;
  @Type(() => Number) @IsNumber({ allowNaN: false }) @Min(0.001) @Max(1000) radiusKm!: number;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500) limit?: number;
}

export class MapDevicesQueryDto {
  @Matches(/^-?\d+(\.\d+)?(,-?\d+(\.\d+)?){3}$/, { message: 'bbox must be minLon,minLat,maxLon,maxLat' })
  bbox!: string;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000) limit?: number;
  /** Support and admin: why devices not reported lost must be shown too (a break-glass read, audited). */
  @IsOptional() @IsString() @Length(3, 500) reason?: string;
}

export class DeviceDensityQueryDto {
  @Type(() => Number) @IsNumber({ allowNaN: false }) @Min(1) @Max(1000) cellKm!: number;
  @IsOptional() @IsString() @MaxLength(100) model?: string;
}
