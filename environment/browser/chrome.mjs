// The one way the kit's browser tests start Chromium: Debian's /usr/bin/chromium (never a download),
// headless, without the background networking this closed machine refuses, in a fresh profile.
import puppeteer from 'puppeteer-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export async function launch(extraArgs = []) {
    const profile = mkdtempSync(join(tmpdir(), 'spade-chromium-'));
    const browser = await puppeteer.launch({
        executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
        headless: true,
        args: ['--no-sandbox', '--headless=new', '--disable-gpu', '--disable-quic', '--no-first-run',
            '--disable-background-networking', '--disable-component-update', '--disable-sync',
            '--user-data-dir=' + profile, ...extraArgs],
    });
    // Chromium may still be writing its profile as it exits: retry, and never fail a test over a temp folder.
    browser.on('disconnected', () => {
        try { rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 }); } catch { /* left in tmp */ }
    });
    return browser;
}
