import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DomainError } from '@poc/common';
import { Repository } from 'typeorm';
import { isUniqueViolation } from '@poc/db';
import { DeviceEntity } from './device.entity';

const LOCK_DEVICE = 'SELECT patient_id FROM devices WHERE serial_number = $1 FOR UPDATE';
const LINK_DEVICE = 'UPDATE devices SET patient_id = $2, secret_hash = $3, linked_at = now() WHERE serial_number = $1';
const SET_SECRET = 'UPDATE devices SET secret_hash = $2 WHERE serial_number = $1';

@Injectable()
export class DevicesRepository {
  constructor(@InjectRepository(DeviceEntity) private readonly devices: Repository<DeviceEntity>) {}

  async insert(
    device: Pick<DeviceEntity, 'serialNumber' | 'model' | 'suppliedBy' | 'registrationCode'>,
  ): Promise<void> {
    try {
      await this.devices.insert(device);
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new DomainError('conflict', 'a device with this serialNumber already exists', 'serialNumber');
      }
      throw error;
    }
  }

  bySerial(serialNumber: string): Promise<DeviceEntity | null> {
    return this.devices.findOneBy({ serialNumber });
  }

  byRegistrationCode(registrationCode: string): Promise<DeviceEntity | null> {
    return this.devices.findOneBy({ registrationCode });
  }

  linkedTo(patientId: string): Promise<DeviceEntity[]> {
    return this.devices.find({ where: { patientId }, order: { serialNumber: 'ASC' } });
  }

  /**
   * Links the device unless another patient holds it, under its row lock, with `beforeCommit` run just
   * before the new secret is written; true when the link (and new secret) took.
   */
  link(
    serialNumber: string,
    patientId: string,
    secretHash: string,
    beforeCommit: () => Promise<void>,
  ): Promise<boolean> {
    return this.devices.manager.transaction(async (tx) => {
      const [row] = await tx.query(LOCK_DEVICE, [serialNumber]);
      if (!row || (row.patient_id !== null && row.patient_id !== patientId)) return false;
      await beforeCommit();
      await tx.query(LINK_DEVICE, [serialNumber, patientId, secretHash]);
      return true;
    });
  }

  ownersOf(serialNumbers: string[]): Promise<Array<Pick<DeviceEntity, 'serialNumber' | 'patientId'>>> {
    // One array parameter: on the ingest path this runs per batch with up to 2,000 serials.
    return this.devices.query(
      'SELECT serial_number AS "serialNumber", patient_id AS "patientId" FROM devices WHERE serial_number = ANY($1)',
      [serialNumbers],
    );
  }

  /**
   * Replaces (or, with null, revokes) a linked device's secret under its row lock, `beforeCommit` run just
   * before it is written; false when the device is not linked.
   */
  setSecret(serialNumber: string, secretHash: string | null, beforeCommit = async () => {}): Promise<boolean> {
    return this.devices.manager.transaction(async (tx) => {
      const [row] = await tx.query(LOCK_DEVICE, [serialNumber]);
      if (!row || row.patient_id === null) return false;
      await beforeCommit();
      await tx.query(SET_SECRET, [serialNumber, secretHash]);
      return true;
    });
  }

  /** Revokes the secrets of every device linked to the patient (their links stay). */
  async revokeSecretsOf(patientId: string): Promise<void> {
    await this.devices.query(
      'UPDATE devices SET secret_hash = NULL WHERE patient_id = $1 AND secret_hash IS NOT NULL',
      [patientId],
    );
  }

  /**
   * Runs `work` with these devices' rows locked and their secret hashes as they are: writes of their
   * credentials wait for it, so what it does elsewhere (on a broker) cannot interleave with them.
   */
  withSecretHashesLocked(
    serialNumbers: string[],
    work: (hashes: Map<string, string | null>) => Promise<void>,
  ): Promise<void> {
    return this.devices.manager.transaction(async (tx) => {
      const rows: Array<{ serialNumber: string; secretHash: string | null }> = await tx.query(
        `SELECT serial_number AS "serialNumber", secret_hash AS "secretHash" FROM devices
          WHERE serial_number = ANY($1) ORDER BY serial_number FOR UPDATE`,
        [serialNumbers],
      );
      await work(new Map(rows.map((r) => [r.serialNumber, r.secretHash])));
    });
  }

  secretHashesOf(serialNumbers: string[]): Promise<Array<Pick<DeviceEntity, 'serialNumber' | 'secretHash'>>> {
    return this.devices.query(
      'SELECT serial_number AS "serialNumber", secret_hash AS "secretHash" FROM devices WHERE serial_number = ANY($1)',
      [serialNumbers],
    );
  }

  async secretHashOf(serialNumber: string): Promise<string | null> {
    const device = await this.devices.findOne({ select: { secretHash: true }, where: { serialNumber } });
    return device?.secretHash ?? null;
  }
}
