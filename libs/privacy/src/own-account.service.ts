import { Injectable } from '@nestjs/common';
import { AuditService } from '@poc/audit';
import { AccountCorrectionDto, AccountsService, OwnAccountResponse, Principal } from '@poc/auth';

/**
 * A patient's own account, as they read and correct it by signing in (policy 000: rectification through
 * My account). Both audited. Account data is never disclosed to providers, so no recipient is told.
 */
@Injectable()
export class OwnAccountService {
  constructor(
    private readonly accounts: AccountsService,
    private readonly audit: AuditService,
  ) {}

  async read(patient: Principal): Promise<OwnAccountResponse> {
    const account = await this.accounts.ownAccount(patient.userId);
    await this.audit.record(patient, 'patient.account.read', [this.disclosure(patient, ['account'])]);
    return account;
  }

  async correct(patient: Principal, correction: AccountCorrectionDto): Promise<OwnAccountResponse> {
    const account = await this.accounts.correctAccount(patient.userId, correction);
    await this.audit.record(patient, 'patient.account.correct', [this.disclosure(patient, Object.keys(correction))]);
    return account;
  }

  private disclosure(patient: Principal, fields: string[]) {
    return { serialNumber: null, patientId: patient.userId, fields };
  }
}
