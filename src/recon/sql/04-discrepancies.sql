-- Issue 22: every discrepancy of the window in report order: orders (by time), grants (by issue
-- time), campaigns out of balance (by id), B2C packets, C2C packets (by creation). Sorting keys are
-- never NULL, and strings sort by their bytes in both engines.

CREATE TABLE recon_discrepancies AS
SELECT 1 AS section, at_ms, order_no AS sort_no, seq AS nth,
  category, order_no, kind, ours, theirs, detail
FROM recon_order_rows
WHERE category IN ('missing_at_provider', 'missing_ours', 'amount_mismatch', 'status_mismatch', 'duplicate')
UNION ALL
SELECT 2, at_ms, grant_no, CAST(0 AS BIGINT), category, grant_no, 'grant', ours, theirs, detail
FROM recon_grant_rows
WHERE category IN ('amount_mismatch', 'record_mismatch', 'missing_at_provider')
UNION ALL
SELECT 3, CAST(0 AS BIGINT), campaign, CAST(0 AS BIGINT), 'invariant', 'campaign:' || campaign, 'campaign',
  booked_fen + outstanding_fen, issued_fen,
  'issued ' || CAST(issued_fen AS STRING) || ' fen (' || CAST(issued_n AS STRING) || ') != booked '
    || CAST(booked_fen AS STRING) || ' (' || CAST(booked_n AS STRING) || ') + outstanding '
    || CAST(outstanding_fen AS STRING) || ' (' || CAST(outstanding_n AS STRING) || ')'
FROM recon_campaigns
WHERE NOT ok
UNION ALL
-- a packet's invariants compare our own numbers with each other: nothing under ours / theirs
SELECT CASE WHEN type = 'b2c' THEN 4 ELSE 5 END, created_ms, packet_id, CAST(nth AS BIGINT),
  'invariant', packet_id, CASE WHEN type = 'b2c' THEN 'b2c packet' ELSE 'packet' END,
  CAST(NULL AS BIGINT), CAST(NULL AS BIGINT), detail
FROM recon_packet_violations;
