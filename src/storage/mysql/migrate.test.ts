import { describe, expect, it } from 'vitest';
import { alreadyApplied } from './migrate.js';

describe('alreadyApplied: the errors a re-run migration may skip', () => {
  const dropCheck = 'ALTER TABLE alerts DROP CONSTRAINT alerts_kind_ck';

  it('skips a constraint already gone (MariaDB 1091, MySQL 8 3821 and 3940) for a lone DROP CONSTRAINT', () => {
    for (const errno of [1091, 3821, 3940]) expect(alreadyApplied(dropCheck, errno)).toBe(true);
    expect(alreadyApplied(`  ${dropCheck}\n`, 1091)).toBe(true);
  });

  it('never skips those codes for any other statement', () => {
    for (const statement of [
      'ALTER TABLE packets DROP COLUMN colour',
      'ALTER TABLE tasks DROP KEY tasks_missing_idx',
      'ALTER TABLE recon_reports DROP PRIMARY KEY, ADD COLUMN lane VARCHAR(8) NOT NULL',
      'ALTER TABLE alerts DROP CONSTRAINT alerts_kind_ck, ADD CONSTRAINT alerts_kind_ck CHECK (kind <> 0)',
    ])
      for (const errno of [1091, 3821, 3940]) expect(alreadyApplied(statement, errno)).toBe(false);
  });

  it('skips a duplicate column or key anywhere, and nothing else', () => {
    expect(alreadyApplied('ALTER TABLE tasks ADD KEY k (a)', 1061)).toBe(true);
    expect(alreadyApplied('ALTER TABLE tasks ADD COLUMN c INT', 1060)).toBe(true);
    expect(alreadyApplied(dropCheck, 1146)).toBe(false); // no such table
    expect(alreadyApplied(dropCheck, undefined)).toBe(false);
    expect(alreadyApplied(dropCheck, '1091')).toBe(false);
  });
});
