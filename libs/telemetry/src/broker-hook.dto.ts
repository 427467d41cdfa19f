import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, MaxLength } from 'class-validator';

// The bodies EMQX 5 (HTTP authentication and authorization, with the templates in docs/brokers.md) and
// mosquitto-go-auth's HTTP backend (auth_opt_http_params_mode json) send.

export class BrokerAuthRequest {
  @ApiProperty() @IsString() @MaxLength(128) clientid!: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(128) username?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(256) password?: string;
}

export class BrokerAclRequest {
  @ApiProperty() @IsString() @MaxLength(128) clientid!: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(128) username?: string;
  @ApiProperty() @IsString() @MaxLength(512) topic!: string;
  @ApiPropertyOptional({ enum: ['publish', 'subscribe'], description: "EMQX's action" })
  @IsOptional()
  @IsIn(['publish', 'subscribe'])
  action?: 'publish' | 'subscribe';
  @ApiPropertyOptional({ description: "mosquitto-go-auth's access: 1 read, 2 write, 3 both, 4 subscribe" })
  @IsOptional()
  @IsInt()
  @IsIn([1, 2, 3, 4])
  acc?: number;
  // EMQX's templates send values as text ("1", "true") unless told otherwise.
  @ApiPropertyOptional()
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' && /^[0-2]$/.test(value) ? Number(value) : value))
  @IsInt()
  @IsIn([0, 1, 2])
  qos?: number;
  @ApiPropertyOptional()
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  retain?: boolean;
}

/** EMQX reads `result`; mosquitto-go-auth (json mode) reads `ok`. */
export class BrokerVerdictResponse {
  @ApiProperty({ enum: ['allow', 'deny'] }) result!: 'allow' | 'deny';
  @ApiProperty() ok!: boolean;
  @ApiProperty() is_superuser!: false;
}
