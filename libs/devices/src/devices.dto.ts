import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { SERIAL_NUMBER, SERIAL_NUMBER_MESSAGE as SERIAL_MESSAGE } from '@poc/common';
import { IsOptional, IsString, IsUUID, Length, Matches, ValidateIf } from 'class-validator';

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
  @ApiProperty({ enum: ['pending_verification', 'verified', 'rejected'] }) state!: string;
}

export class LinkedDeviceResponse {
  @ApiProperty() serialNumber!: string;
  @ApiProperty() model!: string;
  @ApiProperty({ type: MqttCredentials }) mqtt!: MqttCredentials;
}
