import { Body, Controller, Delete, HttpCode, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Principal, Roles } from '@poc/auth';
import { IsIn, IsString, Length } from 'class-validator';
import { LOSS_KINDS, LossReportResponse } from './devices.dto';
import type { LossKind } from './loss-reports.repository';
import { LossReportsService } from './loss-reports.service';

class LossReportDto {
  @ApiProperty({ enum: LOSS_KINDS }) @IsIn(LOSS_KINDS) kind!: LossKind;
}

/** Staff act on the patient's word: why (the call, a police report) is required and audited. */
class StaffLossReportDto extends LossReportDto {
  @ApiProperty({
    type: String,
    minLength: 3,
    maxLength: 500,
    description: 'why, e.g. the call, a police report; audited',
  })
  @IsString()
  @Length(3, 500)
  reason!: string;
}

class StaffResolutionDto {
  @ApiProperty({ type: String, minLength: 3, maxLength: 500, description: 'why the report is resolved; audited' })
  @IsString()
  @Length(3, 500)
  reason!: string;
}

/** The patient reports their own device lost or stolen, and withdraws the report when it is found. */
@ApiTags('patient')
@Controller('v1/me/devices/:serialNumber/loss-reports')
@Roles('patient')
export class MyLossReportsController {
  constructor(private readonly reports: LossReportsService) {}

  @Post()
  @ApiCreatedResponse({ type: LossReportResponse })
  report(
    @CurrentUser() caller: Principal,
    @Param('serialNumber') serial: string,
    @Body() body: LossReportDto,
  ): Promise<LossReportResponse> {
    return this.reports.report(caller, serial, body.kind);
  }

  @Delete()
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'The report is resolved' })
  async found(@CurrentUser() caller: Principal, @Param('serialNumber') serial: string): Promise<void> {
    await this.reports.resolve(caller, serial);
  }
}

/**
 * Support, on the patient's behalf (a call, a police report). A report opens a device's location to field
 * service, so it never comes from field service itself: a role does not unlock its own door.
 */
@ApiTags('internal')
@Controller('v1/internal/devices/:serialNumber/loss-reports')
@Roles('support')
export class InternalLossReportsController {
  constructor(private readonly reports: LossReportsService) {}

  @Post()
  @ApiCreatedResponse({ type: LossReportResponse })
  report(
    @CurrentUser() caller: Principal,
    @Param('serialNumber') serial: string,
    @Body() body: StaffLossReportDto,
  ): Promise<LossReportResponse> {
    return this.reports.report(caller, serial, body.kind, body.reason);
  }

  @Delete()
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'The report is resolved' })
  async found(
    @CurrentUser() caller: Principal,
    @Param('serialNumber') serial: string,
    @Body() body: StaffResolutionDto,
  ): Promise<void> {
    await this.reports.resolve(caller, serial, body.reason);
  }
}
