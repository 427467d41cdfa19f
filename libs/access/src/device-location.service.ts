import { Injectable } from '@nestjs/common';
import { AuditService } from '@poc/audit';
import type { Principal } from '@poc/auth';
import { DomainError } from '@poc/common';
import { AppConfig } from '@poc/config';
import { LossReportsService } from '@poc/devices';
import { InternalRole, maySeeLocations } from './internal-device.projection';
import { LastLocationQuery, LastLocationRow } from './last-location.query';
import { ProviderDevicesRepository } from './provider-devices.repository';

/**
 * A device's last location, for a caller allowed to see it by the same rules as everywhere else: a
 * patient their own device, a provider through its view (so only while the patient shares), internal
 * roles by their projection. Audited, since it is patient data even when only used to rank offices.
 */
@Injectable()
export class DeviceLocationService {
  constructor(
    private readonly lastLocations: LastLocationQuery,
    private readonly providerDevices: ProviderDevicesRepository,
    private readonly lossReports: LossReportsService,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
  ) {}

  /**
   * The device's last location, and whether the caller may be shown it (`shown`): an internal role outside
   * the location's purposes (no loss report) may still rank offices by it, and must not be able to place it.
   */
  async lastLocationOf(
    caller: Principal,
    serialNumber: string,
    purpose: string,
  ): Promise<{ point: { lat: number; lon: number }; shown: boolean }> {
    const row = await this.lastLocations.of(serialNumber);
    // A device that does not exist and one the caller may not see are answered alike.
    const location = row && (await this.usableLocation(caller, serialNumber, row));
    if (!row || location === undefined) throw new DomainError('not_found', 'No such device');
    if (location.point === null) {
      throw new DomainError('not_found', 'No last location is available for this device');
    }
    await this.audit.record(caller, purpose, [{ serialNumber, patientId: row.patientId, fields: ['lastLocation'] }]);
    return { point: location.point, shown: location.shown };
  }

  /** undefined: the caller may not see the device at all; a null point: no location it may use. */
  private async usableLocation(
    caller: Principal,
    serialNumber: string,
    row: LastLocationRow,
  ): Promise<{ point: { lat: number; lon: number } | null; shown: boolean } | undefined> {
    const stored = row.lat === null || row.lon === null ? null : { lat: row.lat, lon: row.lon };
    switch (caller.role) {
      case 'patient':
        return row.patientId === caller.userId ? { point: stored, shown: true } : undefined;
      case 'provider': {
        if (!caller.providerId) return undefined;
        const view = await this.providerDevices.one(
          { providerId: caller.providerId, policyVersion: this.config.POLICY_VERSION },
          serialNumber,
        );
        if (!view) return undefined;
        const point =
          view.last_lat === null || view.last_lon === null ? null : { lat: view.last_lat, lon: view.last_lon };
        return { point, shown: true };
      }
      default: {
        // Ranking offices is itself one of the policy's purposes, stated by the call (and audited as such);
        // outside a loss report the answer must rank offices without placing the device.
        const role = caller.role as InternalRole;
        const lost = (await this.lossReports.openReportOf(serialNumber)) !== null;
        if (!maySeeLocations(role, { lost, stated: true })) return undefined;
        return { point: stored, shown: maySeeLocations(role, { lost, stated: false }) };
      }
    }
  }
}
