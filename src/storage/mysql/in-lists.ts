/**
 * Most values in one IN list. MariaDB turns an IN list of `in_predicate_conversion_threshold`
 * (default 1,000) values or more into a join with a materialized table, and a (packet_id, uid)
 * pair counts two: the claims read then became a full scan of `claims` (seconds on a large table,
 * under the packets' locks) and the packets were locked in list order instead of id order. So
 * every list stays at 800 values or fewer: up to 800 packet ids, or 400 pairs, per statement,
 * more statements in the same round trip when a group is larger (test/contract/claim-in-lists.mysql.test.ts
 * checks the plans at the coalescer's largest batch). A module of its own, imported by the claim
 * transaction and the settlement rows alike, without an import cycle between them.
 */
export const IN_LIST_MAX_VALUES = 800;
