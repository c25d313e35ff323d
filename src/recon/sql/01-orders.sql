-- Issue 22: every order of the window, and every movement of the provider, in one category.
-- The one implementation of the order categories (README "Reconciliation"): DuckDB runs it
-- embedded, Spark runs the same text through the dialect shim (src/recon/dialect.ts).
-- Parameters: {{from_ms}} {{to_ms}} {{cutoff_ms}} (BIGINT epoch ms), {{type}} ('c2c' | 'b2c' |
-- 'all'), {{lane}} ('real' | 'shadow'). Money is BIGINT fen; times are BIGINT ms; no timestamps,
-- decimals, collations or NULL ordering are relied on.

-- our orders of the window and type; `state`: money moved (succeeded), never will (failed: a
-- closed or failed payment, a failed transfer; a failed refund is retried), or not final (open).
-- A view: a filter of the orders, cheaper read again three times than kept (a table of the
-- window's every order: the most memory of the run)
CREATE VIEW recon_ours AS
SELECT o.order_no, o.kind, o.scope, o.amount, o.status, o.mocked, o.created_ms,
  o.lane <> {{lane}} AS apart,
  CASE
    WHEN o.status IN ('paid', 'transferred', 'succeeded') THEN 'succeeded'
    WHEN o.kind = 'payment' AND o.status IN ('closed', 'failed') THEN 'failed'
    WHEN o.kind = 'transfer' AND o.status = 'failed' THEN 'failed'
    ELSE 'open'
  END AS state
FROM orders o
WHERE o.created_ms >= {{from_ms}} AND o.created_ms < {{to_ms}}
  AND ({{type}} = 'all' OR o.scope = {{type}});

-- the order numbers the provider moved more than once in the window and its cut-off (rare), with
-- the first movement's seq and txn; a GROUP BY with a small result, where a window function over
-- every movement would sort them all
CREATE TABLE recon_moved_again AS
SELECT m.order_no, MIN(m.seq) AS first_seq, min_by(m.txn_id, m.seq) AS first_txn
FROM ledger m
WHERE m.created_ms >= {{from_ms}} AND m.created_ms < {{to_ms}} + {{cutoff_ms}}
  AND (m.kind <> 'return' OR {{type}} <> 'c2c')
GROUP BY m.order_no
HAVING COUNT(*) > 1;

-- the provider's movements of the window and its cut-off; `again`: the same order moved before
CREATE TABLE recon_moves AS
SELECT m.order_no, m.kind, m.txn_id, m.amount, m.created_ms, m.seq,
  m.lane <> {{lane}} AS apart,
  (d.order_no IS NOT NULL AND m.seq <> d.first_seq) AS again,
  d.first_txn
FROM ledger m
LEFT JOIN recon_moved_again d ON d.order_no = m.order_no
WHERE m.created_ms >= {{from_ms}} AND m.created_ms < {{to_ms}} + {{cutoff_ms}}
  AND (m.kind <> 'return' OR {{type}} <> 'c2c');

-- ours beside the provider's first movement of the same number (this lane's): one FULL JOIN gives
-- both ours with their movement (or none) and the movements with no order of ours in the window
CREATE TABLE recon_paired AS
SELECT o.order_no, o.kind, o.amount, o.status, o.state, o.mocked, o.created_ms, o.apart,
  o.order_no IS NOT NULL AS has_ours,
  m.order_no IS NOT NULL AS has_move, m.order_no AS m_order_no, m.kind AS m_kind, m.txn_id AS m_txn,
  m.amount AS moved, m.created_ms AS m_created_ms, m.seq AS m_seq
FROM recon_ours o
FULL OUTER JOIN (SELECT * FROM recon_moves WHERE NOT again AND NOT apart) m ON m.order_no = o.order_no;

CREATE TABLE recon_order_rows AS
SELECT j.category, j.order_no, j.kind, j.amount AS ours,
  CASE WHEN j.has_move THEN j.moved WHEN j.has_view THEN j.view_amount ELSE CAST(NULL AS BIGINT) END AS theirs,
  CASE WHEN j.category = 'closed' THEN CAST(0 AS BIGINT) ELSE j.amount END AS fen,
  CASE j.category
    WHEN 'status_mismatch' THEN
      CASE WHEN j.has_move THEN 'ours ' || j.status || ', the provider moved the money'
           ELSE 'ours ' || j.status || ', the provider says ' || j.view_status END
    WHEN 'amount_mismatch' THEN
      'ours ' || CAST(j.amount AS STRING) || ' fen, theirs '
        || CAST(CASE WHEN j.has_move THEN j.moved ELSE j.view_amount END AS STRING) || ' fen'
    WHEN 'missing_at_provider' THEN 'ours ' || j.status || ', the provider never heard of it'
    ELSE ''
  END AS detail,
  j.created_ms AS at_ms, CAST(0 AS BIGINT) AS seq
FROM (
  SELECT p.*,
    CASE
      WHEN p.mocked THEN 'mocked'
      WHEN p.state = 'open' THEN 'in_transit'
      WHEN p.has_move AND p.state = 'failed' THEN 'status_mismatch'
      WHEN p.has_move AND p.amount <> p.moved THEN 'amount_mismatch'
      WHEN p.has_move THEN 'matched'
      WHEN p.state = 'failed' THEN 'closed'
      -- it moved later than the cut-off, or never: the provider's own answer
      WHEN NOT p.has_view THEN 'missing_at_provider'
      WHEN p.view_status <> 'succeeded' THEN 'status_mismatch'
      WHEN p.view_amount <> p.amount THEN 'amount_mismatch'
      ELSE 'matched'
    END AS category
  FROM (
    SELECT q.*, v.order_no IS NOT NULL AS has_view, v.amount AS view_amount, v.status AS view_status
    FROM recon_paired q
    LEFT JOIN provider_orders v ON v.order_no = q.order_no
    WHERE q.has_ours AND NOT q.apart
  ) p
) j
UNION ALL
-- the other lane's orders and movements: apart, with their fen, on whichever side they appear
SELECT 'shadow', o.order_no, o.kind, o.amount, CAST(NULL AS BIGINT), o.amount, '', o.created_ms, CAST(0 AS BIGINT)
FROM recon_ours o WHERE o.apart
UNION ALL
SELECT 'shadow', m.order_no, m.kind, CAST(NULL AS BIGINT), m.amount, m.amount, '', m.created_ms, m.seq
FROM recon_moves m WHERE m.apart
UNION ALL
-- a second movement of one order
SELECT 'duplicate', m.order_no, m.kind, CAST(NULL AS BIGINT), m.amount, m.amount,
  'the provider moved this order twice (txns ' || m.first_txn || ' and ' || m.txn_id || ')',
  m.created_ms, m.seq
FROM recon_moves m
WHERE m.again AND NOT m.apart
UNION ALL
-- a movement in the window with no order of ours anywhere
SELECT 'missing_ours', p.m_order_no, p.m_kind, CAST(NULL AS BIGINT), p.moved, p.moved,
  'the provider moved ' || CAST(p.moved AS STRING) || ' fen (txn ' || p.m_txn || '); we have no such order',
  p.m_created_ms, p.m_seq
FROM recon_paired p
LEFT JOIN order_refs r ON r.order_no = p.m_order_no
WHERE NOT p.has_ours AND r.order_no IS NULL
  AND p.m_created_ms >= {{from_ms}} AND p.m_created_ms < {{to_ms}};

-- movements of orders from another window or type, or moved after this one: the next one's to judge
CREATE TABLE recon_out_of_scope AS
SELECT COUNT(*) AS n
FROM recon_paired p
LEFT JOIN order_refs r ON r.order_no = p.m_order_no
WHERE NOT p.has_ours
  AND CASE WHEN r.order_no IS NOT NULL THEN r.created_ms < {{from_ms}} OR r.created_ms >= {{to_ms}}
           ELSE p.m_created_ms < {{from_ms}} OR p.m_created_ms >= {{to_ms}} END;

CREATE TABLE recon_order_totals AS
SELECT category, kind, COUNT(*) AS n, CAST(SUM(fen) AS BIGINT) AS fen
FROM recon_order_rows
GROUP BY category, kind;

-- C2C money still held at the end of the window: paid - transferred - refunded (settled orders)
CREATE TABLE recon_held AS
SELECT
  CAST(COALESCE(SUM(CASE WHEN kind = 'payment' THEN amount ELSE 0 END), 0) AS BIGINT) AS paid,
  CAST(COALESCE(SUM(CASE WHEN kind = 'transfer' THEN amount ELSE 0 END), 0) AS BIGINT) AS transferred,
  CAST(COALESCE(SUM(CASE WHEN kind = 'refund' THEN amount ELSE 0 END), 0) AS BIGINT) AS refunded
FROM recon_ours
WHERE scope = 'c2c' AND NOT apart AND NOT mocked AND state = 'succeeded';
