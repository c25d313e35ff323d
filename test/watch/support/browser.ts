/** Debian's Chromium, headless, driven by playwright-core (never a browser download). */
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export function launchChromium(executablePath: string): Promise<Browser> {
  return chromium.launch({ executablePath, args: CHROMIUM_FLAGS, headless: true });
}

/** A page that keeps every console error and page error it sees. */
export async function watchedPage(browser: Browser): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  return { page, errors };
}

/** Charts that really drew: SVG polylines of two points or more with a non-empty box on screen. */
export async function drawnLines(page: Page): Promise<number> {
  // browser-side code as text: this project's TypeScript has no DOM types
  return page.evaluate(`[...document.querySelectorAll('figure.chart polyline.series')].filter((p) =>
    p.getBoundingClientRect().width > 0 && (p.getAttribute('points') ?? '').split(' ').length >= 2).length`);
}
