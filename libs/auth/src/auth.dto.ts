import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsIn, IsISO8601, IsOptional, IsString, IsUUID, Length, Matches, MaxLength } from 'class-validator';
import { Role, ROLES } from './role';

const USERNAME = /^[a-z0-9][a-z0-9._@-]{2,63}$/;
const USERNAME_MESSAGE = 'username must be 3-64 characters of a-z, 0-9, . _ @ -, starting with a letter or digit';

export class CredentialsDto {
  @ApiProperty({ example: 'admin' })
  @IsString()
  @MaxLength(64)
  username!: string;

  @ApiProperty({ example: 'admin-demo-pass' })
  @IsString()
  @MaxLength(128)
  password!: string;
}

export class RefreshDto {
  @ApiProperty()
  @IsString()
  @MaxLength(200)
  refreshToken!: string;
}

export class ChangePasswordDto {
  @ApiProperty()
  @IsString()
  @MaxLength(128)
  currentPassword!: string;

  @ApiProperty({ minLength: 10, maxLength: 128 })
  @IsString()
  @Length(10, 128)
  newPassword!: string;
}

const BIRTH_DATE_EXAMPLE = { example: '1950-04-01', description: 'Patients under 16 cannot hold an account' };

/** A new account's username and password, as every way of making one checks them. */
class NewAccountDto {
  @ApiProperty({ pattern: USERNAME.source })
  @Matches(USERNAME, { message: USERNAME_MESSAGE })
  username!: string;

  @ApiProperty({ minLength: 10, maxLength: 128 })
  @IsString()
  @Length(10, 128)
  password!: string;
}

export class RegisterPatientDto extends NewAccountDto {
  @ApiProperty({ example: 'jane@example.org' })
  @IsEmail()
  @MaxLength(254)
  email!: string;

  @ApiProperty({ example: '1950-04-01', description: 'Patients under 16 cannot register (privacy policy, children)' })
  @IsISO8601({ strict: true, strictSeparator: true })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'birthDate must be a date as YYYY-MM-DD' })
  birthDate!: string;
}

export class CreateProviderDto {
  @ApiProperty({ example: 'Sunrise Home Care' })
  @IsString()
  @Length(1, 200)
  name!: string;
}

export class CreateUserDto extends NewAccountDto {
  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  role!: Role;

  @ApiPropertyOptional({ description: 'Required for, and only for, role provider' })
  @IsOptional()
  @IsUUID()
  providerId?: string;

  @ApiPropertyOptional({ description: 'Required for, and only for, role patient' })
  @IsOptional()
  @IsEmail()
  @MaxLength(254)
  email?: string;

  @ApiPropertyOptional({ ...BIRTH_DATE_EXAMPLE, description: 'Required for, and only for, role patient (16 or over)' })
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'birthDate must be a date as YYYY-MM-DD' })
  birthDate?: string;
}

/** What a patient may correct of their own account (rectification, by signing in to My account). */
export class AccountCorrectionDto {
  @ApiPropertyOptional({ example: 'jane@example.org' })
  @IsOptional()
  @IsEmail()
  @MaxLength(254)
  email?: string;

  @ApiPropertyOptional(BIRTH_DATE_EXAMPLE)
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'birthDate must be a date as YYYY-MM-DD' })
  birthDate?: string;
}

/** A patient's own account, as they read it. */
export class OwnAccountResponse {
  @ApiProperty() id!: string;
  @ApiProperty() username!: string;
  @ApiProperty({ nullable: true, type: String }) email!: string | null;
  @ApiProperty({ nullable: true, type: String }) birthDate!: string | null;
  @ApiProperty() createdAt!: Date;
}

export class TokenResponse {
  @ApiProperty() accessToken!: string;
  @ApiProperty({ enum: ['Bearer'] }) tokenType!: 'Bearer';
  @ApiProperty({ description: 'seconds' }) expiresIn!: number;
  @ApiProperty() refreshToken!: string;
}

export class UserResponse {
  @ApiProperty() id!: string;
  @ApiProperty() username!: string;
  @ApiProperty({ enum: ROLES }) role!: Role;
  @ApiProperty({ nullable: true, type: String }) providerId!: string | null;
}

export class ProviderResponse {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
}

export class ProviderListResponse {
  @ApiProperty({ type: [ProviderResponse] }) items!: ProviderResponse[];
}
