import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import {
  CLAIM,
  CLAIMS_OF,
  CLAIMS_QUEUE,
  REJECT_CLAIM,
  REJECT_PENDING_FOR,
  REQUEST_CLAIM,
  VERIFY_CLAIM,
} from './device-claims.sql';

export type ClaimState = 'pending_verification' | 'verified' | 'rejected';

export interface DeviceClaim {
  id: string;
  serialNumber: string;
  patientId: string;
  state: ClaimState;
  requestedAt: Date;
  decidedAt: Date | null;
  reason: string | null;
}

/** A pending claim with what support needs to judge it (nothing of this reaches the claimant). */
export interface QueuedClaim extends DeviceClaim {
  device: { known: boolean; linked: boolean; lossReport: 'lost' | 'stolen' | null };
}

@Injectable()
export class DeviceClaimsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Records a claim, or answers the same patient's pending claim of the serial. */
  async request(serialNumber: string, patientId: string): Promise<DeviceClaim> {
    const [claim] = await this.db.query(REQUEST_CLAIM, [serialNumber, patientId]);
    return claim;
  }

  ofPatient(patientId: string): Promise<DeviceClaim[]> {
    return this.db.query(CLAIMS_OF, [patientId]);
  }

  async byId(id: string): Promise<DeviceClaim | null> {
    const [claim] = await this.db.query(CLAIM, [id]);
    return claim ?? null;
  }

  queue(limit: number): Promise<QueuedClaim[]> {
    return this.db.query(CLAIMS_QUEUE, [limit]);
  }

  /**
   * Links the device to the claimant (no secret yet: they fetch it) and marks the claim verified, only if
   * the claim is pending and the device exists and is linked to nobody. Answers whether it did.
   */
  async verify(id: string, decidedBy: string, reason: string): Promise<boolean> {
    const [{ verified }] = await this.db.query(VERIFY_CLAIM, [id, decidedBy, reason]);
    return verified;
  }

  async reject(id: string, decidedBy: string, reason: string): Promise<boolean> {
    return (await this.db.query(REJECT_CLAIM, [id, decidedBy, reason])).length > 0;
  }

  /** The device was linked with its registration code: whatever claims of it were pending are settled. */
  async rejectPendingFor(serialNumber: string, reason: string): Promise<void> {
    await this.db.query(REJECT_PENDING_FOR, [serialNumber, reason]);
  }
}
