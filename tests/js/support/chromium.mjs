// The system Chromium through playwright-core, headless; nothing is downloaded.
import { existsSync } from 'node:fs';

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
/** A reason to skip when there is no Chromium, else false. */
export const noChromium = !existsSync(CHROMIUM) && 'no Chromium';

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync'];

/** A headless browser; `profile` makes it a persistent context in that folder instead. */
export async function launchChromium(profile) {
  const { chromium } = await import('playwright-core');
  const options = { executablePath: CHROMIUM, headless: true, args: ARGS };
  return profile ? chromium.launchPersistentContext(profile, options) : chromium.launch(options);
}
