import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CurrentUser, Principal, requireRecentSignIn, Roles } from '@poc/auth';
import { IsIn, IsOptional, IsString, IsUUID, Length, Matches } from 'class-validator';
import { LimitQuery, SERIAL_NUMBER } from '@poc/common';
import { LegalHoldsService } from './legal-holds.service';
import { RetentionJob } from './retention.job';
import type { Response } from 'express';
import { PersonalDataExport } from './personal-data.export';
import { PRIVACY_REQUEST_TYPES, PrivacyRequestType } from './privacy-request';
import { PrivacyRequestsService } from './privacy-requests.service';

class NewPrivacyRequestDto {
  @IsIn(PRIVACY_REQUEST_TYPES) type!: PrivacyRequestType;
}

@ApiTags('patient')
@Controller('v1/me')
@Roles('patient')
export class MyPrivacyController {
  constructor(
    private readonly requests: PrivacyRequestsService,
    private readonly exporter: PersonalDataExport,
  ) {}

  @Post('privacy-requests')
  request(@CurrentUser() caller: Principal, @Body() body: NewPrivacyRequestDto) {
    return this.requests.request(caller, body.type);
  }

  @Get('privacy-requests')
  mine(@CurrentUser() caller: Principal) {
    return this.requests.mine(caller);
  }

  /** Lifts a restriction of processing or an objection. */
  @Delete('restriction')
  @HttpCode(204)
  async lift(@CurrentUser() caller: Principal): Promise<void> {
    await this.requests.lift(caller);
  }

  /** Every personal datum held about the caller, as one JSON document streamed as it is read. */
  @Get('export')
  async export(@CurrentUser() caller: Principal, @Res() response: Response): Promise<void> {
    requireRecentSignIn(caller);
    response.type('application/json');
    response.setHeader('content-disposition', 'attachment; filename="personal-data.json"');
    await this.exporter.write(caller, response);
  }
}

@ApiTags('internal')
@Controller('v1/internal/privacy-requests')
@Roles('privacy_officer')
export class PrivacyRequestsQueueController {
  constructor(private readonly requests: PrivacyRequestsService) {}

  @Get()
  queue(@CurrentUser() caller: Principal, @Query() query: LimitQuery) {
    return this.requests.queue(caller, query.limit ?? 100);
  }

  /** An account found to belong to a child under 16: erased now, through the erasure path. */
  @Post('child-accounts/:patientId')
  @HttpCode(200)
  eraseChild(@CurrentUser() caller: Principal, @Param('patientId', ParseUUIDPipe) patientId: string) {
    return this.requests.eraseChild(caller, patientId);
  }

  @Post(':id/complete')
  @HttpCode(200)
  complete(@CurrentUser() caller: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.requests.complete(caller, id);
  }
}

class LegalHoldDto {
  @IsOptional() @IsUUID() patientId?: string;
  @IsOptional() @Matches(SERIAL_NUMBER) serialNumber?: string;
  @IsString() @Length(1, 500) reason!: string;
}

/** Legal holds: data under a legal obligation or a pending claim, which erasure and retention skip. */
@ApiTags('internal')
@Controller('v1/internal/legal-holds')
@Roles('privacy_officer')
export class LegalHoldsController {
  constructor(private readonly holds: LegalHoldsService) {}

  @Post()
  place(@CurrentUser() caller: Principal, @Body() body: LegalHoldDto) {
    return this.holds.place(caller, body, body.reason);
  }

  @Get()
  async list(@CurrentUser() caller: Principal) {
    return { items: await this.holds.active(caller) };
  }

  @Delete(':id')
  @HttpCode(204)
  async lift(@CurrentUser() caller: Principal, @Param('id') id: string): Promise<void> {
    await this.holds.lift(caller, id);
  }
}

/** Runs the retention purge now (it also runs hourly by itself); answers what it removed. */
@ApiTags('admin')
@Controller('v1/admin/retention')
@Roles('admin')
export class RetentionController {
  constructor(private readonly retention: RetentionJob) {}

  @Post('run')
  @HttpCode(200)
  run() {
    return this.retention.run();
  }
}
