/** Human output of the switch commands (`--json` prints the answers as they are instead). */
import type { SwitchKind } from '../catalog.js';
import type { AuditEntry, SwitchChangeResult } from '../ports.js';
import type { SwitchView } from '../switch-board.js';

export function valueLabel(kind: SwitchKind, value: number): string {
  if (kind === 'limit') return value > 0 ? `${value}/s` : 'no limit';
  return value > 0 ? 'ON' : 'off';
}

const time = (ms: number) =>
  new Date(ms)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, 'Z');

export function lastChange(s: Pick<SwitchView, 'updatedAt' | 'updatedBy' | 'reason'>): string {
  if (s.updatedAt === null) return '';
  return `since ${time(s.updatedAt)} by ${s.updatedBy ?? '?'}${s.reason ? ` (${s.reason})` : ''}`;
}

export function renderStatus(switches: readonly SwitchView[]): string {
  const nameWidth = Math.max(...switches.map((s) => s.name.length), 4);
  return switches
    .map((s) =>
      [s.kind.padEnd(7), s.name.padEnd(nameWidth), valueLabel(s.kind, s.value).padEnd(9), lastChange(s)]
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

export function renderChange(change: SwitchChangeResult, where: string): string {
  const what = `${change.kind} ${change.name}`;
  if (!change.changed)
    return `${what} is already ${valueLabel(change.kind, change.newValue)} (nothing changed)`;
  return `${what}: ${valueLabel(change.kind, change.oldValue)} -> ${valueLabel(change.kind, change.newValue)} on ${where} (audit #${change.auditId})`;
}

export function renderAudit(entries: readonly AuditEntry[]): string {
  if (entries.length === 0) return 'no changes recorded';
  return entries
    .map((e) =>
      [
        `#${e.id}`,
        time(e.at),
        `${e.kind} ${e.name}`,
        `${valueLabel(e.kind, e.oldValue)} -> ${valueLabel(e.kind, e.newValue)}`,
        `by ${e.actor} (${e.via})`,
        e.reason ?? '',
      ]
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
