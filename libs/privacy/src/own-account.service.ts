import { Injectable } from '@nestjs/common';
import { AuditService } from '@poc/audit';
import { AccountCorrectionDto, AccountsService, OwnAccountResponse, Principal, requireRecentSignIn } from '@poc/auth';
import { DevicesService } from '@poc/devices';

/**
 * A patient's own account, as they read and correct it by signing in (policy 000: rectification through
 * My account). Both audited. Account data is never disclosed to providers, so no recipient is told.
 */
@Injectable()
export class OwnAccountService {
  constructor(
    private readonly accounts: AccountsService,
    private readonly devices: DevicesService,
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

  /**
   * The patient deactivates their profile (after a fresh sign-in): it signs in no more, its sessions end, its
   * devices stop reporting (their secrets revoked). The data stays, until erased or expired.
   */
  async deactivate(patient: Principal): Promise<void> {
    requireRecentSignIn(patient);
    await this.audit.record(patient, 'patient.account.deactivate', [this.disclosure(patient, ['account'])]);
    await this.devices.revokeSecretsOf(patient.userId);
    await this.accounts.deactivate(patient.userId);
  }

  /** The privacy office reactivates an account on its holder's request; the patient links their devices again. */
  async reactivate(officer: Principal, patientId: string): Promise<void> {
    await this.accounts.reactivate(patientId);
    await this.audit.record(officer, 'privacy.account.reactivate', [
      { serialNumber: null, patientId, fields: ['account'] },
    ]);
  }

  private disclosure(patient: Principal, fields: string[]) {
    return { serialNumber: null, patientId: patient.userId, fields };
  }
}
