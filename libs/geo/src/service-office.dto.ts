import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  Length,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { LatLonDto } from './lat-lon.dto';

export const OFFICE_KINDS = ['branch', 'service_rep'] as const;
export type OfficeKind = (typeof OFFICE_KINDS)[number];

export class OfficePropertiesDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(300) address?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(40) phone?: string;
  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  modelsServiced?: string[];
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(300) openingHours?: string;
}

export class CreateServiceOfficeDto {
  @ApiProperty({ example: 'Santa Barbara branch' })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiProperty({ enum: OFFICE_KINDS })
  @IsIn(OFFICE_KINDS)
  kind!: OfficeKind;

  @ApiProperty({ type: LatLonDto })
  @IsObject()
  @ValidateNested()
  @Type(() => LatLonDto)
  location!: LatLonDto;

  @ApiPropertyOptional({ type: OfficePropertiesDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => OfficePropertiesDto)
  properties?: OfficePropertiesDto;
}

export class ServiceOfficeResponse {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: OFFICE_KINDS }) kind!: OfficeKind;
  @ApiProperty({ type: LatLonDto }) location!: LatLonDto;
  @ApiProperty({ type: OfficePropertiesDto }) properties!: OfficePropertiesDto;
}

export class ServiceOfficeListResponse {
  @ApiProperty({ type: [ServiceOfficeResponse] }) items!: ServiceOfficeResponse[];
}

export class OfficeImportResponse {
  /** How many offices were stored: all of the file's. */
  @ApiProperty() imported!: number;
}

/** A change to an office: any of its fields; properties, when given, replace the old ones. */
export class UpdateServiceOfficeDto extends PartialType(CreateServiceOfficeDto) {}
