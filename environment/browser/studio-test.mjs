// Real-browser test of the web studio (run by lib's StudioBrowserIT against a server on weights/tiny):
//   node environment/browser/studio-test.mjs http://127.0.0.1:PORT/ OUT_DIR
// Loads the page, draws strokes, picks hair colours, waits for each generated image, and checks that the
// image changed and that the generated pixels under the hair class follow the picked hue. Screenshots go to OUT_DIR.
import { launch } from './chrome.mjs';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

const [url, out] = process.argv.slice(2);
if (!url || !out) { console.error('usage: node studio-test.mjs URL OUT_DIR'); process.exit(2); }
mkdirSync(out, { recursive: true });
const fail = m => { console.error('studio browser test: ' + m); process.exitCode = 1; };

const browser = await launch();
try {
    const page = await browser.newPage();
    await page.setViewport({ width: 1200, height: 560 });
    const errors = [];
    page.on('pageerror', e => errors.push(String(e)));
    await page.goto(url, { waitUntil: 'networkidle0' });
    // The first image (a random example) has arrived when the status shows a time.
    const waitFor = async seq => page.waitForFunction(s => +document.getElementById('out').dataset.seq > s
        && document.getElementById('out').complete && /generated in/.test(document.getElementById('status').textContent),
        { timeout: 30000 }, seq);
    await waitFor(0);
    const seqNow = () => page.$eval('#out', e => +e.dataset.seq);
    // Pixels of the label canvas and of the generated image, at the model's resolution.
    const grab = () => page.evaluate(() => {
        const lab = document.getElementById('label'), n = lab.width;
        const l = lab.getContext('2d').getImageData(0, 0, n, n).data;
        const c = document.createElement('canvas'); c.width = c.height = n;
        const g = c.getContext('2d'); g.drawImage(document.getElementById('out'), 0, 0, n, n);
        return { n, label: Array.from(l), gen: Array.from(g.getImageData(0, 0, n, n).data) };
    });
    const before = await grab();

    // Strokes: hair across the top of the canvas with the brush (the hair class is selected at start).
    const box = await (await page.$('#label')).boundingBox();
    await page.$eval('#size', e => { e.value = 6; });
    for (const y of [0.12, 0.2, 0.28]) {
        await page.mouse.move(box.x + box.width * 0.15, box.y + box.height * y);
        await page.mouse.down();
        for (let x = 0.15; x <= 0.85; x += 0.05) await page.mouse.move(box.x + box.width * x, box.y + box.height * y);
        await page.mouse.up();
    }
    const hueOf = (r, g, b) => {
        const mx = Math.max(r, g, b), mn = Math.min(r, g, b), d = mx - mn;
        if (d === 0) return null;
        const h = mx === r ? ((g - b) / d) % 6 : mx === g ? (b - r) / d + 2 : (r - g) / d + 4;
        return (h * 60 + 360) % 360;
    };
    const hairHue = s => { // circular mean hue of generated pixels on hair (#0000FF) label pixels
        let x = 0, y = 0, count = 0;
        for (let i = 0; i < s.label.length; i += 4) {
            if (s.label[i] === 0 && s.label[i + 1] === 0 && s.label[i + 2] === 255) {
                const h = hueOf(s.gen[i], s.gen[i + 1], s.gen[i + 2]);
                if (h !== null) { x += Math.cos(h * Math.PI / 180); y += Math.sin(h * Math.PI / 180); count++; }
            }
        }
        return { hue: (Math.atan2(y, x) * 180 / Math.PI + 360) % 360, count };
    };
    const dist = (a, b) => Math.min(Math.abs(a - b), 360 - Math.abs(a - b));
    const results = [];
    for (const [name, colour, hue] of [['red', '#d02020', 0], ['blue', '#2040d0', 229]]) {
        const seq = await seqNow();
        await page.$eval('#hair', (e, v) => { e.value = v; e.dispatchEvent(new Event('input', { bubbles: true })); }, colour);
        await waitFor(seq);
        const s = await grab();
        const h = hairHue(s);
        results.push({ name, picked: hue, generated: Math.round(h.hue), hairPixels: h.count, off: Math.round(dist(h.hue, hue)) });
        await page.screenshot({ path: join(out, `studio-${name}.png`) });
        if (h.count < 50) fail(`only ${h.count} hair pixels after the strokes`);
    }
    // Each generated hair hue must be nearest to its own pick of the two (and within 45° of it).
    for (const r of results) {
        const nearest = results.reduce((a, b) => dist(r.generated, a.picked) <= dist(r.generated, b.picked) ? a : b);
        if (nearest !== r || r.off > 45) fail(`hair picked ${r.name} (hue ${r.picked}°) but generated hair has hue ${r.generated}°`);
    }
    const after = await grab();
    let changedPx = 0;
    for (let i = 0; i < after.gen.length; i += 4) {
        if (Math.abs(after.gen[i] - before.gen[i]) + Math.abs(after.gen[i + 1] - before.gen[i + 1]) + Math.abs(after.gen[i + 2] - before.gen[i + 2]) > 30) changedPx++;
    }
    if (changedPx < after.n * after.n * 0.05) fail(`the generated image barely changed after the strokes (${changedPx} pixels)`);
    const status = await page.$eval('#status', e => e.textContent);
    // Fill the background corner with 'other', then undo it: the label pixel follows both.
    const corner = () => page.$eval('#label', c => Array.from(c.getContext('2d').getImageData(0, 0, 1, 1).data.slice(0, 3)).join(','));
    const cornerBefore = await corner();
    await page.click('button[data-tool="fill"]');
    await page.click('button.cls[data-name="other"]');
    await page.mouse.click(box.x + 2, box.y + 2);
    if (await corner() !== '255,0,255') fail('fill did not paint the corner in other (#FF00FF): ' + await corner());
    await page.click('#undo');
    if (await corner() !== cornerBefore) fail(`undo did not restore the corner (${cornerBefore}): ` + await corner());
    if (!/generated in [0-9.]+ ms/.test(status)) fail('no generation time on the page: ' + status);
    if (errors.length) fail('page errors: ' + errors.join('; '));
    console.log('studio browser test: ' + JSON.stringify({ results, changedPx, status }));
    if (!process.exitCode) console.log('studio browser test: ok');
} finally {
    await browser.close();
}
