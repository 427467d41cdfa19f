import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Principal, Roles } from '@poc/auth';
import { DomainError, LimitQuery } from '@poc/common';
import { IsString, Length } from 'class-validator';
import { IncidentListResponse, IncidentResponse } from './audit.responses';
import { IncidentsRepository } from './incidents.repository';

class ReportDto {
  @ApiProperty({ type: String, minLength: 3, maxLength: 1000 }) @IsString() @Length(3, 1000) summary!: string;
}

class CloseDto {
  @ApiProperty({ type: String, minLength: 3, maxLength: 1000 }) @IsString() @Length(3, 1000) note!: string;
}

/** The security incident register: opened by the service (a broken audit chain) or by staff; closed with a note. */
@ApiTags('internal')
@Controller('v1/internal/incidents')
@Roles('privacy_officer', 'admin')
export class IncidentsController {
  constructor(private readonly incidents: IncidentsRepository) {}

  @Get()
  @ApiOkResponse({ type: IncidentListResponse })
  async list(@Query() query: LimitQuery): Promise<IncidentListResponse> {
    return { items: await this.incidents.list(query.limit ?? 100) };
  }

  @Post()
  @ApiCreatedResponse({ type: IncidentResponse })
  report(@CurrentUser() caller: Principal, @Body() body: ReportDto) {
    return this.incidents.open({ kind: 'reported', summary: body.summary }, caller.userId);
  }

  @Post(':id/close')
  @HttpCode(200)
  @ApiOkResponse({ type: IncidentResponse })
  async close(
    @CurrentUser() caller: Principal,
    @Param('id') id: string,
    @Body() body: CloseDto,
  ): Promise<IncidentResponse> {
    const closed = /^\d{1,18}$/.test(id) ? await this.incidents.close(id, caller.userId, body.note) : null;
    if (!closed) throw new DomainError('not_found', 'No open incident with this id');
    return closed;
  }
}
