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
export type PrivacyRequestState = 'received' | 'in_progress' | 'completed' | 'refused';

export interface PrivacyRequest {
  id: string;
  patientId: string | null;
  type: PrivacyRequestType;
  state: PrivacyRequestState;
  reason: string | null;
  outcome: Record<string, unknown> | null;
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
  outcome: request.outcome,
  requestedAt: request.requestedAt,
  dueAt: request.dueAt,
  completedAt: request.completedAt,
  overdue: (request.state === 'received' || request.state === 'in_progress') && request.dueAt < now,
});
