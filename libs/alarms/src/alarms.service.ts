import { Injectable } from '@nestjs/common';
import { AuditService } from '@poc/audit';
import type { Principal } from '@poc/auth';
import { decodeIdCursor, DomainError, encodeIdCursor } from '@poc/common';
import { AppConfig } from '@poc/config';
import {
  AlarmComment,
  AlarmsRepository,
  AlarmState,
  AlarmView,
  InternalAlarm,
  InternalFilter,
} from './alarms.repository';

/** What an alarm discloses: the device's error code or silence, a read of health data. */
const FIELDS = ['alarm', 'errorCode'] as const;

function page<T extends { id: string }>(rows: T[], limit: number): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  return { items, nextCursor: rows.length > limit ? encodeIdCursor(items[items.length - 1].id) : null };
}

const withoutPatient = ({ patientId: _, ...alarm }: InternalAlarm) => alarm;

/**
 * Alarms as people read and work them: support sees every alarm of a current patient not restricting
 * processing; a provider those of the devices it supplied while the patient shares with it. Every read,
 * acknowledgement and comment is audited.
 */
@Injectable()
export class AlarmsService {
  constructor(
    private readonly alarms: AlarmsRepository,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
  ) {}

  async internalList(caller: Principal, filter: InternalFilter, cursor: string | undefined, limit: number) {
    const before = cursor === undefined ? null : decodeIdCursor(cursor, '0');
    const rows = await this.alarms.internalPage(before, filter, limit + 1);
    const result = page(rows, limit);
    await this.audit.recordEach(caller, 'internal.alarms.read', result.items, FIELDS);
    return { items: result.items.map(withoutPatient), nextCursor: result.nextCursor };
  }

  async internalOne(caller: Principal, id: string) {
    const alarm = await this.internalAlarm(id);
    const comments = await this.alarms.comments(id, null);
    await this.audit.recordEach(caller, 'internal.alarm.read', [alarm], FIELDS);
    return { ...withoutPatient(alarm), comments };
  }

  async acknowledgeInternal(caller: Principal, id: string, comment?: string) {
    const alarm = await this.internalAlarm(id);
    await this.alarms.acknowledge(id, caller.userId, comment ? { text: comment, providerId: null } : null);
    await this.audit.recordEach(caller, 'internal.alarm.acknowledge', [alarm], FIELDS);
    return this.internalOne(caller, id);
  }

  async commentInternal(caller: Principal, id: string, text: string) {
    const alarm = await this.internalAlarm(id);
    await this.alarms.comment(id, caller.userId, { text, providerId: null });
    await this.audit.recordEach(caller, 'internal.alarm.comment', [alarm], FIELDS);
    return this.internalOne(caller, id);
  }

  async assign(caller: Principal, id: string, assignee: string | null) {
    const alarm = await this.internalAlarm(id);
    await this.alarms.assign(id, assignee);
    await this.audit.recordEach(caller, 'internal.alarm.assign', [alarm], FIELDS);
    return this.internalOne(caller, id);
  }

  async providerList(caller: Principal, state: AlarmState | undefined, cursor: string | undefined, limit: number) {
    const providerId = this.providerOf(caller);
    const before = cursor === undefined ? null : decodeIdCursor(cursor, '0');
    const rows = await this.alarms.providerPage(providerId, this.config.POLICY_VERSION, state, before, limit + 1);
    const result = page(rows, limit);
    await this.audit.record(caller, 'provider.alarms.read', result.items.map(disclosed));
    return result;
  }

  async providerOne(caller: Principal, id: string): Promise<AlarmView & { comments: AlarmComment[] }> {
    const providerId = this.providerOf(caller);
    const alarm = await this.providerAlarm(providerId, id);
    const comments = await this.alarms.comments(id, providerId);
    await this.audit.record(caller, 'provider.alarm.read', [disclosed(alarm)]);
    return { ...alarm, comments };
  }

  async acknowledgeAsProvider(caller: Principal, id: string, comment?: string) {
    const providerId = this.providerOf(caller);
    const alarm = await this.providerAlarm(providerId, id);
    await this.alarms.acknowledge(id, caller.userId, comment ? { text: comment, providerId } : null);
    await this.audit.record(caller, 'provider.alarm.acknowledge', [disclosed(alarm)]);
    return this.providerOne(caller, id);
  }

  async commentAsProvider(caller: Principal, id: string, text: string) {
    const providerId = this.providerOf(caller);
    const alarm = await this.providerAlarm(providerId, id);
    await this.alarms.comment(id, caller.userId, { text, providerId });
    await this.audit.record(caller, 'provider.alarm.comment', [disclosed(alarm)]);
    return this.providerOne(caller, id);
  }

  private async internalAlarm(id: string): Promise<InternalAlarm> {
    const alarm = /^\d{1,18}$/.test(id) ? await this.alarms.internalById(id) : null;
    if (!alarm) throw new DomainError('not_found', 'No such alarm');
    return alarm;
  }

  // An alarm the provider may not see answers as one that does not exist.
  private async providerAlarm(providerId: string, id: string): Promise<AlarmView> {
    const alarm = /^\d{1,18}$/.test(id)
      ? await this.alarms.providerById(providerId, this.config.POLICY_VERSION, id)
      : null;
    if (!alarm) throw new DomainError('not_found', 'No such alarm');
    return alarm;
  }

  private providerOf(caller: Principal): string {
    if (!caller.providerId) throw new DomainError('forbidden', 'This account is not bound to a provider');
    return caller.providerId;
  }
}

// The provider's read is accounted to the device's patient now (the audit looks it up).
const disclosed = (alarm: AlarmView) => ({ serialNumber: alarm.serialNumber, fields: FIELDS });
