/**
 * `npm run bench:transfer`: how fast the outbox worker pays claims, against MariaDB, in ONE run:
 * claim transfers one task at a time (the baseline, as before batches) and in batches
 * (`transferMany`, what `redpkt serve` runs), alternating, each round on fresh databases.
 * The claims are made straight through the store before the service starts, so the worker starts
 * on a full backlog with nothing else to do; the clock runs from the service's first answer until
 * its /metrics says every claim is transferred. Reports transfers/s, CPU µs per transfer of the
 * service and the database, and batches/one-at-a-time as a ratio. Writes --out (JSON).
 * Flags: --mysql URL, --claims 6000, --shares 20 (per packet), --rounds 2,
 * --out bench/results/transfer.json; for diagnosis only: --cpu-prof DIR (the service's V8 CPU
 * profiles go there).
 */
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import mysql from 'mysql2/promise';
import { readEnv } from '../src/config/env.js';
import { createStore } from '../src/storage/create-store.js';
import { makePackets } from './bench-packets.js';
import { benchClient, startBenchServer, transfersSettled } from './claim-http.js';
import { cpuAccount, type CpuPerClaim } from './cpu-account.js';

const { values } = parseArgs({
  options: {
    mysql: { type: 'string', default: readEnv().REDPKT_TEST_MYSQL },
    claims: { type: 'string', default: '6000' },
    shares: { type: 'string', default: '20' },
    rounds: { type: 'string', default: '2' },
    out: { type: 'string', default: 'bench/results/transfer.json' },
    'cpu-prof': { type: 'string' },
  },
});
const claims = Number(values.claims);
const shares = Number(values.shares);
const rounds = Number(values.rounds);

const serverUrl = new URL(values.mysql);
serverUrl.pathname = '/';
const urlOf = (db: string) => {
  const u = new URL(serverUrl);
  u.pathname = `/${db}`;
  return u.toString();
};
const run = `redpkt_bench_${randomBytes(4).toString('hex')}`;
const made: string[] = [];

async function onServer(sql: string): Promise<void> {
  const conn = await mysql.createConnection({ uri: serverUrl.toString() });
  try {
    await conn.query(sql);
  } finally {
    await conn.end();
  }
}

interface Result {
  mode: 'one' | 'batch';
  transfers: number;
  seconds: number;
  transfersPerSec: number;
  cpuUsPerTransfer: CpuPerClaim;
}

/** A fresh database with `claims` claims waiting for their transfers, made through the store. */
async function backlog(db: string): Promise<void> {
  made.push(db);
  await onServer(`CREATE DATABASE \`${db}\``);
  const store = await createStore({ kind: 'mysql', urls: [urlOf(db)] });
  try {
    await store.migrate();
    const ids = await makePackets(store, Math.ceil(claims / shares), shares, db);
    const requests = ids.map((packetId, p) => ({
      packetId,
      uids: Array.from({ length: shares }, (_, s) => `u${p}x${s}`),
    }));
    for (let i = 0; i < requests.length; i += 50) {
      const results = await store.claimSharesMany(requests.slice(i, i + 50), Date.now());
      if (results.some((r) => r.error !== undefined || r.outcomes.some((o) => !o.ok)))
        throw new Error('setup claims failed');
    }
  } finally {
    await store.close();
  }
}

async function measure(mode: 'one' | 'batch', round: number): Promise<Result> {
  const db = `${run}_${mode}${round}`;
  await backlog(db);
  const server = await startBenchServer(urlOf(db), 'coalesce', true, values['cpu-prof'], mode);
  const client = benchClient(server, 1);
  try {
    const account = cpuAccount(server.pid, availableParallelism());
    const started = performance.now();
    await transfersSettled(client, 600_000, 50);
    const seconds = (performance.now() - started) / 1000;
    const total = Math.ceil(claims / shares) * shares;
    return {
      mode,
      transfers: total,
      seconds: Math.round(seconds * 100) / 100,
      transfersPerSec: Math.round(total / seconds),
      cpuUsPerTransfer: account(total),
    };
  } finally {
    await client.close();
    await server.stop();
  }
}

const results: Result[] = [];
try {
  for (let r = 0; r < rounds; r++) {
    // alternating, so that a noisy neighbour hurts both modes alike
    for (const mode of r % 2 === 0 ? (['one', 'batch'] as const) : (['batch', 'one'] as const)) {
      const result = await measure(mode, r);
      const cpu = result.cpuUsPerTransfer;
      process.stderr.write(
        `round ${r + 1} ${mode}: ${result.transfers} transfers in ${result.seconds} s = ${result.transfersPerSec}/s;` +
          ` CPU µs/transfer: service ${cpu.service ?? '?'}, database ${cpu.database ?? '?'}\n`,
      );
      results.push(result);
    }
  }
} finally {
  for (const db of made)
    for (const suffix of ['', '_finance', '_shadow', '_finance_shadow'])
      await onServer(`DROP DATABASE IF EXISTS \`${db}${suffix}\``);
}

const mean = (mode: 'one' | 'batch', pick: (r: Result) => number | null) => {
  const xs = results.filter((r) => r.mode === mode).map(pick);
  return xs.some((x) => x === null) ? null : Math.round(xs.reduce<number>((a, x) => a + x!, 0) / xs.length);
};
const summary = {
  one: {
    transfersPerSec: mean('one', (r) => r.transfersPerSec),
    serviceCpuUs: mean('one', (r) => r.cpuUsPerTransfer.service),
  },
  batch: {
    transfersPerSec: mean('batch', (r) => r.transfersPerSec),
    serviceCpuUs: mean('batch', (r) => r.cpuUsPerTransfer.service),
  },
};
const ratio =
  summary.one.transfersPerSec && summary.batch.transfersPerSec
    ? Math.round((summary.batch.transfersPerSec / summary.one.transfersPerSec) * 10) / 10
    : null;
const report = {
  bench: 'transfer',
  at: new Date().toISOString(),
  config: { claims, shares, rounds },
  results,
  summary,
  batchOverOne: ratio,
};
await mkdir(dirname(values.out), { recursive: true });
await writeFile(values.out, `${JSON.stringify(report, null, 2)}\n`);
console.log('| mode | transfers/s (mean) | service CPU µs/transfer | x one at a time |');
console.log('| --- | --- | --- | --- |');
console.log(`| one at a time | ${summary.one.transfersPerSec} | ${summary.one.serviceCpuUs} | 1 |`);
console.log(`| batches | ${summary.batch.transfersPerSec} | ${summary.batch.serviceCpuUs} | ${ratio} |`);
