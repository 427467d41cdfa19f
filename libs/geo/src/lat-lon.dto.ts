import { ApiProperty } from '@nestjs/swagger';
import { IsLatitude, IsLongitude, IsNumber } from 'class-validator';

export class LatLonDto {
  @ApiProperty({ minimum: -90, maximum: 90, example: 34.4358 })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @IsLatitude()
  lat!: number;

  @ApiProperty({ minimum: -180, maximum: 180, example: -119.8276 })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @IsLongitude()
  lon!: number;
}
