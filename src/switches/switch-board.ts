/**
 * The switches as one running instance sees them: read from memory on the hot path, stored in the
 * database (the truth), and kept current by two means, each alone sufficient:
 * - a change message (Redis pub/sub with `--redis`): every instance reloads at once;
 * - polling the small switch table every `pollMs` (default 500 ms): embedded mode, a change
 *   written straight to the database by the CLI, a lost pub/sub message.
 * If the database cannot be read, the last known state stays in force (logged once a minute).
 */
import type { SwitchKind, ToggleKind } from './catalog.js';
import { allSwitches, infoOf } from './catalog.js';
import type { SwitchChange, SwitchChangeResult, SwitchReader, SwitchRecord, SwitchStore } from './ports.js';

/** Change notices between instances. The message carries nothing: receivers reload from the store. */
export interface SwitchBus {
  publish(): Promise<void>;
  subscribe(onNotice: () => void): Promise<void>;
  close(): Promise<void>;
}

export interface SwitchView {
  kind: SwitchKind;
  name: string;
  /** 0/1 for degrade and mock, requests per second (0: none) for a limit. */
  value: number;
  description: string;
  risky: boolean;
  reason: string | null;
  updatedBy: string | null;
  updatedAt: number | null;
}

export interface SwitchBoard extends SwitchReader {
  /** Every switch of the catalog with its current value (never set: off). */
  list(): SwitchView[];
  /** Writes the change (and its audit row), applies it here at once, and tells the other instances. */
  set(change: Omit<SwitchChange, 'at'>): Promise<SwitchChangeResult>;
  refresh(): Promise<void>;
  /**
   * For the readiness check: whether the table has been read, and since when every reload failed
   * (absent while the last one succeeded), with the last failure's message.
   */
  health(): SwitchBoardHealth;
  close(): Promise<void>;
}

export interface SwitchBoardHealth {
  loaded: boolean;
  failingSince?: number;
  lastError?: string;
}

export interface SwitchBoardOptions {
  store: Pick<SwitchStore, 'listSwitches' | 'setSwitch'>;
  bus?: SwitchBus | undefined;
  /** 0 turns polling off (tests that drive refresh() themselves). */
  pollMs?: number;
  now?: () => number;
  log?: (msg: string, err: unknown) => void;
  /** Called with each switch whose value this instance saw change (not on the first load). */
  onChange?: (change: {
    kind: SwitchKind;
    name: string;
    from: number;
    to: number;
    record: SwitchRecord;
  }) => void;
}

const key = (kind: string, name: string) => `${kind}:${name}`;

/** Every switch of the catalog, in display order, with its stored state (never set: off). */
export function switchViews(records: Iterable<SwitchRecord>): SwitchView[] {
  const byKey = new Map([...records].map((r) => [key(r.kind, r.name), r]));
  return allSwitches().map(({ kind, name }) => {
    const r = byKey.get(key(kind, name));
    const info = infoOf(kind, name);
    return {
      kind,
      name,
      value: r?.value ?? 0,
      description: info.description,
      risky: info.risky,
      reason: r?.reason ?? null,
      updatedBy: r?.updatedBy ?? null,
      updatedAt: r?.updatedAt ?? null,
    };
  });
}

export async function createSwitchBoard(opts: SwitchBoardOptions): Promise<SwitchBoard> {
  const now = opts.now ?? Date.now;
  let state = new Map<string, SwitchRecord>();
  let loaded = false;
  let lastError = 0;
  let failingSince: number | undefined;
  let lastErrorMessage: string | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  let closed = false;

  function apply(records: readonly SwitchRecord[]): void {
    const next = new Map(records.map((r) => [key(r.kind, r.name), r]));
    if (loaded && opts.onChange) {
      for (const [k, record] of next) {
        const from = state.get(k)?.value ?? 0;
        if (from !== record.value)
          opts.onChange({ kind: record.kind, name: record.name, from, to: record.value, record });
      }
    }
    state = next;
    loaded = true;
  }

  async function load(): Promise<void> {
    try {
      apply(await opts.store.listSwitches());
      failingSince = undefined;
    } catch (e) {
      if (!loaded) throw e;
      failingSince ??= now();
      lastErrorMessage = e instanceof Error ? e.message : String(e);
      if (now() - lastError >= 60_000) {
        lastError = now();
        opts.log?.('switches: cannot reload from the database; keeping the last known state', e);
      }
    }
  }

  /** Coalesced: a reload asked for while one runs makes exactly one more run after it. */
  function refresh(): Promise<void> {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        await load();
      } while (again && !closed);
    })().finally(() => {
      running = undefined;
    });
    return running;
  }

  await refresh();
  await opts.bus?.subscribe(() => void refresh());
  const pollMs = opts.pollMs ?? 500;
  const timer = pollMs > 0 ? setInterval(() => void refresh(), pollMs) : undefined;
  timer?.unref();

  const value = (kind: SwitchKind, name: string) => state.get(key(kind, name))?.value ?? 0;

  return {
    isOn: (kind: ToggleKind, name: string) => value(kind, name) > 0,
    limitOf(endpoint) {
      const v = value('limit', endpoint);
      return v > 0 ? v : null;
    },
    list: () => switchViews(state.values()),
    async set(change) {
      const result = await opts.store.setSwitch({ ...change, at: now() });
      if (result.changed) {
        await refresh();
        // the others reload on the notice; if it is lost, their polling catches up
        await opts.bus?.publish().catch((e: unknown) => opts.log?.('switches: change notice not sent', e));
      }
      return result;
    },
    refresh,
    health: () =>
      failingSince === undefined
        ? { loaded }
        : { loaded, failingSince, ...(lastErrorMessage ? { lastError: lastErrorMessage } : {}) },
    async close() {
      closed = true;
      if (timer) clearInterval(timer);
      await running;
      await opts.bus?.close();
    },
  };
}
