-- Issue 22: the money invariants of every packet of the window, from our own records (DESIGN §9):
-- paid >= transferred + refunded, and == once the packet is final; every claim is a transfer
-- (claims == transfers once final); a B2C packet is paid by the subsidy it spent, which must be its
-- amount. `final`: refunded, exhausted or closed with no order open. Packets of the other lane and
-- mocked ones are counted apart, not checked. Parameters as 01-orders.sql.

CREATE TABLE recon_packet_rows AS
SELECT p.*,
  p.lane <> {{lane}} AS apart,
  (p.status IN ('refunded', 'exhausted', 'closed') AND p.open_orders = 0) AS settled,
  (p.lane = {{lane}} AND NOT p.mocked) AS checked
FROM packets p
WHERE p.created_ms >= {{from_ms}} AND p.created_ms < {{to_ms}}
  AND ((p.type = 'c2c' AND {{type}} <> 'b2c') OR (p.type = 'b2c' AND {{type}} <> 'c2c'));

-- one row per broken invariant; `nth` orders a packet's own violations
CREATE TABLE recon_packet_violations AS
SELECT packet_id, type, created_ms, 1 AS nth,
  'subsidy spent ' || CAST(paid AS STRING) || ' != packet amount ' || CAST(total_amount AS STRING) AS detail
FROM recon_packet_rows
WHERE checked AND type = 'b2c' AND paid <> total_amount
UNION ALL
SELECT packet_id, type, created_ms, 2,
  CASE WHEN paid < transferred + refunded
    THEN 'paid ' || CAST(paid AS STRING) || ' < transferred ' || CAST(transferred AS STRING)
      || ' + refunded ' || CAST(refunded AS STRING)
    ELSE 'final (' || status || ') but paid ' || CAST(paid AS STRING) || ' != transferred '
      || CAST(transferred AS STRING) || ' + refunded ' || CAST(refunded AS STRING)
  END
FROM recon_packet_rows
WHERE checked AND (paid < transferred + refunded OR (settled AND paid <> transferred + refunded))
UNION ALL
SELECT packet_id, type, created_ms, 3,
  'final (' || status || ') but ' || CAST(claims AS STRING) || ' claims != '
    || CAST(transfers AS STRING) || ' transfers'
FROM recon_packet_rows
WHERE checked AND settled AND claims <> transfers;

-- per type: the report's packet table; `used_*` / `packet_*`: the B2C check "used subsidies ==
-- B2C packets" over every B2C packet of the window (either lane, mocked or not)
CREATE TABLE recon_packet_totals AS
SELECT r.type,
  COUNT(*) AS packets,
  CAST(SUM(CASE WHEN r.checked AND r.settled THEN 1 ELSE 0 END) AS BIGINT) AS final_packets,
  CAST(SUM(CASE WHEN NOT r.apart AND r.mocked THEN 1 ELSE 0 END) AS BIGINT) AS mocked_packets,
  CAST(SUM(CASE WHEN r.apart THEN 1 ELSE 0 END) AS BIGINT) AS shadow_packets,
  CAST(SUM(CASE WHEN r.checked THEN r.paid ELSE 0 END) AS BIGINT) AS paid,
  CAST(SUM(CASE WHEN r.checked THEN r.transferred ELSE 0 END) AS BIGINT) AS transferred,
  CAST(SUM(CASE WHEN r.checked THEN r.refunded ELSE 0 END) AS BIGINT) AS refunded,
  CAST(SUM(CASE WHEN r.checked THEN r.claims ELSE 0 END) AS BIGINT) AS claims,
  CAST(SUM(CASE WHEN r.checked THEN r.transfers ELSE 0 END) AS BIGINT) AS transfers,
  CAST(SUM(r.total_amount) AS BIGINT) AS packet_amount,
  CAST(SUM(r.paid_orders) AS BIGINT) AS used_subsidies,
  CAST(SUM(r.paid) AS BIGINT) AS used_amount
FROM recon_packet_rows r
GROUP BY r.type;

CREATE TABLE recon_packet_violation_totals AS
SELECT type, COUNT(*) AS violations FROM recon_packet_violations GROUP BY type;
