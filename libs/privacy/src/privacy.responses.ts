import { ApiProperty } from '@nestjs/swagger';
import { PageOf } from '@poc/common';
import { ConsentStateResponse } from '@poc/consent';
import {
  IDENTITY_CHECKS,
  IdentityCheck,
  PRIVACY_REQUEST_STATES,
  PRIVACY_REQUEST_TYPES,
  PrivacyRequestState,
  PrivacyRequestType,
  RequestDetails,
} from './privacy-request';
import { NOTICE_KINDS, NoticeKind } from './provider-notice';
import { RETENTION_CATEGORIES, RetentionCategory } from './retention.schedule';

// A request's `details` and `outcome` differ by its type: free-form objects.

export class PrivacyRequestResponse {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: PRIVACY_REQUEST_TYPES }) type!: PrivacyRequestType;
  @ApiProperty({ enum: PRIVACY_REQUEST_STATES }) state!: PrivacyRequestState;
  /** Why it was refused (or queued again). */
  @ApiProperty({ type: String, nullable: true }) reason!: string | null;
  /** What it asks beyond its type: a rectification's `changes` and `details`, an authorised agent's `agent`. */
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true }) details!: RequestDetails | null;
  /** Null for a request older than the recording of identity checks. */
  @ApiProperty({ enum: [...IDENTITY_CHECKS, null], nullable: true }) identityCheck!: IdentityCheck | null;
  /** The officer's note of what was done. */
  @ApiProperty({ type: String, nullable: true }) note!: string | null;
  /** What it did, once decided: its effect, the providers told, or the export that answered it. */
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true }) outcome!: Record<string, unknown> | null;
  @ApiProperty({ type: String, format: 'date-time' }) requestedAt!: Date;
  @ApiProperty({ type: String, format: 'date-time' }) dueAt!: Date;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) completedAt!: Date | null;
  /** Still open past its due date. */
  @ApiProperty() overdue!: boolean;
}

export class PrivacyRequestsResponse {
  @ApiProperty({ type: [PrivacyRequestResponse] }) items!: PrivacyRequestResponse[];
}

/** A request in the officer's queue, with who asked (null once the patient is erased). */
export class QueuedPrivacyRequestResponse extends PrivacyRequestResponse {
  @ApiProperty({ type: String, nullable: true }) patientId!: string | null;
}

export class PrivacyRequestQueueResponse {
  @ApiProperty({ type: [QueuedPrivacyRequestResponse] }) items!: QueuedPrivacyRequestResponse[];
}

/** A legal hold in force: on a patient's data, or on a device's (exactly one of the two is set). */
export class LegalHoldResponse {
  @ApiProperty() id!: string;
  @ApiProperty({ type: String, nullable: true }) patientId!: string | null;
  @ApiProperty({ type: String, nullable: true }) serialNumber!: string | null;
  @ApiProperty() reason!: string;
  @ApiProperty({ type: String, format: 'date-time' }) placedAt!: Date;
}

export class LegalHoldsResponse {
  @ApiProperty({ type: [LegalHoldResponse] }) items!: LegalHoldResponse[];
}

/** What a provider is told: the device, what happened, when. Never who. */
export class ProviderNoticeResponse {
  @ApiProperty() id!: string;
  @ApiProperty() serialNumber!: string;
  @ApiProperty({ enum: NOTICE_KINDS }) kind!: NoticeKind;
  @ApiProperty({ type: String, format: 'date-time' }) at!: Date;
}

export const ProviderNoticePage = PageOf(ProviderNoticeResponse);

export class TelemetryPurged {
  @ApiProperty({ type: [String] }) droppedPartitions!: string[];
  /** Partitions kept for the held rows in them, the rest of their rows deleted. */
  @ApiProperty({ type: [String] }) thinnedPartitions!: string[];
  @ApiProperty() deletedRows!: number;
}

export class LastLocationsPurged {
  @ApiProperty() clearedLocations!: number;
}

export class RowsPurged {
  @ApiProperty() deletedRows!: number;
}

export class LossReportsPurged {
  @ApiProperty() lossReports!: number;
  @ApiProperty() alerts!: number;
}

export class InactiveAccountsPurged {
  @ApiProperty() erased!: number;
}

export class AuditEntriesExpired {
  /** Entries past their retention, which only the database's maintenance role drops. */
  @ApiProperty() awaitingMaintenanceRole!: number;
}

/** What one retention run removed, by category. */
export class RetentionRunResponse {
  @ApiProperty({ type: TelemetryPurged }) telemetry!: TelemetryPurged;
  @ApiProperty({ type: LastLocationsPurged }) last_location!: LastLocationsPurged;
  @ApiProperty({ type: RowsPurged }) rejected_messages!: RowsPurged;
  @ApiProperty({ type: RowsPurged }) sessions!: RowsPurged;
  @ApiProperty({ type: RowsPurged }) attempt_counts!: RowsPurged;
  @ApiProperty({ type: LossReportsPurged }) resolved_loss_reports!: LossReportsPurged;
  @ApiProperty({ type: RowsPurged }) privacy_requests!: RowsPurged;
  @ApiProperty({ type: InactiveAccountsPurged }) inactive_accounts!: InactiveAccountsPurged;
  @ApiProperty({ type: AuditEntriesExpired }) audit_entries!: AuditEntriesExpired;
}

export class RegisterCategory {
  @ApiProperty() category!: string;
  @ApiProperty({ type: [String] }) data!: string[];
  @ApiProperty() purpose!: string;
  @ApiProperty() legalBasis!: string;
  @ApiProperty() source!: string;
  /** Each retention rule that applies, as "data: how long". */
  @ApiProperty({ type: [String] }) retention!: string[];
}

export class RetentionPeriod {
  @ApiProperty({ enum: RETENTION_CATEGORIES }) category!: RetentionCategory;
  @ApiProperty() data!: string;
  @ApiProperty() keptFor!: string;
  @ApiProperty() removedBy!: string;
}

/** The extract of the register of processing: what is held, why, who receives it, for how long. */
export class ProcessingRegisterExtract {
  @ApiProperty() controller!: string;
  @ApiProperty({ type: [RegisterCategory] }) categories!: RegisterCategory[];
  @ApiProperty({ type: [RetentionPeriod] }) retention!: RetentionPeriod[];
  @ApiProperty({ type: [String] }) recipients!: string[];
  @ApiProperty() sale!: string;
}

export class ExportedAccount {
  @ApiProperty() id!: string;
  @ApiProperty() username!: string;
  @ApiProperty({ type: String, nullable: true }) email!: string | null;
  @ApiProperty({ type: String, format: 'date', nullable: true }) birthDate!: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: Date;
  @ApiProperty({ type: String, format: 'date-time' }) lastActiveAt!: Date;
}

export class ExportedDevice {
  @ApiProperty() serialNumber!: string;
  @ApiProperty() model!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) linkedAt!: Date | null;
}

export class ExportedDeviceClaim {
  @ApiProperty() serialNumber!: string;
  @ApiProperty({ enum: ['pending_verification', 'verified', 'rejected'] }) state!: string;
  @ApiProperty({ type: String, format: 'date-time' }) requestedAt!: Date;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) decidedAt!: Date | null;
  @ApiProperty({ type: String, nullable: true }) reason!: string | null;
}

export class ExportedLossReport {
  @ApiProperty() serialNumber!: string;
  @ApiProperty({ enum: ['lost', 'stolen'] }) kind!: string;
  @ApiProperty({ type: String, format: 'date-time' }) reportedAt!: Date;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) resolvedAt!: Date | null;
}

/** One disclosure of the patient's data: who read which fields of which device, when, and why. */
export class ExportedDisclosure {
  @ApiProperty({ type: String, format: 'date-time' }) at!: Date;
  /** The reader's user id. */
  @ApiProperty() actor!: string;
  @ApiProperty() role!: string;
  @ApiProperty() action!: string;
  @ApiProperty({ type: String, nullable: true }) serialNumber!: string | null;
  @ApiProperty() patientId!: string;
  @ApiProperty({ type: [String] }) fields!: string[];
  @ApiProperty({ type: String, nullable: true }) purpose!: string | null;
}

export class ExportedTelemetry {
  @ApiProperty() messageId!: string;
  @ApiProperty() serialNumber!: string;
  @ApiProperty({ type: String, format: 'date-time' }) deviceTime!: string;
  @ApiProperty({ type: String, format: 'date-time' }) sentAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) connectedAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) receivedAt!: string;
  @ApiProperty({ type: [String] }) errorCodes!: string[];
  @ApiProperty({ type: Number, nullable: true }) batteryPct!: number | null;
  @ApiProperty({ type: Number, nullable: true }) flowSetting!: number | null;
  @ApiProperty({ type: String, nullable: true }) firmware!: string | null;
  @ApiProperty({ type: Number, nullable: true }) lat!: number | null;
  @ApiProperty({ type: Number, nullable: true }) lon!: number | null;
  @ApiProperty({ type: Number, nullable: true }) accuracyM!: number | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) capturedAt!: string | null;
}

/** The JSON export: every category held about the patient, with the register extract. */
export class PersonalDataExportResponse {
  @ApiProperty({ type: String, format: 'date-time' }) exportedAt!: Date;
  @ApiProperty({ type: ProcessingRegisterExtract }) register!: ProcessingRegisterExtract;
  @ApiProperty({ type: ExportedAccount }) account!: ExportedAccount;
  /** As GET /v1/me/consents answers them: the current choices and their history. */
  @ApiProperty({ type: ConsentStateResponse }) consents!: ConsentStateResponse;
  @ApiProperty({ type: [ExportedDevice] }) devices!: ExportedDevice[];
  @ApiProperty({ type: [ExportedDeviceClaim] }) deviceClaims!: ExportedDeviceClaim[];
  @ApiProperty({ type: [ExportedLossReport] }) lossReports!: ExportedLossReport[];
  @ApiProperty({ type: [PrivacyRequestResponse] }) privacyRequests!: PrivacyRequestResponse[];
  /** Newest first. */
  @ApiProperty({ type: [ExportedDisclosure] }) disclosures!: ExportedDisclosure[];
  @ApiProperty({ type: [ExportedTelemetry] }) telemetry!: ExportedTelemetry[];
}
