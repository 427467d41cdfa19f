import { Body, Controller, Delete, HttpCode, Injectable, Param, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CurrentUser, Principal, Roles } from '@poc/auth';
import { IsIn } from 'class-validator';
import { LossReportsService } from './loss-reports.service';

class LossReportDto {
  @IsIn(['lost', 'stolen']) kind!: 'lost' | 'stolen';
}

/** Report a device lost or stolen, and withdraw the report when it is found; who may is the subclass's rule. */
@Injectable() // so the constructor's parameter types are recorded for the subclasses
abstract class LossReportEndpoints {
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

/** The patient, for their own device. */
@ApiTags('patient')
@Controller('v1/me/devices/:serialNumber/loss-reports')
@Roles('patient')
export class MyLossReportsController extends LossReportEndpoints {}

/** Internal staff, on the patient's behalf (a call to support, a police report). */
@ApiTags('internal')
@Controller('v1/internal/devices/:serialNumber/loss-reports')
@Roles('support', 'field_service', 'admin')
export class InternalLossReportsController extends LossReportEndpoints {}
