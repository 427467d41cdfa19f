import { Controller, Get, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AuditService } from '@poc/audit';
import { CurrentUser, Principal, Roles } from '@poc/auth';
import { DomainError, recordSecurityEvent } from '@poc/common';
import { IsISO8601 } from 'class-validator';
import { randomBytes } from 'node:crypto';
import { PartnerDatasetQuery } from './partner-dataset.query';

class PeriodQuery {
  @IsISO8601({ strict: true }) from!: string;
  @IsISO8601({ strict: true }) to!: string;
}

/**
 * The export to third parties (device reliability, for a partner): pseudonymous per device and month, and
 * never including a patient who opted out of sale, restricts processing or has not accepted the policy.
 */
@ApiTags('internal')
@Controller('v1/internal/exports/partner-dataset')
export class PartnerDatasetController {
  constructor(
    private readonly dataset: PartnerDatasetQuery,
    private readonly audit: AuditService,
  ) {}

  @Get()
  @Roles('admin')
  async export(@CurrentUser() caller: Principal, @Query() query: PeriodQuery) {
    const [from, to] = [new Date(query.from), new Date(query.to)];
    if (from >= to) throw new DomainError('invalid', 'from must be before to', 'from');
    const items = await this.dataset.run(from, to, randomBytes(16).toString('hex'));
    recordSecurityEvent('bulk_export');
    await this.audit.record(caller, 'export.partner-dataset', [
      { serialNumber: null, patientId: null, fields: ['partner-dataset'] },
    ]);
    return { generatedAt: new Date(), from, to, items };
  }
}
