import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import {
  AccountCorrectionDto,
  CurrentUser,
  OwnAccountResponse,
  Principal,
  requireRecentSignIn,
  Roles,
} from '@poc/auth';
import { Type } from 'class-transformer';
import { IsIn, IsOptional, IsString, IsUUID, Length, Matches, ValidateNested } from 'class-validator';
import { LimitQuery, SERIAL_NUMBER } from '@poc/common';
import { LegalHoldsService } from './legal-holds.service';
import { RetentionJob } from './retention.job';
import type { Response } from 'express';
import { OwnAccountService } from './own-account.service';
import { ExportAbandoned, ExportFormat, PersonalDataExport } from './personal-data.export';
import { PRIVACY_REQUEST_TYPES, PrivacyRequestType } from './privacy-request';
import { PrivacyRequestsService } from './privacy-requests.service';

class NewPrivacyRequestDto {
  @IsIn(PRIVACY_REQUEST_TYPES) type!: PrivacyRequestType;

  /** A rectification: the account data to correct. */
  @IsOptional() @ValidateNested() @Type(() => AccountCorrectionDto) changes?: AccountCorrectionDto;

  /** A rectification: what else should change, in the patient's words. */
  @IsOptional() @IsString() @Length(1, 1000) details?: string;
}

class ExportQuery {
  @IsOptional() @IsIn(['json', 'csv']) format?: ExportFormat;
}

class AgentDto {
  @IsString() @Length(1, 200) name!: string;
  /** Where the evidence of their authority is kept (a power of attorney's reference, say). */
  @IsString() @Length(1, 200) evidenceRef!: string;
}

class AgentRequestDto extends NewPrivacyRequestDto {
  @IsUUID() patientId!: string;
  @ValidateNested() @Type(() => AgentDto) agent!: AgentDto;
}

class CompletionDto {
  /** What was done, when the request asked more than the system applies by itself. */
  @IsOptional() @IsString() @Length(1, 1000) note?: string;
}

class RefusalDto {
  @IsString() @Length(3, 1000) reason!: string;
}

@ApiTags('patient')
@Controller('v1/me')
@Roles('patient')
export class MyPrivacyController {
  constructor(
    private readonly requests: PrivacyRequestsService,
    private readonly exporter: PersonalDataExport,
    private readonly account: OwnAccountService,
  ) {}

  @Get()
  @ApiOkResponse({ type: OwnAccountResponse })
  me(@CurrentUser() caller: Principal): Promise<OwnAccountResponse> {
    return this.account.read(caller);
  }

  /** Rectification by the patient: corrects their own account data at once. */
  @Patch()
  @ApiOkResponse({ type: OwnAccountResponse })
  correct(@CurrentUser() caller: Principal, @Body() body: AccountCorrectionDto): Promise<OwnAccountResponse> {
    return this.account.correct(caller, body);
  }

  @Post('privacy-requests')
  request(@CurrentUser() caller: Principal, @Body() body: NewPrivacyRequestDto) {
    return this.requests.request(caller, body.type, { changes: body.changes, details: body.details });
  }

  @Get('privacy-requests')
  mine(@CurrentUser() caller: Principal) {
    return this.requests.mine(caller);
  }

  /** Deactivates the caller's profile (after a fresh sign-in): no more sign-ins, no more collection. */
  @Post('deactivation')
  @HttpCode(204)
  async deactivate(@CurrentUser() caller: Principal): Promise<void> {
    await this.account.deactivate(caller);
  }

  /** Lifts a restriction of processing or an objection. */
  @Delete('restriction')
  @HttpCode(204)
  async lift(@CurrentUser() caller: Principal): Promise<void> {
    await this.requests.lift(caller);
  }

  /**
   * Every personal datum held about the caller, streamed as it is read: one JSON document, or (`format=csv`)
   * a zip of one CSV file per category. Needs a password sign-in of the last 5 minutes.
   */
  @Get('export')
  async export(
    @CurrentUser() caller: Principal,
    @Query() query: ExportQuery,
    @Res() response: Response,
  ): Promise<void> {
    requireRecentSignIn(caller);
    const format = query.format ?? 'json';
    response.type(format === 'json' ? 'application/json' : 'application/zip');
    response.setHeader(
      'content-disposition',
      `attachment; filename="personal-data.${format === 'json' ? 'json' : 'zip'}"`,
    );
    await this.exporter.write(caller, response, format).catch((error: unknown) => {
      if (!(error instanceof ExportAbandoned)) throw error;
    });
  }
}

@ApiTags('internal')
@Controller('v1/internal/privacy-requests')
@Roles('privacy_officer')
export class PrivacyRequestsQueueController {
  constructor(private readonly requests: PrivacyRequestsService) {}

  /** A request made by an authorised agent, recorded by the officer who checked their evidence. */
  @Post()
  recordForAgent(@CurrentUser() caller: Principal, @Body() body: AgentRequestDto) {
    const { patientId, type, agent, changes, details } = body;
    return this.requests.recordForAgent(caller, patientId, type, { agent, changes, details });
  }

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
  complete(@CurrentUser() caller: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: CompletionDto) {
    return this.requests.complete(caller, id, body.note);
  }

  /** Refuses the request with a reason the patient sees. */
  @Post(':id/refuse')
  @HttpCode(200)
  refuse(@CurrentUser() caller: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: RefusalDto) {
    return this.requests.refuse(caller, id, body.reason);
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

/** Patient accounts, for the privacy office: a deactivated one is reactivated on its holder's request. */
@ApiTags('internal')
@Controller('v1/internal/patients')
@Roles('privacy_officer')
export class PatientAccountsController {
  constructor(private readonly account: OwnAccountService) {}

  @Post(':patientId/reactivation')
  @HttpCode(204)
  async reactivate(
    @CurrentUser() caller: Principal,
    @Param('patientId', ParseUUIDPipe) patientId: string,
  ): Promise<void> {
    await this.account.reactivate(caller, patientId);
  }
}
