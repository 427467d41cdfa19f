import type { AppConfig } from '@poc/config';
import { PasswordHashingLane } from './password-hashing.lane';

describe('PasswordHashingLane', () => {
  it('hashes two at a time, sign-ins before registrations, and refuses registrations past a long queue', async () => {
    const lane = new PasswordHashingLane({ PASSWORD_SCRYPT_N: 2 ** 14 } as AppConfig);
    let running = 0;
    let most = 0;
    const order: string[] = [];
    const slow = (name: string) => async () => {
      running++;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, 20));
      running--;
      order.push(name);
      return name;
    };
    const run = (lane as unknown as { run: (p: string, w: () => Promise<string>) => Promise<string> }).run.bind(lane);
    const registrations = Array.from({ length: 34 }, (_, i) => run('registration', slow(`r${i}`)));
    const signIn = run('sign_in', slow('s'));
    const settled = await Promise.allSettled([...registrations, signIn]);
    expect(most).toBe(2);
    // Two registrations were already running; the sign-in went next, ahead of the 30 queued before it.
    expect(order.indexOf('s')).toBeLessThanOrEqual(3);
    // 2 running + 32 waiting: the 35th registration (none here beyond 34) would be refused; all these ran.
    expect(settled.every((s) => s.status === 'fulfilled')).toBe(true);
    const flood = Array.from({ length: 40 }, (_, i) => run('registration', slow(`f${i}`)));
    const outcomes = await Promise.allSettled(flood);
    expect(outcomes.filter((o) => o.status === 'rejected')).toHaveLength(6);
  });
});
