export const PRIVACY_REQUEST_TYPES = [
  'access',
  'rectification',
  'erasure',
  'restriction',
  'objection',
  'withdraw_consent',
  'sale_opt_out',
] as const;
export type PrivacyRequestType = (typeof PRIVACY_REQUEST_TYPES)[number];
export const PRIVACY_REQUEST_STATES = ['received', 'in_progress', 'completed', 'refused'] as const;
export type PrivacyRequestState = (typeof PRIVACY_REQUEST_STATES)[number];

/** An authorised agent acting for the patient, and the evidence of their authority the officer checked. */
export interface Agent {
  name: string;
  evidenceRef: string;
}

/** What a request asks beyond its type: a rectification's account changes, or what else should change. */
export interface RequestDetails {
  changes?: { email?: string; birthDate?: string };
  details?: string;
  agent?: Agent;
}

/**
 * How the requester's identity was verified: the patient signed in (with a fresh password for an erasure),
 * an officer checked an authorised agent's evidence, or an officer found a child's account.
 */
export const IDENTITY_CHECKS = ['signed_in', 'password_step_up', 'authorised_agent', 'child_account'] as const;
export type IdentityCheck = (typeof IDENTITY_CHECKS)[number];

export interface PrivacyRequest {
  id: string;
  patientId: string | null;
  type: PrivacyRequestType;
  state: PrivacyRequestState;
  reason: string | null;
  outcome: Record<string, unknown> | null;
  details: RequestDetails | null;
  identityCheck: IdentityCheck | null;
  note: string | null;
  /** The officer who recorded it on someone's behalf (then another officer must carry out an erasure). */
  recordedBy: string | null;
  requestedAt: Date;
  dueAt: Date;
  completedAt: Date | null;
}

/** GDPR's one month is the stricter of the two limits (CCPA allows 45 days), so every request gets it. */
export const RESPONSE_TIME = '1 month';

/** What the API shows of a request, overdue included. */
export const toView = (request: PrivacyRequest, now = new Date()) => ({
  id: request.id,
  type: request.type,
  state: request.state,
  reason: request.reason,
  details: request.details,
  identityCheck: request.identityCheck,
  note: request.note,
  outcome: request.outcome,
  requestedAt: request.requestedAt,
  dueAt: request.dueAt,
  completedAt: request.completedAt,
  overdue: (request.state === 'received' || request.state === 'in_progress') && request.dueAt < now,
});
