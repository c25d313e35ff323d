/**
 * Issue 21: the supervisor passes its cores' output on, each line naming the core it came from.
 * A JSON log line (pino's) gets a `core` field, so it stays one JSON object a log pipeline can
 * parse; any other line is prefixed with `[core-N] `.
 */
export function tagLine(line: string, core: string): string {
  if (line.startsWith('{') && line.endsWith('}')) {
    try {
      const parsed: unknown = JSON.parse(line);
      if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed))
        return JSON.stringify({ core, ...(parsed as Record<string, unknown>) });
    } catch {
      // not JSON after all: prefixed below
    }
  }
  return `[${core}] ${line}`;
}

/** Splits a stream's chunks into whole lines (the last partial line waits for the next chunk). */
export function createLineSplitter(onLine: (line: string) => void): {
  push(chunk: string): void;
  end(): void;
} {
  let rest = '';
  return {
    push(chunk) {
      const parts = (rest + chunk).split('\n');
      rest = parts.pop() ?? '';
      // a line longer than 64 KiB without a newline is passed on in pieces, not held forever
      if (rest.length > 65_536) {
        parts.push(rest);
        rest = '';
      }
      for (const p of parts) onLine(p.endsWith('\r') ? p.slice(0, -1) : p);
    },
    end() {
      if (rest) onLine(rest);
      rest = '';
    },
  };
}
