// Debian's chromium as the browser tests and the browser benchmark launch it: its path (CHROMIUM_PATH overrides)
// and the flags that keep it headless and off the network (as root it also needs --no-sandbox).
import { existsSync } from 'node:fs';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--headless',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
/** A reason to skip when there is no browser, else false. */
export const skipWithoutChromium = existsSync(CHROMIUM) ? false : `no browser at ${CHROMIUM} (install Debian's chromium, or set CHROMIUM_PATH)`;
