"""Issue 22: runs the statements of `redpkt recon sql --engine spark` in Spark local mode.

Usage: python3 run_recon_sql.py SPEC.json OUT.json

SPEC.json: {"statements": [...], "queries": [{"table": ..., "sql": ...}]}. Every statement runs
with spark.sql in order (the views over the export, then the recon categories and invariants as
cached tables); then each query's rows are collected, in the query's order, into OUT.json in the
shape test/recon/recon-sql-outputs.ts gives DuckDB's: per table its columns, each column's kind
(integer, string or boolean; anything else, a DECIMAL say, is written as other:<type> and fails
the comparison) and its rows. Run by test/spark/recon-spark.test.ts (npm run test:spark).
"""

import json
import sys

from pyspark.sql import SparkSession
from pyspark.sql import types as T

INTEGER = (T.ByteType, T.ShortType, T.IntegerType, T.LongType)
STRING = tuple(getattr(T, n) for n in ("StringType", "VarcharType", "CharType") if hasattr(T, n))


def kind(data_type):
    if isinstance(data_type, INTEGER):
        return "integer"
    if isinstance(data_type, STRING):
        return "string"
    if isinstance(data_type, T.BooleanType):
        return "boolean"
    return "other:" + data_type.simpleString()


def value(v):
    if v is None or isinstance(v, (bool, int, str)):
        return v
    return "other:" + repr(v)


def main(spec_file, out_file):
    with open(spec_file, encoding="utf-8") as f:
        spec = json.load(f)
    spark = (
        SparkSession.builder.master("local[1]")
        .appName("redpkt-recon-spark")
        # everything stays on this machine, and nothing depends on the JVM's zone
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", "2")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    try:
        for statement in spec["statements"]:
            spark.sql(statement)
        out = {}
        for q in spec["queries"]:
            df = spark.sql(q["sql"])
            out[q["table"]] = {
                "columns": df.columns,
                "types": [kind(f.dataType) for f in df.schema.fields],
                "rows": [[value(v) for v in row] for row in df.collect()],
            }
        out["_spark"] = {"version": spark.version}
    finally:
        spark.stop()
    with open(out_file, "w", encoding="utf-8") as f:
        json.dump(out, f)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
