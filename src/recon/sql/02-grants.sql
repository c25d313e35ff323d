-- Issue 22: the reward issuer's grants against our booked subsidies, one by one by out_grant_no,
-- and "subsidies issued == booked + outstanding tokens" per campaign. Parameters as 01-orders.sql,
-- plus {{now_ms}}: an unbooked grant younger than the cut-off at the run's clock is in transit.
--   booked: issued and booked with the same amount, owner, campaign and issue time;
--   in_transit / outstanding: issued, not booked (yet); a legitimate state, part of the invariant;
--   shadow: a grant of the other lane; amount_mismatch, record_mismatch: booked differently than
--   issued; missing_at_provider: booked, never issued.
-- Grant numbers are the issuer's: only in the real lane are shadow-marked ones put apart.

CREATE TABLE recon_subs AS
SELECT s.*, ({{lane}} = 'real' AND s.lane = 'shadow') AS apart
FROM subsidies s
WHERE s.issued_ms >= {{from_ms}} AND s.issued_ms < {{to_ms}} AND {{type}} <> 'c2c';

CREATE TABLE recon_issued AS
SELECT g.*, ({{lane}} = 'real' AND g.lane = 'shadow') AS apart
FROM grants g
WHERE g.issued_ms >= {{from_ms}} AND g.issued_ms < {{to_ms}} AND {{type}} <> 'c2c';

-- both records of each grant, whichever side it came in on: `how` = pair (same number and issue
-- time on both sides), ours (booked in the window; the issuer's record by number, if any) or
-- theirs (issued in the window, not booked in it; our record by number, if any)
CREATE TABLE recon_grant_pairs AS
SELECT 'pair' AS how, o.out_grant_no AS grant_no, o.issued_ms AS at_ms, o.apart,
  TRUE AS has_o, o.uid AS o_uid, o.campaign AS o_campaign, o.amount AS o_amount, o.issued_ms AS o_issued,
  TRUE AS has_g, g.uid AS g_uid, g.campaign AS g_campaign, g.amount AS g_amount, g.issued_ms AS g_issued
FROM recon_subs o
JOIN recon_issued g ON g.out_grant_no = o.out_grant_no AND g.issued_ms = o.issued_ms
UNION ALL
SELECT 'ours', o.out_grant_no, o.issued_ms, o.apart,
  TRUE, o.uid, o.campaign, o.amount, o.issued_ms,
  r.out_grant_no IS NOT NULL, r.uid, r.campaign, r.amount, r.issued_ms
FROM recon_subs o
LEFT JOIN recon_issued g ON g.out_grant_no = o.out_grant_no AND g.issued_ms = o.issued_ms
LEFT JOIN grant_refs r ON r.out_grant_no = o.out_grant_no
WHERE g.out_grant_no IS NULL
UNION ALL
SELECT 'theirs', g.out_grant_no, g.issued_ms, g.apart,
  s.out_grant_no IS NOT NULL, s.uid, s.campaign, s.amount, s.issued_ms,
  TRUE, g.uid, g.campaign, g.amount, g.issued_ms
FROM recon_issued g
LEFT JOIN recon_subs o ON o.out_grant_no = g.out_grant_no AND o.issued_ms = g.issued_ms
LEFT JOIN subsidy_refs s ON s.out_grant_no = g.out_grant_no
WHERE o.out_grant_no IS NULL
  -- booked in this window under another issue time: judged from our side
  AND NOT (s.out_grant_no IS NOT NULL AND s.issued_ms >= {{from_ms}} AND s.issued_ms < {{to_ms}});

-- one category per grant; what it adds to its campaign's issued, booked and outstanding
CREATE TABLE recon_grant_rows AS
SELECT c.*,
  CASE
    WHEN c.category IN ('booked', 'amount_mismatch', 'record_mismatch', 'missing_at_provider') THEN c.o_amount
    WHEN c.category = 'shadow' AND c.how = 'ours' THEN c.o_amount
    ELSE c.g_amount
  END AS fen,
  CASE WHEN c.category = 'shadow' OR NOT c.has_o THEN CAST(NULL AS BIGINT) ELSE c.o_amount END AS ours,
  CASE WHEN c.category = 'shadow' OR NOT c.has_g THEN CAST(NULL AS BIGINT) ELSE c.g_amount END AS theirs,
  CASE c.category
    WHEN 'amount_mismatch' THEN
      'booked ' || CAST(c.o_amount AS STRING) || ' fen, issued ' || CAST(c.g_amount AS STRING) || ' fen'
    WHEN 'record_mismatch' THEN 'booked vs issued: ' || concat_ws(', ',
      CASE WHEN c.o_uid <> c.g_uid THEN 'uid ' || c.o_uid || ' vs ' || c.g_uid END,
      CASE WHEN c.o_campaign <> c.g_campaign THEN 'campaign ' || c.o_campaign || ' vs ' || c.g_campaign END,
      CASE WHEN c.o_issued <> c.g_issued
        THEN 'issued at ' || CAST(c.o_issued AS STRING) || ' vs ' || CAST(c.g_issued AS STRING) END)
    WHEN 'missing_at_provider' THEN 'booked ' || CAST(c.o_amount AS STRING) || ' fen, the issuer never issued it'
    ELSE ''
  END AS detail,
  CASE WHEN c.category = 'shadow' THEN NULL
       WHEN c.has_g AND c.g_issued >= {{from_ms}} AND c.g_issued < {{to_ms}} THEN c.g_campaign END AS issued_campaign,
  CASE WHEN c.category = 'shadow' OR NOT c.has_o THEN NULL ELSE c.o_campaign END AS booked_campaign,
  CASE WHEN c.category IN ('in_transit', 'outstanding') THEN c.g_campaign END AS outstanding_campaign
FROM (
  SELECT p.*,
    CASE
      WHEN p.apart THEN 'shadow'
      WHEN NOT p.has_g THEN 'missing_at_provider'
      WHEN NOT p.has_o THEN
        CASE WHEN p.g_issued + {{cutoff_ms}} > {{now_ms}} THEN 'in_transit' ELSE 'outstanding' END
      WHEN p.o_amount <> p.g_amount THEN 'amount_mismatch'
      WHEN p.o_uid <> p.g_uid OR p.o_campaign <> p.g_campaign OR p.o_issued <> p.g_issued THEN 'record_mismatch'
      ELSE 'booked'
    END AS category
  FROM recon_grant_pairs p
) c;

CREATE TABLE recon_grant_totals AS
SELECT category, COUNT(*) AS n, CAST(SUM(fen) AS BIGINT) AS fen
FROM recon_grant_rows
GROUP BY category;

CREATE TABLE recon_campaigns AS
SELECT t.campaign,
  t.issued_n, t.issued_fen, t.booked_n, t.booked_fen, t.outstanding_n, t.outstanding_fen,
  (t.issued_fen = t.booked_fen + t.outstanding_fen AND t.issued_n = t.booked_n + t.outstanding_n) AS ok
FROM (
  SELECT u.campaign,
    CAST(SUM(u.issued_n) AS BIGINT) AS issued_n, CAST(SUM(u.issued_fen) AS BIGINT) AS issued_fen,
    CAST(SUM(u.booked_n) AS BIGINT) AS booked_n, CAST(SUM(u.booked_fen) AS BIGINT) AS booked_fen,
    CAST(SUM(u.outstanding_n) AS BIGINT) AS outstanding_n,
    CAST(SUM(u.outstanding_fen) AS BIGINT) AS outstanding_fen
  FROM (
    SELECT issued_campaign AS campaign, 1 AS issued_n, g_amount AS issued_fen, 0 AS booked_n,
      CAST(0 AS BIGINT) AS booked_fen, 0 AS outstanding_n, CAST(0 AS BIGINT) AS outstanding_fen
    FROM recon_grant_rows WHERE issued_campaign IS NOT NULL
    UNION ALL
    SELECT booked_campaign, 0, CAST(0 AS BIGINT), 1, o_amount, 0, CAST(0 AS BIGINT)
    FROM recon_grant_rows WHERE booked_campaign IS NOT NULL
    UNION ALL
    SELECT outstanding_campaign, 0, CAST(0 AS BIGINT), 0, CAST(0 AS BIGINT), 1, g_amount
    FROM recon_grant_rows WHERE outstanding_campaign IS NOT NULL
  ) u
  GROUP BY u.campaign
) t;
