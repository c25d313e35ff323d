/**
 * A versioned schema change. The SQL is kept as TypeScript strings (one list per dialect), so the
 * build needs to copy nothing into dist/. Versions are applied in order, each recorded in
 * `schema_migrations`; an applied version is never run again.
 */
export interface Migration {
  version: number;
  name: string;
  /** Executed one by one, in order. */
  statements: readonly string[];
}

export function pendingMigrations(all: readonly Migration[], applied: ReadonlySet<number>): Migration[] {
  const versions = all.map((m) => m.version);
  if (new Set(versions).size !== versions.length) throw new Error('duplicate migration versions');
  return [...all].sort((a, b) => a.version - b.version).filter((m) => !applied.has(m.version));
}
