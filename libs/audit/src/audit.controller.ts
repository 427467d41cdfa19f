import { Controller, Get, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CurrentUser, Principal, Roles } from '@poc/auth';
import { DomainError, LimitQuery, SERIAL_NUMBER } from '@poc/common';
import { IsISO8601, IsOptional, IsUUID, Matches } from 'class-validator';
import { AuditService } from './audit.service';

class AffectedQuery {
  @IsUUID() actor!: string;
  @IsISO8601({ strict: true }) from!: string;
  @IsISO8601({ strict: true }) to!: string;
}

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

  /** For an actor and a time window, the patients whose data their reads disclosed (breach notification). */
  @Get('affected')
  @Roles('privacy_officer')
  affected(@Query() query: AffectedQuery, @CurrentUser() caller: Principal) {
    const [from, to] = [new Date(query.from), new Date(query.to)];
    if (from >= to) throw new DomainError('invalid', 'from must be before to', 'from');
    return this.audit.affectedBy(caller, query.actor, from, to);
  }

  @Get('verify')
  @Roles('privacy_officer')
  verify() {
    return this.audit.verify();
  }
}
