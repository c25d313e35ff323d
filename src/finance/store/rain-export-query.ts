/**
 * The reward issuer's grant export page (issue 8, ../rain/grant-export.ts), written once for both
 * dialects: the window and keyset filter and the order. The dialect files run the SELECT and name
 * its columns (drizzle's query builders, and the row types they infer, are per dialect).
 */
import { and, asc, eq, gt, gte, lt, or } from 'drizzle-orm';
import type { Column, SQL } from 'drizzle-orm';
import type { GrantExportQuery } from '../rain/grant-export.js';

/** One page: grants issued in [fromMs, toMs), after the keyset (issuedAt, outGrantNo), in that order. */
export function grantExportPage(
  t: { issuedAt: Column; outGrantNo: Column },
  q: GrantExportQuery,
): { where: SQL | undefined; orderBy: [SQL, SQL] } {
  const where = and(
    q.fromMs === undefined ? undefined : gte(t.issuedAt, q.fromMs),
    q.toMs === undefined ? undefined : lt(t.issuedAt, q.toMs),
    q.after === undefined
      ? undefined
      : or(
          gt(t.issuedAt, q.after.issuedAt),
          and(eq(t.issuedAt, q.after.issuedAt), gt(t.outGrantNo, q.after.outGrantNo)),
        ),
  );
  return { where, orderBy: [asc(t.issuedAt), asc(t.outGrantNo)] };
}
