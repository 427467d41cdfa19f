import { FormEvent, useCallback, useEffect, useState } from 'react';
import type { ApiSchemas } from '@poc/api-client';
import { Api, answer, messageOf } from './api';

// The alarm as the provider sees it, or as support does (with what to do).
type Alarm = ApiSchemas['AlarmResponse'] | ApiSchemas['InternalAlarmResponse'];
type AlarmDetail = ApiSchemas['AlarmWithCommentsResponse'] | ApiSchemas['InternalAlarmWithCommentsResponse'];

type StateFilter = 'active' | 'cleared' | 'all';

/**
 * The alarm inbox of a provider (`/v1/provider/alarms`: its devices, while the patient shares) or of the
 * manufacturer's support (`/v1/internal/alarms`): filter by state, open an alarm, acknowledge it, comment.
 */
export function AlarmInbox({ api, scope }: { api: Api; scope: 'provider' | 'internal' }) {
  const [filter, setFilter] = useState<StateFilter>('active');
  const [alarms, setAlarms] = useState<Alarm[] | null>(null);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [open, setOpen] = useState<AlarmDetail | null>(null);
  const [comment, setComment] = useState('');
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(
    async (cursor: string | null) => {
      setError(null);
      const query = { limit: 50, state: filter === 'all' ? undefined : filter, cursor: cursor || undefined };
      try {
        const page =
          scope === 'internal'
            ? answer(await api.client.GET('/v1/internal/alarms', { params: { query } }))
            : answer(await api.client.GET('/v1/provider/alarms', { params: { query } }));
        setAlarms((seen) => [...(cursor ? (seen ?? []) : []), ...page.items]);
        setNextCursor(page.nextCursor);
      } catch (e) {
        setError(messageOf(e));
        setAlarms((seen) => seen ?? []);
      }
    },
    [api, scope, filter],
  );

  useEffect(() => void load(null), [load]);

  const act = async (work: () => Promise<AlarmDetail>) => {
    setError(null);
    try {
      const detail = await work();
      setOpen(detail);
      setAlarms((seen) => seen?.map((a) => (a.id === detail.id ? { ...a, ...detail } : a)) ?? null);
    } catch (e) {
      setError(messageOf(e));
    }
  };
  const show = (id: string) =>
    act(async () => {
      const params = { path: { id } };
      return scope === 'internal'
        ? answer(await api.client.GET('/v1/internal/alarms/{id}', { params }))
        : answer(await api.client.GET('/v1/provider/alarms/{id}', { params }));
    });
  const acknowledge = (id: string) =>
    act(async () => {
      const request = { params: { path: { id } }, body: comment ? { comment } : {} };
      return scope === 'internal'
        ? answer(await api.client.POST('/v1/internal/alarms/{id}/acknowledge', request))
        : answer(await api.client.POST('/v1/provider/alarms/{id}/acknowledge', request));
    }).then(() => setComment(''));
  const addComment = (event: FormEvent, id: string) => {
    event.preventDefault();
    if (!comment.trim()) return;
    void act(async () => {
      const request = { params: { path: { id } }, body: { text: comment } };
      return scope === 'internal'
        ? answer(await api.client.POST('/v1/internal/alarms/{id}/comments', request))
        : answer(await api.client.POST('/v1/provider/alarms/{id}/comments', request));
    }).then(() => setComment(''));
  };

  return (
    <section aria-labelledby="alarms-heading">
      <h2 id="alarms-heading">Alarms</h2>
      <label>
        Show{' '}
        <select value={filter} onChange={(e) => setFilter(e.target.value as StateFilter)}>
          <option value="active">active</option>
          <option value="cleared">cleared (history)</option>
          <option value="all">all</option>
        </select>
      </label>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {alarms === null ? (
        <p aria-busy="true">Loading alarms…</p>
      ) : alarms.length === 0 && !error ? (
        <p>No alarms.</p>
      ) : (
        <table aria-label="Alarms, newest first">
          <thead>
            <tr>
              <th scope="col">Severity</th>
              <th scope="col">Device</th>
              <th scope="col">Code</th>
              <th scope="col">What</th>
              <th scope="col">Raised</th>
              <th scope="col">State</th>
              <th scope="col">Acknowledged</th>
            </tr>
          </thead>
          <tbody>
            {alarms.map((alarm) => (
              <tr key={alarm.id} className={`severity-${alarm.severity}`}>
                <td>{alarm.severity}</td>
                <td>{alarm.serialNumber}</td>
                <td>{alarm.code ?? '—'}</td>
                <td>
                  <button type="button" className="link" onClick={() => void show(alarm.id)}>
                    {alarm.text}
                  </button>
                </td>
                <td>
                  <time dateTime={alarm.raisedAt}>{new Date(alarm.raisedAt).toLocaleString()}</time>
                </td>
                <td>{alarm.state}</td>
                <td>{alarm.acknowledged ? 'yes' : 'no'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {nextCursor && (
        <button type="button" onClick={() => void load(nextCursor)}>
          Show more alarms
        </button>
      )}
      {open && (
        <article aria-labelledby="alarm-heading" className="alarm-detail">
          <h3 id="alarm-heading">
            {open.serialNumber}: {open.text}
          </h3>
          <p>
            {open.severity}, {open.state}
            {open.clearedAt && ` (cleared ${new Date(open.clearedAt).toLocaleString()})`},{' '}
            {open.acknowledged ? 'acknowledged' : 'not acknowledged'}
          </p>
          {'action' in open && open.action && <p>What to do: {open.action}</p>}
          <h4>Comments</h4>
          {open.comments.length === 0 ? (
            <p>No comments.</p>
          ) : (
            <ol aria-label="Comments">
              {open.comments.map((c) => (
                <li key={c.id}>
                  <time dateTime={c.at}>{new Date(c.at).toLocaleString()}</time>: {c.text}
                </li>
              ))}
            </ol>
          )}
          <form onSubmit={(e) => addComment(e, open.id)}>
            <label>
              Comment <input value={comment} maxLength={2000} onChange={(e) => setComment(e.target.value)} />
            </label>
            <button type="submit">Add comment</button>
            {!open.acknowledged && (
              <button type="button" onClick={() => void acknowledge(open.id)}>
                Acknowledge
              </button>
            )}
          </form>
        </article>
      )}
    </section>
  );
}
