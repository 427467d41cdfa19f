import { Injectable } from '@nestjs/common';
import { InternalRole, maySeeLocations, projectInternalDevice } from '@poc/access';
import { AuditService } from '@poc/audit';
import type { Principal } from '@poc/auth';
import { DomainError } from '@poc/common';
import { DeviceAlert, DevicesService, LossReportsService } from '@poc/devices';
import type { TelemetryQuery, TimeRangeQuery } from './internal-devices.dto';
import { TelemetryItemRow, TelemetryRepository } from './telemetry.repository';

const DEFAULT_SPAN_MS = 30 * 24 * 3600 * 1000;

function range(query: TimeRangeQuery): { from: Date; to: Date; limit: number } {
  const to = query.to ? new Date(query.to) : new Date();
  const from = query.from ? new Date(query.from) : new Date(to.getTime() - DEFAULT_SPAN_MS);
  if (from >= to) throw new DomainError('invalid', 'from must be before to', 'from');
  return { from, to, limit: query.limit ?? 100 };
}

const location = (row: Pick<TelemetryItemRow, 'lat' | 'lon' | 'accuracyM' | 'capturedAt'>) =>
  row.lat === null || row.lon === null
    ? null
    : { lat: row.lat, lon: row.lon, accuracyM: row.accuracyM, capturedAt: row.capturedAt };

/**
 * Internal read-back of what ingest stored: the device record (as the caller's role may see it), its
 * telemetry and its location trail. Each read of patient data is audited before the response leaves.
 */
@Injectable()
export class TelemetryReadService {
  constructor(
    private readonly repository: TelemetryRepository,
    private readonly devices: DevicesService,
    private readonly audit: AuditService,
    private readonly lossReports: LossReportsService,
  ) {}

  async deviceRecord(caller: Principal, serialNumber: string) {
    const device = await this.existing(serialNumber);
    const state = await this.repository.latestStateOf(serialNumber);
    const record = projectInternalDevice(caller.role as InternalRole, {
      ...device,
      lastConnectedAt: state?.lastConnectedAt ?? null,
      errorCode: state?.errorCode ?? null,
      errorCodes: state?.errorCodes ?? [],
      lastLocation: state ? location(state) : null,
      lossReport: await this.lossReports.openReportOf(serialNumber),
      alerts: await this.devices.alertsOf(serialNumber),
    });
    const fields = Object.keys(record).filter((f) => record[f as keyof typeof record] !== null);
    // The alerts name the accounts that tried to link the device: their disclosure is accounted for too.
    const alertAccounts = [...new Set((record.alerts as DeviceAlert[] | undefined)?.map((a) => a.accountId) ?? [])];
    await this.audit.record(caller, 'internal.device.read', [
      { serialNumber, fields },
      ...alertAccounts.flatMap((id) => (id ? [{ serialNumber, patientId: id, fields: ['alertAccount'] }] : [])),
    ]);
    return record;
  }

  async telemetry(caller: Principal, serialNumber: string, query: TelemetryQuery) {
    await this.existing(serialNumber);
    const { from, to, limit } = range(query);
    const rows = await this.repository.telemetryOf(
      serialNumber,
      from,
      to,
      limit,
      query.order === 'desc' ? 'DESC' : 'ASC',
    );
    await this.recordRead(caller, 'internal.telemetry.read', serialNumber, ['telemetry']);
    return {
      items: rows.map((row) => ({
        messageId: row.messageId,
        serialNumber: row.serialNumber,
        model: row.model,
        sentAt: row.sentAt,
        connectedAt: row.connectedAt,
        errorCodes: row.errorCodes,
        location: location(row),
        // Kept but not used as the last location: too inaccurate, or too far from the previous fix.
        locationFlag: row.locationFlag,
        batteryPct: row.batteryPct,
        flowSetting: row.flowSetting,
        firmware: row.firmware,
        receivedAt: row.receivedAt,
      })),
    };
  }

  async locations(caller: Principal, serialNumber: string, query: TimeRangeQuery) {
    await this.existing(serialNumber);
    const lost = (await this.lossReports.openReportOf(serialNumber)) !== null;
    if (!maySeeLocations(caller.role as InternalRole, lost)) {
      throw new DomainError('forbidden', 'This role sees locations only of devices reported lost or stolen');
    }
    const { from, to, limit } = range({ ...query, limit: query.limit ?? 1000 });
    const items = await this.repository.locationsOf(serialNumber, from, to, limit);
    await this.recordRead(caller, 'internal.locations.read', serialNumber, ['locations']);
    return { items };
  }

  async rejected(caller: Principal, serialNumber: string, limit: number) {
    await this.existing(serialNumber);
    const items = await this.repository.rejectedOf(serialNumber, limit);
    await this.recordRead(caller, 'internal.rejected.read', serialNumber, ['rejected']);
    return { items };
  }

  countsSince(since: Date) {
    return this.repository.countsSince(since);
  }

  private recordRead(caller: Principal, action: string, serialNumber: string, fields: string[]) {
    return this.audit.record(caller, action, [{ serialNumber, fields }]);
  }

  private async existing(serialNumber: string) {
    const device = await this.devices.recordOf(serialNumber);
    if (!device) throw new DomainError('not_found', 'No such device');
    return device;
  }
}
