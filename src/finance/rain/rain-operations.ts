/**
 * Issue 3: the reward issuer's money logic, written once over finance's Dialect.
 *
 * Ledger: a campaign's budget is the account `campaign:<id>`, funded from the issuer (`budget`);
 * each grant moves its amount to the merchant (`grant`: the platform's float, which pays the
 * withdrawals later); a returned remainder moves back (`grant_return`). Lock order in every
 * transaction: campaign row -> accounts in id order (as the rest of finance).
 */
import { RedpktError } from '../../domain/errors.js';
import type { Fen } from '../../domain/money.js';
import { balanceAfter } from '../store/balance-bounds.js';
import type { Dialect, TxOps } from '../store/dialect.js';
import type { Account, LedgerEntry } from '../store/types.js';
import { ISSUER_ACCOUNT, MERCHANT_ACCOUNT } from '../store/types.js';
import type { RainExportReads } from './grant-export.js';
import { campaignAccount, remainingBudget } from './types.js';
import type { Campaign, DrawOutcome, RainGrant, RainLedgerKind, RainStore } from './types.js';

type NewEntry = Omit<LedgerEntry, 'id'>;

function entries(
  kind: RainLedgerKind,
  from: string,
  to: string,
  amount: Fen,
  orderNo: string,
  txnId: string,
  now: number,
): NewEntry[] {
  const common = { txnId, orderNo, kind, createdAt: now };
  return [
    { ...common, account: from, direction: 'debit', amount: -amount },
    { ...common, account: to, direction: 'credit', amount },
  ];
}

function requireAccount(accounts: Map<string, Account>, id: string): Account {
  const account = accounts.get(id);
  if (!account) throw new RedpktError('INTERNAL', `account ${id} is not open`);
  return account;
}

/** Opens the campaign's account (balance 0) when missing; returns the locked accounts. */
async function lockWithCampaign(tx: TxOps, campaign: string, other: string, now: number) {
  const id = campaignAccount(campaign);
  let accounts = await tx.lockAccounts([id, other]);
  if (!accounts.has(id)) {
    await tx.insertAccount({ id, balance: 0, createdAt: now, updatedAt: now });
    accounts = await tx.lockAccounts([id, other]);
  }
  return { accounts, id };
}

const notFound = (campaign: string) =>
  new RedpktError('NOT_FOUND', `no rain campaign ${campaign}`, { details: { campaign } });

export function createRainOperations(d: Dialect): RainStore & RainExportReads {
  return {
    getCampaign: (id) => d.getCampaign(id),
    grantsOf: (uid) => d.grantsOf(uid),
    listGrants: (q) => d.listGrants(q), // issue 8
    getGrant: (no) => d.getGrant(no),
    getReturn: (no) => d.getReturn(no),
    unpublishedGrants: (before, limit) => d.unpublishedGrants(before, limit),
    markPublished: (tokenIds) =>
      tokenIds.length === 0 ? Promise.resolve() : d.write((tx) => tx.markPublished(tokenIds)),

    setCampaign(id, config, opts) {
      return d.write(async (tx) => {
        const stored = await tx.lockCampaign(id);
        const campaign: Campaign = stored
          ? { ...stored, ...config, updatedAt: opts.now }
          : { id, ...config, granted: 0, returned: 0, grants: 0, createdAt: opts.now, updatedAt: opts.now };
        if (remainingBudget(campaign) < 0) {
          throw new RedpktError(
            'INSUFFICIENT_BALANCE',
            `campaign ${id} already granted ${campaign.granted - campaign.returned} fen net; the budget cannot go below it`,
            { details: { campaign: id, granted: campaign.granted, returned: campaign.returned } },
          );
        }
        const delta = campaign.budget - (stored?.budget ?? 0);
        if (stored) await tx.updateCampaign(campaign);
        else await tx.insertCampaign(campaign);
        const { accounts, id: account } = await lockWithCampaign(tx, id, ISSUER_ACCOUNT, opts.now);
        requireAccount(accounts, ISSUER_ACCOUNT);
        if (delta !== 0) {
          const [from, to] = delta > 0 ? [ISSUER_ACCOUNT, account] : [account, ISSUER_ACCOUNT];
          const amount = Math.abs(delta);
          // the issuer funds every budget: refuse (the transaction rolls back) past the ledger's bound
          balanceAfter(requireAccount(accounts, from), -amount);
          balanceAfter(requireAccount(accounts, to), amount);
          await tx.addToBalance(from, -amount, opts.now);
          await tx.addToBalance(to, amount, opts.now);
          await tx.insertLedger(
            entries('budget', from, to, amount, `budget:${id}`, opts.newTxnId(), opts.now),
          );
        }
        return campaign;
      });
    },

    drawGrants(campaignId, draws, opts) {
      return d.write(async (tx) => {
        const campaign = await tx.lockCampaign(campaignId);
        if (!campaign) throw notFound(campaignId);
        const { accounts, id: account } = await lockWithCampaign(tx, campaignId, MERCHANT_ACCOUNT, opts.now);
        requireAccount(accounts, MERCHANT_ACCOUNT);
        let left = remainingBudget(campaign);
        if (requireAccount(accounts, account).balance !== left) {
          throw new RedpktError('INTERNAL', `campaign ${campaignId}'s account disagrees with its budget`);
        }
        const grants: RainGrant[] = [];
        const outcomes: DrawOutcome[] = draws.map((draw) => {
          if (draw.roll >= campaign.probability) return { won: false, reason: 'unlucky' };
          if (left < campaign.minAmount) return { won: false, reason: 'budget_exhausted' };
          const span = campaign.maxAmount - campaign.minAmount + 1;
          const amount = Math.min(
            left,
            campaign.minAmount + Math.min(span - 1, Math.floor(draw.pick * span)),
          );
          left -= amount;
          const sealed = opts.mint({
            uid: draw.uid,
            amount,
            campaign: campaignId,
            issuedAt: opts.now,
            expiresAt: opts.now + campaign.tokenTtlSec * 1000,
          });
          const grant: RainGrant = { ...sealed, txnId: opts.newTxnId(), published: false };
          grants.push(grant);
          return { won: true, grant };
        });
        if (grants.length === 0) return outcomes;
        const total = grants.reduce((sum, g) => sum + g.amount, 0);
        balanceAfter(requireAccount(accounts, MERCHANT_ACCOUNT), total);
        await tx.insertGrants(grants);
        await tx.addToBalance(account, -total, opts.now);
        await tx.addToBalance(MERCHANT_ACCOUNT, total, opts.now);
        await tx.insertLedger(
          grants.flatMap((g) =>
            entries('grant', account, MERCHANT_ACCOUNT, g.amount, g.outGrantNo, g.txnId, opts.now),
          ),
        );
        await tx.updateCampaign({
          ...campaign,
          granted: campaign.granted + total,
          grants: campaign.grants + grants.length,
          updatedAt: opts.now,
        });
        return outcomes;
      });
    },

    returnToCampaign(input, opts) {
      return d.write(async (tx) => {
        const campaign = await tx.lockCampaign(input.campaign);
        if (!campaign) throw notFound(input.campaign);
        const stored = await tx.rainReturn(input.returnNo);
        if (stored) {
          if (stored.campaign !== input.campaign || stored.amount !== input.amount) {
            throw new RedpktError(
              'IDEMPOTENCY_CONFLICT',
              `return ${input.returnNo} exists with another body`,
              {
                details: { returnNo: input.returnNo },
              },
            );
          }
          return { rainReturn: stored, changed: false };
        }
        if (campaign.returned + input.amount > campaign.granted) {
          throw new RedpktError(
            'INSUFFICIENT_BALANCE',
            `campaign ${input.campaign} granted ${campaign.granted} fen and got ${campaign.returned} back; ${input.amount} more is too much`,
            { details: { campaign: input.campaign, granted: campaign.granted, returned: campaign.returned } },
          );
        }
        const { accounts, id: account } = await lockWithCampaign(
          tx,
          input.campaign,
          MERCHANT_ACCOUNT,
          opts.now,
        );
        const merchant = requireAccount(accounts, MERCHANT_ACCOUNT);
        if (merchant.balance < input.amount) {
          throw new RedpktError('INSUFFICIENT_BALANCE', `the merchant cannot return ${input.amount} fen`);
        }
        balanceAfter(requireAccount(accounts, account), input.amount);
        const rainReturn = { ...input, txnId: opts.newTxnId(), createdAt: opts.now };
        await tx.insertRainReturn(rainReturn);
        await tx.addToBalance(MERCHANT_ACCOUNT, -input.amount, opts.now);
        await tx.addToBalance(account, input.amount, opts.now);
        await tx.insertLedger(
          entries(
            'grant_return',
            MERCHANT_ACCOUNT,
            account,
            input.amount,
            input.returnNo,
            rainReturn.txnId,
            opts.now,
          ),
        );
        await tx.updateCampaign({
          ...campaign,
          returned: campaign.returned + input.amount,
          updatedAt: opts.now,
        });
        return { rainReturn, changed: true };
      });
    },
  };
}
