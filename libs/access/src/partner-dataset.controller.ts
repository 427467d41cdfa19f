import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Principal, Roles } from '@poc/auth';
import { IsISO8601 } from 'class-validator';
import { PartnerDatasetResponse } from './access.responses';
import { PartnerDatasetService } from './partner-dataset.service';

class PeriodQuery {
  @ApiProperty({ type: String, format: 'date-time' }) @IsISO8601({ strict: true }) from!: string;

  @ApiProperty({ type: String, format: 'date-time', description: 'exclusive; after from' })
  @IsISO8601({ strict: true })
  to!: string;
}

@ApiTags('internal')
@Controller('v1/internal/exports/partner-dataset')
export class PartnerDatasetController {
  constructor(private readonly dataset: PartnerDatasetService) {}

  @Get()
  @Roles('admin')
  @ApiOkResponse({ type: PartnerDatasetResponse })
  export(@CurrentUser() caller: Principal, @Query() query: PeriodQuery): Promise<PartnerDatasetResponse> {
    return this.dataset.export(caller, new Date(query.from), new Date(query.to));
  }
}
