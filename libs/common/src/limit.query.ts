import { Type as ClassType } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

/** A query's page size, from 1 to `max`. */
export function LimitUpTo(max: number): ClassType<{ limit?: number }> {
  class Limit {
    @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: max })
    @IsOptional()
    @Type(() => Number)
    @IsInt()
    @Min(1)
    @Max(max)
    limit?: number;
  }
  return Limit;
}

/** The page size every list endpoint accepts: at most 500, so no single response grows without bound. */
export class LimitQuery extends LimitUpTo(500) {}
