import { ApiPropertyOptional, ApiProperty } from '@nestjs/swagger';
import { LimitQuery, SERIAL_NUMBER, SERIAL_NUMBER_MESSAGE } from '@poc/common';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';
import { SEVERITIES, Severity } from './error-code.catalog';
import { WEBHOOK_EVENTS, WebhookEvent } from './webhooks.repository';

const trimmed = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class AlarmsQuery extends LimitQuery {
  @IsOptional() @IsIn(['active', 'cleared']) state?: 'active' | 'cleared';
  @IsOptional() @IsString() @MaxLength(40) cursor?: string;
}

export class InternalAlarmsQuery extends AlarmsQuery {
  @IsOptional() @Matches(SERIAL_NUMBER, { message: SERIAL_NUMBER_MESSAGE }) serialNumber?: string;
  @IsOptional() @IsIn(SEVERITIES) minSeverity?: Severity;
}

export class AcknowledgeDto {
  /** Why, or what was done: kept with the alarm's history. */
  @ApiPropertyOptional() @IsOptional() @IsString() @Transform(trimmed) @Length(1, 2000) comment?: string;
}

export class CommentDto {
  @ApiProperty() @IsString() @Transform(trimmed) @Length(1, 2000) text!: string;
}

export class AssignDto {
  /** The user who takes the alarm, or null to leave it unassigned. */
  @ApiProperty({ nullable: true }) @ValidateIf((_, v) => v !== null) @IsUUID() assignee!: string | null;
}

const CODE = /^[A-Za-z0-9_.-]{1,16}$/;

export class CatalogEntryDto {
  @ApiProperty() @IsIn(SEVERITIES) severity!: Severity;
  @ApiProperty() @IsString() @Transform(trimmed) @Length(1, 300) providerText!: string;
  @ApiProperty() @IsString() @Transform(trimmed) @Length(1, 500) supportText!: string;
  @ApiProperty() @IsString() @Transform(trimmed) @Length(1, 300) action!: string;
}

export class CatalogPathParams {
  @IsString() @Length(1, 64) model!: string;
  @Matches(CODE, { message: 'code must be 1 to 16 letters, digits, _ . or -' }) code!: string;
}

export class CatalogQuery {
  @IsOptional() @IsString() @Length(1, 64) model?: string;
}

export class OfflinePeriodDto {
  /** How long a device of this model may stay silent before it is "offline" (seconds, up to 30 days). */
  @ApiProperty() @IsInt() @Min(1) @Max(30 * 86400) offlineAfterSeconds!: number;
}

export class WebhookDto {
  @ApiProperty() @IsString() @MaxLength(2000) url!: string;
  @ApiProperty({ enum: WEBHOOK_EVENTS, isArray: true })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(8)
  @IsIn(WEBHOOK_EVENTS, { each: true })
  events!: WebhookEvent[];
  @ApiProperty({ enum: SEVERITIES }) @IsIn(SEVERITIES) minSeverity!: Severity;
}

export class DeliveriesQuery extends LimitQuery {
  @IsOptional() @IsIn(['pending', 'delivered', 'dead', 'withheld']) state?: string;
}
