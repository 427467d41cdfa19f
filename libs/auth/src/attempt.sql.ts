// Hand-written SQL of the attempt limiter: the table attempt_counts and the function attempt_admit()
// (migration AttemptsCountedFirst) that counts an attempt on all its keys at once, under their row locks.

// $1 key hashes, $2 their limits, $3 the window in seconds; answers the seconds to wait, or null: admitted.
export const ADMIT = `SELECT attempt_admit($1::text[], $2::int[], $3) AS seconds`;

export const RELEASE = `
  UPDATE attempt_counts SET attempts = greatest(attempts - 1, 0)
   WHERE key_hash = ANY($1::text[]) AND (locked_until IS NULL OR locked_until <= now())`;

export const PURGE_EXPIRED = `
  WITH gone AS (
    DELETE FROM attempt_counts
     WHERE window_start < now() - make_interval(secs => $1) AND (locked_until IS NULL OR locked_until < now())
    RETURNING 1)
  SELECT count(*)::int AS n FROM gone`;
