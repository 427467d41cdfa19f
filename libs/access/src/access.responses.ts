import { ApiProperty } from '@nestjs/swagger';
import { PageOf } from '@poc/common';
import type { PartnerDatasetRow } from './partner-dataset.query';
import type { ProviderDeviceView } from './provider-device.view';

/**
 * A device as its provider sees it: the fields of PROVIDER_DEVICE_FIELDS (through ProviderDeviceView), all
 * but serialNumber and model null while the patient does not share them.
 */
export class ProviderDeviceResponse implements ProviderDeviceView {
  @ApiProperty() serialNumber!: string;
  @ApiProperty() model!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lastConnectedAt!: Date | null;
  @ApiProperty({ type: String, nullable: true }) errorCode!: string | null;
  /** Described inline, not by reference: in OpenAPI 3.0, nullable allows null only beside its own type. */
  @ApiProperty({
    type: 'object',
    nullable: true,
    properties: { lat: { type: 'number' }, lon: { type: 'number' } },
    required: ['lat', 'lon'],
    selfRequired: true,
  })
  lastLocation!: { lat: number; lon: number } | null;
}

export const ProviderDevicePage = PageOf(ProviderDeviceResponse);

export class PartnerDatasetEntry implements PartnerDatasetRow {
  /** A pseudonym of the device, salted afresh for each export. */
  @ApiProperty() device!: string;
  @ApiProperty() model!: string;
  @ApiProperty({ example: '2025-03' }) month!: string;
  @ApiProperty() messages!: number;
  @ApiProperty() messagesWithErrors!: number;
}

export class PartnerDatasetResponse {
  @ApiProperty({ type: String, format: 'date-time' }) generatedAt!: Date;
  @ApiProperty({ type: String, format: 'date-time' }) from!: Date;
  @ApiProperty({ type: String, format: 'date-time' }) to!: Date;
  /** Per device and month. */
  @ApiProperty({ type: [PartnerDatasetEntry] }) items!: PartnerDatasetEntry[];
}
