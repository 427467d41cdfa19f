import { Injectable } from '@nestjs/common';
import { AuditService } from '@poc/audit';
import type { Principal } from '@poc/auth';
import { DomainError } from '@poc/common';
import { DevicesRepository } from './devices.repository';
import { LossKind, LossReport, LossReportsRepository } from './loss-reports.repository';

const PATIENTS_OWN = "the patient's own report";

/**
 * Loss and theft reports. While one stands, field service may see the device's location: opening and
 * closing one is therefore audited with who, in which role, and why.
 */
@Injectable()
export class LossReportsService {
  constructor(
    private readonly reports: LossReportsRepository,
    private readonly devices: DevicesRepository,
    private readonly audit: AuditService,
  ) {}

  async report(caller: Principal, serialNumber: string, kind: LossKind, reason = PATIENTS_OWN): Promise<LossReport> {
    await this.visibleDevice(caller, serialNumber);
    const report = await this.reports.open(serialNumber, kind, { id: caller.userId, role: caller.role, reason });
    await this.audit.record(caller, `loss-report.open.${kind}`, [{ serialNumber, fields: ['lossReport'] }], reason);
    return report;
  }

  async resolve(caller: Principal, serialNumber: string, reason = PATIENTS_OWN): Promise<void> {
    await this.visibleDevice(caller, serialNumber);
    if (!(await this.reports.resolve(serialNumber, { id: caller.userId, role: caller.role, reason }))) {
      throw new DomainError('not_found', 'No open loss report for this device');
    }
    await this.audit.record(caller, 'loss-report.close', [{ serialNumber, fields: ['lossReport'] }], reason);
  }

  /** Retention: resolved reports and raised alerts older than `cutoff` go. */
  purgeBefore(cutoff: Date): Promise<{ lossReports: number; alerts: number }> {
    return this.reports.purgeBefore(cutoff);
  }

  openReportOf(serialNumber: string): Promise<LossReport | null> {
    return this.reports.openReportOf(serialNumber);
  }

  /** A patient acts only on a device linked to them; another device is 404, like a missing one. */
  private async visibleDevice(caller: Principal, serialNumber: string): Promise<void> {
    const device = await this.devices.bySerial(serialNumber);
    if (!device || (caller.role === 'patient' && device.patientId !== caller.userId)) {
      throw new DomainError('not_found', 'No such device');
    }
  }
}
