import { hashPassword, OWASP_SCRYPT, verifyPassword } from '../libs/auth/src/password.hasher';

/** `npm run bench:password`: the cost of one password hash and one verification at today's parameters. */
async function main(): Promise<void> {
  const runs = Number(process.env.RUNS ?? 20);
  const times: number[] = [];
  let hash = '';
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    hash = await hashPassword(`benchmark password ${i}`);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  const start = process.hrtime.bigint();
  await verifyPassword(`benchmark password ${runs - 1}`, hash);
  const verify = Number(process.hrtime.bigint() - start) / 1e6;
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))].toFixed(0);
  const { N, r, p } = OWASP_SCRYPT;
  const mib = (128 * N * r) / 2 ** 20;
  console.log(`scrypt N=2^${Math.log2(N)} r=${r} p=${p} (${mib} MiB each), ${runs} hashes one at a time:`);
  console.log(
    `  hash p50 ${at(0.5)} ms, p95 ${at(0.95)} ms, max ${at(1)} ms; one verification ${verify.toFixed(0)} ms`,
  );
  console.log(`  peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
}

void main();
