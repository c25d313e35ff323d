/**
 * `npm run bench:claim-tx` (issue 25): what one claim costs MariaDB in the bare group transaction
 * (`claimSharesMany`, no HTTP, no worker), a hot group (one packet, --group claimers) against a
 * spread group (--group / 2 packets of 2 claimers), --at-once groups at a time as the coalescer
 * runs them, in alternating rounds. Per claim: the CPU of the bench's own database connections
 * (./db-thread-cpu.ts, so other users of a shared server are not counted), the statements sent
 * (`Questions`) and the redo log written. The spread ÷ hot ratio is the database's share of how
 * much worse spread claims batch. Flags: --mysql URL, --group 200, --groups 30, --at-once 4, --rounds 4,
 * --apart 1: spread as through HTTP (`bench:claim` shuffles its spread claims, so a packet's two
 * claimers land in different groups): each group --group packets of one claimer, every packet
 * claimed once in each of two groups (the second claim exhausts it); --apart 0: the two claimers
 * of a packet in the same group (--group / 2 packets, this bench's shape before issue 25's fourth
 * session, half the packet work a claim).
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import mysql from 'mysql2/promise';
import { readEnv } from '../src/config/env.js';
import type { ClaimRequest } from '../src/domain/ports.js';
import { createStore } from '../src/storage/create-store.js';
import { makePackets } from './bench-packets.js';
import { dbThreadCpu } from './db-thread-cpu.js';

const { values } = parseArgs({
  options: {
    mysql: { type: 'string', default: readEnv().REDPKT_TEST_MYSQL },
    group: { type: 'string', default: '200' },
    groups: { type: 'string', default: '30' },
    'at-once': { type: 'string', default: '4' },
    rounds: { type: 'string', default: '4' },
    apart: { type: 'string', default: '1' },
  },
});
const group = Number(values.group);
const groups = Number(values.groups);
const atOnce = Number(values['at-once']);
const apart = values.apart !== '0';
const serverUrl = new URL(values.mysql);
serverUrl.pathname = '/';
const database = `redpkt_bench_tx_${randomBytes(4).toString('hex')}`;
const dbUrl = new URL(serverUrl);
dbUrl.pathname = `/${database}`;

const admin = await mysql.createConnection({ uri: serverUrl.toString() });
await admin.query(`CREATE DATABASE \`${database}\``);
const status = async (): Promise<Map<string, number>> => {
  const [rows] = await admin.query<mysql.RowDataPacket[]>(
    "SHOW GLOBAL STATUS WHERE Variable_name IN ('Questions', 'Innodb_os_log_written')",
  );
  return new Map(rows.map((r) => [String(r.Variable_name), Number(r.Value)]));
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

try {
  const store = await createStore({ kind: 'mysql', urls: [dbUrl.toString()] });
  await store.migrate();
  const results: Record<
    'hot' | 'spread',
    Array<{ us: number; questions: number; log: number; rate: number }>
  > = { hot: [], spread: [] };
  for (let round = 0; round < Number(values.rounds); round++) {
    for (const kind of ['hot', 'spread'] as const) {
      const jobs: ClaimRequest[][] = [];
      let shared: string[] = [];
      for (let g = 0; g < groups; g++) {
        const tag = `${kind}${round}x${g}`;
        if (kind === 'hot') {
          const [packetId] = await makePackets(store, 1, group, tag);
          jobs.push([{ packetId: packetId!, uids: Array.from({ length: group }, (_, i) => `${tag}u${i}`) }]);
        } else if (!apart) {
          const ids = await makePackets(store, group / 2, 2, tag);
          jobs.push(ids.map((packetId, p) => ({ packetId, uids: [`${tag}a${p}`, `${tag}b${p}`] })));
        } else if (g % 2 === 0) {
          shared = await makePackets(store, group, 2, tag);
          jobs.push(shared.map((packetId, p) => ({ packetId, uids: [`${tag}a${p}`] })));
        } else {
          // the packets of the group before, each claimed once more (and so exhausted)
          jobs.push(shared.map((packetId, p) => ({ packetId, uids: [`${tag}b${p}`] })));
        }
      }
      const s0 = await status();
      const cpu = await dbThreadCpu(serverUrl.toString(), database);
      const t0 = performance.now();
      let next = 0;
      await Promise.all(
        Array.from({ length: atOnce }, async () => {
          while (next < jobs.length) await store.claimSharesMany(jobs[next++]!, Date.now());
        }),
      );
      const seconds = (performance.now() - t0) / 1000;
      const ms = await cpu();
      const s1 = await status();
      const claims = groups * group;
      const per = (k: string) => ((s1.get(k) ?? 0) - (s0.get(k) ?? 0)) / claims;
      const r = {
        us: ms === null ? NaN : (ms * 1000) / claims,
        questions: per('Questions'),
        log: per('Innodb_os_log_written'),
        rate: claims / seconds,
      };
      results[kind].push(r);
      process.stderr.write(
        `round ${round + 1} ${kind}: ${Math.round(r.rate)} claims/s, database ${r.us.toFixed(0)} µs/claim, ${r.questions.toFixed(2)} statements/claim, ${r.log.toFixed(0)} redo bytes/claim\n`,
      );
    }
  }
  await store.close();
  const hot = median(results.hot.map((r) => r.us));
  const spread = median(results.spread.map((r) => r.us));
  console.log(
    `groups of ${group} claims (spread: ${apart ? 'one claimer a packet, as through HTTP' : 'two claimers a packet'}), ${atOnce} at once, ${values.rounds} rounds (medians): database CPU µs/claim hot ${hot.toFixed(0)}, spread ${spread.toFixed(0)}: spread ÷ hot ${(spread / hot).toFixed(2)} (issue 25 goal ≤ 2)`,
  );
} finally {
  await admin.query(`DROP DATABASE IF EXISTS \`${database}\``);
  await admin.end();
}
