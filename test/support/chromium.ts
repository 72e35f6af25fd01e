import { existsSync } from 'node:fs';
import { Browser, chromium } from 'playwright-core';

// Debian's package; a browser is never downloaded. .ci/run installs it when it is missing.
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Throws, naming the package to install, when Debian's Chromium is missing: checked before a slow setup. */
export function assertChromiumInstalled(): void {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: install Debian's Chromium with "apt-get install -y chromium"`);
  }
}

/** Headless Debian Chromium, quiet on the network: nothing but the pages a test opens. */
export function launchChromium(): Promise<Browser> {
  assertChromiumInstalled();
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}
