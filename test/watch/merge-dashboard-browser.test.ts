/**
 * `redpkt load merge DIR --dashboard` in a real headless Chromium (Debian's): started before the
 * generators, it follows their result files (`--out` checkpoints) while two `--segment i/2`
 * generators run against one serve: the merged charts draw, the numbers update, every segment
 * shows as running; when both files are final, the verdict and the money check show, and the
 * page stays up until Ctrl-C (exit 0). Merging the finished files again shows the final page at
 * once. No console errors.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, startServe, type ServeProcess } from '../support/serve-process.js';
import { drawnLines, launchChromium, watchedPage } from './support/browser.js';
import { requireTool } from './support/require-tool.js';

const chromiumPath = requireTool('/usr/bin/chromium', 'chromium');
const SECRET = 'merge-dashboard-secret-0123456789';
const {
  REDPKT_SECRET: _secret,
  REDPKT_SEGMENT: _segment,
  JOB_COMPLETION_INDEX: _index,
  REDPKT_MYSQL: _mysql,
  REDPKT_REDIS: _redis,
  ...ENV
} = process.env;

interface Cli {
  child: ChildProcess;
  exited: Promise<number | null>;
  stderr(): string;
  /** Resolves with the first match of `re` in stderr (its group 1). */
  printed(re: RegExp): Promise<string>;
}

/** Every process started, killed at the end if a failed assertion left it running. */
const started: ChildProcess[] = [];

function redpkt(args: string[]): Cli {
  const child = spawn(process.execPath, [BIN, ...args], { env: ENV, stdio: ['ignore', 'pipe', 'pipe'] });
  started.push(child);
  let err = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  child.stdout?.resume();
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const printed = (re: RegExp) =>
    new Promise<string>((resolve, reject) => {
      const look = () => {
        const m = re.exec(err);
        if (m) {
          child.stderr?.off('data', look);
          resolve(m[1] ?? m[0]);
        }
      };
      child.stderr?.on('data', look);
      look();
      void exited.then((code) => reject(new Error(`exited ${code} before printing ${re}: ${err}`)));
    });
  return { child, exited, stderr: () => err, printed };
}

describe.skipIf(!chromiumPath)('load merge --dashboard in Chromium', () => {
  let browser: Browser;
  let serve: ServeProcess;
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'redpkt-merge-dashboard-'));
    serve = await startServe(
      ['--port', '0', '--data-dir', join(dir, 'serve'), '--secret', SECRET, '--log-level', 'error'],
      ENV,
    );
    browser = await launchChromium(chromiumPath!);
  });
  afterAll(async () => {
    for (const c of started) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await browser?.close();
    await serve?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it("follows two generators' files live, then shows the verdict and the money check", async () => {
    const run = join(dir, 'run');
    const merge = redpkt(['load', 'merge', run, '--dashboard', '--dashboard-port', '0']);
    const url = await merge.printed(/live dashboard at (http:\/\/\S+)/);
    const { page, errors } = await watchedPage(browser);
    await page.goto(url);
    // browser-side code as text: this project's TypeScript has no DOM types
    // what the page showed while the run went: the requests tile's values, and each segment's row
    // as running with the verdict RUNNING and the money check still to come (the two generators
    // need not be running at the same moment: on a busy machine one may start seconds late)
    await page.evaluate(`window.seen = []; window.running = {};
      setInterval(() => {
        const v = document.querySelector('#tile-requests .value')?.textContent ?? '';
        if (window.seen[window.seen.length - 1] !== v) window.seen.push(v);
        const verdict = document.querySelector('#tile-verdict .value')?.textContent ?? '';
        const money = document.querySelector('#money')?.textContent ?? '';
        for (const row of document.querySelectorAll('#generators tbody tr'))
          if (row.querySelector('td .warn') && verdict === 'RUNNING' && /runs at the end/.test(money))
            window.running[row.cells[0].textContent] = true;
      }, 50)`);

    const generators = [1, 2].map((i) =>
      redpkt([
        ...['load', 'c2c', '--target', serve.url, '--secret', SECRET],
        ...['--segment', `${i}/2`, '--run-id', 'mergelive', '--out', join(run, `seg-${i}.json`)],
        ...['--rate', '4/s', '--duration', '8s', '--shares', '3', '--claimers', '4'],
        // the page is under test, not the service: a busy machine's timeouts do not fail the run
        ...['--threshold', 'claim.p99<60000', '--threshold', 'flow.error_rate<50%'],
      ]),
    );
    // both segments' checkpoints merged and shown running, the run still going
    await page.waitForFunction('Object.keys(window.running).length === 2', undefined, { timeout: 120_000 });

    await page.waitForFunction("document.body.dataset.state === 'finished'", undefined, {
      timeout: 120_000,
    });
    expect(await Promise.all(generators.map((g) => g.exited))).toEqual([0, 0]);
    const seen = await page.evaluate<string[]>('window.seen');
    // "0" before the files, then the checkpoints as they grew, then the final count
    expect(seen.length, `requests tile values: ${seen.join(' | ')}`).toBeGreaterThanOrEqual(3);
    expect(Number(await page.evaluate('document.body.dataset.updates'))).toBeGreaterThanOrEqual(2);
    expect(await page.textContent('#tile-verdict .value')).toBe('PASS');
    expect(await page.textContent('#money')).toMatch(/money: ok \(\d+\/\d+ packets checked\)/);
    expect(await page.locator('#generators td .ok').count()).toBe(2);
    expect(await drawnLines(page)).toBeGreaterThan(3);
    expect(errors).toEqual([]);

    // the page stays up with the final report until Ctrl-C, then the verdict's exit code
    await merge.printed(/Ctrl-C to close/);
    const again = await watchedPage(browser);
    await again.page.goto(url);
    expect(await again.page.textContent('#tile-verdict .value')).toBe('PASS');
    merge.child.kill('SIGINT');
    expect(await merge.exited).toBe(0);
    expect(again.errors).toEqual([]);

    // the finished files merged again: the final page at once
    const later = redpkt(['load', 'merge', run, '--dashboard', '--dashboard-port', '0']);
    const laterUrl = await later.printed(/live dashboard at (http:\/\/\S+)/);
    await later.printed(/Ctrl-C to close/);
    const final = await watchedPage(browser);
    await final.page.goto(laterUrl);
    expect(await final.page.getAttribute('body', 'data-state')).toBe('finished');
    expect(await final.page.textContent('#tile-verdict .value')).toBe('PASS');
    expect(await drawnLines(final.page)).toBeGreaterThan(3);
    later.child.kill('SIGINT');
    expect(await later.exited).toBe(0);
    expect(final.errors).toEqual([]);
  }, 240_000);
});
