import { useCallback, useEffect, useState } from 'react';
import type { ApiSchemas } from '@poc/api-client';
import { Api, answer, messageOf } from './api';

type Notice = ApiSchemas['ProviderNoticeResponse'];

// What the provider must do with each, in its own words (policy 001, 10.4: recipients are told).
const WORDS: Record<Notice['kind'], string> = {
  rectification: "The patient's data was corrected: update your copy.",
  erasure: "The patient's data was erased: erase your copy.",
  restriction: 'The patient restricted processing: keep your copy stored, and only stored.',
  restriction_lifted: 'The patient lifted the restriction of processing.',
};

/** The provider's notices of its patients' privacy requests, oldest first, a page at a time. Never who. */
export function ProviderNotices({ api }: { api: Api }) {
  const [notices, setNotices] = useState<Notice[] | null>(null);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(
    async (cursor: string | null) => {
      setError(null);
      try {
        const query = { limit: 50, cursor: cursor || undefined };
        const page = answer(await api.client.GET('/v1/provider/notices', { params: { query } }));
        setNotices((seen) => [...(cursor ? (seen ?? []) : []), ...page.items]);
        setNextCursor(page.nextCursor);
      } catch (e) {
        setError(messageOf(e));
        setNotices((seen) => seen ?? []);
      }
    },
    [api],
  );

  useEffect(() => void load(null), [load]);

  return (
    <section aria-labelledby="notices-heading">
      <h2 id="notices-heading">Notices from patients&apos; privacy requests</h2>
      <p className="note">
        A patient of a device you supplied corrected, erased or restricted their data. Act on your own records of that
        device; the patient&apos;s identity is not shared.
      </p>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {notices === null ? (
        <p aria-busy="true">Loading notices…</p>
      ) : notices.length === 0 && !error ? (
        <p>No notices.</p>
      ) : (
        <ol aria-label="Notices, oldest first">
          {notices.map((notice) => (
            <li key={notice.id}>
              <time dateTime={notice.at}>{new Date(notice.at).toLocaleString()}</time> — device{' '}
              <strong>{notice.serialNumber}</strong>: {WORDS[notice.kind]}
            </li>
          ))}
        </ol>
      )}
      {nextCursor && (
        <button type="button" onClick={() => void load(nextCursor)}>
          Show more notices
        </button>
      )}
    </section>
  );
}
