/**
 * Polls `probe` until it returns a value (not undefined), or fails after `timeoutMs`, saying `what` it waited for
 * (a function to describe the last state seen).
 */
export async function waitFor<T>(
  probe: () => Promise<T | undefined>,
  timeoutMs = 5000,
  what: string | (() => string) = 'a condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${typeof what === 'string' ? what : what()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
