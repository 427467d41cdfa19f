import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '@poc/config';
import {
  COUNT_SINCE,
  INSERT_REJECTED,
  INSERT_TELEMETRY,
  PROCESSING_OF,
  SELECT_LATEST_STATE,
  SELECT_LOCATIONS,
  SELECT_REJECTED,
  SELECT_TELEMETRY,
  UPSERT_LATEST_STATE,
} from './telemetry.sql';

/** A message as it will be stored: consent already applied (a withheld location is absent here). */
export interface TelemetryRow {
  deviceTime: Date;
  messageId: string;
  serialNumber: string;
  model: string;
  sentAt: string;
  connectedAt: string | null;
  receivedAt: Date;
  errorCodes: string[];
  batteryPct: number | null;
  flowSetting: number | null;
  firmware: string | null;
  location: { lat: number; lon: number; accuracyM: number | null; capturedAt: string | null } | null;
  patientId?: string | null;
}

export interface RejectedRow {
  serialNumber: string;
  messageId: string | null;
  receivedAt: Date;
  reason: string;
}

export interface TelemetryItemRow {
  messageId: string;
  serialNumber: string;
  model: string;
  sentAt: Date;
  connectedAt: Date | null;
  errorCodes: string[];
  batteryPct: number | null;
  flowSetting: number | null;
  firmware: string | null;
  receivedAt: Date;
  deviceTime: Date;
  lat: number | null;
  lon: number | null;
  accuracyM: number | null;
  capturedAt: Date | null;
  locationFlag: 'inaccurate' | 'implausible_speed' | null;
}

export interface LatestStateRow {
  lastConnectedAt: Date;
  errorCode: string | null;
  errorCodes: string[];
  lat: number | null;
  lon: number | null;
  accuracyM: number | null;
  capturedAt: Date | null;
}

/** A message's identity for deduplication: the same device's same id at the same device time. */
export const telemetryKey = (row: Pick<TelemetryRow, 'serialNumber' | 'messageId' | 'deviceTime'>): string =>
  `${row.serialNumber}|${row.messageId}|${row.deviceTime.getTime()}`;
const locationTime = (row: TelemetryRow): number =>
  row.location ? Date.parse(row.location.capturedAt ?? row.deviceTime.toISOString()) : -Infinity;

/** Per device in the batch: the newest message by device time, and the newest located one. */
function latestPerDevice(rows: TelemetryRow[]): Array<{ state: TelemetryRow; located: TelemetryRow | null }> {
  const latest = new Map<string, { state: TelemetryRow; located: TelemetryRow | null }>();
  for (const row of rows) {
    const current = latest.get(row.serialNumber);
    if (!current) {
      latest.set(row.serialNumber, { state: row, located: row.location ? row : null });
      continue;
    }
    if (row.deviceTime > current.state.deviceTime) current.state = row;
    if (row.location && (!current.located || locationTime(row) > locationTime(current.located))) current.located = row;
  }
  // In serial order, so concurrent batches lock the same rows in the same order and never deadlock.
  return [...latest.values()].sort((a, b) => (a.state.serialNumber < b.state.serialNumber ? -1 : 1));
}

@Injectable()
export class TelemetryRepository {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly config: AppConfig,
  ) {}

  /**
   * Stores a batch in one transaction: new telemetry rows (a messageId already stored is skipped),
   * the devices' latest state, and the rejected messages. Returns the keys of the rows that were new.
   */
  async commitBatch(rows: TelemetryRow[], rejected: RejectedRow[]): Promise<Set<string>> {
    return this.db.transaction(async (tx) => {
      const stored = new Set<string>();
      if (rows.length > 0) {
        const inserted: Array<{
          serial_number: string;
          message_id: string;
          device_time: Date;
          location_flag: string | null;
        }> = await tx.query(INSERT_TELEMETRY, [
          rows.map((r) => r.deviceTime),
          rows.map((r) => r.messageId),
          rows.map((r) => r.serialNumber),
          rows.map((r) => r.model),
          rows.map((r) => r.sentAt),
          rows.map((r) => r.connectedAt),
          rows.map((r) => r.receivedAt),
          rows.map((r) => r.errorCodes.join(',')),
          rows.map((r) => r.batteryPct),
          rows.map((r) => r.flowSetting),
          rows.map((r) => r.firmware),
          rows.map((r) => r.location?.lat ?? null),
          rows.map((r) => r.location?.lon ?? null),
          rows.map((r) => r.location?.accuracyM ?? null),
          rows.map((r) => r.location?.capturedAt ?? null),
          this.config.MAX_FIX_ACCURACY_M,
          this.config.MAX_FIX_SPEED_KMH / 3.6,
          rows.map((r) => r.patientId ?? null),
        ]);
        const flagged = new Set<string>();
        for (const row of inserted) {
          const id = telemetryKey({
            serialNumber: row.serial_number,
            messageId: row.message_id,
            deviceTime: row.device_time,
          });
          stored.add(id);
          if (row.location_flag) flagged.add(id);
        }
        // A flagged fix is kept in the history but never becomes the last location.
        const fresh = rows
          .filter((r) => stored.has(telemetryKey(r)))
          .map((r) => (flagged.has(telemetryKey(r)) ? { ...r, location: null } : r));
        const latest = latestPerDevice(fresh);
        if (latest.length > 0) {
          await tx.query(UPSERT_LATEST_STATE, [
            latest.map((l) => l.state.serialNumber),
            latest.map((l) => l.state.deviceTime),
            latest.map((l) => l.state.errorCodes.join(',')),
            latest.map((l) => l.located?.location?.lat ?? null),
            latest.map((l) => l.located?.location?.lon ?? null),
            latest.map((l) => l.located?.location?.accuracyM ?? null),
            latest.map((l) => l.located?.location?.capturedAt ?? null),
            latest.map((l) => (l.located ? new Date(locationTime(l.located)) : null)),
          ]);
        }
      }
      if (rejected.length > 0) {
        await tx.query(INSERT_REJECTED, [
          rejected.map((r) => r.serialNumber),
          rejected.map((r) => r.messageId),
          rejected.map((r) => r.receivedAt),
          rejected.map((r) => r.reason),
        ]);
      }
      return stored;
    });
  }

  telemetryOf(serial: string, from: Date, to: Date, limit: number, order: 'ASC' | 'DESC'): Promise<TelemetryItemRow[]> {
    return this.db.query(SELECT_TELEMETRY(order), [serial, from, to, limit]);
  }

  locationsOf(
    serial: string,
    from: Date,
    to: Date,
    limit: number,
  ): Promise<Array<{ lat: number; lon: number; accuracyM: number | null; capturedAt: Date }>> {
    return this.db.query(SELECT_LOCATIONS, [serial, from, to, limit]);
  }

  /** Whether the device's patient has restricted processing (then their data is stored only). */
  async processingOf(serial: string): Promise<{ restricted: boolean }> {
    const [row] = await this.db.query(PROCESSING_OF, [serial]);
    return { restricted: row?.restricted ?? false };
  }

  async latestStateOf(serial: string): Promise<LatestStateRow | null> {
    const [row] = await this.db.query(SELECT_LATEST_STATE, [serial]);
    return row ?? null;
  }

  rejectedOf(
    serial: string,
    limit: number,
  ): Promise<Array<{ messageId: string | null; receivedAt: Date; reason: string }>> {
    return this.db.query(SELECT_REJECTED, [serial, limit]);
  }

  async countsSince(since: Date): Promise<{ stored: number; rejected: number }> {
    const [row] = await this.db.query(COUNT_SINCE, [since]);
    return row;
  }

  async ensurePartitions(): Promise<void> {
    await this.db.query(
      `SELECT ensure_telemetry_partitions((now() - interval '25 months')::date, (now() + interval '3 months')::date)`,
    );
  }
}
