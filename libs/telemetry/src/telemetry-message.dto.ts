import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';

// ISO 8601 with an explicit zone: a device time without one cannot be ordered against others.
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
const instant = (field: string) => Matches(INSTANT, { message: `${field} must be an ISO 8601 time with a zone` });
const FINITE = { allowNaN: false, allowInfinity: false };

export class TelemetryLocationDto {
  @IsNumber(FINITE) @Min(-90) @Max(90) lat!: number;
  @IsNumber(FINITE) @Min(-180) @Max(180) lon!: number;
  @IsOptional() @IsNumber(FINITE) @Min(0) @Max(1_000_000) accuracyM?: number;
  @IsOptional() @instant('location.capturedAt') capturedAt?: string;
}

/** The device link's payload on `poc/v1/{serial}/telemetry`, as the contract fixes it. */
export class TelemetryMessageDto {
  @IsString()
  @Length(1, 64)
  @Matches(/^[\w-]+$/, { message: 'messageId must be 1-64 of A-Z a-z 0-9 _ -' })
  messageId!: string;

  @IsString() @Length(1, 64) serialNumber!: string;

  @IsString() @Length(1, 100) model!: string;

  @instant('sentAt') sentAt!: string;

  @IsOptional() @instant('connectedAt') connectedAt?: string;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(32)
  @Matches(/^[\w.-]{1,32}$/, { each: true, message: 'errorCodes must hold codes of 1-32 of A-Z a-z 0-9 _ . -' })
  errorCodes?: string[];

  @IsOptional() @IsObject() @ValidateNested() @Type(() => TelemetryLocationDto) location?: TelemetryLocationDto;

  @IsOptional() @IsNumber(FINITE) @Min(0) @Max(100) batteryPct?: number;

  @IsOptional() @IsNumber(FINITE) @Min(0) @Max(10) flowSetting?: number;

  @IsOptional() @IsString() @MaxLength(32) firmware?: string;
}
