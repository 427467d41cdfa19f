import { Controller, Get, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CurrentUser, Principal, Roles } from '@poc/auth';
import { LimitQuery } from '@poc/common';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { ProviderNoticesService } from './provider-notices.service';

class NoticesQuery extends LimitQuery {
  @IsOptional() @IsString() @MaxLength(40) cursor?: string;
}

/** The provider's feed of what it must be told: `{items: [{id, serialNumber, kind, at}], nextCursor}`. */
@ApiTags('provider')
@Controller('v1/provider/notices')
export class ProviderNoticesController {
  constructor(private readonly notices: ProviderNoticesService) {}

  @Get()
  @Roles('provider')
  list(@CurrentUser() caller: Principal, @Query() query: NoticesQuery) {
    return this.notices.feed(caller, query.cursor, query.limit ?? 100);
  }
}
