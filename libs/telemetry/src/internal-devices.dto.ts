import { ApiPropertyOptional } from '@nestjs/swagger';
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
