import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { DeviceAlertResponse, LossReportResponse } from '@poc/devices';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, IsString, Length, Max, Min } from 'class-validator';

/** A break-glass read: why the reader needs a location the purposes would not otherwise show (audited). */
export class StatedReasonQuery {
  @ApiPropertyOptional({ description: 'why a location is needed; support and admin only; audited with the reason' })
  @IsOptional()
  @IsString()
  @Length(3, 500)
  reason?: string;
}

export class TimeRangeQuery extends StatedReasonQuery {
  @ApiPropertyOptional({ description: 'ISO 8601; default 30 days before `to`' })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ description: 'ISO 8601, exclusive; default now' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;
}

export class TelemetryQuery extends TimeRangeQuery {
  @ApiPropertyOptional({ enum: ['asc', 'desc'], default: 'asc', description: 'by device time' })
  @IsOptional()
  @IsIn(['asc', 'desc'])
  order?: 'asc' | 'desc';
}

/** A location fix. */
export class LocationFixResponse {
  @ApiProperty() lat!: number;
  @ApiProperty() lon!: number;
  /** Metres; null when the device sent none. */
  @ApiProperty({ type: Number, nullable: true }) accuracyM!: number | null;
  /** When the fix was taken: its own time as the device sent it, else its message's. */
  @ApiProperty({ type: String, format: 'date-time' }) capturedAt!: Date;
}

/** A message's fix as the device sent it: capturedAt null when it gave the fix no time of its own. */
export class TelemetryFixResponse extends OmitType(LocationFixResponse, ['capturedAt'] as const) {
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) capturedAt!: Date | null;
}

/**
 * A device as the caller's role may see it (INTERNAL_DEVICE_VIEWS): the optional fields are absent for a role
 * that does not see them, and lastLocation also while the location's purpose does not hold.
 */
export class InternalDeviceRecordResponse {
  @ApiProperty() serialNumber!: string;
  @ApiProperty() model!: string;
  /** The provider that supplied the device; null when the manufacturer did. */
  @ApiProperty({ type: String, nullable: true }) suppliedBy!: string | null;
  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true }) linkedAt?: Date | null;
  /** While true, the patient's data is stored only: state, location and alerts are withheld (null or empty). */
  @ApiProperty() processingRestricted!: boolean;
  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true }) lastConnectedAt?: Date | null;
  @ApiPropertyOptional({ type: String, nullable: true }) errorCode?: string | null;
  @ApiPropertyOptional({ type: [String] }) errorCodes?: string[];
  @ApiPropertyOptional({ type: LocationFixResponse, nullable: true }) lastLocation?: LocationFixResponse | null;
  /** The open loss report; null while there is none. */
  @ApiPropertyOptional({ type: LossReportResponse, nullable: true })
  lossReport?: LossReportResponse | null;
  @ApiPropertyOptional({ type: [DeviceAlertResponse] }) alerts?: DeviceAlertResponse[];
}

const WITHHELD_NOTE = 'Present, with no items, while the patient restricts processing: their data is stored only.';

export class TelemetryItemResponse {
  @ApiProperty() messageId!: string;
  @ApiProperty() serialNumber!: string;
  @ApiProperty() model!: string;
  @ApiProperty({ type: String, format: 'date-time' }) sentAt!: Date;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) connectedAt!: Date | null;
  @ApiProperty({ type: [String] }) errorCodes!: string[];
  /** Null when the message had none, its patient does not allow its use, or the caller may not see it now. */
  @ApiProperty({ type: TelemetryFixResponse, nullable: true }) location!: TelemetryFixResponse | null;
  /** Why the fix was kept but not made the last location (too inaccurate, or too far from the previous fix). */
  @ApiProperty({ enum: ['inaccurate', 'implausible_speed', null], nullable: true })
  locationFlag!: 'inaccurate' | 'implausible_speed' | null;
  @ApiProperty({ type: Number, nullable: true }) batteryPct!: number | null;
  @ApiProperty({ type: Number, nullable: true }) flowSetting!: number | null;
  @ApiProperty({ type: String, nullable: true }) firmware!: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) receivedAt!: Date;
}

export class DeviceTelemetryResponse {
  @ApiProperty({ type: [TelemetryItemResponse] }) items!: TelemetryItemResponse[];
  @ApiPropertyOptional({ description: WITHHELD_NOTE }) withheld?: string;
}

export class DeviceLocationsResponse {
  @ApiProperty({ type: [LocationFixResponse] }) items!: LocationFixResponse[];
  @ApiPropertyOptional({ description: WITHHELD_NOTE }) withheld?: string;
}

/** A message refused at ingest: its reason is kept, never its payload. */
export class RejectedMessageResponse {
  /** Null when the message carried no readable id. */
  @ApiProperty({ type: String, nullable: true }) messageId!: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) receivedAt!: Date;
  @ApiProperty() reason!: string;
}

export class RejectedMessagesResponse {
  @ApiProperty({ type: [RejectedMessageResponse] }) items!: RejectedMessageResponse[];
  @ApiPropertyOptional({ description: WITHHELD_NOTE }) withheld?: string;
}

export class IngestStatsResponse {
  /** Messages stored since the given time. */
  @ApiProperty() stored!: number;
  /** Messages rejected since the given time. */
  @ApiProperty() rejected!: number;
}
