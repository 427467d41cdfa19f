import { ApiPropertyOptional, ApiProperty } from '@nestjs/swagger';
import { LimitQuery, PageOf, SERIAL_NUMBER, SERIAL_NUMBER_MESSAGE } from '@poc/common';
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
import { ALARM_KINDS, ALARM_STATES, AlarmState, AlarmView } from './alarms.repository';
import { SEVERITIES, Severity } from './error-code.catalog';
import { DELIVERY_STATES, Delivery, WEBHOOK_EVENTS, WebhookEvent } from './webhooks.repository';

const trimmed = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class AlarmsQuery extends LimitQuery {
  @ApiPropertyOptional({ enum: ALARM_STATES }) @IsOptional() @IsIn(ALARM_STATES) state?: 'active' | 'cleared';
  @ApiPropertyOptional({ type: String, maxLength: 40, description: "The previous page's nextCursor" })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  cursor?: string;
}

export class InternalAlarmsQuery extends AlarmsQuery {
  @ApiPropertyOptional({ type: String, pattern: SERIAL_NUMBER.source })
  @IsOptional()
  @Matches(SERIAL_NUMBER, { message: SERIAL_NUMBER_MESSAGE })
  serialNumber?: string;

  @ApiPropertyOptional({ enum: SEVERITIES, description: 'Only alarms of this severity or a worse one' })
  @IsOptional()
  @IsIn(SEVERITIES)
  minSeverity?: Severity;
}

export class AcknowledgeDto {
  @ApiPropertyOptional({
    type: String,
    minLength: 1,
    maxLength: 2000,
    description: "Why, or what was done: kept with the alarm's history",
  })
  @IsOptional()
  @IsString()
  @Transform(trimmed)
  @Length(1, 2000)
  comment?: string;
}

export class CommentDto {
  @ApiProperty({ type: String, minLength: 1, maxLength: 2000 })
  @IsString()
  @Transform(trimmed)
  @Length(1, 2000)
  text!: string;
}

export class AssignDto {
  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'The user who takes the alarm, or null to leave it unassigned',
  })
  @ValidateIf((_, v) => v !== null)
  @IsUUID()
  assignee!: string | null;
}

const CODE = /^[A-Za-z0-9_.-]{1,16}$/;

export class CatalogEntryDto {
  @ApiProperty({ enum: SEVERITIES }) @IsIn(SEVERITIES) severity!: Severity;

  @ApiProperty({ type: String, minLength: 1, maxLength: 300, description: 'What a provider reads for this code' })
  @IsString()
  @Transform(trimmed)
  @Length(1, 300)
  providerText!: string;

  @ApiProperty({ type: String, minLength: 1, maxLength: 500, description: 'What support reads for this code' })
  @IsString()
  @Transform(trimmed)
  @Length(1, 500)
  supportText!: string;

  @ApiProperty({ type: String, minLength: 1, maxLength: 300, description: 'The action to take' })
  @IsString()
  @Transform(trimmed)
  @Length(1, 300)
  action!: string;
}

export class CatalogPathParams {
  @ApiProperty({ type: String, minLength: 1, maxLength: 64 }) @IsString() @Length(1, 64) model!: string;

  @ApiProperty({ type: String, pattern: CODE.source, description: 'The error code the device reports' })
  @Matches(CODE, { message: 'code must be 1 to 16 letters, digits, _ . or -' })
  code!: string;
}

export class CatalogQuery {
  @ApiPropertyOptional({ type: String, minLength: 1, maxLength: 64, description: 'Only the codes of this model' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  model?: string;
}

export class OfflinePeriodDto {
  @ApiProperty({
    type: 'integer',
    minimum: 1,
    maximum: 30 * 86400,
    description: 'How long a device of this model may stay silent before it is "offline" (seconds, up to 30 days)',
  })
  @IsInt()
  @Min(1)
  @Max(30 * 86400)
  offlineAfterSeconds!: number;
}

export class WebhookDto {
  @ApiProperty({ type: String, maxLength: 2000, description: 'An absolute https URL' })
  @IsString()
  @MaxLength(2000)
  url!: string;

  @ApiProperty({ enum: WEBHOOK_EVENTS, isArray: true, minItems: 1, maxItems: 8 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(8)
  @IsIn(WEBHOOK_EVENTS, { each: true })
  events!: WebhookEvent[];

  @ApiProperty({ enum: SEVERITIES, description: 'Only alarms of this severity or a worse one are sent' })
  @IsIn(SEVERITIES)
  minSeverity!: Severity;
}

export class DeliveriesQuery extends LimitQuery {
  @ApiPropertyOptional({ enum: DELIVERY_STATES }) @IsOptional() @IsIn(DELIVERY_STATES) state?: string;
}

/** An alarm as a provider reads it (`text` is the catalog's provider text). */
export class AlarmResponse {
  @ApiProperty() id!: string;
  @ApiProperty() serialNumber!: string;
  @ApiProperty({ enum: ALARM_KINDS }) kind!: AlarmView['kind'];
  /** The device's error code; null for an "offline" alarm. */
  @ApiProperty({ type: String, nullable: true }) code!: string | null;
  @ApiProperty({ enum: SEVERITIES }) severity!: Severity;
  @ApiProperty() text!: string;
  @ApiProperty({ enum: ALARM_STATES }) state!: AlarmState;
  @ApiProperty() acknowledged!: boolean;
  @ApiProperty({ type: String, format: 'date-time' }) raisedAt!: Date;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) clearedAt!: Date | null;
}

export const AlarmPage = PageOf(AlarmResponse);

export class AlarmCommentResponse {
  @ApiProperty() id!: string;
  /** The commenting user's id. */
  @ApiProperty() author!: string;
  @ApiProperty() text!: string;
  @ApiProperty({ type: String, format: 'date-time' }) at!: Date;
}

/** One alarm with its comments: a provider sees its own staff's. */
export class AlarmWithCommentsResponse extends AlarmResponse {
  @ApiProperty({ type: [AlarmCommentResponse] }) comments!: AlarmCommentResponse[];
}

/** An alarm as support reads it (`text` is the catalog's support text). */
export class InternalAlarmResponse extends AlarmResponse {
  /** The catalog's action; null for an unknown code or an "offline" alarm. */
  @ApiProperty({ type: String, nullable: true }) action!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) acknowledgedAt!: Date | null;
  @ApiProperty({ type: String, nullable: true }) acknowledgedBy!: string | null;
  @ApiProperty({ type: String, nullable: true }) assignee!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) escalatedAt!: Date | null;
}

export const InternalAlarmPage = PageOf(InternalAlarmResponse);

/** One alarm with every comment on it. */
export class InternalAlarmWithCommentsResponse extends InternalAlarmResponse {
  @ApiProperty({ type: [AlarmCommentResponse] }) comments!: AlarmCommentResponse[];
}

export class AlarmCodeResponse {
  @ApiProperty() model!: string;
  @ApiProperty() code!: string;
  @ApiProperty({ enum: SEVERITIES }) severity!: Severity;
  @ApiProperty() providerText!: string;
  @ApiProperty() supportText!: string;
  @ApiProperty() action!: string;
}

export class AlarmCodesResponse {
  @ApiProperty({ type: [AlarmCodeResponse] }) items!: AlarmCodeResponse[];
}

export class AlarmModelResponse {
  @ApiProperty() model!: string;
  @ApiProperty() offlineAfterSeconds!: number;
}

export class WebhookResponse {
  @ApiProperty() id!: string;
  @ApiProperty() url!: string;
  @ApiProperty({ enum: WEBHOOK_EVENTS, isArray: true }) events!: WebhookEvent[];
  @ApiProperty({ enum: SEVERITIES }) minSeverity!: Severity;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: Date;
}

/** A webhook just registered, with its signing secret: shown this once. */
export class RegisteredWebhookResponse extends WebhookResponse {
  @ApiProperty() secret!: string;
}

export class WebhooksResponse {
  @ApiProperty({ type: [WebhookResponse] }) items!: WebhookResponse[];
}

export class WebhookDeliveryResponse {
  @ApiProperty() id!: string;
  @ApiProperty() alarmId!: string;
  @ApiProperty({ enum: WEBHOOK_EVENTS }) event!: WebhookEvent;
  @ApiProperty({ enum: DELIVERY_STATES }) state!: Delivery['state'];
  @ApiProperty() attempts!: number;
  /** The HTTP status the last attempt got; null when it got none. */
  @ApiProperty({ type: Number, nullable: true }) lastStatus!: number | null;
  @ApiProperty({ type: String, nullable: true }) lastError!: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) nextAttemptAt!: Date;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) deliveredAt!: Date | null;
}

export class WebhookDeliveriesResponse {
  @ApiProperty({ type: [WebhookDeliveryResponse] }) items!: WebhookDeliveryResponse[];
}
