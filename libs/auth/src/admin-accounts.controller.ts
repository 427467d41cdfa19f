import { Body, Controller, Get, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles } from './access.decorators';
import { AccountsService } from './accounts.service';
import type { Principal } from './principal';
import { CreateProviderDto, CreateUserDto, ProviderListResponse, ProviderResponse, UserResponse } from './auth.dto';

@ApiTags('admin')
@Controller('v1/admin')
@Roles('admin')
export class AdminAccountsController {
  constructor(private readonly accounts: AccountsService) {}

  @Post('providers')
  @ApiCreatedResponse({ type: ProviderResponse })
  createProvider(@Body() body: CreateProviderDto): Promise<ProviderResponse> {
    return this.accounts.createProvider(body.name);
  }

  @Get('providers')
  @ApiOkResponse({ type: ProviderListResponse })
  async listProviders(): Promise<ProviderListResponse> {
    return { items: await this.accounts.listProviders() };
  }

  @Post('users')
  @ApiCreatedResponse({ type: UserResponse })
  createUser(@CurrentUser() admin: Principal, @Body() body: CreateUserDto): Promise<UserResponse> {
    return this.accounts.createUser(body, admin);
  }
}
