import { EventEmitter } from 'node:events';
import { DatabaseNotices } from '@poc/db';
import type { DataSource } from 'typeorm';
import { ActiveSessionsCache } from './active-sessions.cache';

/** A stand-in for the pooled connection the cache listens on: it can deliver a notice or fail. */
class ListeningConnection extends EventEmitter {
  released = false;
  query = jest.fn().mockResolvedValue({ rows: [] });
  release = () => (this.released = true);
}

describe('ActiveSessionsCache', () => {
  const expiresLater = () => new Date(Date.now() + 3600_000);
  let connection: ListeningConnection;
  let notices: DatabaseNotices;
  let cache: ActiveSessionsCache;

  beforeEach(async () => {
    connection = new ListeningConnection();
    const db = { driver: { master: { connect: async () => connection } } } as unknown as DataSource;
    notices = new DatabaseNotices(db);
    cache = new ActiveSessionsCache(notices);
    await notices.onApplicationBootstrap();
  });
  afterEach(() => notices.onModuleDestroy());

  it('remembers an active session for 5 s at most, and forgets one the database announces ended', () => {
    jest.useFakeTimers({ now: Date.now() });
    try {
      expect(connection.query).toHaveBeenCalledWith('LISTEN auth_sessions_ended');
      cache.remember('a', expiresLater(), cache.generation);
      cache.remember('b', expiresLater(), cache.generation);
      connection.emit('notification', { channel: 'auth_sessions_ended', payload: 'b' });
      expect([cache.isKnownActive('a'), cache.isKnownActive('b')]).toEqual([true, false]);
      jest.advanceTimersByTime(5001);
      expect(cache.isKnownActive('a')).toBe(false);
    } finally {
      jest.useRealTimers();
    }
  });

  it('forgets everything, and remembers nothing, once its listening connection fails', () => {
    cache.remember('a', expiresLater(), cache.generation);
    connection.emit('error', new Error('terminating connection due to administrator command'));
    expect(connection.released).toBe(true);
    expect(cache.isKnownActive('a')).toBe(false);
    cache.remember('b', expiresLater(), cache.generation);
    expect(cache.isKnownActive('b')).toBe(false);
  });

  it('does not remember a session whose lookup began before a session was announced ended', () => {
    // The lookup starts, the session is revoked and its notice evicts it, then the (stale) answer arrives.
    const lookupBegan = cache.generation;
    connection.emit('notification', { channel: 'auth_sessions_ended', payload: 'a' });
    cache.remember('a', expiresLater(), lookupBegan);
    expect(cache.isKnownActive('a')).toBe(false);
  });

  it('sweeps out expired sessions once it holds 10,000, so sessions never seen again do not pile up', () => {
    jest.useFakeTimers({ now: Date.now() });
    try {
      for (let i = 0; i < 10_000; i++) cache.remember(`old-${i}`, expiresLater(), cache.generation);
      jest.advanceTimersByTime(5001);
      cache.remember('new', expiresLater(), cache.generation);
      const held = (cache as unknown as { activeUntil: Map<string, number> }).activeUntil;
      expect([...held.keys()]).toEqual(['new']);
    } finally {
      jest.useRealTimers();
    }
  });
});
