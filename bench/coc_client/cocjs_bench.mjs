// clashofclans.js doing what bench_coc_client does: TOTAL getPlayer calls over the tags of a file,
// INFLIGHT at a time, no cache, no throttler. Prints "req/s cpu_seconds_per_1000 errors".
// OPERATION as bench_coc_client's: player (getPlayer), clan (getClan), warlog (getClanWarLog).
// Usage: node cocjs_bench.mjs BASE_URL KEY TAGS_FILE TOTAL INFLIGHT [OPERATION]
import { readFileSync } from 'node:fs';
import { Client } from 'clashofclans.js';

const [baseURL, key, tagsFile, totalArg, inflightArg, operation = 'player'] = process.argv.slice(2);
const tags = readFileSync(tagsFile, 'utf8').split('\n').filter(Boolean).map((t) => '#' + t);
const total = Number(totalArg);
const inflight = Number(inflightArg);
const client = new Client({ baseURL, keys: [key], cache: false, retryLimit: 0, restRequestTimeout: 30000 });

const calls = {
  player: (tag) => client.getPlayer(tag),
  clan: (tag) => client.getClan(tag),
  warlog: (tag) => client.getClanWarLog(tag),
};
const call = calls[operation];
if (!call) {
  console.error(`unknown operation ${operation} (player, clan or warlog)`);
  process.exit(2);
}

let next = 0;
let errors = 0;
async function worker() {
  for (;;) {
    const i = next++;
    if (i >= total) return;
    try {
      await call(tags[i % tags.length]);
    } catch (e) {
      if (errors++ === 0) console.error('first error:', e.message ?? e);
    }
  }
}

const cpu0 = process.cpuUsage();
const t0 = process.hrtime.bigint();
await Promise.all(Array.from({ length: inflight }, worker));
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
const cpu = process.cpuUsage(cpu0);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
console.log(`${(total / seconds).toFixed(0)} ${(cpuSeconds / (total / 1000)).toFixed(4)} ${errors}`);
process.exit(errors === 0 ? 0 : 1);
