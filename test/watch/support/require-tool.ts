import { accessSync, constants } from 'node:fs';
import { inCi } from '../../support/services.js';

/**
 * A Debian tool a test needs (promtool, chromium): its path, or undefined when missing, which
 * fails the test file in CI (.ci/run installs the package) and skips it on a developer's machine.
 */
export function requireTool(path: string, pkg: string): string | undefined {
  try {
    accessSync(path, constants.X_OK);
    return path;
  } catch {
    if (inCi) throw new Error(`${path} missing: install Debian's ${pkg}`);
    return undefined;
  }
}
