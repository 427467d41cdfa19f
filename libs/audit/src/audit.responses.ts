import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { DisclosureRow } from './audit.repository';
import type { ChainVerdict } from './audit.service';
import type { Incident, IncidentKind } from './incidents.repository';

/** One device's data disclosed by one read: who read it, in which role, by which action, which fields. */
export class DisclosureResponse implements DisclosureRow {
  @ApiProperty({ type: String, format: 'date-time' }) at!: Date;
  /** The reader's user id. */
  @ApiProperty() actor!: string;
  @ApiProperty() role!: string;
  @ApiProperty() action!: string;
  /** Null for data not of a device (an account, consents, this accounting itself). */
  @ApiProperty({ type: String, nullable: true }) serialNumber!: string | null;
  /** Null once the patient is erased: the entry stays, unattributed. */
  @ApiProperty({ type: String, nullable: true }) patientId!: string | null;
  @ApiProperty({ type: [String] }) fields!: string[];
  /** Why, when the action stated it. */
  @ApiProperty({ type: String, nullable: true }) purpose!: string | null;
}

export class DisclosureListResponse {
  @ApiProperty({ type: [DisclosureResponse] }) items!: DisclosureResponse[];
}

export class AffectedPatientResponse {
  /** Null once the patient is erased: their pseudonym still counts, and is named. */
  @ApiProperty({ type: String, nullable: true }) patientId!: string | null;
  /** The patient's pseudonym in the audit log. */
  @ApiProperty() subject!: string;
  @ApiProperty() disclosures!: number;
}

export class AffectedPatientsResponse {
  @ApiProperty() actor!: string;
  @ApiProperty({ type: String, format: 'date-time' }) from!: Date;
  @ApiProperty({ type: String, format: 'date-time' }) to!: Date;
  @ApiProperty({ type: [AffectedPatientResponse] }) items!: AffectedPatientResponse[];
}

export class AuditChainBreakResponse {
  /** The audit entry's id. */
  @ApiProperty() id!: string;
  /** `prev_hash`: its link to the entry before changed; `hash`: its content changed. */
  @ApiProperty({ enum: ['prev_hash', 'hash'] }) reason!: 'prev_hash' | 'hash';
}

export class AuditChainVerdictResponse implements ChainVerdict {
  @ApiProperty() valid!: boolean;
  /** How many entries were verified, up to the first break. */
  @ApiProperty() entries!: number;
  /** The first entry whose link or content does not match; absent while the chain is whole. */
  @ApiPropertyOptional({ type: AuditChainBreakResponse }) firstBreak?: AuditChainBreakResponse;
}

export class IncidentResponse implements Incident {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: ['audit_chain_broken', 'reported'] }) kind!: IncidentKind;
  @ApiProperty() summary!: string;
  /** What the service found (a broken chain: the entry, the reason, how many entries were verified); {} when reported. */
  @ApiProperty({ type: 'object', additionalProperties: true }) detail!: Record<string, unknown>;
  @ApiProperty({ type: String, format: 'date-time' }) openedAt!: Date;
  /** Null when the service opened it. */
  @ApiProperty({ type: String, nullable: true }) openedBy!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) closedAt!: Date | null;
  @ApiProperty({ type: String, nullable: true }) closedBy!: string | null;
  /** The closing note. */
  @ApiProperty({ type: String, nullable: true }) note!: string | null;
}

export class IncidentListResponse {
  @ApiProperty({ type: [IncidentResponse] }) items!: IncidentResponse[];
}
