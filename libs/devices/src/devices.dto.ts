import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { SERIAL_NUMBER, SERIAL_NUMBER_MESSAGE as SERIAL_MESSAGE } from '@poc/common';
import { IsOptional, IsString, IsUUID, Length, Matches, ValidateIf } from 'class-validator';
import type { DeviceAlert } from './device-alerts.repository';
import type { ClaimState, DeviceClaim, QueuedClaim } from './device-claims.repository';
import type { OwnClaim } from './device-claims.service';
import type { LossKind, LossReport } from './loss-reports.repository';

const CLAIM_STATES: ClaimState[] = ['pending_verification', 'verified', 'rejected'];
export const LOSS_KINDS: LossKind[] = ['lost', 'stolen'];

export class CreateDeviceDto {
  @ApiProperty({ example: 'G5-1234567' })
  @Matches(SERIAL_NUMBER, { message: SERIAL_MESSAGE })
  serialNumber!: string;

  @ApiProperty({ example: 'Inogen One G5' })
  @IsString()
  @Length(1, 100)
  model!: string;

  @ApiProperty({ nullable: true, type: String, description: 'providerId, or null when the manufacturer supplied it' })
  @ValidateIf((_, value) => value !== null)
  @IsUUID()
  suppliedBy!: string | null;
}

/** The registration code (with the serial, optionally), or a serial alone: a claim support verifies. */
export class LinkDeviceDto {
  @ApiPropertyOptional({ example: 'K7QM-2XPD-9HTA' })
  @IsOptional()
  @Matches(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/, { message: 'registrationCode must look like K7QM-2XPD-9HTA' })
  registrationCode?: string;

  @ApiPropertyOptional({ example: 'G5-1234567' })
  @IsOptional()
  @Matches(SERIAL_NUMBER, { message: SERIAL_MESSAGE })
  serialNumber?: string;
}

export class DeviceResponse {
  @ApiProperty() serialNumber!: string;
  @ApiProperty() model!: string;
  @ApiProperty({ nullable: true, type: String }) suppliedBy!: string | null;
  @ApiProperty() registrationCode!: string;
}

export class MqttCredentials {
  @ApiProperty({ description: 'the serial number' }) username!: string;
  @ApiProperty({ description: 'the device secret; shown once, stored only as a hash' }) password!: string;
  @ApiProperty({ example: 'poc/v1/G5-1234567/telemetry' }) topic!: string;
}

export class PendingClaimResponse {
  @ApiProperty() serialNumber!: string;
  @ApiProperty({ enum: CLAIM_STATES }) state!: string;
}

export class LinkedDeviceResponse {
  @ApiProperty() serialNumber!: string;
  @ApiProperty() model!: string;
  @ApiProperty({ type: MqttCredentials }) mqtt!: MqttCredentials;
}

/** One of the caller's own devices. */
export class OwnDeviceResponse {
  @ApiProperty() serialNumber!: string;
  @ApiProperty() model!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) linkedAt!: Date | null;
}

export class OwnDeviceListResponse {
  @ApiProperty({ type: [OwnDeviceResponse] }) items!: OwnDeviceResponse[];
}

/** The device's open loss report: the one just made, or the one already standing. */
export class LossReportResponse implements LossReport {
  @ApiProperty({ enum: LOSS_KINDS }) kind!: LossKind;
  @ApiProperty({ type: String, format: 'date-time' }) reportedAt!: Date;
}

export class DeviceAlertResponse implements DeviceAlert {
  @ApiProperty() serialNumber!: string;
  @ApiProperty({ enum: ['stolen_device_link_attempt'] }) kind!: 'stolen_device_link_attempt';
  /** The account that tried to link the device; null once that account is erased. */
  @ApiProperty({ type: String, nullable: true }) accountId!: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) at!: Date;
}

export class DeviceAlertListResponse {
  @ApiProperty({ type: [DeviceAlertResponse] }) items!: DeviceAlertResponse[];
}

/** A claim of a device by serial, as its patient sees it. */
export class OwnDeviceClaimResponse implements OwnClaim {
  @ApiProperty() id!: string;
  @ApiProperty() serialNumber!: string;
  @ApiProperty({ enum: CLAIM_STATES }) state!: ClaimState;
  @ApiProperty({ type: String, format: 'date-time' }) requestedAt!: Date;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) decidedAt!: Date | null;
  /** Why it was verified or rejected; null while pending. */
  @ApiProperty({ type: String, nullable: true }) reason!: string | null;
}

export class OwnDeviceClaimListResponse {
  @ApiProperty({ type: [OwnDeviceClaimResponse] }) items!: OwnDeviceClaimResponse[];
}

export class DeviceClaimResponse extends OwnDeviceClaimResponse implements DeviceClaim {
  @ApiProperty() patientId!: string;
}

/** What support needs to judge a claim: whether the serial exists, is linked to anyone, is reported lost. */
export class ClaimedDeviceState {
  @ApiProperty() known!: boolean;
  @ApiProperty() linked!: boolean;
  /** The open loss report's kind; null when none stands (listed in the enum too, as OpenAPI 3.0 asks). */
  @ApiProperty({ enum: [...LOSS_KINDS, null], nullable: true }) lossReport!: LossKind | null;
}

export class QueuedDeviceClaimResponse extends DeviceClaimResponse implements QueuedClaim {
  @ApiProperty({ type: ClaimedDeviceState }) device!: ClaimedDeviceState;
}

export class QueuedDeviceClaimListResponse {
  @ApiProperty({ type: [QueuedDeviceClaimResponse] }) items!: QueuedDeviceClaimResponse[];
}
