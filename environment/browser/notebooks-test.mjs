// Opens notebooks 01 and 05 in the classic notebook UI in headless Chromium, runs them, and checks what a
// user sees. Started by environment/kernel's NotebooksInBrowserIT with a running server:
//   NOTEBOOK_URL=http://127.0.0.1:PORT NOTEBOOK_TOKEN=... SCREENSHOTS=dir node notebooks-test.mjs
// Prints "ok: ..." per check, "FAIL: ..." and exits 1 on the first failed one.
import { launch } from './chrome.mjs';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

const base = process.env.NOTEBOOK_URL, token = process.env.NOTEBOOK_TOKEN, shots = process.env.SCREENSHOTS;
const folder = process.env.NOTEBOOK_FOLDER || 'notebooks';
if (!base || !token || !shots) {
    console.error('FAIL: set NOTEBOOK_URL, NOTEBOOK_TOKEN and SCREENSHOTS');
    process.exit(2);
}
mkdirSync(shots, { recursive: true });
const browser = await launch();
let shot = 0;
let current = null; // the open notebook page, for the cell dump on failure

function check(ok, what) {
    if (!ok) throw new Error(what);
    console.log('ok: ' + what);
}

async function snap(page, name) {
    const file = join(shots, String(++shot).padStart(2, '0') + '-' + name + '.png');
    await page.screenshot({ path: file, fullPage: false });
    console.log('screenshot ' + file);
}

async function open(name) {
    const page = await browser.newPage();
    await page.setViewport({ width: 1280, height: 1000 });
    page.on('dialog', d => d.accept());
    await page.goto(`${base}/notebooks/${folder}/${name}?token=${token}`, { waitUntil: 'networkidle2' });
    await page.waitForFunction(() => window.Jupyter && Jupyter.notebook && Jupyter.notebook.kernel
        && Jupyter.notebook.kernel.is_connected(), { timeout: 120_000 });
    await page.evaluate(() => Jupyter.notebook.set_autosave_interval(0)); // copies, but never write outputs back
    const kernel = await page.$eval('.kernel_indicator_name', e => e.textContent.trim());
    check(kernel === 'Java (SPADE kit)', `${name}: the kernel shown is "${kernel}"`);
    current = page;
    return page;
}

/** Per code cell: prompt, output types, whether it has an error output, and its text. */
const cells = page => page.evaluate(() => Jupyter.notebook.get_cells().map((c, i) => c.cell_type !== 'code' ? null : ({
    i, prompt: c.input_prompt_number, outputs: c.output_area.outputs.map(o => o.output_type),
    errors: c.output_area.outputs.filter(o => o.output_type === 'error').map(o => o.ename + ': ' + o.evalue),
    text: c.output_area.outputs.map(o => o.text || (o.data && o.data['text/plain']) || '').join(''),
    html: c.output_area.outputs.map(o => (o.data && o.data['text/html']) || '').join(''),
})).filter(c => c));

const done = page => page.waitForFunction(() => Jupyter.notebook.get_cells().every(c => c.cell_type !== 'code'
    || (c.input_prompt_number !== '*' && c.input_prompt_number != null)) && !Jupyter.notebook.kernel_busy,
    { timeout: 600_000, polling: 500 });

async function runAll(page) {
    await page.click('#celllink');
    await page.click('#run_all_cells a');
}

async function rendered(page, name) {
    const images = await page.$$eval('.output_png img', imgs => imgs.map(i => i.complete && i.naturalWidth > 0));
    check(images.length > 0 && images.every(x => x), `${name}: ${images.length} images rendered (all decoded)`);
    const tables = await page.$$eval('.output_html table', t => t.length);
    check(tables > 0, `${name}: ${tables} HTML tables rendered`);
}

async function noErrors(page, name, except = []) {
    const bad = (await cells(page)).filter(c => c.errors.length && !except.includes(c.i));
    check(bad.length === 0, `${name}: no error outputs` + (bad.length ? ' — ' + JSON.stringify(bad.map(c => [c.i, c.errors])) : ''));
}

try {
    // 01: runs through, images and tables render
    let page = await open('01-data-and-labels.ipynb');
    await snap(page, '01-opened');
    await runAll(page);
    await done(page);
    await noErrors(page, '01');
    await rendered(page, '01');
    await snap(page, '01-ran');
    await page.evaluate(() => document.querySelector('.output_png img').scrollIntoView());
    await snap(page, '01-images');
    await page.evaluate(() => document.querySelector('.output_html table').scrollIntoView());
    await snap(page, '01-table');
    await page.evaluate(() => Jupyter.notebook.kernel.kill());
    await page.close();

    // 05: a live cell redraws in place; Stop mid-training; the resume is exact; the rest runs
    page = await open('05-training.ipynb');
    const training = await page.evaluate(() => Jupyter.notebook.get_cells().findIndex(c => c.cell_type === 'code'
        && c.get_text().includes('TrainingRun.start(')));
    const resume = await page.evaluate(() => Jupyter.notebook.get_cells().findIndex(c => c.cell_type === 'code'
        && c.get_text().includes('TrainingRun.resume(')));
    await runAll(page);
    const live = () => page.evaluate(i => {
        const c = Jupyter.notebook.get_cell(i), outs = c.output_area.outputs;
        const html = outs.map(o => (o.data && o.data['text/html']) || '').join('');
        const m = /<progress value="(\d+)"/.exec(html);
        return { running: c.input_prompt_number === '*', displays: outs.filter(o => o.output_type === 'display_data').length,
            outputs: outs.length, value: m ? +m[1] : -1, png: outs.filter(o => o.data && o.data['image/png']).map(o => o.data['image/png'].length) };
    }, training);
    await page.waitForFunction(i => Jupyter.notebook.get_cell(i).input_prompt_number === '*', { timeout: 300_000, polling: 200 }, training);
    const samples = [];
    let s;
    // Stop after a few redraws of the bar, while the cell still runs
    do {
        s = await live();
        samples.push(s);
        await new Promise(r => setTimeout(r, 250));
    } while (s.running && new Set(samples.filter(x => x.value > 0).map(x => x.value)).size < 3 && samples.length < 2400);
    check(s.running, `05: the training cell still runs after the bar showed steps ${[...new Set(samples.map(x => x.value))]}`);
    await page.evaluate(i => Jupyter.notebook.get_cell(i).element[0].scrollIntoView(), training);
    await snap(page, '05-training-live');
    // once the bar has moved, all three displays exist: from then on their number must not grow
    const displays = new Set(samples.filter(x => x.value > 0).map(x => x.displays));
    check(displays.size === 1 && [...displays][0] === 3,
        `05: while training, the cell keeps its 3 displays (charts, bar, tile) and redraws them in place (${[...displays]})`);
    check(new Set(samples.map(x => x.png.join())).size > 1, '05: the loss chart image changed while the cell ran');
    const stoppedAt = s.value;
    await page.click('button[data-jupyter-action="jupyter-notebook:interrupt-kernel"]'); // the toolbar's ■
    await done(page);
    const after = await cells(page);
    const t = after.find(c => c.i === training), r = after.find(c => c.i === resume);
    check(/interrupted at step \d+; writing a checkpoint/.test(t.text), '05: Stop wrote a checkpoint: ' + (t.text.match(/interrupted at step \d+[^\n]*/) || [''])[0]);
    const finalBar = /<progress value="(\d+)" max="(\d+)"/.exec(t.html);
    check(finalBar && +finalBar[1] >= stoppedAt, `05: the bar got its final frame (${finalBar && finalBar[1]}/${finalBar && finalBar[2]}, stopped at ≥ ${stoppedAt})`);
    await snap(page, '05-stopped');
    check(/identical: true/.test(r.text) && /iterations (\d+) → \1; generator Adam updates (\d+) → \2;/.test(r.text),
        '05: the next cell resumed exactly: ' + r.text.trim());
    await noErrors(page, '05', [training]);
    await rendered(page, '05');
    await page.evaluate(i => Jupyter.notebook.get_cell(i).element[0].scrollIntoView(), resume);
    await snap(page, '05-resumed');

    // Restart brings the kernel back
    await page.evaluate(() => Jupyter.notebook.kernel.restart());
    await page.waitForFunction(() => Jupyter.notebook.kernel.is_connected() && !Jupyter.notebook.kernel_busy
        && document.querySelector('#kernel_indicator_icon').classList.contains('kernel_idle_icon'), { timeout: 120_000, polling: 500 });
    await page.evaluate(() => {
        const c = Jupyter.notebook.insert_cell_at_bottom('code');
        c.set_text('6 * 7');
        Jupyter.notebook.select(Jupyter.notebook.ncells() - 1);
        c.execute();
    });
    await page.waitForFunction(() => { const c = Jupyter.notebook.get_cell(Jupyter.notebook.ncells() - 1);
        return c.output_area.outputs.some(o => o.data && o.data['text/plain'] === '42'); }, { timeout: 120_000, polling: 500 });
    check(true, '05: after Restart the kernel answers 6 * 7 = 42');
    await page.evaluate(() => Jupyter.notebook.get_cell(Jupyter.notebook.ncells() - 1).element[0].scrollIntoView());
    await snap(page, '05-restarted');

    // Tab completion and Shift-Tab inspect in a fresh cell
    const edit = async (text, ch) => page.evaluate((text, ch) => {
        const c = Jupyter.notebook.insert_cell_at_bottom('code');
        c.set_text(text);
        Jupyter.notebook.select(Jupyter.notebook.ncells() - 1);
        Jupyter.notebook.edit_mode();
        c.code_mirror.focus();
        c.code_mirror.setCursor({ line: 0, ch });
        c.element[0].scrollIntoView();
    }, text, ch);
    await edit('Math.m', 6);
    await page.keyboard.press('Tab');
    await page.waitForSelector('.completions select', { visible: true, timeout: 30_000 });
    const options = await page.$$eval('.completions select option', o => o.map(x => x.textContent));
    check(options.some(o => o.startsWith('max')), '05: Tab completion shows a popup: ' + options.slice(0, 6).join(', '));
    await snap(page, '05-completion');
    await page.keyboard.press('Escape');
    await edit('Math.max(1, 2)', 7);
    await page.keyboard.down('Shift');
    await page.keyboard.press('Tab');
    await page.keyboard.up('Shift');
    await page.waitForSelector('#tooltip', { visible: true, timeout: 30_000 });
    const tip = await page.$eval('#tooltip', e => e.textContent.trim());
    check(tip.includes('max'), '05: Shift-Tab shows the inspect popup: ' + tip.slice(0, 80));
    await snap(page, '05-inspect');
    await page.evaluate(() => Jupyter.notebook.kernel.kill());
    console.log('notebooks in the browser: all checks passed');
} catch (e) {
    console.log('FAIL: ' + e.message);
    try { console.log('cells: ' + JSON.stringify((await cells(current)).map(c => ({ i: c.i, prompt: c.prompt, errors: c.errors, text: c.text.slice(-600) })))); } catch { /* page gone */ }
    for (const p of await browser.pages()) {
        try { await p.screenshot({ path: join(shots, 'failure-' + (++shot) + '.png') }); } catch { /* closed */ }
    }
    await browser.close();
    process.exit(1);
}
await browser.close();
