import { Body, Controller, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Principal, Roles } from '@poc/auth';
import { AlarmCatalogRepository } from './alarm-catalog.repository';
import {
  AcknowledgeDto,
  AlarmCodeResponse,
  AlarmCodesResponse,
  AlarmModelResponse,
  AlarmPage,
  AlarmsQuery,
  AlarmWithCommentsResponse,
  AssignDto,
  CatalogEntryDto,
  CatalogPathParams,
  CatalogQuery,
  CommentDto,
  InternalAlarmPage,
  InternalAlarmsQuery,
  InternalAlarmWithCommentsResponse,
  OfflinePeriodDto,
} from './alarms.dto';
import { AlarmsService } from './alarms.service';

const INTERNAL_READERS = ['support', 'field_service', 'admin'] as const;

/** The manufacturer's alarm inbox: `{items: [...], nextCursor}`, newest first; acknowledge, comment, assign. */
@ApiTags('internal')
@Controller('v1/internal/alarms')
export class InternalAlarmsController {
  constructor(private readonly alarms: AlarmsService) {}

  @Get()
  @Roles(...INTERNAL_READERS)
  @ApiOkResponse({ type: InternalAlarmPage })
  list(@CurrentUser() caller: Principal, @Query() query: InternalAlarmsQuery) {
    const { state, serialNumber, minSeverity } = query;
    return this.alarms.internalList(caller, { state, serialNumber, minSeverity }, query.cursor, query.limit ?? 100);
  }

  @Get(':id')
  @Roles(...INTERNAL_READERS)
  @ApiOkResponse({ type: InternalAlarmWithCommentsResponse })
  one(@CurrentUser() caller: Principal, @Param('id') id: string): Promise<InternalAlarmWithCommentsResponse> {
    return this.alarms.internalOne(caller, id);
  }

  @Post(':id/acknowledge')
  @HttpCode(200)
  @Roles(...INTERNAL_READERS)
  @ApiOkResponse({ type: InternalAlarmWithCommentsResponse })
  acknowledge(
    @CurrentUser() caller: Principal,
    @Param('id') id: string,
    @Body() body: AcknowledgeDto,
  ): Promise<InternalAlarmWithCommentsResponse> {
    return this.alarms.acknowledgeInternal(caller, id, body.comment);
  }

  @Post(':id/comments')
  @Roles(...INTERNAL_READERS)
  @ApiCreatedResponse({ type: InternalAlarmWithCommentsResponse })
  comment(
    @CurrentUser() caller: Principal,
    @Param('id') id: string,
    @Body() body: CommentDto,
  ): Promise<InternalAlarmWithCommentsResponse> {
    return this.alarms.commentInternal(caller, id, body.text);
  }

  @Patch(':id')
  @Roles('support', 'admin')
  @ApiOkResponse({ type: InternalAlarmWithCommentsResponse })
  assign(
    @CurrentUser() caller: Principal,
    @Param('id') id: string,
    @Body() body: AssignDto,
  ): Promise<InternalAlarmWithCommentsResponse> {
    return this.alarms.assign(caller, id, body.assignee);
  }
}

/** A provider's alarms: those of devices it supplied while the patient shares with it, as the contract shapes them. */
@ApiTags('provider')
@Controller('v1/provider/alarms')
export class ProviderAlarmsController {
  constructor(private readonly alarms: AlarmsService) {}

  @Get()
  @Roles('provider')
  @ApiOkResponse({ type: AlarmPage })
  list(@CurrentUser() caller: Principal, @Query() query: AlarmsQuery) {
    return this.alarms.providerList(caller, query.state, query.cursor, query.limit ?? 100);
  }

  @Get(':id')
  @Roles('provider')
  @ApiOkResponse({ type: AlarmWithCommentsResponse })
  one(@CurrentUser() caller: Principal, @Param('id') id: string): Promise<AlarmWithCommentsResponse> {
    return this.alarms.providerOne(caller, id);
  }

  @Post(':id/acknowledge')
  @HttpCode(200)
  @Roles('provider')
  @ApiOkResponse({ type: AlarmWithCommentsResponse })
  acknowledge(
    @CurrentUser() caller: Principal,
    @Param('id') id: string,
    @Body() body: AcknowledgeDto,
  ): Promise<AlarmWithCommentsResponse> {
    return this.alarms.acknowledgeAsProvider(caller, id, body.comment);
  }

  @Post(':id/comments')
  @Roles('provider')
  @ApiCreatedResponse({ type: AlarmWithCommentsResponse })
  comment(
    @CurrentUser() caller: Principal,
    @Param('id') id: string,
    @Body() body: CommentDto,
  ): Promise<AlarmWithCommentsResponse> {
    return this.alarms.commentAsProvider(caller, id, body.text);
  }
}

/** The error-code catalog (`{items: [{model, code, severity, providerText, supportText, action}]}`) and offline periods. */
@ApiTags('admin')
@Controller('v1/admin')
export class AlarmCatalogController {
  constructor(private readonly catalog: AlarmCatalogRepository) {}

  @Get('alarm-codes')
  @Roles('support', 'field_service', 'admin')
  @ApiOkResponse({ type: AlarmCodesResponse })
  async list(@Query() query: CatalogQuery): Promise<AlarmCodesResponse> {
    return { items: await this.catalog.list(query.model) };
  }

  @Put('alarm-codes/:model/:code')
  @Roles('admin')
  @ApiOkResponse({ type: AlarmCodeResponse })
  put(
    @CurrentUser() caller: Principal,
    @Param() path: CatalogPathParams,
    @Body() body: CatalogEntryDto,
  ): Promise<AlarmCodeResponse> {
    return this.catalog.put({ ...path, ...body }, caller.userId);
  }

  @Put('alarm-models/:model')
  @Roles('admin')
  @ApiOkResponse({ type: AlarmModelResponse })
  offlinePeriod(@Param('model') model: string, @Body() body: OfflinePeriodDto): Promise<AlarmModelResponse> {
    return this.catalog.setOfflinePeriod(model, body.offlineAfterSeconds);
  }
}
