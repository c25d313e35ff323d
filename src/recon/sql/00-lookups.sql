-- Issue 22: the numbers the window cannot judge from its own rows, looked up one by one before the
-- categories run (the live path and `recon export` fill provider_orders, order_refs, grant_refs
-- and subsidy_refs with the answers). Rare by design: a settlement later than the cut-off, a
-- movement of another window's order, a grant booked under another issue time. Parameters as
-- 01-orders.sql.

-- ours, settled, with no movement of the provider in the window and its cut-off
CREATE TABLE recon_need_provider_orders AS
SELECT o.order_no AS no
FROM orders o
WHERE o.created_ms >= {{from_ms}} AND o.created_ms < {{to_ms}}
  AND ({{type}} = 'all' OR o.scope = {{type}})
  AND o.lane = {{lane}} AND NOT o.mocked
  AND o.status IN ('paid', 'transferred', 'succeeded')
  AND NOT EXISTS (
    SELECT 1 FROM ledger m
    WHERE m.order_no = o.order_no
      AND m.created_ms >= {{from_ms}} AND m.created_ms < {{to_ms}} + {{cutoff_ms}}
      AND (m.kind <> 'return' OR {{type}} <> 'c2c'));

-- the provider's movements with no order of ours of this window and type
CREATE TABLE recon_need_order_refs AS
SELECT DISTINCT m.order_no AS no
FROM ledger m
WHERE m.created_ms >= {{from_ms}} AND m.created_ms < {{to_ms}} + {{cutoff_ms}}
  AND (m.kind <> 'return' OR {{type}} <> 'c2c')
  AND m.lane = {{lane}}
  AND NOT EXISTS (
    SELECT 1 FROM orders o
    WHERE o.order_no = m.order_no AND o.created_ms >= {{from_ms}} AND o.created_ms < {{to_ms}}
      AND ({{type}} = 'all' OR o.scope = {{type}}));

-- booked in the window, not issued in it under the same issue time
CREATE TABLE recon_need_grant_refs AS
SELECT s.out_grant_no AS no
FROM subsidies s
WHERE s.issued_ms >= {{from_ms}} AND s.issued_ms < {{to_ms}} AND {{type}} <> 'c2c'
  AND NOT ({{lane}} = 'real' AND s.lane = 'shadow')
  AND NOT EXISTS (
    SELECT 1 FROM grants g WHERE g.out_grant_no = s.out_grant_no AND g.issued_ms = s.issued_ms);

-- issued in the window, not booked in it under the same issue time
CREATE TABLE recon_need_subsidy_refs AS
SELECT g.out_grant_no AS no
FROM grants g
WHERE g.issued_ms >= {{from_ms}} AND g.issued_ms < {{to_ms}} AND {{type}} <> 'c2c'
  AND NOT ({{lane}} = 'real' AND g.lane = 'shadow')
  AND NOT EXISTS (
    SELECT 1 FROM subsidies s WHERE s.out_grant_no = g.out_grant_no AND s.issued_ms = g.issued_ms);
