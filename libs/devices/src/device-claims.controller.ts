import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CurrentUser, Principal, Roles } from '@poc/auth';
import { LimitQuery } from '@poc/common';
import { IsString, Length } from 'class-validator';
import { DeviceClaimsService } from './device-claims.service';

class ClaimDecisionDto {
  @IsString() @Length(3, 500) reason!: string;
}

/** A patient's own claims of devices by serial, and what became of them. */
@ApiTags('patient')
@Controller('v1/me/device-claims')
@Roles('patient')
export class MyDeviceClaimsController {
  constructor(private readonly claims: DeviceClaimsService) {}

  @Get()
  async mine(@CurrentUser() caller: Principal) {
    return { items: await this.claims.mine(caller) };
  }
}

/** Support verifies a claim by serial (proof of purchase, a call with the patient) or refuses it. */
@ApiTags('internal')
@Controller('v1/internal/device-claims')
@Roles('support')
export class DeviceClaimsQueueController {
  constructor(private readonly claims: DeviceClaimsService) {}

  @Get()
  async queue(@CurrentUser() caller: Principal, @Query() query: LimitQuery) {
    return { items: await this.claims.queue(caller, query.limit ?? 100) };
  }

  @Post(':id/verify')
  @HttpCode(200)
  verify(@CurrentUser() caller: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: ClaimDecisionDto) {
    return this.claims.verify(caller, id, body.reason);
  }

  @Post(':id/reject')
  @HttpCode(200)
  reject(@CurrentUser() caller: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: ClaimDecisionDto) {
    return this.claims.reject(caller, id, body.reason);
  }
}
