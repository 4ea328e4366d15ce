// The system Chromium through playwright-core, headless; nothing is downloaded.
import { existsSync } from 'node:fs';

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync'];

/** A headless browser; `profile` makes it a persistent context in that folder instead. */
export async function launchChromium(profile) {
  // No skipping: a machine without Chromium fails these tests (scripts/setup.sh, which npm test runs first, installs it).
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM} (install the chromium package or set CHROMIUM_PATH)`);
  const { chromium } = await import('playwright-core');
  const options = { executablePath: CHROMIUM, headless: true, args: ARGS };
  return profile ? chromium.launchPersistentContext(profile, options) : chromium.launch(options);
}
