import { Controller, Get, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CurrentUser, Principal, Roles } from '@poc/auth';
import { DomainError, LimitQuery, SERIAL_NUMBER } from '@poc/common';
import { IsOptional, IsUUID, Matches } from 'class-validator';
import { AuditService } from './audit.service';

class AuditQuery extends LimitQuery {
  @IsOptional() @Matches(SERIAL_NUMBER) serialNumber?: string;
  @IsOptional() @IsUUID() patientId?: string;
}

@ApiTags('internal')
@Controller('v1/internal/audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  /** The accounting of disclosures a patient may ask for; reading it is itself a disclosure, and logged. */
  @Get()
  @Roles('privacy_officer')
  async list(@Query() query: AuditQuery, @CurrentUser() caller: Principal) {
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

  @Get('verify')
  @Roles('privacy_officer')
  verify() {
    return this.audit.verify();
  }
}
