/**
 * The live dashboard (`redpkt load … --dashboard`) and the --html report in a real headless
 * Chromium (Debian's): during a run the charts draw and the numbers update, at the end the
 * verdict and the money check show, no console errors; the report file opened from disk draws
 * its charts, also for a run of 2 seconds. One browser for the file.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN } from '../support/serve-process.js';
import { drawnLines, launchChromium, watchedPage } from './support/browser.js';
import { requireTool } from './support/require-tool.js';

const chromiumPath = requireTool('/usr/bin/chromium', 'chromium');
const ENV = { ...process.env, REDPKT_MYSQL: undefined, REDPKT_REDIS: undefined, REDPKT_SECRET: undefined };

interface LoadRun {
  /** Resolves with the dashboard URL once printed. */
  url: Promise<string>;
  exited: Promise<number | null>;
  stderr(): string;
}

function startLoad(args: string[]): LoadRun {
  const child = spawn(process.execPath, [BIN, 'load', 'c2c', ...args], {
    env: ENV,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  child.stdout?.resume();
  const url = new Promise<string>((resolve, reject) => {
    child.stderr?.on('data', (d: Buffer) => {
      err += d.toString();
      const m = /live dashboard at (http:\/\/\S+)/.exec(err);
      if (m?.[1]) resolve(m[1]);
    });
    void exited.then((code) => reject(new Error(`load exited ${code} without a dashboard URL: ${err}`)));
  });
  url.catch(() => undefined);
  return { url, exited, stderr: () => err };
}

describe.skipIf(!chromiumPath)('the load report in Chromium', () => {
  let browser: Browser;
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'redpkt-watch-browser-'));
    browser = await launchChromium(chromiumPath!);
  });
  afterAll(async () => {
    await browser?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('live: charts draw and numbers update during the run; the verdict and money check at the end', async () => {
    const html = join(dir, 'live.html');
    const run = startLoad([
      ...['--dashboard', '--dashboard-port', '0', '--rate', '4/s', '--duration', '8s'],
      ...['--shares', '3', '--claimers', '4', '--html', html, '--threshold', 'claim.p99<60000'],
      // the page is under test, not the service: a busy machine's timeouts do not fail the run
      ...['--threshold', 'flow.error_rate<50%'],
    ]);
    const { page, errors } = await watchedPage(browser);
    await page.goto(await run.url);
    // record every value the requests tile shows until the run ends (browser-side code as text:
    // this project's TypeScript has no DOM types)
    await page.evaluate(`window.seen = [];
      setInterval(() => {
        const v = document.querySelector('#tile-requests .value')?.textContent ?? '';
        if (window.seen[window.seen.length - 1] !== v) window.seen.push(v);
      }, 100)`);
    await page.waitForFunction('Number(document.body.dataset.updates ?? 0) >= 2', undefined, {
      timeout: 60_000,
    });
    expect(await page.textContent('#tile-verdict .value')).toBe('RUNNING');
    await page.waitForFunction("document.body.dataset.state === 'finished'", undefined, {
      timeout: 120_000,
    });
    expect(await run.exited, run.stderr()).toBe(0);
    const seen = await page.evaluate<string[]>('window.seen');
    expect(seen.length, `requests tile values: ${seen.join(' | ')}`).toBeGreaterThanOrEqual(3);
    expect(await drawnLines(page)).toBeGreaterThan(3);
    expect(await page.textContent('#tile-verdict .value')).toBe('PASS');
    expect(await page.textContent('#money')).toMatch(/money: ok \(\d+\/\d+ packets checked\)/);
    expect(errors).toEqual([]);

    // the same run's --html report, opened from disk
    const file = await watchedPage(browser);
    await file.page.goto(pathToFileURL(html).href);
    expect(await file.page.textContent('#tile-verdict .value')).toBe('PASS');
    expect(await drawnLines(file.page)).toBeGreaterThan(3);
    expect(await file.page.locator('.bar').count()).toBeGreaterThan(0);
    expect(file.errors).toEqual([]);
  }, 180_000);

  it('the --html report of a 2-second run draws its charts, on sub-second ticks', async () => {
    const html = join(dir, 'short.html');
    const json = join(dir, 'short.json');
    const child = spawn(
      process.execPath,
      [
        BIN,
        'load',
        'c2c',
        '--duration',
        '2s',
        '--concurrency',
        '2',
        '--shares',
        '2',
        '--claimers',
        '3',
      ].concat(['--html', html, '--json', json]),
      { env: ENV, stdio: 'ignore' },
    );
    expect(await new Promise((resolve) => child.once('exit', resolve))).toBe(0);
    const { page, errors } = await watchedPage(browser);
    await page.goto(pathToFileURL(html).href);
    expect(await page.textContent('#tile-verdict .value')).toBe('PASS');
    expect(await drawnLines(page)).toBeGreaterThan(3);
    // the shared time axis is labelled below a second at least once
    const ticks = await page.evaluate<string[]>(
      "[...document.querySelectorAll('figure.chart svg text')].map((t) => t.textContent ?? '')",
    );
    expect(ticks.some((t) => /^\d+\.\d+ s$/.test(t))).toBe(true);
    expect(errors).toEqual([]);
  }, 120_000);
});
