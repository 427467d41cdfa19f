import { Body, Controller, Delete, HttpCode, Param, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CurrentUser, Principal, Roles } from '@poc/auth';
import { IsIn, IsString, Length } from 'class-validator';
import type { LossKind } from './loss-reports.repository';
import { LossReportsService } from './loss-reports.service';

class LossReportDto {
  @IsIn(['lost', 'stolen']) kind!: LossKind;
}

/** Staff act on the patient's word: why (the call, a police report) is required and audited. */
class StaffLossReportDto extends LossReportDto {
  @IsString() @Length(3, 500) reason!: string;
}

class StaffResolutionDto {
  @IsString() @Length(3, 500) reason!: string;
}

/** The patient reports their own device lost or stolen, and withdraws the report when it is found. */
@ApiTags('patient')
@Controller('v1/me/devices/:serialNumber/loss-reports')
@Roles('patient')
export class MyLossReportsController {
  constructor(private readonly reports: LossReportsService) {}

  @Post()
  report(@CurrentUser() caller: Principal, @Param('serialNumber') serial: string, @Body() body: LossReportDto) {
    return this.reports.report(caller, serial, body.kind);
  }

  @Delete()
  @HttpCode(204)
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
  report(@CurrentUser() caller: Principal, @Param('serialNumber') serial: string, @Body() body: StaffLossReportDto) {
    return this.reports.report(caller, serial, body.kind, body.reason);
  }

  @Delete()
  @HttpCode(204)
  async found(
    @CurrentUser() caller: Principal,
    @Param('serialNumber') serial: string,
    @Body() body: StaffResolutionDto,
  ): Promise<void> {
    await this.reports.resolve(caller, serial, body.reason);
  }
}
