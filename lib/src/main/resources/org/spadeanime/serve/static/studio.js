// The web studio's page: paints exact palette colours into a label canvas at the model's resolution
// (pixels set directly, never anti-aliased strokes, so every pixel is a class colour) and asks the
// server for the illustration shortly after each change.
'use strict';
const $ = id => document.getElementById(id);
const canvas = $('label'), ctx = canvas.getContext('2d', { willReadFrequently: true });
const state = { tool: 'brush', cls: null, background: null, undo: [], seq: 0, timer: null, hairName: 'hair' };

function hexToRgb(h) { const v = parseInt(h.slice(1), 16); return [(v >> 16) & 255, (v >> 8) & 255, v & 255]; }

async function init() {
    const [palette, options] = await Promise.all([fetch('api/palette').then(r => r.json()),
        fetch('api/options').then(r => r.json())]);
    const n = options.resolution;
    canvas.width = canvas.height = n;
    $('model').textContent = `${n}×${n} generator, step ${options.step} (${options.source})`;
    state.hairName = palette.hair;
    const box = $('classes');
    for (const c of palette.classes) {
        const b = document.createElement('button');
        b.className = 'cls';
        b.dataset.name = c.name;
        b.innerHTML = `<span class="swatch" style="background:${c.color}"></span>${c.name}`;
        b.onclick = () => selectClass(c);
        box.appendChild(b);
        if (c.name === palette.background) state.background = c;
    }
    selectClass(palette.classes.find(c => c.name === palette.hair) || palette.classes[0]);
    $('example').disabled = !options.examples;
    if (options.examples) await randomExample(); else { fill(0, 0, hexToRgb(state.background.color), true); changed(); }
}

function selectClass(c) {
    state.cls = c;
    for (const b of document.querySelectorAll('.cls')) b.classList.toggle('active', b.dataset.name === c.name);
}

for (const b of document.querySelectorAll('.tool')) {
    b.onclick = () => {
        state.tool = b.dataset.tool;
        for (const o of document.querySelectorAll('.tool')) o.classList.toggle('active', o === b);
    };
}

function pushUndo() {
    state.undo.push(ctx.getImageData(0, 0, canvas.width, canvas.height));
    if (state.undo.length > 50) state.undo.shift();
}

function paintColour() { return hexToRgb((state.tool === 'eraser' ? state.background : state.cls).color); }

function dab(img, cx, cy, r, rgb) {
    const n = canvas.width;
    for (let y = Math.max(0, Math.floor(cy - r)); y <= Math.min(n - 1, Math.ceil(cy + r)); y++) {
        for (let x = Math.max(0, Math.floor(cx - r)); x <= Math.min(n - 1, Math.ceil(cx + r)); x++) {
            if ((x - cx) ** 2 + (y - cy) ** 2 <= r * r + 0.25) {
                const i = 4 * (y * n + x);
                img.data[i] = rgb[0]; img.data[i + 1] = rgb[1]; img.data[i + 2] = rgb[2]; img.data[i + 3] = 255;
            }
        }
    }
}

function line(a, b) {
    const img = ctx.getImageData(0, 0, canvas.width, canvas.height);
    const r = (+$('size').value) / 2, rgb = paintColour();
    const steps = Math.max(1, Math.ceil(Math.hypot(b[0] - a[0], b[1] - a[1]) * 2));
    for (let s = 0; s <= steps; s++) dab(img, a[0] + (b[0] - a[0]) * s / steps, a[1] + (b[1] - a[1]) * s / steps, r, rgb);
    ctx.putImageData(img, 0, 0);
}

function fill(x0, y0, rgb, everything) {
    const n = canvas.width, img = ctx.getImageData(0, 0, n, n), d = img.data;
    const at = i => (d[i] << 16) | (d[i + 1] << 8) | d[i + 2];
    const target = at(4 * (y0 * n + x0)), stack = [[x0, y0]], seen = new Uint8Array(n * n);
    while (stack.length) {
        const [x, y] = stack.pop();
        if (x < 0 || y < 0 || x >= n || y >= n || seen[y * n + x]) continue;
        const i = 4 * (y * n + x);
        seen[y * n + x] = 1;
        if (!everything && at(i) !== target) continue;
        d[i] = rgb[0]; d[i + 1] = rgb[1]; d[i + 2] = rgb[2]; d[i + 3] = 255;
        stack.push([x + 1, y], [x - 1, y], [x, y + 1], [x, y - 1]);
    }
    ctx.putImageData(img, 0, 0);
}

function pos(e) {
    const r = canvas.getBoundingClientRect();
    return [(e.clientX - r.left) * canvas.width / r.width - 0.5, (e.clientY - r.top) * canvas.height / r.height - 0.5];
}

let last = null;
canvas.addEventListener('pointerdown', e => {
    pushUndo();
    const p = pos(e);
    if (state.tool === 'fill') {
        fill(Math.round(p[0]), Math.round(p[1]), paintColour(), false);
        changed();
        return;
    }
    canvas.setPointerCapture(e.pointerId);
    last = p;
    line(p, p);
});
canvas.addEventListener('pointermove', e => { if (last) { const p = pos(e); line(last, p); last = p; } });
const end = () => { if (last) { last = null; changed(); } };
canvas.addEventListener('pointerup', end);
canvas.addEventListener('pointercancel', end);

$('undo').onclick = () => { if (state.undo.length) { ctx.putImageData(state.undo.pop(), 0, 0); changed(); } };
$('hair').addEventListener('input', changed);
$('seed').addEventListener('input', changed);
$('reseed').onclick = () => { $('seed').value = Math.floor(Math.random() * 1e6); changed(); };
$('example').onclick = () => randomExample();
$('save').onclick = () => canvas.toBlob(b => {
    const a = document.createElement('a');
    a.href = URL.createObjectURL(b);
    a.download = 'label.png';
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}, 'image/png');
$('load').addEventListener('change', async e => {
    const f = e.target.files[0];
    if (!f) return;
    const bmp = await createImageBitmap(f);
    pushUndo();
    ctx.imageSmoothingEnabled = false; // nearest: keeps label colours exact
    ctx.drawImage(bmp, 0, 0, canvas.width, canvas.height);
    changed();
});

async function randomExample() {
    const seed = Math.floor(Math.random() * 1e6);
    const r = await fetch('api/example?seed=' + seed);
    if (!r.ok) return showError(await r.json());
    const bmp = await createImageBitmap(await r.blob());
    pushUndo();
    ctx.drawImage(bmp, 0, 0);
    changed();
}

function showError(j) {
    const s = $('status');
    s.className = 'error';
    s.textContent = j.error || String(j);
}

// Debounced: one request shortly after the last change; answers to older requests are ignored.
function changed() {
    clearTimeout(state.timer);
    state.timer = setTimeout(generate, 200);
}

async function generate() {
    const seq = ++state.seq;
    const blob = await new Promise(res => canvas.toBlob(res, 'image/png'));
    const q = `seed=${encodeURIComponent($('seed').value || '1')}&hair=${encodeURIComponent($('hair').value)}`;
    $('status').className = '';
    $('status').textContent = 'drawing…';
    let r;
    try {
        r = await fetch('api/generate?' + q, { method: 'POST', body: blob, headers: { 'Content-Type': 'image/png' } });
    } catch (err) {
        return showError({ error: 'server unreachable: ' + err });
    }
    if (seq !== state.seq) return;
    if (!r.ok) {
        if (r.status === 503) { changed(); return; } // busy: retry after the debounce
        return showError(await r.json());
    }
    const url = URL.createObjectURL(await r.blob());
    const out = $('out'), old = out.src;
    out.onload = () => { if (old) URL.revokeObjectURL(old); };
    out.src = url;
    out.dataset.seq = seq;
    $('status').textContent = `generated in ${r.headers.get('X-Generation-Millis')} ms `
        + `(queued ${r.headers.get('X-Queue-Millis')} ms), seed ${r.headers.get('X-Seed')}, hair ${r.headers.get('X-Hair-Colour')}`;
}

init().catch(e => showError({ error: 'cannot load the studio: ' + e }));
