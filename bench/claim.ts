/**
 * `npm run bench:claim`: the claim path against MariaDB, in ONE run on one machine.
 *   (a) raw ceiling: the bare claim transaction with mysql2 (best of several concurrencies)
 *   (b) plain row lock over HTTP (no queue, no limiter)
 *   (c) limiter + per-packet queue, one claimer per transaction
 *   (d) limiter + coalescing queue (what `redpkt serve` runs)
 * each on one hot packet claimed by --clients concurrent claimers, and spread over --packets
 * packets; claims/s, p50/p99, errors by code, and each as a ratio to (a). Writes --out (JSON).
 * Flags: --mysql URL (server; a fresh redpkt_bench_* database is made and dropped),
 * --clients 1000, --hot-shares 10000, --packets 10000, --shares 2, --out bench/results/claim.json
 */
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import mysql from 'mysql2/promise';
import { readEnv } from '../src/config/env.js';
import { newOrderNo, newPacketId } from '../src/domain/ids.js';
import type { PacketStore } from '../src/domain/ports.js';
import { createStore } from '../src/storage/create-store.js';
import type { ClaimPath } from './claim-http.js';
import { runHttp, startBenchServer } from './claim-http.js';
import type { ClaimJob, RunResult } from './claim-load.js';
import { runRaw } from './claim-raw.js';

const { values } = parseArgs({
  options: {
    mysql: { type: 'string', default: readEnv().REDPKT_TEST_MYSQL },
    clients: { type: 'string', default: '1000' },
    'hot-shares': { type: 'string', default: '10000' },
    packets: { type: 'string', default: '10000' },
    shares: { type: 'string', default: '2' },
    out: { type: 'string', default: 'bench/results/claim.json' },
  },
});
const clients = Number(values.clients);
const hotShares = Number(values['hot-shares']);
const spreadPackets = Number(values.packets);
const spreadShares = Number(values.shares);

const database = `redpkt_bench_${randomBytes(4).toString('hex')}`;
const serverUrl = new URL(values.mysql);
serverUrl.pathname = '/';
const dbUrl = new URL(serverUrl);
dbUrl.pathname = `/${database}`;

async function withServer<T>(fn: (conn: mysql.Connection) => Promise<T>): Promise<T> {
  const conn = await mysql.createConnection({ uri: serverUrl.toString() });
  try {
    return await fn(conn);
  } finally {
    await conn.end();
  }
}

/** Active packets made through the store (setup, not measured), `concurrency` at a time. */
async function makePackets(
  store: PacketStore,
  count: number,
  shares: number,
  tag: string,
): Promise<string[]> {
  const ids: string[] = [];
  let i = 0;
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      while (i < count) {
        i++;
        const now = Date.now();
        const payOrderNo = newOrderNo('PAY', now);
        const { packet } = await store.createC2cPacket({
          id: newPacketId(0, now),
          senderUid: `sender-${tag}`,
          outOrderNo: payOrderNo,
          totalAmount: shares * 100,
          totalCount: shares,
          splitMode: 'random',
          greeting: '',
          expiresAt: now + 3600_000,
          payOrderNo,
          now,
        });
        await store.markPaid(payOrderNo, shares * 100, `T${payOrderNo}`, now);
        ids.push(packet.id);
      }
    }),
  );
  return ids;
}

function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

async function jobsFor(store: PacketStore, tag: string): Promise<{ hot: ClaimJob[]; spread: ClaimJob[] }> {
  const [hotId] = await makePackets(store, 1, hotShares, `${tag}-hot`);
  const hot = Array.from({ length: hotShares }, (_, i) => ({ packetId: hotId!, uid: `${tag}h${i}` }));
  const ids = await makePackets(store, spreadPackets, spreadShares, `${tag}-spread`);
  const spread = shuffle(
    ids.flatMap((packetId, p) =>
      Array.from({ length: spreadShares }, (_, s) => ({ packetId, uid: `${tag}s${p}x${s}` })),
    ),
  );
  return { hot, spread };
}

interface Variant {
  name: string;
  hot: RunResult;
  spread: RunResult;
}

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

await withServer((c) => c.query(`CREATE DATABASE \`${database}\``));
const store = await createStore({ kind: 'mysql', urls: [dbUrl.toString()] });
await store.migrate();
const variants: Variant[] = [];
try {
  // (a) raw ceiling: best of several concurrencies, each on fresh packets
  let bestHot: RunResult | undefined;
  let bestSpread: RunResult | undefined;
  const pool = mysql.createPool({ uri: dbUrl.toString(), connectionLimit: 64 });
  for (const concurrency of [4, 16, 64]) {
    const jobs = await jobsFor(store, `raw${concurrency}`);
    const hot = await runRaw(pool, jobs.hot, concurrency);
    const spread = await runRaw(pool, jobs.spread, concurrency);
    log(`(a) raw c=${concurrency}: hot ${hot.claimsPerSec}/s, spread ${spread.claimsPerSec}/s`);
    if (!bestHot || hot.claimsPerSec > bestHot.claimsPerSec) bestHot = hot;
    if (!bestSpread || spread.claimsPerSec > bestSpread.claimsPerSec) bestSpread = spread;
  }
  await pool.end();
  variants.push({ name: '(a) raw mysql2 transaction', hot: bestHot!, spread: bestSpread! });

  const http: Array<[string, ClaimPath, boolean]> = [
    ['(b) plain row lock over HTTP', 'direct', false],
    ['(c) limiter + queue', 'queue', true],
    ['(d) limiter + coalescing queue', 'coalesce', true],
  ];
  for (const [name, path, limiter] of http) {
    const server = await startBenchServer(dbUrl.toString(), path, limiter);
    try {
      const jobs = await jobsFor(store, path);
      const hot = await runHttp(server, jobs.hot, clients);
      const spread = await runHttp(server, jobs.spread, clients);
      log(`${name}: hot ${hot.claimsPerSec}/s, spread ${spread.claimsPerSec}/s`);
      variants.push({ name, hot, spread });
    } finally {
      await server.stop();
    }
  }
} finally {
  await store.close();
  await withServer((c) => c.query(`DROP DATABASE IF EXISTS \`${database}\``));
}

const raw = variants[0]!;
const report = {
  bench: 'claim',
  at: new Date().toISOString(),
  config: { clients, hotShares, spreadPackets, spreadShares },
  variants: variants.map((v) => ({
    ...v,
    hotRatio: Math.round((v.hot.claimsPerSec / raw.hot.claimsPerSec) * 100) / 100,
    spreadRatio: Math.round((v.spread.claimsPerSec / raw.spread.claimsPerSec) * 100) / 100,
  })),
};
await mkdir(dirname(values.out), { recursive: true });
await writeFile(values.out, `${JSON.stringify(report, null, 2)}\n`);
console.log(
  '| variant | hot claims/s | x raw | p50 ms | p99 ms | spread claims/s | x raw | p99 ms | errors |',
);
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
for (const v of report.variants) {
  const errors = {
    ...v.hot.errors,
    ...Object.fromEntries(Object.entries(v.spread.errors).map(([k, n]) => [`spread ${k}`, n])),
  };
  console.log(
    `| ${v.name} | ${v.hot.claimsPerSec} | ${v.hotRatio} | ${v.hot.latencyMs.p50} | ${v.hot.latencyMs.p99} | ${v.spread.claimsPerSec} | ${v.spreadRatio} | ${v.spread.latencyMs.p99} | ${JSON.stringify(errors)} |`,
  );
}
