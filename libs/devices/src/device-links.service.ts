import { telemetryTopic } from './device-topics';
import { Injectable } from '@nestjs/common';
import { AuditService } from '@poc/audit';
import { AttemptLimiter, Principal } from '@poc/auth';
import { DomainError } from '@poc/common';
import { DeviceAlertsRepository } from './device-alerts.repository';
import { DeviceClaimsRepository } from './device-claims.repository';
import { DeviceCredentialStores } from './device-credentials';
import { hashDeviceSecret, newDeviceSecret } from './device-secret';
import type { LinkDeviceDto, LinkedDeviceResponse, PendingClaimResponse } from './devices.dto';
import type { DeviceEntity } from './device.entity';
import { DevicesRepository } from './devices.repository';

/** What linking answers: credentials at once, or a claim by serial waiting for support to verify it. */
export type LinkOutcome = { linked: LinkedDeviceResponse } | { pending: PendingClaimResponse };

// Per 15 minutes. Wrong registration codes (guesses) per account and per address. Claims by serial per
// account and per address, each one work for support.
const WRONG_CODES = { account: 10, address: 50 };
const CLAIMS = { account: 5, address: 20 };
const CLAIM_NOT_VERIFIED = 'The claim could not be verified';

/**
 * A patient's links to devices and their MQTT credentials. The registration code shipped with a device
 * proves holding it and links at once; a serial alone (printed on the device, easy to guess) only makes
 * a claim for support to verify, answered alike whether the serial exists, is linked or not, and never
 * displacing the holder of the code. A wrong code answers exactly as an unknown device.
 */
@Injectable()
export class DeviceLinksService {
  constructor(
    private readonly devices: DevicesRepository,
    private readonly claims: DeviceClaimsRepository,
    private readonly alerts: DeviceAlertsRepository,
    private readonly attempts: AttemptLimiter,
    private readonly stores: DeviceCredentialStores,
    private readonly audit: AuditService,
  ) {}

  async link(patient: Principal, dto: LinkDeviceDto, address: string): Promise<LinkOutcome> {
    if (dto.registrationCode !== undefined) {
      return { linked: await this.linkByCode(patient.userId, dto.registrationCode, dto.serialNumber, address) };
    }
    if (dto.serialNumber === undefined) {
      throw new DomainError(
        'invalid',
        'give registrationCode (and optionally serialNumber), or serialNumber',
        'registrationCode',
      );
    }
    return this.claimBySerial(patient.userId, dto.serialNumber, address);
  }

  /** The patient replaces their device's secret: the old one stops working and its connections drop. */
  async rotateSecret(patientId: string, serialNumber: string): Promise<LinkedDeviceResponse> {
    const device = await this.devices.bySerial(serialNumber);
    if (!device || device.patientId !== patientId) throw new DomainError('not_found', 'No such device');
    return this.issueSecret(device);
  }

  /**
   * Support revokes a device's secret (a leaked phone, say); the patient links the device again to get one.
   * Audited: it cuts a patient's device off.
   */
  async revokeSecret(staff: Principal, serialNumber: string): Promise<void> {
    if (!(await this.devices.setSecret(serialNumber, null))) throw new DomainError('not_found', 'No linked device');
    await this.audit.record(staff, 'internal.device-secret.revoke', [{ serialNumber, fields: ['credentials'] }]);
  }

  private async linkByCode(
    patientId: string,
    code: string,
    serialNumber: string | undefined,
    address: string,
  ): Promise<LinkedDeviceResponse> {
    // A code has 60 random bits: only failures count (many devices linked at once by one account are no
    // attack), and the limit stops enumeration at scale.
    const keys = [
      { key: `link-code:account:${patientId}`, limit: WRONG_CODES.account },
      { key: `link-code:address:${address}`, limit: WRONG_CODES.address },
    ];
    await this.attempts.assertOpen(keys.map((k) => k.key));
    const device = await this.devices.byRegistrationCode(code);
    if (!device || (serialNumber !== undefined && device.serialNumber !== serialNumber)) {
      await this.attempts.recordFailure(keys);
      throw new DomainError('not_found', 'No device matches');
    }
    const secret = newDeviceSecret();
    const handOver = () => this.stores.put(device.serialNumber, secret);
    if (!(await this.devices.link(device.serialNumber, patientId, hashDeviceSecret(secret), handOver))) {
      // Someone holding a device reported stolen is what field staff most need to hear about.
      await this.alerts.raiseIfStolen(device.serialNumber, patientId);
      throw new DomainError('conflict', 'This device is linked to another account');
    }
    // Told to the claimants as support would tell them: nothing about who holds the device.
    await this.claims.rejectPendingFor(device.serialNumber, CLAIM_NOT_VERIFIED);
    return this.credentials(device, secret);
  }

  private async claimBySerial(patientId: string, serialNumber: string, address: string): Promise<LinkOutcome> {
    const keys = [`claim:account:${patientId}`, `claim:address:${address}`];
    await this.attempts.admit([
      { key: keys[0], limit: CLAIMS.account },
      { key: keys[1], limit: CLAIMS.address },
    ]);
    const device = await this.devices.bySerial(serialNumber);
    if (device && device.patientId === patientId) {
      // Their own device (linked by code, or a claim support verified): fresh credentials, shown once.
      await this.attempts.release(keys);
      return { linked: await this.issueSecret(device) };
    }
    const claim = await this.claims.request(serialNumber, patientId);
    return { pending: { serialNumber, state: claim.state } };
  }

  private async issueSecret(device: DeviceEntity): Promise<LinkedDeviceResponse> {
    const secret = newDeviceSecret();
    const handOver = () => this.stores.put(device.serialNumber, secret);
    if (!(await this.devices.setSecret(device.serialNumber, hashDeviceSecret(secret), handOver))) {
      throw new DomainError('not_found', 'No such device');
    }
    return this.credentials(device, secret);
  }

  private credentials(device: Pick<DeviceEntity, 'serialNumber' | 'model'>, secret: string): LinkedDeviceResponse {
    const { serialNumber, model } = device;
    return {
      serialNumber,
      model,
      mqtt: { username: serialNumber, password: secret, topic: telemetryTopic(serialNumber) },
    };
  }
}
