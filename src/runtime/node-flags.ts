/**
 * V8 flags the `redpkt` binary starts Node with (its shebang: `#!/usr/bin/env -S node <flags>`;
 * a test keeps the two the same). They must be given at start: V8 sizes its heap when the process
 * starts, `v8.setFlagsFromString` later has no effect on it.
 *
 * `--max-semi-space-size=64` (MiB; Node 20's default is 16): a claim allocates a few kilobytes
 * (the HTTP request and response, the token, the answer), so at thousands of claims a second the
 * young generation filled every few milliseconds and each scavenge copied what was still in flight.
 * With 64 MiB, the hot claim run of `npm run bench:claim` went from about 6,800 to 8,500 claims/s
 * on the development machine (docs/performance.md). Costs up to ~190 MiB of address space more.
 */
export const NODE_FLAGS: readonly string[] = ['--max-semi-space-size=64'];
