/**
 * Issue 3: the reward issuer's use cases. A draw is decided in a batched transaction (at most one
 * per campaign at a time, see keyed-batcher.ts), answered with a sealed token at once, and its grant
 * message is published to the queue afterwards (an outbox: `published` is set once the queue took
 * it; a sweep re-publishes what a failed publish left behind, and booking is idempotent).
 */
import { randomBytes } from 'node:crypto';
import { sealSubsidyToken } from '../../auth/subsidy-token.js';
import type { Fen } from '../../domain/money.js';
import type { GrantQueue } from '../../domain/ports.js';
import { newTxnId } from '../ids.js';
import type { Random } from '../random.js';
import type { FinanceStore } from '../store/types.js';
import { MERCHANT_ACCOUNT } from '../store/types.js';
import { createKeyedBatcher } from './keyed-batcher.js';
import type { Campaign, CampaignConfig, DrawOutcome, DrawRequest, RainGrant, RainReturn } from './types.js';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** Token ids (`S…`) and grant numbers (`G…`): prefix, time, randomness; unique and time-sortable. */
function rainId(prefix: 'S' | 'G', now: number, random?: Random): string {
  let rand = '';
  // issue 24: a seeded source in the simulation, crypto bytes otherwise
  const bytes = random ? Array.from({ length: 12 }, () => Math.floor(random() * 256)) : randomBytes(12);
  for (const b of bytes) rand += ALPHABET[b & 31];
  return `${prefix}${now.toString(32).toUpperCase().padStart(9, '0')}${rand}`;
}

/** What a deployment configures (FinanceConfig.rain). */
export interface RainOptions {
  /** Default: derived from the service secret (subsidyTokenKey). */
  tokenKey?: Buffer;
  queue?: Pick<GrantQueue, 'publish'> | undefined;
  sweepIntervalMs?: number;
  republishAfterMs?: number;
}

export interface RainServiceDeps {
  store: FinanceStore;
  /** Seals tokens (src/auth/subsidy-token.ts); the packet service opens them with the same key. */
  tokenKey: Buffer;
  /** Where grant messages go; none: grants are booked only when their token is spent. */
  queue?: Pick<GrantQueue, 'publish'> | undefined;
  random: Random;
  /** Issue 24: where token ids, grant numbers and txn ids get their randomness; default crypto. */
  idRandom?: Random;
  now: () => number;
  merchantInitialBalance: Fen;
  log: (msg: string, err: unknown) => void;
  /** Most draws in one transaction. Default 500. */
  maxBatch?: number;
  /** A grant still unpublished this long after its draw is re-published. Default 5 s. */
  republishAfterMs?: number;
  /** How often to look for such grants; 0 = never (tests call republish()). Default 2 s. */
  sweepIntervalMs?: number;
}

export interface RainService {
  draw(campaign: string, uid: string): Promise<DrawOutcome>;
  listTokens(uid: string): Promise<RainGrant[]>;
  returnRemainder(input: { returnNo: string; campaign: string; amount: Fen }): Promise<RainReturn>;
  setCampaign(id: string, config: CampaignConfig): Promise<Campaign>;
  getCampaign(id: string): Promise<Campaign | null>;
  /** Publishes grants a failed publish left behind; returns how many went out. */
  republish(): Promise<number>;
  /** Resolves once every draw so far is decided and its publish attempted. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

export function createRainService(deps: RainServiceDeps): RainService {
  const { store } = deps;
  const writeOpts = () => {
    const now = deps.now();
    return { now, newTxnId: () => newTxnId(now, deps.idRandom) };
  };
  let merchantOpen: Promise<unknown> | undefined;
  const openMerchant = () =>
    (merchantOpen ??= store
      .openAccount(MERCHANT_ACCOUNT, deps.merchantInitialBalance, writeOpts())
      .catch((e) => {
        merchantOpen = undefined;
        throw e;
      }));

  async function publishNow(grants: readonly RainGrant[]): Promise<number> {
    if (!deps.queue || grants.length === 0) return 0;
    try {
      await deps.queue.publish(grants.map((g) => g.token));
      await store.markPublished(grants.map((g) => g.tokenId));
      return grants.length;
    } catch (e) {
      deps.log('rain: grant messages not published yet (the sweep retries)', e);
      return 0;
    }
  }
  // One publisher at a time; whatever was drawn meanwhile goes out together in the next round,
  // so a rain costs few queue writes and few `published` updates.
  const unsent: RainGrant[] = [];
  let publishing: Promise<void> | undefined;
  const pump = () => {
    publishing ??= (async () => {
      while (unsent.length > 0) await publishNow(unsent.splice(0, 5_000));
    })().finally(() => {
      publishing = undefined;
      if (unsent.length > 0) pump();
    });
  };
  const publishLater = (grants: RainGrant[]) => {
    if (grants.length === 0) return;
    unsent.push(...grants);
    pump();
  };

  const batcher = createKeyedBatcher<DrawRequest, DrawOutcome>(async (campaign, draws) => {
    await openMerchant();
    const { now, newTxnId: txn } = writeOpts();
    const outcomes = await store.drawGrants(campaign, draws, {
      now,
      newTxnId: txn,
      mint: (fields) => {
        const grant = {
          ...fields,
          tokenId: rainId('S', now, deps.idRandom),
          outGrantNo: rainId('G', now, deps.idRandom),
        };
        return { ...grant, token: sealSubsidyToken(deps.tokenKey, grant) };
      },
    });
    publishLater(outcomes.flatMap((o) => (o.won ? [o.grant] : [])));
    return outcomes;
  }, deps.maxBatch ?? 500);

  async function republish(): Promise<number> {
    const stale = await store.unpublishedGrants(deps.now() - (deps.republishAfterMs ?? 5_000), 1000);
    return publishNow(stale);
  }

  const sweepMs = deps.sweepIntervalMs ?? 2_000;
  let sweeping: Promise<void> | undefined;
  const timer =
    deps.queue && sweepMs > 0
      ? setInterval(() => {
          sweeping ??= republish()
            .then(() => undefined)
            .catch((e: unknown) => deps.log('rain: republish sweep failed', e))
            .finally(() => (sweeping = undefined));
        }, sweepMs)
      : undefined;
  timer?.unref();

  const idle = async () => {
    await batcher.idle();
    while (publishing) await publishing;
  };

  return {
    draw: (campaign, uid) => batcher.submit(campaign, { uid, roll: deps.random(), pick: deps.random() }),
    listTokens: (uid) => store.grantsOf(uid),
    async returnRemainder(input) {
      await openMerchant();
      return (await store.returnToCampaign(input, writeOpts())).rainReturn;
    },
    setCampaign: (id, config) => store.setCampaign(id, config, writeOpts()),
    getCampaign: (id) => store.getCampaign(id),
    republish,
    idle,
    async close() {
      if (timer) clearInterval(timer);
      await sweeping;
      await idle();
    },
  };
}
