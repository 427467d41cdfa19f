import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

// node dist/bench/profile-top.js DIR [--top 25]
// Summarises the newest V8 CPU profile in DIR (node --cpu-prof): the functions by self time, and the
// time by where the code lives (our libs, a package, node itself), to find the frames worth attacking.

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const [dir] = process.argv.slice(2);
const top = Number(process.argv[process.argv.indexOf('--top') + 1]) || 25;
const newest = readdirSync(dir)
  .filter((f) => f.endsWith('.cpuprofile'))
  .sort()
  .at(-1);
if (!newest) throw new Error(`no .cpuprofile in ${dir}`);
const profile = JSON.parse(readFileSync(join(dir, newest), 'utf8')) as Profile;

const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const selfUs = new Map<number, number>();
profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const total = [...selfUs.values()].reduce((a, b) => a + b, 0);
const idle = [...selfUs]
  .filter(([id]) => byId.get(id)?.callFrame.functionName === '(idle)')
  .reduce((a, [, us]) => a + us, 0);

const where = (url: string): string => {
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  if (url.includes('/dist/libs/')) return `libs/${url.split('/dist/libs/')[1].split('/')[0]}`;
  if (url.includes('/dist/')) return 'app';
  return url.startsWith('node:') ? 'node' : url === '' ? '(native/gc)' : url;
};
const sum = (key: (n: ProfileNode) => string) => {
  const out = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const node = byId.get(id) as ProfileNode;
    if (node.callFrame.functionName === '(idle)') continue;
    out.set(key(node), (out.get(key(node)) ?? 0) + us);
  }
  return [...out].sort((a, b) => b[1] - a[1]);
};
const pct = (us: number) => `${((us / (total - idle)) * 100).toFixed(1).padStart(5)}%`;
process.stdout.write(
  `${newest}: ${(total / 1e6).toFixed(1)} s sampled, busy ${((1 - idle / total) * 100).toFixed(0)}%\n`,
);
process.stdout.write('\nby place (share of busy time)\n');
for (const [place, us] of sum((n) => where(n.callFrame.url)).slice(0, 15))
  process.stdout.write(`${pct(us)}  ${place}\n`);
process.stdout.write('\nby function (self time)\n');
for (const [fn, us] of sum(
  (n) => `${n.callFrame.functionName || '(anonymous)'}  ${where(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`,
).slice(0, top))
  process.stdout.write(`${pct(us)}  ${fn}\n`);
