import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { ENQUEUE_DELIVERIES, ESCALATE, EVALUATE_CODES, EVALUATE_SILENCE, EVALUATION_LOCK } from './alarms.sql';

/** Something that happened to an alarm, as webhooks hear of it. */
export interface AlarmEvent {
  id: string;
  event: 'alarm.raised' | 'alarm.cleared' | 'alarm.acknowledged' | 'alarm.escalated';
}

/** The alarm rules as statements: each evaluation one transaction, its webhook deliveries written with it. */
@Injectable()
export class AlarmRulesRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The error-code rule for these devices (all when null). */
  evaluateCodes(serials: string[] | null): Promise<AlarmEvent[]> {
    return this.evaluation((tx) => tx.query(EVALUATE_CODES, [serials]));
  }

  /** Every device: codes (what a lost evaluation missed), silence, and escalation of unacknowledged alarms. */
  sweep(offlineAfterS: number, escalateAfterS: number): Promise<AlarmEvent[]> {
    return this.evaluation(async (tx) => [
      ...(await tx.query(EVALUATE_CODES, [null])),
      ...(await tx.query(EVALUATE_SILENCE, [`${offlineAfterS} seconds`])),
      ...(await tx.query(ESCALATE, [`${escalateAfterS} seconds`])),
    ]);
  }

  /** Writes the deliveries of events, in the caller's transaction. */
  static async enqueue(tx: EntityManager, events: AlarmEvent[]): Promise<void> {
    if (events.length === 0) return;
    await tx.query(ENQUEUE_DELIVERIES, [events.map((e) => e.id), events.map((e) => e.event)]);
  }

  private evaluation(work: (tx: EntityManager) => Promise<AlarmEvent[]>): Promise<AlarmEvent[]> {
    return this.db.transaction(async (tx) => {
      await tx.query(EVALUATION_LOCK);
      const events = await work(tx);
      await AlarmRulesRepository.enqueue(tx, events);
      return events;
    });
  }
}
