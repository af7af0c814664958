import { type Browser, chromium } from 'playwright-core';

/** Debian's Chromium: no test downloads a browser of its own (`npm test` installs it when missing). */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** A headless Chromium that makes no request of its own (updates, safe browsing, GPU). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
}
