import { Injectable } from '@nestjs/common';
import {
  InternalRole,
  LocationPurpose,
  maySeeLocations,
  mayStateReasonForLocations,
  projectInternalDevice,
} from '@poc/access';
import { AuditService } from '@poc/audit';
import type { Principal } from '@poc/auth';
import { DomainError } from '@poc/common';
import { DeviceAlert, DevicesService, LossReportsService } from '@poc/devices';
import type {
  DeviceLocationsResponse,
  DeviceTelemetryResponse,
  IngestStatsResponse,
  RejectedMessagesResponse,
  TelemetryQuery,
  TimeRangeQuery,
} from './internal-devices.dto';
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

/** What a reader gets instead of a restricted patient's data: it is stored, and only stored. */
const WITHHELD = 'the patient has restricted processing: their data is stored only';

/**
 * Internal read-back of what ingest stored: the device record (as the caller's role may see it), its
 * telemetry and its location trail. Each read of patient data is audited before the response leaves.
 * While the device's patient restricts processing, nothing of theirs is shown. A location is shown only for
 * the policy's purposes: while the device stands reported lost or stolen, or, for support and admin, with a
 * stated reason (a break-glass read, audited with the reason).
 */
@Injectable()
export class TelemetryReadService {
  constructor(
    private readonly repository: TelemetryRepository,
    private readonly devices: DevicesService,
    private readonly audit: AuditService,
    private readonly lossReports: LossReportsService,
  ) {}

  async deviceRecord(caller: Principal, serialNumber: string, reason?: string) {
    const device = await this.existing(serialNumber);
    const { restricted } = await this.repository.processingOf(serialNumber);
    const lossReport = await this.lossReports.openReportOf(serialNumber);
    const purpose = this.purposeOf(caller, lossReport !== null, reason);
    const state = restricted ? null : await this.repository.latestStateOf(serialNumber);
    const alerts = restricted ? [] : await this.devices.alertsOf(serialNumber);
    const record = projectInternalDevice(
      caller.role as InternalRole,
      {
        ...device,
        processingRestricted: restricted,
        lastConnectedAt: state?.lastConnectedAt ?? null,
        errorCode: state?.errorCode ?? null,
        errorCodes: state?.errorCodes ?? [],
        lastLocation: state ? location(state) : null,
        lossReport,
        alerts,
      },
      purpose,
    );
    const fields = Object.keys(record).filter((f) => record[f as keyof typeof record] !== null);
    // The alerts name the accounts that tried to link the device: their disclosure is accounted for too.
    const alertAccounts = [...new Set((record.alerts as DeviceAlert[] | undefined)?.map((a) => a.accountId) ?? [])];
    await this.audit.record(
      caller,
      purpose.stated && record.lastLocation ? 'internal.device.read.stated' : 'internal.device.read',
      [
        { serialNumber, fields },
        ...alertAccounts.flatMap((id) => (id ? [{ serialNumber, patientId: id, fields: ['alertAccount'] }] : [])),
      ],
      reason,
    );
    return record;
  }

  async telemetry(
    caller: Principal,
    serialNumber: string,
    query: TelemetryQuery & { reason?: string },
  ): Promise<DeviceTelemetryResponse> {
    await this.existing(serialNumber);
    if ((await this.repository.processingOf(serialNumber)).restricted) return { items: [], withheld: WITHHELD };
    const lost = (await this.lossReports.openReportOf(serialNumber)) !== null;
    const withLocations = maySeeLocations(caller.role as InternalRole, this.purposeOf(caller, lost, query.reason));
    const { from, to, limit } = range(query);
    const rows = await this.repository.telemetryOf(
      serialNumber,
      from,
      to,
      limit,
      query.order === 'desc' ? 'DESC' : 'ASC',
    );
    await this.recordRead(caller, 'internal.telemetry.read', serialNumber, ['telemetry'], withLocations, query.reason);
    return {
      items: rows.map((row) => ({
        messageId: row.messageId,
        serialNumber: row.serialNumber,
        model: row.model,
        sentAt: row.sentAt,
        connectedAt: row.connectedAt,
        errorCodes: row.errorCodes,
        location: withLocations ? location(row) : null,
        // Kept but not used as the last location: too inaccurate, or too far from the previous fix.
        locationFlag: withLocations ? row.locationFlag : null,
        batteryPct: row.batteryPct,
        flowSetting: row.flowSetting,
        firmware: row.firmware,
        receivedAt: row.receivedAt,
      })),
    };
  }

  async locations(
    caller: Principal,
    serialNumber: string,
    query: TimeRangeQuery & { reason?: string },
  ): Promise<DeviceLocationsResponse> {
    await this.existing(serialNumber);
    const lost = (await this.lossReports.openReportOf(serialNumber)) !== null;
    if (!maySeeLocations(caller.role as InternalRole, this.purposeOf(caller, lost, query.reason))) {
      throw new DomainError(
        'forbidden',
        mayStateReasonForLocations(caller.role as InternalRole)
          ? 'A location is shown only while the device is reported lost or stolen, or with a stated reason'
          : 'This role sees locations only of devices reported lost or stolen',
      );
    }
    if ((await this.repository.processingOf(serialNumber)).restricted) return { items: [], withheld: WITHHELD };
    const { from, to, limit } = range({ ...query, limit: query.limit ?? 1000 });
    const items = await this.repository.locationsOf(serialNumber, from, to, limit);
    await this.recordRead(caller, 'internal.locations.read', serialNumber, ['locations'], true, query.reason);
    return { items };
  }

  async rejected(caller: Principal, serialNumber: string, limit: number): Promise<RejectedMessagesResponse> {
    await this.existing(serialNumber);
    if ((await this.repository.processingOf(serialNumber)).restricted) return { items: [], withheld: WITHHELD };
    const items = await this.repository.rejectedOf(serialNumber, limit);
    await this.recordRead(caller, 'internal.rejected.read', serialNumber, ['rejected'], false);
    return { items };
  }

  countsSince(since: Date): Promise<IngestStatsResponse> {
    return this.repository.countsSince(since);
  }

  /** Why a location may be shown: a loss report stands, or the reader stated a reason their role may state. */
  private purposeOf(caller: Principal, lost: boolean, reason: string | undefined): LocationPurpose {
    return { lost, stated: reason !== undefined && mayStateReasonForLocations(caller.role as InternalRole) };
  }

  private recordRead(
    caller: Principal,
    action: string,
    serialNumber: string,
    fields: string[],
    locations: boolean,
    reason?: string,
  ) {
    // A reason is recorded (and sealed) only where it opened a location: it says why this read saw one.
    const stated = locations && reason !== undefined;
    return this.audit.record(
      caller,
      stated ? `${action}.stated` : action,
      [{ serialNumber, fields }],
      stated ? reason : undefined,
    );
  }

  private async existing(serialNumber: string) {
    const device = await this.devices.recordOf(serialNumber);
    if (!device) throw new DomainError('not_found', 'No such device');
    return device;
  }
}
