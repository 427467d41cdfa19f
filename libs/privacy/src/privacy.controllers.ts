import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query, Res } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiExtraModels,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
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
import { EXPORT_FORMATS, ExportAbandoned, ExportFormat, PersonalDataExport } from './personal-data.export';
import { PRIVACY_REQUEST_TYPES, PrivacyRequestType } from './privacy-request';
import { PrivacyRequestsService } from './privacy-requests.service';
import {
  LegalHoldResponse,
  LegalHoldsResponse,
  PersonalDataExportResponse,
  PrivacyRequestQueueResponse,
  PrivacyRequestResponse,
  PrivacyRequestsResponse,
  RetentionRunResponse,
} from './privacy.responses';

class NewPrivacyRequestDto {
  @ApiProperty({ enum: PRIVACY_REQUEST_TYPES }) @IsIn(PRIVACY_REQUEST_TYPES) type!: PrivacyRequestType;

  @ApiPropertyOptional({ type: AccountCorrectionDto, description: 'A rectification: the account data to correct' })
  @IsOptional()
  @ValidateNested()
  @Type(() => AccountCorrectionDto)
  changes?: AccountCorrectionDto;

  @ApiPropertyOptional({
    type: String,
    minLength: 1,
    maxLength: 1000,
    description: "A rectification: what else should change, in the patient's words",
  })
  @IsOptional()
  @IsString()
  @Length(1, 1000)
  details?: string;
}

class ExportQuery {
  @ApiPropertyOptional({
    enum: EXPORT_FORMATS,
    description: 'json (the default): one JSON document; csv: a zip of CSV files',
  })
  @IsOptional()
  @IsIn(EXPORT_FORMATS)
  format?: ExportFormat;
}

class AgentDto {
  @ApiProperty({ type: String, minLength: 1, maxLength: 200 }) @IsString() @Length(1, 200) name!: string;

  @ApiProperty({
    type: String,
    minLength: 1,
    maxLength: 200,
    description: "Where the evidence of their authority is kept (a power of attorney's reference, say)",
  })
  @IsString()
  @Length(1, 200)
  evidenceRef!: string;
}

class AgentRequestDto extends NewPrivacyRequestDto {
  @ApiProperty({ type: String, format: 'uuid' }) @IsUUID() patientId!: string;
  @ApiProperty({ type: AgentDto, description: 'The authorised agent who made the request' })
  @ValidateNested()
  @Type(() => AgentDto)
  agent!: AgentDto;
}

class CompletionDto {
  @ApiPropertyOptional({
    type: String,
    minLength: 1,
    maxLength: 1000,
    description: 'What was done, when the request asked more than the system applies by itself',
  })
  @IsOptional()
  @IsString()
  @Length(1, 1000)
  note?: string;
}

class RefusalDto {
  @ApiProperty({ type: String, minLength: 3, maxLength: 1000, description: 'Why: the patient sees it' })
  @IsString()
  @Length(3, 1000)
  reason!: string;
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
  @ApiCreatedResponse({ type: PrivacyRequestResponse })
  request(@CurrentUser() caller: Principal, @Body() body: NewPrivacyRequestDto): Promise<PrivacyRequestResponse> {
    return this.requests.request(caller, body.type, { changes: body.changes, details: body.details });
  }

  @Get('privacy-requests')
  @ApiOkResponse({ type: PrivacyRequestsResponse })
  mine(@CurrentUser() caller: Principal): Promise<PrivacyRequestsResponse> {
    return this.requests.mine(caller);
  }

  /** Deactivates the caller's profile (after a fresh sign-in): no more sign-ins, no more collection. */
  @Post('deactivation')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Deactivated: no more sign-ins, no more collection' })
  async deactivate(@CurrentUser() caller: Principal): Promise<void> {
    await this.account.deactivate(caller);
  }

  /** Lifts a restriction of processing or an objection. */
  @Delete('restriction')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Lifted: processing and sharing resume' })
  async lift(@CurrentUser() caller: Principal): Promise<void> {
    await this.requests.lift(caller);
  }

  /**
   * Every personal datum held about the caller, streamed as it is read: one JSON document, or (`format=csv`)
   * a zip of one CSV file per category. Needs a password sign-in of the last 5 minutes.
   */
  @Get('export')
  @ApiExtraModels(PersonalDataExportResponse)
  @ApiOkResponse({
    description: 'One JSON document, or (`format=csv`) a zip of one CSV file per category',
    content: {
      'application/json': { schema: { $ref: getSchemaPath(PersonalDataExportResponse) } },
      'application/zip': { schema: { type: 'string', format: 'binary' } },
    },
  })
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
  @ApiCreatedResponse({ type: PrivacyRequestResponse })
  recordForAgent(@CurrentUser() caller: Principal, @Body() body: AgentRequestDto): Promise<PrivacyRequestResponse> {
    const { patientId, type, agent, changes, details } = body;
    return this.requests.recordForAgent(caller, patientId, type, { agent, changes, details });
  }

  @Get()
  @ApiOkResponse({ type: PrivacyRequestQueueResponse })
  queue(@CurrentUser() caller: Principal, @Query() query: LimitQuery): Promise<PrivacyRequestQueueResponse> {
    return this.requests.queue(caller, query.limit ?? 100);
  }

  /** An account found to belong to a child under 16: erased now, through the erasure path. */
  @Post('child-accounts/:patientId')
  @HttpCode(200)
  @ApiOkResponse({ type: PrivacyRequestResponse })
  eraseChild(
    @CurrentUser() caller: Principal,
    @Param('patientId', ParseUUIDPipe) patientId: string,
  ): Promise<PrivacyRequestResponse> {
    return this.requests.eraseChild(caller, patientId);
  }

  @Post(':id/complete')
  @HttpCode(200)
  @ApiOkResponse({ type: PrivacyRequestResponse })
  complete(
    @CurrentUser() caller: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: CompletionDto,
  ): Promise<PrivacyRequestResponse> {
    return this.requests.complete(caller, id, body.note);
  }

  /** Refuses the request with a reason the patient sees. */
  @Post(':id/refuse')
  @HttpCode(200)
  @ApiOkResponse({ type: PrivacyRequestResponse })
  refuse(
    @CurrentUser() caller: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: RefusalDto,
  ): Promise<PrivacyRequestResponse> {
    return this.requests.refuse(caller, id, body.reason);
  }
}

class LegalHoldDto {
  @ApiPropertyOptional({
    type: String,
    format: 'uuid',
    description: 'The patient whose data is held (exactly one of patientId and serialNumber)',
  })
  @IsOptional()
  @IsUUID()
  patientId?: string;

  @ApiPropertyOptional({
    type: String,
    pattern: SERIAL_NUMBER.source,
    description: "The device whose patient's data is held (exactly one of patientId and serialNumber)",
  })
  @IsOptional()
  @Matches(SERIAL_NUMBER)
  serialNumber?: string;

  @ApiProperty({ type: String, minLength: 1, maxLength: 500 }) @IsString() @Length(1, 500) reason!: string;
}

/** Legal holds: data under a legal obligation or a pending claim, which erasure and retention skip. */
@ApiTags('internal')
@Controller('v1/internal/legal-holds')
@Roles('privacy_officer')
export class LegalHoldsController {
  constructor(private readonly holds: LegalHoldsService) {}

  @Post()
  @ApiCreatedResponse({ type: LegalHoldResponse })
  place(@CurrentUser() caller: Principal, @Body() body: LegalHoldDto): Promise<LegalHoldResponse> {
    return this.holds.place(caller, body, body.reason);
  }

  @Get()
  @ApiOkResponse({ type: LegalHoldsResponse })
  async list(@CurrentUser() caller: Principal): Promise<LegalHoldsResponse> {
    return { items: await this.holds.active(caller) };
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Lifted: what it kept is erasable again' })
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
  @ApiOkResponse({ type: RetentionRunResponse })
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
  @ApiNoContentResponse({ description: 'Reactivated: the patient may sign in again' })
  async reactivate(
    @CurrentUser() caller: Principal,
    @Param('patientId', ParseUUIDPipe) patientId: string,
  ): Promise<void> {
    await this.account.reactivate(caller, patientId);
  }
}
