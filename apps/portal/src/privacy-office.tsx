import { FormEvent, useCallback, useEffect, useState } from 'react';
import type { ApiSchemas } from '@poc/api-client';
import { Api, answer, messageOf } from './api';
import { DataTable } from './data-table';

type PrivacyRequest = ApiSchemas['QueuedPrivacyRequestResponse'];
type Disclosure = ApiSchemas['DisclosureResponse'];
type Verdict = ApiSchemas['AuditChainVerdictResponse'];

const OPEN = ['received', 'in_progress'];
const CARRIED_OUT_BY_OFFICER = ['rectification', 'erasure'];
const when = (iso: string) => new Date(iso).toLocaleDateString();

/** The privacy office: the request queue, completing or refusing requests, the audit log and its verification. */
export function PrivacyOffice({ api }: { api: Api }) {
  const [requests, setRequests] = useState<PrivacyRequest[] | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [entries, setEntries] = useState<Disclosure[] | null>(null);
  const [verdict, setVerdict] = useState<Verdict | null>(null);

  const load = useCallback(async () => {
    try {
      setRequests(answer(await api.client.GET('/v1/internal/privacy-requests')).items);
    } catch (e) {
      setRequests([]);
      setStatus(messageOf(e));
    }
  }, [api]);
  useEffect(() => void load(), [load]);

  const decide = async (request: PrivacyRequest, decision: 'complete' | ApiSchemas['RefusalDto']) => {
    setStatus(
      decision === 'complete' ? `Completing the ${request.type} request…` : `Refusing the ${request.type} request…`,
    );
    try {
      const params = { path: { id: request.id } };
      const done =
        decision === 'complete'
          ? answer(await api.client.POST('/v1/internal/privacy-requests/{id}/complete', { params, body: {} }))
          : answer(await api.client.POST('/v1/internal/privacy-requests/{id}/refuse', { params, body: decision }));
      setStatus(`The ${request.type} request is now ${done.state.replace('_', ' ')}.`);
      await load();
    } catch (e) {
      setStatus(messageOf(e));
    }
  };
  const refuse = (request: PrivacyRequest) => (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    void decide(request, { reason: String(new FormData(event.currentTarget).get('reason')).trim() });
  };

  const accounting = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const subject = String(new FormData(event.currentTarget).get('subject')).trim();
    const query = /^[0-9a-f-]{36}$/i.test(subject) ? { patientId: subject } : { serialNumber: subject };
    try {
      setEntries(answer(await api.client.GET('/v1/internal/audit', { params: { query } })).items);
    } catch (e) {
      setStatus(messageOf(e));
    }
  };

  const verify = async () => {
    setVerdict(null);
    try {
      setVerdict(answer(await api.client.GET('/v1/internal/audit/verify')));
    } catch (e) {
      setStatus(messageOf(e));
    }
  };

  return (
    <section aria-labelledby="privacy-heading">
      <h2 id="privacy-heading">Privacy requests</h2>
      <p role="status" aria-live="polite">
        {status ?? ''}
      </p>
      {requests === null ? (
        <p aria-busy="true">Loading the queue…</p>
      ) : requests.length === 0 ? (
        <p>No privacy requests.</p>
      ) : (
        <DataTable
          caption="Requests, oldest due first; overdue ones are marked"
          rows={requests}
          rowKey={(r) => r.id}
          columns={[
            { heading: 'Type', cell: (r) => r.type.replace(/_/g, ' ') },
            { heading: 'Patient', cell: (r) => r.patientId },
            { heading: 'Requested', cell: (r) => when(r.requestedAt) },
            {
              heading: 'Due',
              cell: (r) => `${when(r.dueAt)}${r.overdue ? ' — overdue' : ''}`,
              className: (r) => (r.overdue ? 'overdue' : undefined),
            },
            { heading: 'State', cell: (r) => r.state.replace('_', ' ') },
            {
              heading: 'Action',
              cell: (r) =>
                OPEN.includes(r.state) ? (
                  <>
                    {/* An access request is answered by the patient's own export; the rest the officer carries out. */}
                    {CARRIED_OUT_BY_OFFICER.includes(r.type) ? (
                      <button type="button" onClick={() => void decide(r, 'complete')}>
                        Complete {r.type.replace(/_/g, ' ')}
                      </button>
                    ) : (
                      <span>Answered by the patient&apos;s export</span>
                    )}
                    <form className="inline" onSubmit={refuse(r)}>
                      <label htmlFor={`refuse-${r.id}`}>Reason to refuse</label>
                      <input id={`refuse-${r.id}`} name="reason" required minLength={3} maxLength={1000} />
                      <button type="submit">Refuse</button>
                    </form>
                  </>
                ) : (
                  (r.reason ?? r.note ?? '—')
                ),
            },
          ]}
        />
      )}

      <h2>Audit log</h2>
      <form className="search" onSubmit={accounting} role="search">
        <label htmlFor="audit-subject">Device serial number or patient id</label>
        <input id="audit-subject" name="subject" required maxLength={64} />
        <button type="submit">Show disclosures</button>
      </form>
      {entries &&
        (entries.length === 0 ? (
          <p>No disclosures recorded.</p>
        ) : (
          <DataTable
            caption="Disclosures, newest first"
            rows={entries}
            rowKey={(_, i) => String(i)}
            columns={[
              { heading: 'When', cell: (e) => new Date(e.at).toLocaleString() },
              { heading: 'Who (role)', cell: (e) => `${e.actor} (${e.role})` },
              { heading: 'Action', cell: (e) => e.action },
              { heading: 'Device', cell: (e) => e.serialNumber ?? '—' },
              { heading: 'Fields', cell: (e) => e.fields.join(', ') },
            ]}
          />
        ))}
      <button type="button" onClick={() => void verify()}>
        Verify the audit chain
      </button>
      <div role="status" aria-live="polite">
        {verdict &&
          (verdict.valid ? (
            <p>The audit chain is intact: {verdict.entries} entries verified.</p>
          ) : (
            <p className="error">
              The audit chain is broken at entry {verdict.firstBreak?.id} ({verdict.firstBreak?.reason}), after{' '}
              {verdict.entries} entries.
            </p>
          ))}
      </div>
    </section>
  );
}
