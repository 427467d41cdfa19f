import { Injectable } from '@nestjs/common';
import { AuditService } from '@poc/audit';
import type { Principal } from '@poc/auth';
import { DomainError } from '@poc/common';
import { DeviceClaim, DeviceClaimsRepository, QueuedClaim } from './device-claims.repository';

/** A claim as its patient sees it. */
export type OwnClaim = Omit<DeviceClaim, 'patientId'>;
const own = ({ patientId: _patientId, ...claim }: DeviceClaim): OwnClaim => claim;

/**
 * Claims of a device by serial alone: the patient's side (made by DevicesService.link, listed here) and
 * support's, who verify the claim (proof of purchase, a call) or refuse it, with a reason either way.
 * Verifying never displaces a link: a device linked to anyone (with its registration code) stays theirs.
 */
@Injectable()
export class DeviceClaimsService {
  constructor(
    private readonly claims: DeviceClaimsRepository,
    private readonly audit: AuditService,
  ) {}

  async mine(patient: Principal): Promise<OwnClaim[]> {
    const claims = await this.claims.ofPatient(patient.userId);
    await this.audit.record(
      patient,
      'patient.device-claims.read',
      claims.map((c) => ({ serialNumber: c.serialNumber, patientId: patient.userId, fields: ['claim'] })),
    );
    return claims.map(own);
  }

  /** Support's queue, oldest first: each claim names a patient, so reading it is audited. */
  async queue(staff: Principal, limit: number): Promise<QueuedClaim[]> {
    const queue = await this.claims.queue(limit);
    await this.audit.record(
      staff,
      'internal.device-claims.read',
      queue.map((c) => ({ serialNumber: c.serialNumber, patientId: c.patientId, fields: ['claim'] })),
    );
    return queue;
  }

  async verify(staff: Principal, id: string, reason: string): Promise<DeviceClaim> {
    const claim = await this.pending(id);
    if (!(await this.claims.verify(id, staff.userId, reason))) {
      throw new DomainError('conflict', 'The device is unknown or linked to an account: refuse this claim');
    }
    await this.recordDecision(staff, 'internal.device-claims.verify', claim, reason);
    return (await this.claims.byId(id)) as DeviceClaim;
  }

  async reject(staff: Principal, id: string, reason: string): Promise<DeviceClaim> {
    const claim = await this.pending(id);
    if (!(await this.claims.reject(id, staff.userId, reason))) throw new DomainError('conflict', 'Already decided');
    await this.recordDecision(staff, 'internal.device-claims.reject', claim, reason);
    return (await this.claims.byId(id)) as DeviceClaim;
  }

  private async pending(id: string): Promise<DeviceClaim> {
    const claim = await this.claims.byId(id);
    if (!claim) throw new DomainError('not_found', 'No such claim');
    if (claim.state !== 'pending_verification')
      throw new DomainError('conflict', `This claim is already ${claim.state}`);
    return claim;
  }

  private recordDecision(staff: Principal, action: string, claim: DeviceClaim, reason: string): Promise<void> {
    const disclosure = { serialNumber: claim.serialNumber, patientId: claim.patientId, fields: ['claim'] };
    return this.audit.record(staff, action, [disclosure], reason);
  }
}
