import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Principal, Roles } from '@poc/auth';
import { LimitQuery } from '@poc/common';
import { IsString, Length } from 'class-validator';
import { DeviceClaimsService } from './device-claims.service';
import { DeviceClaimResponse, OwnDeviceClaimListResponse, QueuedDeviceClaimListResponse } from './devices.dto';

class ClaimDecisionDto {
  @ApiProperty({
    type: String,
    minLength: 3,
    maxLength: 500,
    description: 'why verified or rejected; the patient sees it',
  })
  @IsString()
  @Length(3, 500)
  reason!: string;
}

/** A patient's own claims of devices by serial, and what became of them. */
@ApiTags('patient')
@Controller('v1/me/device-claims')
@Roles('patient')
export class MyDeviceClaimsController {
  constructor(private readonly claims: DeviceClaimsService) {}

  @Get()
  @ApiOkResponse({ type: OwnDeviceClaimListResponse })
  async mine(@CurrentUser() caller: Principal): Promise<OwnDeviceClaimListResponse> {
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
  @ApiOkResponse({ type: QueuedDeviceClaimListResponse })
  async queue(@CurrentUser() caller: Principal, @Query() query: LimitQuery): Promise<QueuedDeviceClaimListResponse> {
    return { items: await this.claims.queue(caller, query.limit ?? 100) };
  }

  @Post(':id/verify')
  @HttpCode(200)
  @ApiOkResponse({ type: DeviceClaimResponse })
  verify(
    @CurrentUser() caller: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: ClaimDecisionDto,
  ): Promise<DeviceClaimResponse> {
    return this.claims.verify(caller, id, body.reason);
  }

  @Post(':id/reject')
  @HttpCode(200)
  @ApiOkResponse({ type: DeviceClaimResponse })
  reject(
    @CurrentUser() caller: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: ClaimDecisionDto,
  ): Promise<DeviceClaimResponse> {
    return this.claims.reject(caller, id, body.reason);
  }
}
