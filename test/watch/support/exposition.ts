/** The metric names and their label names in a Prometheus text exposition (`GET /metrics`). */
export interface Exported {
  /** Every series name a query may use: samples, and a histogram's _bucket/_sum/_count. */
  names: Set<string>;
  /** Label names seen on a name's samples. */
  labels: Map<string, Set<string>>;
  /** Declared (# TYPE) names without any sample: their labels cannot be checked. */
  declaredOnly: Set<string>;
}

export function parseExposition(text: string, into?: Exported): Exported {
  const out = into ?? { names: new Set(), labels: new Map(), declaredOnly: new Set() };
  const declared = new Map<string, string>();
  for (const line of text.split('\n')) {
    const type = /^# TYPE (\S+) (\S+)/.exec(line);
    if (type) {
      declared.set(type[1]!, type[2]!);
      continue;
    }
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([A-Za-z_:][A-Za-z0-9_:]*)(\{(.*)\})?\s/.exec(line);
    if (!m) continue;
    const name = m[1]!;
    out.names.add(name);
    const labels = out.labels.get(name) ?? new Set<string>();
    for (const l of (m[3] ?? '').matchAll(/([A-Za-z_][A-Za-z0-9_]*)="/g)) labels.add(l[1]!);
    out.labels.set(name, labels);
  }
  for (const [name, type] of declared) {
    const series = type === 'histogram' ? [`${name}_bucket`, `${name}_sum`, `${name}_count`] : [name];
    for (const s of series) {
      if (!out.labels.has(s)) out.declaredOnly.add(s);
      else out.declaredOnly.delete(s);
      out.names.add(s);
    }
    // a histogram's labels (but le) are the base name's too, for by() over the quantile
    if (type === 'histogram') {
      const bucket = out.labels.get(`${name}_bucket`);
      if (bucket) out.labels.set(name, new Set([...bucket].filter((l) => l !== 'le')));
    }
  }
  return out;
}

/** Labels Prometheus adds to every scraped series (target labels). */
export const TARGET_LABELS = new Set(['job', 'instance']);

/** What an expression names that the exposition does not have (empty: all good). */
export function unknownNames(
  names: {
    metrics: Set<string>;
    matcherLabels: Map<string, Set<string>>;
    groupingLabels: Set<string>;
  },
  exported: Exported,
): string[] {
  const problems: string[] = [];
  const allLabels = new Set<string>(TARGET_LABELS);
  for (const m of names.metrics) {
    if (!exported.names.has(m)) problems.push(`metric ${m} is not exported`);
    else if (exported.declaredOnly.has(m)) problems.push(`metric ${m} has no samples to check labels on`);
    for (const l of exported.labels.get(m) ?? []) allLabels.add(l);
  }
  for (const [m, labels] of names.matcherLabels)
    for (const l of labels)
      if (!TARGET_LABELS.has(l) && !exported.labels.get(m)?.has(l)) problems.push(`${m} has no label ${l}`);
  for (const l of names.groupingLabels)
    if (!allLabels.has(l)) problems.push(`no metric of the query has the label ${l} it groups by`);
  return problems;
}
