// Smoke check of the browser set-up: Debian's chromium starts headless under puppeteer-core.
//   node environment/browser/smoke.mjs
import { launch } from './chrome.mjs';
const browser = await launch();
const page = await browser.newPage();
await page.setContent('<p id="x">ok</p>');
const text = await page.$eval('#x', e => e.textContent);
await browser.close();
if (text !== 'ok') { console.error('browser smoke: page text was ' + text); process.exit(1); }
console.log('browser smoke: chromium ' + (await import('node:child_process')).execSync('/usr/bin/chromium --version').toString().trim() + ' ok');
