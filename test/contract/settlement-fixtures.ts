/**
 * Issue 4 contract helpers. Settlement tests run on the shared store beside the other suites, so
 * each works in its own time window, earlier than every other suite's clock and earlier than the
 * windows before it: a lease or scan "due before now" then sees only the tasks of its own test.
 */
import type { PacketStore, Task, TaskKind } from '../../src/domain/ports.js';
import { unique } from './contract-fixtures.js';

let nextWindow = 1_600_000_000_000;

/** The start of a fresh window of 100,000,000 ms that no other test uses. */
export function timeWindow(): number {
  nextWindow -= 1_000_000_000;
  return nextWindow;
}

export async function dueTasks(
  store: PacketStore,
  n: number,
  dueAt: number,
  kind: TaskKind = 'transfer',
): Promise<Task[]> {
  const tasks: Task[] = [];
  for (let i = 0; i < n; i++) {
    tasks.push((await store.ensureTask({ kind, ref: unique(`lease-${i}`), dueAt, now: dueAt })).task);
  }
  return tasks;
}

export const idsOf = (tasks: readonly Task[]): number[] => tasks.map((t) => t.id).sort((a, b) => a - b);
