/** Applies the SQLite migrations not yet recorded, each in its own write transaction. */
import type { Client } from '@libsql/client';
import { pendingMigrations } from '../shared/migration.js';
import { SQLITE_MIGRATIONS, SQLITE_MIGRATIONS_TABLE } from './migrations.js';

export async function migrateSqlite(client: Client, now: () => number = Date.now): Promise<void> {
  await client.execute(SQLITE_MIGRATIONS_TABLE);
  const applied = await client.execute('SELECT version FROM schema_migrations');
  const versions = new Set(applied.rows.map((r) => Number(r['version'])));
  for (const migration of pendingMigrations(SQLITE_MIGRATIONS, versions)) {
    // SQLite DDL is transactional: a version is applied and recorded entirely or not at all.
    const tx = await client.transaction('write');
    try {
      const done = await tx.execute({
        sql: 'SELECT 1 FROM schema_migrations WHERE version = ?',
        args: [migration.version],
      });
      if (done.rows.length === 0) {
        for (const statement of migration.statements) await tx.execute(statement);
        await tx.execute({
          sql: 'INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)',
          args: [migration.version, migration.name, now()],
        });
      }
      await tx.commit();
    } finally {
      tx.close();
    }
  }
}
