import { Injectable } from '@nestjs/common';
import { AuditService } from '@poc/audit';
import { AccountsService, Principal } from '@poc/auth';
import { DomainError } from '@poc/common';
import { deviceSecretMatches, newRegistrationCode } from './device-secret';
import type { CreateDeviceDto, DeviceResponse, OwnDeviceResponse } from './devices.dto';
import { DeviceAlert, DeviceAlertsRepository } from './device-alerts.repository';
import { DevicesRepository } from './devices.repository';

@Injectable()
export class DevicesService {
  constructor(
    private readonly devices: DevicesRepository,
    private readonly accounts: AccountsService,
    private readonly alerts: DeviceAlertsRepository,
    private readonly audit: AuditService,
  ) {}

  async register(dto: CreateDeviceDto): Promise<DeviceResponse> {
    if (dto.suppliedBy !== null && !(await this.accounts.providerExists(dto.suppliedBy))) {
      throw new DomainError('invalid', 'suppliedBy names no provider', 'suppliedBy');
    }
    const device = { ...dto, registrationCode: newRegistrationCode() };
    await this.devices.insert({ ...device });
    return device;
  }

  /** The caller's own devices (a patient reading their own data is audited like anyone else). */
  async linkedTo(patient: Principal): Promise<OwnDeviceResponse[]> {
    const devices = (await this.devices.linkedTo(patient.userId)).map(({ serialNumber, model, linkedAt }) => ({
      serialNumber,
      model,
      linkedAt,
    }));
    await this.audit.record(
      patient,
      'patient.devices.read',
      devices.map((d) => ({ serialNumber: d.serialNumber, patientId: patient.userId, fields: ['link'] })),
    );
    return devices;
  }

  /** Nothing is collected for the patient any more: every device link of theirs loses its secret. */
  revokeSecretsOf(patientId: string): Promise<void> {
    return this.devices.revokeSecretsOf(patientId);
  }

  alertsOf(serialNumber: string): Promise<DeviceAlert[]> {
    return this.alerts.of(serialNumber);
  }

  /** The newest alerts; each names a device (its patient's data) and the account that tried to link it. */
  async recentAlerts(caller: Principal, limit: number): Promise<DeviceAlert[]> {
    const alerts = await this.alerts.recent(limit);
    await this.audit.record(
      caller,
      'internal.alerts.read',
      alerts.flatMap((alert) => [
        { serialNumber: alert.serialNumber, fields: ['alert'] },
        ...(alert.accountId
          ? [{ serialNumber: alert.serialNumber, patientId: alert.accountId, fields: ['alertAccount'] }]
          : []),
      ]),
    );
    return alerts;
  }

  /**
   * MQTT sign-in of a device link (username the serial, password the secret issued at linking): answers the
   * credentials' version (it changes with every new secret), or null when they do not match.
   */
  async signInLink(serialNumber: string, secret: string): Promise<string | null> {
    const stored = await this.devices.secretHashOf(serialNumber);
    return deviceSecretMatches(secret, stored) ? stored : null;
  }

  /**
   * Runs `work` with the credentials' versions of these devices (absent or null: none), while no credential
   * of theirs can change: a broker's own store is brought in step under it, never behind a newer change.
   */
  withCredentialsHeld(
    serialNumbers: string[],
    work: (versions: Map<string, string | null>) => Promise<void>,
  ): Promise<void> {
    return this.devices.withSecretHashesLocked(serialNumbers, work);
  }

  /** The current credentials' version of each device (null: none); a broker checks its connections by it. */
  async credentialVersionsOf(serialNumbers: string[]): Promise<Map<string, string | null>> {
    const rows = await this.devices.secretHashesOf(serialNumbers);
    return new Map(rows.map((row) => [row.serialNumber, row.secretHash]));
  }

  /** The patient each device is linked to (null: none); absent serials are not in the map. */
  async ownersOf(serialNumbers: string[]): Promise<Map<string, string | null>> {
    const rows = await this.devices.ownersOf(serialNumbers);
    return new Map(rows.map((row) => [row.serialNumber, row.patientId]));
  }

  async recordOf(
    serialNumber: string,
  ): Promise<{ serialNumber: string; model: string; suppliedBy: string | null; linkedAt: Date | null } | null> {
    const device = await this.devices.bySerial(serialNumber);
    return device
      ? {
          serialNumber: device.serialNumber,
          model: device.model,
          suppliedBy: device.suppliedBy,
          linkedAt: device.linkedAt,
        }
      : null;
  }
}
