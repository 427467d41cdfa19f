import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Principal, Roles } from '@poc/auth';
import { LimitQuery } from '@poc/common';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { ProviderNoticesService } from './provider-notices.service';
import { ProviderNoticePage } from './privacy.responses';

class NoticesQuery extends LimitQuery {
  @ApiPropertyOptional({ type: String, maxLength: 40, description: "The previous page's nextCursor" })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  cursor?: string;
}

/** The provider's feed of what it must be told: `{items: [{id, serialNumber, kind, at}], nextCursor}`. */
@ApiTags('provider')
@Controller('v1/provider/notices')
export class ProviderNoticesController {
  constructor(private readonly notices: ProviderNoticesService) {}

  @Get()
  @Roles('provider')
  @ApiOkResponse({ type: ProviderNoticePage })
  list(@CurrentUser() caller: Principal, @Query() query: NoticesQuery) {
    return this.notices.feed(caller, query.cursor, query.limit ?? 100);
  }
}
