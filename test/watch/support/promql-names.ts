/**
 * The metric and label names a PromQL expression uses, by a small tokenizer (enough for the
 * dashboard's and the rules' queries): strings, range/offset brackets and Grafana `$variables`
 * are skipped; an identifier followed by `(` is a function or an aggregation; the identifiers of
 * `by (…)`, `without (…)`, `on (…)`, `ignoring (…)`, `group_left/right (…)` and those before a
 * matcher operator inside `{…}` are labels (the matchers' labels belong to the metric before the
 * brace); every other identifier is a metric name.
 */
export interface PromqlNames {
  metrics: Set<string>;
  /** Labels in a metric's own matchers, by metric. */
  matcherLabels: Map<string, Set<string>>;
  /** Labels of by/without/on/ignoring/group_* clauses. */
  groupingLabels: Set<string>;
}

const KEYWORDS = new Set(['and', 'or', 'unless', 'bool', 'offset', 'inf', 'nan']);
const GROUPING = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right']);

type Token = { kind: 'id' | 'punct' | 'op'; text: string };

function tokenize(expr: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < expr.length) {
    const c = expr[i]!;
    if (/\s/.test(c)) i++;
    else if (c === '"' || c === "'" || c === '`') {
      let j = i + 1;
      while (j < expr.length && expr[j] !== c) j += expr[j] === '\\' ? 2 : 1;
      out.push({ kind: 'punct', text: 'STRING' });
      i = j + 1;
    } else if (c === '[') {
      i = expr.indexOf(']', i) + 1; // a range or subquery duration
      if (i === 0) throw new Error(`unclosed [ in ${expr}`);
    } else if (c === '$') {
      const m = /^\$(\{[^}]*\}|\w+)/.exec(expr.slice(i));
      i += m ? m[0].length : 1;
    } else if (c === '#') {
      const nl = expr.indexOf('\n', i);
      i = nl === -1 ? expr.length : nl;
    } else if (/[A-Za-z_:]/.test(c)) {
      const m = /^[A-Za-z_:][A-Za-z0-9_:]*/.exec(expr.slice(i))!;
      out.push({ kind: 'id', text: m[0] });
      i += m[0].length;
    } else if (/[0-9.]/.test(c)) {
      const m = /^[0-9.]+(e[+-]?\d+)?[a-z]*/i.exec(expr.slice(i))!;
      i += m[0].length;
    } else {
      const m = /^(=~|!~|!=|==|>=|<=|[=<>+\-*/%^,(){}])/.exec(expr.slice(i));
      if (!m) throw new Error(`unexpected "${c}" in ${expr}`);
      out.push({ kind: /^[(){},]$/.test(m[0]) ? 'punct' : 'op', text: m[0] });
      i += m[0].length;
    }
  }
  return out;
}

export function promqlNames(expr: string): PromqlNames {
  const tokens = tokenize(expr);
  const names: PromqlNames = { metrics: new Set(), matcherLabels: new Map(), groupingLabels: new Set() };
  let lastMetric: string | undefined;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const next = tokens[i + 1];
    if (t.kind === 'punct' && t.text === '{') {
      const labels = new Set<string>();
      let j = i + 1;
      for (; j < tokens.length && tokens[j]!.text !== '}'; j++) {
        const lt = tokens[j]!;
        if (lt.kind === 'id' && tokens[j + 1]?.kind === 'op') labels.add(lt.text);
      }
      if (lastMetric !== undefined) {
        const known = names.matcherLabels.get(lastMetric) ?? new Set<string>();
        for (const l of labels) known.add(l);
        names.matcherLabels.set(lastMetric, known);
      } else if (labels.has('__name__')) throw new Error(`a metric by __name__ is not checked: ${expr}`);
      lastMetric = undefined;
      i = j;
      continue;
    }
    lastMetric = undefined;
    if (t.kind !== 'id') continue;
    if (GROUPING.has(t.text)) {
      if (next?.text !== '(') continue; // group_left without labels
      let j = i + 2;
      for (; j < tokens.length && tokens[j]!.text !== ')'; j++)
        if (tokens[j]!.kind === 'id') names.groupingLabels.add(tokens[j]!.text);
      i = j;
      continue;
    }
    if (next?.text === '(' || KEYWORDS.has(t.text.toLowerCase())) continue;
    // an aggregation written `sum by (x) (…)`: `sum` is followed by `by`, not `(`
    if (next?.kind === 'id' && GROUPING.has(next.text)) continue;
    names.metrics.add(t.text);
    lastMetric = t.text;
  }
  return names;
}
