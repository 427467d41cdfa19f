import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DomainError } from '@poc/common';
import { Repository } from 'typeorm';
import { isUniqueViolation } from '@poc/db';
import { DeviceEntity } from './device.entity';

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

  /** Links the device unless another patient holds it; true when the link (and new secret) took. */
  async link(serialNumber: string, patientId: string, secretHash: string): Promise<boolean> {
    const result = await this.devices
      .createQueryBuilder()
      .update()
      .set({ patientId, secretHash, linkedAt: () => 'now()' })
      .where('serial_number = :serialNumber', { serialNumber })
      .andWhere('(patient_id IS NULL OR patient_id = :patientId)', { patientId })
      .execute();
    return (result.affected ?? 0) === 1;
  }

  ownersOf(serialNumbers: string[]): Promise<Array<Pick<DeviceEntity, 'serialNumber' | 'patientId'>>> {
    // One array parameter: on the ingest path this runs per batch with up to 2,000 serials.
    return this.devices.query(
      'SELECT serial_number AS "serialNumber", patient_id AS "patientId" FROM devices WHERE serial_number = ANY($1)',
      [serialNumbers],
    );
  }

  /** Replaces (or, with null, revokes) a linked device's secret; false when the device is not linked. */
  async setSecret(serialNumber: string, secretHash: string | null): Promise<boolean> {
    const result = await this.devices
      .createQueryBuilder()
      .update()
      .set({ secretHash })
      .where('serial_number = :serialNumber AND patient_id IS NOT NULL', { serialNumber })
      .execute();
    return (result.affected ?? 0) === 1;
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
