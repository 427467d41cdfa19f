import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Principal, Roles } from '@poc/auth';
import { DomainError, LimitQuery, SERIAL_NUMBER } from '@poc/common';
import { IsISO8601, IsOptional, IsUUID, Matches } from 'class-validator';
import { AffectedPatientsResponse, AuditChainVerdictResponse, DisclosureListResponse } from './audit.responses';
import { AuditService } from './audit.service';

class AffectedQuery {
  @ApiProperty({ type: String, format: 'uuid', description: 'the account whose reads are searched' })
  @IsUUID()
  actor!: string;

  @ApiProperty({ type: String, format: 'date-time' }) @IsISO8601({ strict: true }) from!: string;

  @ApiProperty({ type: String, format: 'date-time', description: 'exclusive; after from' })
  @IsISO8601({ strict: true })
  to!: string;
}

class AuditQuery extends LimitQuery {
  @ApiPropertyOptional({
    type: String,
    pattern: SERIAL_NUMBER.source,
    description: 'give exactly one of serialNumber or patientId',
  })
  @IsOptional()
  @Matches(SERIAL_NUMBER)
  serialNumber?: string;

  @ApiPropertyOptional({ type: String, format: 'uuid', description: 'give exactly one of serialNumber or patientId' })
  @IsOptional()
  @IsUUID()
  patientId?: string;
}

@ApiTags('internal')
@Controller('v1/internal/audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  /** The accounting of disclosures a patient may ask for; reading it is itself a disclosure, and logged. */
  @Get()
  @Roles('privacy_officer')
  @ApiOkResponse({ type: DisclosureListResponse })
  async list(@Query() query: AuditQuery, @CurrentUser() caller: Principal): Promise<DisclosureListResponse> {
    if (!query.serialNumber === !query.patientId) {
      throw new DomainError('invalid', 'give exactly one of serialNumber or patientId', 'serialNumber');
    }
    const filter = { serialNumber: query.serialNumber, patientId: query.patientId };
    const items = await this.audit.disclosures(filter, query.limit ?? 100);
    await this.audit.record(caller, 'audit.accounting', [
      { serialNumber: query.serialNumber ?? null, patientId: query.patientId ?? null, fields: ['audit'] },
    ]);
    return { items };
  }

  /** For an actor and a time window, the patients whose data their reads disclosed (breach notification). */
  @Get('affected')
  @Roles('privacy_officer')
  @ApiOkResponse({ type: AffectedPatientsResponse })
  affected(@Query() query: AffectedQuery, @CurrentUser() caller: Principal): Promise<AffectedPatientsResponse> {
    const [from, to] = [new Date(query.from), new Date(query.to)];
    if (from >= to) throw new DomainError('invalid', 'from must be before to', 'from');
    return this.audit.affectedBy(caller, query.actor, from, to);
  }

  @Get('verify')
  @Roles('privacy_officer')
  @ApiOkResponse({ type: AuditChainVerdictResponse })
  verify(): Promise<AuditChainVerdictResponse> {
    return this.audit.verify();
  }
}
