import { Injectable } from '@nestjs/common';
import { DomainError } from '@poc/common';
import { DevicesService } from '@poc/devices';
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

/** Internal read-back of what ingest stored: the device record, its telemetry and its location trail. */
@Injectable()
export class TelemetryReadService {
  constructor(
    private readonly repository: TelemetryRepository,
    private readonly devices: DevicesService,
  ) {}

  async deviceRecord(serialNumber: string) {
    const device = await this.existing(serialNumber);
    const state = await this.repository.latestStateOf(serialNumber);
    return {
      ...device,
      lastConnectedAt: state?.lastConnectedAt ?? null,
      errorCode: state?.errorCode ?? null,
      errorCodes: state?.errorCodes ?? [],
      lastLocation: state ? location(state) : null,
      lossReport: null,
    };
  }

  async telemetry(serialNumber: string, query: TelemetryQuery) {
    await this.existing(serialNumber);
    const { from, to, limit } = range(query);
    const rows = await this.repository.telemetryOf(
      serialNumber,
      from,
      to,
      limit,
      query.order === 'desc' ? 'DESC' : 'ASC',
    );
    return {
      items: rows.map((row) => ({
        messageId: row.messageId,
        serialNumber: row.serialNumber,
        model: row.model,
        sentAt: row.sentAt,
        connectedAt: row.connectedAt,
        errorCodes: row.errorCodes,
        location: location(row),
        batteryPct: row.batteryPct,
        flowSetting: row.flowSetting,
        firmware: row.firmware,
        receivedAt: row.receivedAt,
      })),
    };
  }

  async locations(serialNumber: string, query: TimeRangeQuery) {
    await this.existing(serialNumber);
    const { from, to, limit } = range({ ...query, limit: query.limit ?? 1000 });
    return { items: await this.repository.locationsOf(serialNumber, from, to, limit) };
  }

  async rejected(serialNumber: string, limit: number) {
    await this.existing(serialNumber);
    return { items: await this.repository.rejectedOf(serialNumber, limit) };
  }

  countsSince(since: Date) {
    return this.repository.countsSince(since);
  }

  private async existing(serialNumber: string) {
    const device = await this.devices.recordOf(serialNumber);
    if (!device) throw new DomainError('not_found', 'No such device');
    return device;
  }
}
