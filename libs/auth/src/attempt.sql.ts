// Hand-written SQL of the attempt limiter: the table attempt_counts and the function attempt_admit()
// (migration AttemptsCountedFirst) that counts an attempt on all its keys at once, under their row locks.

// $1 key hashes, $2 their limits, $3 the window in seconds; answers the seconds to wait, or null: admitted.
export const ADMIT = `SELECT attempt_admit($1::text[], $2::int[], $3) AS seconds`;

// Rows locked in key order, as attempt_admit() locks them: the two never deadlock.
export const RELEASE = `
  UPDATE attempt_counts a SET attempts = greatest(a.attempts - 1, 0)
    FROM (SELECT key_hash FROM attempt_counts WHERE key_hash = ANY($1::text[]) ORDER BY key_hash FOR UPDATE) l
   WHERE a.key_hash = l.key_hash AND (a.locked_until IS NULL OR a.locked_until <= now())`;

export const LOCKED_FOR = `
  SELECT max(ceil(extract(epoch FROM locked_until - now())))::int AS seconds
    FROM attempt_counts WHERE key_hash = ANY($1::text[]) AND locked_until > now()`;

export const PURGE_EXPIRED = `
  WITH gone AS (
    DELETE FROM attempt_counts
     WHERE window_start < now() - make_interval(secs => $1) AND (locked_until IS NULL OR locked_until < now())
    RETURNING 1)
  SELECT count(*)::int AS n FROM gone`;
