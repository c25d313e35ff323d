/**
 * The interactive picker (`redpkt degrade|mock|limit` with no arguments on a terminal): every
 * switch with its state; pick one to flip (or to set a limit), confirm before a core path goes
 * off or a dependency is mocked, give a reason for the audit trail; repeat until "quit".
 * The prompt functions and their streams are injectable, so a test drives it with keystrokes.
 */
import { Separator, confirm, input, select } from '@inquirer/prompts';
import type { SwitchKind } from '../catalog.js';
import type { SwitchView } from '../switch-board.js';
import { lastChange, renderChange, valueLabel } from './render.js';
import type { SwitchControl } from './switch-control.js';

export interface PickerPrompts {
  select: typeof select;
  confirm: typeof confirm;
  input: typeof input;
}

export interface PickerIo {
  prompts?: PickerPrompts;
  /** The prompts' streams (default: the process's). */
  context?: { input?: NodeJS.ReadableStream; output?: NodeJS.WritableStream };
  write(line: string): void;
}

const QUIT = 'quit';

function label(s: SwitchView, width: number): string {
  return `${s.kind.padEnd(7)} ${s.name.padEnd(width)} ${valueLabel(s.kind, s.value).padEnd(9)} ${lastChange(s)}`.trimEnd();
}

function confirmMessage(s: SwitchView): string {
  return s.kind === 'degrade'
    ? `Turn off ${s.description} on EVERY instance? Users get "try again later".`
    : `Mock ${s.description} on EVERY instance?`;
}

/** Returns how many switches were changed. Ctrl-C ends it like "quit". */
export async function runPicker(
  control: SwitchControl,
  actor: string,
  io: PickerIo,
  focus?: SwitchKind,
): Promise<number> {
  const prompts = io.prompts ?? { select, confirm, input };
  const ctx = io.context ?? {};
  let changes = 0;
  // the cursor starts on the focused kind, then stays where the last pick was
  let cursor: string | undefined;
  try {
    for (;;) {
      const switches = await control.list();
      const width = Math.max(...switches.map((s) => s.name.length));
      const first = switches.find((s) => s.kind === focus);
      cursor ??= first ? `${first.kind}:${first.name}` : undefined;
      const picked = await prompts.select(
        {
          message: `Switches on ${control.where}: pick one to change`,
          choices: [
            ...switches.map((s) => ({
              name: label(s, width),
              value: `${s.kind}:${s.name}`,
              description: s.description,
            })),
            new Separator(),
            { name: 'quit', value: QUIT },
          ],
          ...(cursor ? { default: cursor } : {}),
          pageSize: switches.length + 2,
          loop: false,
        },
        ctx,
      );
      if (picked === QUIT) return changes;
      cursor = picked;
      const s = switches.find((x) => `${x.kind}:${x.name}` === picked);
      if (!s) continue;
      let value: number;
      if (s.kind === 'limit') {
        const answer = await prompts.input(
          {
            message: `${s.name}: requests per second over the cluster (empty: no limit)`,
            default: s.value > 0 ? String(s.value) : '',
            validate: (v) =>
              /^\s*(\d+)?\s*$/.test(v) && (v.trim() === '' || Number(v) >= 1)
                ? true
                : 'a whole number >= 1, or empty for no limit',
          },
          ctx,
        );
        value = answer.trim() === '' ? 0 : Number(answer.trim());
      } else {
        value = s.value > 0 ? 0 : 1;
      }
      if (value === s.value) {
        io.write(`${s.kind} ${s.name} stays ${valueLabel(s.kind, s.value)}`);
        continue;
      }
      if (s.kind !== 'limit' && value > 0 && s.risky) {
        const sure = await prompts.confirm({ message: confirmMessage(s), default: false }, ctx);
        if (!sure) {
          io.write(`${s.kind} ${s.name} stays ${valueLabel(s.kind, s.value)}`);
          continue;
        }
      }
      const reason = (
        await prompts.input({ message: 'Reason, for the audit trail (optional):' }, ctx)
      ).trim();
      const { change } = await control.set({
        kind: s.kind,
        name: s.name,
        value,
        reason: reason || null,
        actor,
      });
      if (change.changed) changes++;
      io.write(renderChange(change, control.where));
    }
  } catch (e) {
    if (e instanceof Error && (e.name === 'ExitPromptError' || e.name === 'AbortPromptError')) return changes;
    throw e;
  }
}
