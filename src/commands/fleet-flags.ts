/** Issue 21: the `serve` flags of the supervisor (`--cores`, `--cells`) and the gateway's cells (`--cell`). */
import type { Command } from 'commander';
import type { OptionInfo } from '../fleet/child-args.js';

export interface FleetFlagValues {
  cores?: string;
  cells?: string;
  cell: string[];
}

const collect = (value: string, previous: string[]) => [...previous, value];

export function registerFleetFlags(command: Command): void {
  command
    .option(
      '--cores <n|auto>',
      'run N core processes (auto: one per CPU) behind the gateway on --port; needs --mysql for N > 1',
    )
    .option('--cells <k>', 'with --cores and several --mysql shards: split shards and cores into K cells')
    .option(
      '--cell <name:shards[:backup]>',
      'with --role gateway: a cell owning these shards (e.g. a:0,1:b); its cores are --core NAME=URL',
      collect,
      [],
    );
}

/** The options of `command` as the supervisor needs them to rebuild a core's command line. */
export function optionInfos(command: Command): OptionInfo[] {
  return command.options
    .filter((o) => o.long !== undefined)
    .map((o) => ({
      long: o.long!,
      attribute: o.attributeName(),
      negate: o.negate,
      takesValue: o.required || o.optional,
    }));
}
