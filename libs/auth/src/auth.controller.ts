import { Body, Controller, HttpCode, Ip, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Public, Roles } from './access.decorators';
import { AccountsService } from './accounts.service';
import {
  ChangePasswordDto,
  CredentialsDto,
  RefreshDto,
  RegisterPatientDto,
  TokenResponse,
  UserResponse,
} from './auth.dto';
import type { Principal } from './principal';
import { ROLES } from './role';
import { SignInService } from './sign-in.service';
import type { TokenPair } from './token.service';

@ApiTags('auth')
@Controller('v1/auth')
export class AuthController {
  constructor(
    private readonly signIn: SignInService,
    private readonly accounts: AccountsService,
  ) {}

  @Post('token')
  @Public()
  @HttpCode(200)
  @ApiOkResponse({ type: TokenResponse })
  token(@Body() body: CredentialsDto, @Ip() address: string): Promise<TokenPair> {
    return this.signIn.signIn(body.username, body.password, address);
  }

  @Post('refresh')
  @Public()
  @HttpCode(200)
  @ApiOkResponse({ type: TokenResponse })
  refresh(@Body() body: RefreshDto): Promise<TokenPair> {
    return this.signIn.refresh(body.refreshToken);
  }

  @Post('logout')
  @Roles(...ROLES)
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Signed out: the session ends' })
  async logout(@CurrentUser() caller: Principal): Promise<void> {
    await this.signIn.signOut(caller.sessionId);
  }

  @Post('password')
  @Roles(...ROLES)
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'The password is changed' })
  async changePassword(@CurrentUser() caller: Principal, @Body() body: ChangePasswordDto): Promise<void> {
    await this.signIn.changePassword(caller.userId, body.currentPassword, body.newPassword);
  }

  @Post('register')
  @Public()
  @ApiCreatedResponse({ type: UserResponse })
  register(@Body() body: RegisterPatientDto, @Ip() address: string): Promise<UserResponse> {
    return this.accounts.registerPatient(body, address);
  }
}
