import type { Command } from 'commander';
import { RedpktError } from '../domain/errors.js';

/** Commands whose issues have not landed yet: listed in --help, and say so plainly when run. */
const PLANNED: ReadonlyArray<{ name: string; description: string }> = [];

export function registerNotBuilt(program: Command): void {
  for (const { name, description } of PLANNED) {
    program
      .command(name)
      .description(description)
      .allowUnknownOption()
      .allowExcessArguments()
      .action(() => {
        throw new RedpktError('NOT_IMPLEMENTED', `"redpkt ${name}" is not built yet; see the open issues`);
      });
  }
}
