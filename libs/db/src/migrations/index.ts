import { Foundation1763769600000 } from './1763769600000-Foundation';

/** Every migration, oldest first; the service runs the pending ones at start-up. */
export const MIGRATIONS = [Foundation1763769600000];
