import { describe, expect, it } from 'vitest';
import { sourceStatements, toDialect } from './dialect.js';
import { LAYOUT, TABLES } from './duck/layout.js';

describe('the recon SQL dialect shim', () => {
  it("gives Spark views of exactly the layout's columns over each table's directory, a URL kept as given", () => {
    const spark = sourceStatements('s3a://bucket/exports/2026-02-11/', 'spark');
    expect(spark).toHaveLength(TABLES.length);
    expect(spark[0]).toBe(
      `CREATE OR REPLACE TEMPORARY VIEW orders AS SELECT ${LAYOUT.orders.columns.map((c) => c.name).join(', ')} ` +
        'FROM parquet.`s3a://bucket/exports/2026-02-11/orders`',
    );
    expect(sourceStatements('/data/we`ird', 'spark')[1]).toMatch(/FROM parquet\.`\/data\/we``ird\/ledger`$/);
  });

  it('reads the same columns on DuckDB without a manifest, partition columns left out', () => {
    expect(sourceStatements('/data/x', 'duckdb')[0]).toBe(
      `CREATE VIEW orders AS SELECT ${LAYOUT.orders.columns.map((c) => c.name).join(', ')} ` +
        "FROM read_parquet('/data/x/orders/**/*.parquet', hive_partitioning = false)",
    );
  });

  it('makes result tables cached views on Spark and leaves DuckDB statements as they are', () => {
    const s = 'CREATE TABLE recon_held AS\nSELECT 1 AS paid';
    expect(toDialect(s, 'spark')).toBe('CACHE TABLE recon_held AS\nSELECT 1 AS paid');
    expect(toDialect(s, 'duckdb')).toBe(s);
  });

  it('makes a view a temporary view on Spark', () => {
    const s = 'CREATE VIEW recon_ours AS\nSELECT 1 AS n';
    expect(toDialect(s, 'spark')).toBe('CREATE OR REPLACE TEMPORARY VIEW recon_ours AS\nSELECT 1 AS n');
    expect(toDialect(s, 'duckdb')).toBe(s);
  });
});
