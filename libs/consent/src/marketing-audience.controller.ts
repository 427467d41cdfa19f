import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Principal, Roles } from '@poc/auth';
import { LimitQuery } from '@poc/common';
import { IsOptional, IsUUID } from 'class-validator';
import { MarketingContactPage } from './consent.dto';
import { MarketingAudienceService } from './marketing-audience.service';

class AudienceQuery extends LimitQuery {
  @ApiPropertyOptional({ type: String, format: 'uuid', description: "the previous page's nextCursor" })
  @IsOptional()
  @IsUUID()
  cursor?: string;
}

/** The marketing audience: `{items: [{patientId, username, email}], nextCursor}`, consenting patients only. */
@ApiTags('internal')
@Controller('v1/internal/marketing-audience')
export class MarketingAudienceController {
  constructor(private readonly audience: MarketingAudienceService) {}

  @Get()
  @Roles('admin')
  @ApiOkResponse({ type: MarketingContactPage })
  list(@CurrentUser() caller: Principal, @Query() query: AudienceQuery) {
    return this.audience.page(caller, query.cursor, query.limit ?? 100);
  }
}
