import { Injectable } from '@nestjs/common';
import type { Principal } from '@poc/auth';
import { DomainError } from '@poc/common';
import { DevicesRepository } from './devices.repository';
import { LossKind, LossReport, LossReportsRepository } from './loss-reports.repository';

@Injectable()
export class LossReportsService {
  constructor(
    private readonly reports: LossReportsRepository,
    private readonly devices: DevicesRepository,
  ) {}

  async report(caller: Principal, serialNumber: string, kind: LossKind): Promise<LossReport> {
    await this.visibleDevice(caller, serialNumber);
    return this.reports.open(serialNumber, kind, caller.userId);
  }

  async resolve(caller: Principal, serialNumber: string): Promise<void> {
    await this.visibleDevice(caller, serialNumber);
    if (!(await this.reports.resolve(serialNumber, caller.userId))) {
      throw new DomainError('not_found', 'No open loss report for this device');
    }
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
