/* sianode explorer: seed 001 Fig. 3f map, filters, Fig. 3e curves, selection statistics.
 * Hand-written canvas renderer over typed arrays (no plotting library), so that filtering
 * 150k hosts stays well under 0.5 s. Data: one gzip'd binary block inlined in the page
 * (header JSON + little-endian arrays, float32 byte-shuffled), inflated with the browser's
 * own DecompressionStream. The filter rules mirror sianode.plots.explorer.select_hosts. */
(function () {
  'use strict';
  const $ = (id) => document.getElementById(id);
  const D = {};            // data: arrays and header
  const SEL = { idx: new Uint32Array(0), count: 0, mask: new Uint8Array(0) };
  const VIEW = { lx0: -2, lx1: 1, y0: 0, y1: 1 };
  const UI = { hover: -1, picked: -1, sortKey: 'capacity', sortDir: -1, page: 0, pageSize: 100,
               lastMs: 0, mapOn: 0, elemCounts: null };
  const PERM = {};         // cached argsort per column
  let sx = null, sy = null; // screen coordinates of every host (NaN: off the map)
  const api = { ready: null };
  window.sianodeExplorer = api;

  // ------------------------------------------------------------------ data loading
  async function inflate(b64) {
    const bin = atob(b64);
    const u8 = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) u8[i] = bin.charCodeAt(i);
    const stream = new Blob([u8]).stream().pipeThrough(new DecompressionStream('gzip'));
    return new Response(stream).arrayBuffer();
  }

  function typed(buf, base, spec) {
    const off = base + spec.offset, n = spec.length;
    if (spec.dtype === 'f4') {
      const out = new Float32Array(n);
      const o8 = new Uint8Array(out.buffer);
      const src = new Uint8Array(buf, off, 4 * n);
      if (spec.shuffle) {
        for (let b = 0; b < 4; b++) { const s = b * n; for (let i = 0; i < n; i++) o8[4 * i + b] = src[s + i]; }
      } else { o8.set(src); }
      return out;
    }
    const bytes = buf.slice(off, off + n * { u4: 4, u1: 1, i1: 1 }[spec.dtype]);
    if (spec.dtype === 'u4') return new Uint32Array(bytes);
    if (spec.dtype === 'u1') return new Uint8Array(bytes);
    return new Int8Array(bytes);
  }

  async function load() {
    const buf = await inflate($('sianode-data').textContent.trim());
    const hlen = new DataView(buf).getUint32(0, true);
    const head = JSON.parse(new TextDecoder().decode(new Uint8Array(buf, 4, hlen)));
    const base = Math.ceil((4 + hlen) / 8) * 8;  // arrays start 8-byte aligned after the header
    Object.assign(D, head);
    for (const [name, spec] of Object.entries(head.arrays)) D[name] = typed(buf, base, spec);
    const n = D.n;
    D.x = new Float64Array(n); D.xy = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const x = D.nli[i] / D.kc[i];
      D.x[i] = x; D.xy[i] = x * D.U[i];
    }
    D.elIndex = {}; D.elements.forEach((e, i) => { D.elIndex[e] = i; });
    D.rowOfId = new Map(); D.id.forEach((s, i) => D.rowOfId.set(s, i));
    SEL.idx = new Uint32Array(n); SEL.mask = new Uint8Array(n);
    sx = new Float32Array(n); sy = new Float32Array(n);
  }

  // ------------------------------------------------------------------ filters
  function numIn(id) { const v = $(id).value.trim(); return v === '' ? NaN : Number(v); }
  function parseEls(text, unknown) {
    const out = [];
    for (const tok of text.split(/[\s,;]+/)) {
      if (!tok) continue;
      const sym = tok.charAt(0).toUpperCase() + tok.slice(1).toLowerCase();
      if (sym in D.elIndex) out.push(D.elIndex[sym]); else unknown.push(tok);
    }
    return out;
  }

  function readFilters() {
    const unknownIn = [], unknownOut = [];
    const f = {
      contain: parseEls($('f-contain').value, unknownIn),
      exclude: parseEls($('f-exclude').value, unknownOut),
      vmin: numIn('f-vmin'), vmax: numIn('f-vmax'), cmin: numIn('f-cmin'), cmax: numIn('f-cmax'),
      kmin: numIn('f-kmin'), kmax: numIn('f-kmax'), rlo: numIn('f-rlo'), rhi: numIn('f-rhi'),
      region: $('f-region').checked, exp: $('f-exp').checked, pairgap: numIn('f-pairgap'),
      statsLi: $('f-stats-li').checked,
    };
    f.impossible = unknownIn.length > 0;  // an element no host has: nothing can match
    const msg = [];
    if (unknownIn.length) msg.push(`no host contains ${unknownIn.join(', ')} (not an element of this screen)`);
    if (unknownOut.length) msg.push(`ignored: ${unknownOut.join(', ')} (no host contains it)`);
    if (f.region && !(f.rlo <= f.rhi)) msg.push('region: need low <= high');
    $('filter-msg').textContent = msg.join('; ');
    return f;
  }

  function applyFilters() {
    const t0 = performance.now();
    const f = readFilters();
    const n = D.n, U = D.U, cap = D.cap, kc = D.kc, xy = D.xy, ex = D.exp;
    const off = D.el_off, eli = D.el_idx;
    const need = new Uint8Array(D.elements.length), ban = new Uint8Array(D.elements.length);
    f.contain.forEach((e) => { need[e] = 1; });
    f.exclude.forEach((e) => { ban[e] = 1; });
    let nNeed = 0; for (let e = 0; e < need.length; e++) nNeed += need[e];
    const nBan = f.exclude.length;
    const hv0 = !isNaN(f.vmin), hv1 = !isNaN(f.vmax), hc0 = !isNaN(f.cmin), hc1 = !isNaN(f.cmax);
    const hk0 = !isNaN(f.kmin), hk1 = !isNaN(f.kmax);
    const idx = SEL.idx, mask = SEL.mask;
    mask.fill(0);
    let c = 0;
    if (!f.impossible) {
      for (let i = 0; i < n; i++) {
        if (hv0 && !(U[i] >= f.vmin)) continue;
        if (hv1 && !(U[i] <= f.vmax)) continue;
        if (hc0 && !(cap[i] >= f.cmin)) continue;
        if (hc1 && !(cap[i] <= f.cmax)) continue;
        if (hk0 && !(kc[i] >= f.kmin)) continue;
        if (hk1 && !(kc[i] <= f.kmax)) continue;
        if (f.region && !(xy[i] >= f.rlo && xy[i] <= f.rhi)) continue;
        if (f.exp && ex[i] !== 1) continue;
        if (nNeed || nBan) {
          let hit = 0, bad = false;
          for (let j = off[i]; j < off[i + 1]; j++) {
            const e = eli[j];
            if (ban[e]) { bad = true; break; }
            hit += need[e];
          }
          if (bad || hit < nNeed) continue;
        }
        idx[c++] = i; mask[i] = 1;
      }
    }
    SEL.count = c;
    UI.page = 0;
    UI.filters = f;
    const t1 = performance.now();
    drawMap();
    const t2 = performance.now();
    drawStats(f);
    const t3 = performance.now();
    drawTable();
    const t4 = performance.now();
    const ms = t4 - t0;
    UI.lastMs = ms;
    UI.breakdown = { select: t1 - t0, map: t2 - t1, stats: t3 - t2, table: t4 - t3 };
    $('count').textContent = c.toLocaleString('en-US');
    $('count').dataset.count = String(c);
    $('count-map').textContent = UI.mapOn.toLocaleString('en-US');
    $('timing').textContent = ms.toFixed(1);
    return ms;
  }

  // ------------------------------------------------------------------ the map
  const PAD = { l: 58, r: 14, t: 12, b: 44 };
  function canvasCtx(cv) {
    const dpr = window.devicePixelRatio || 1;
    const w = cv.clientWidth, h = cv.clientHeight;
    if (cv.width !== Math.round(w * dpr) || cv.height !== Math.round(h * dpr)) {
      cv.width = Math.round(w * dpr); cv.height = Math.round(h * dpr);
    }
    const ctx = cv.getContext('2d');
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    return { ctx, w, h };
  }

  function initialView() {
    let lo = Infinity, hi = -Infinity, ymax = 0;
    for (let i = 0; i < D.n; i++) {
      const x = D.x[i], y = D.U[i];
      if (!(x > 0) || !isFinite(x) || !isFinite(y)) continue;
      const l = Math.log10(x);
      if (l < lo) lo = l; if (l > hi) hi = l; if (y > ymax) ymax = y;
    }
    if (!isFinite(lo)) { lo = -2; hi = 1; }
    if (hi - lo < 0.5) { lo -= 0.25; hi += 0.25; }
    const pad = 0.04 * (hi - lo);
    VIEW.lx0 = lo - pad; VIEW.lx1 = hi + pad;
    VIEW.y0 = 0; VIEW.y1 = Math.min(Math.max(ymax * 1.05, 0.1), 3.0);
  }

  function ticksLog(l0, l1) {
    const out = [];
    for (let d = Math.floor(l0); d <= Math.ceil(l1); d++) {
      const mult = (l1 - l0) < 2.5 ? [1, 2, 5] : [1];
      for (const m of mult) { const v = Math.log10(m) + d; if (v >= l0 && v <= l1) out.push([v, m * Math.pow(10, d)]); }
    }
    return out;
  }
  function ticksLin(a, b) {
    const span = b - a, raw = span / 6, p = Math.pow(10, Math.floor(Math.log10(raw)));
    const step = [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw);
    const out = [];
    for (let v = Math.ceil(a / step) * step; v <= b + 1e-12; v += step) out.push(+v.toFixed(10));
    return out;
  }
  function fmtTick(v) { return v !== 0 && (Math.abs(v) >= 1e4 || Math.abs(v) < 1e-3) ? v.toExponential(0) : String(+v.toPrecision(3)); }

  function drawMap() {
    const cv = $('map');
    const { ctx, w, h } = canvasCtx(cv);
    const pw = w - PAD.l - PAD.r, ph = h - PAD.t - PAD.b;
    const ax = pw / (VIEW.lx1 - VIEW.lx0), ay = ph / (VIEW.y1 - VIEW.y0);
    ctx.clearRect(0, 0, w, h);
    ctx.fillStyle = '#fff'; ctx.fillRect(PAD.l, PAD.t, pw, ph);
    const X = (lx) => PAD.l + (lx - VIEW.lx0) * ax, Y = (y) => PAD.t + ph - (y - VIEW.y0) * ay;
    // grid and axes
    ctx.strokeStyle = '#eee'; ctx.lineWidth = 1; ctx.fillStyle = '#333'; ctx.font = '11px system-ui, sans-serif';
    ctx.textAlign = 'center'; ctx.textBaseline = 'top';
    for (const [lv, v] of ticksLog(VIEW.lx0, VIEW.lx1)) {
      const px = X(lv); ctx.beginPath(); ctx.moveTo(px, PAD.t); ctx.lineTo(px, PAD.t + ph); ctx.stroke();
      ctx.fillText(fmtTick(v), px, PAD.t + ph + 4);
    }
    ctx.textAlign = 'right'; ctx.textBaseline = 'middle';
    for (const v of ticksLin(VIEW.y0, VIEW.y1)) {
      const py = Y(v); ctx.beginPath(); ctx.moveTo(PAD.l, py); ctx.lineTo(PAD.l + pw, py); ctx.stroke();
      ctx.fillText(fmtTick(v), PAD.l - 5, py);
    }
    ctx.textAlign = 'center'; ctx.textBaseline = 'bottom';
    ctx.fillText('lithiation composition / K_crit  n/K_crit [Li atom\u207B\u00B9 GPa\u207B\u00B9]', PAD.l + pw / 2, h - 2);
    ctx.save(); ctx.translate(12, PAD.t + ph / 2); ctx.rotate(-Math.PI / 2); ctx.textBaseline = 'top';
    ctx.fillText('voltage vs Li/Li\u207A [V]', 0, 0); ctx.restore();
    ctx.save(); ctx.beginPath(); ctx.rect(PAD.l, PAD.t, pw, ph); ctx.clip();
    // reciprocal lines y = c / x
    const f = UI.filters || {};
    const curve = (c, style, dash, width) => {
      if (!(c > 0)) return;
      ctx.strokeStyle = style; ctx.setLineDash(dash); ctx.lineWidth = width; ctx.beginPath();
      for (let k = 0; k <= 120; k++) {
        const lx = VIEW.lx0 + (VIEW.lx1 - VIEW.lx0) * k / 120;
        const py = Y(c / Math.pow(10, lx));
        if (k === 0) ctx.moveTo(X(lx), py); else ctx.lineTo(X(lx), py);
      }
      ctx.stroke(); ctx.setLineDash([]);
    };
    // points: written as pixels into a buffer (fillRect per point is ~100x slower at 150k):
    // every host grey (cached per view), the selection on top in colour
    const dpr = window.devicePixelRatio || 1;
    const W = Math.max(1, Math.round(pw * dpr)), H = Math.max(1, Math.round(ph * dpr));
    const key = [VIEW.lx0, VIEW.lx1, VIEW.y0, VIEW.y1, W, H, dpr].join('|');
    if (LAYER.key !== key) {
      LAYER.key = key; LAYER.W = W; LAYER.H = H;
      LAYER.grey = new Uint32Array(W * H);
      LAYER.canvas = document.createElement('canvas'); LAYER.canvas.width = W; LAYER.canvas.height = H;
      LAYER.img = LAYER.canvas.getContext('2d').createImageData(W, H);
      // pix[i]: top-left pixel of host i's 3x3 dot when it lies wholly inside, else -1
      LAYER.pix = new Int32Array(D.n).fill(-1);
      for (let i = 0; i < D.n; i++) {
        const x = D.x[i], y = D.U[i];
        if (!(x > 0) || !isFinite(x) || !isFinite(y)) { sx[i] = NaN; sy[i] = NaN; continue; }
        sx[i] = X(Math.log10(x)); sy[i] = Y(y);
        const cx = (sx[i] - PAD.l) * dpr, cy = (sy[i] - PAD.t) * dpr;
        dot(LAYER.grey, W, H, cx, cy, 2 * dpr, GREY);
        const x0 = Math.round(cx - 1.5), y0 = Math.round(cy - 1.5);
        if (dpr === 1 && x0 >= 0 && y0 >= 0 && x0 + 3 <= W && y0 + 3 <= H) LAYER.pix[i] = y0 * W + x0;
      }
    }
    const buf = new Uint32Array(LAYER.img.data.buffer);
    buf.set(LAYER.grey);
    const sel = SEL.idx, ex = D.exp, pix = LAYER.pix;
    let on = 0;
    for (let k = 0; k < SEL.count; k++) {
      const i = sel[k];
      if (isNaN(sx[i])) continue;
      on++;
      const col = ex[i] === 1 ? ORANGE : BLUE, p = pix[i];
      if (p >= 0) {  // fast path: a whole 3x3 block
        buf[p] = col; buf[p + 1] = col; buf[p + 2] = col;
        buf[p + W] = col; buf[p + W + 1] = col; buf[p + W + 2] = col;
        buf[p + 2 * W] = col; buf[p + 2 * W + 1] = col; buf[p + 2 * W + 2] = col;
      } else {
        dot(buf, W, H, (sx[i] - PAD.l) * dpr, (sy[i] - PAD.t) * dpr, 3 * dpr, col);
      }
    }
    UI.mapOn = on;
    LAYER.canvas.getContext('2d').putImageData(LAYER.img, 0, 0);
    ctx.drawImage(LAYER.canvas, PAD.l, PAD.t, pw, ph);
    curve(f.rlo, '#1f77b4', [6, 4], 1.2);
    curve(f.rhi, '#1f77b4', [6, 4], 1.2);
    curve(D.boundary_c, '#c92a2a', [], 1.2);
    // labels of highlighted hosts, skipping any that would overlap an earlier one
    ctx.font = '11px system-ui, sans-serif'; ctx.textAlign = 'left'; ctx.textBaseline = 'bottom';
    const boxes = [];
    for (const i of D.highlight) {
      if (isNaN(sx[i])) continue;
      const label = D.formula[i], tw = ctx.measureText(label).width;
      const b = [sx[i] + 4, sy[i] - 16, sx[i] + 6 + tw, sy[i] - 2];
      if (boxes.some((o) => !(b[2] < o[0] || b[0] > o[2] || b[3] < o[1] || b[1] > o[3]))) continue;
      boxes.push(b);
      ctx.fillStyle = '#000'; ctx.beginPath(); ctx.arc(sx[i], sy[i], 3.5, 0, 2 * Math.PI); ctx.fill();
      ctx.fillStyle = 'rgba(255,255,255,0.8)'; ctx.fillRect(b[0], b[1], b[2] - b[0], b[3] - b[1]);
      ctx.fillStyle = '#000'; ctx.fillText(label, sx[i] + 5, sy[i] - 3);
    }
    for (const [i, col] of [[UI.picked, '#e67700'], [UI.hover, '#000']]) {
      if (i < 0 || isNaN(sx[i])) continue;
      ctx.strokeStyle = col; ctx.lineWidth = 2; ctx.beginPath(); ctx.arc(sx[i], sy[i], 6, 0, 2 * Math.PI); ctx.stroke();
    }
    ctx.restore();
    ctx.strokeStyle = '#999'; ctx.lineWidth = 1; ctx.strokeRect(PAD.l, PAD.t, pw, ph);
    // legend
    ctx.font = '11px system-ui, sans-serif'; ctx.textAlign = 'right'; ctx.textBaseline = 'top';
    const leg = [[`selected (${SEL.count.toLocaleString('en-US')})`, '#1f77b4'], ['experimental', '#d9480f'],
                 [`x\u00B7y = ${fmtNum(f.rlo, 3)}, ${fmtNum(f.rhi, 3)} eV/GPa`, '#1f77b4']];
    if (D.boundary_c > 0) leg.push([`envelope c = ${D.boundary_c.toFixed(3)} eV/GPa`, '#c92a2a']);
    leg.forEach(([t, col], k) => {
      const yy = PAD.t + 6 + 14 * k;
      ctx.fillStyle = 'rgba(255,255,255,0.85)'; ctx.fillRect(PAD.l + pw - 200, yy - 1, 194, 14);
      ctx.fillStyle = col; ctx.fillRect(PAD.l + pw - 14, yy + 3, 8, 8);
      ctx.fillStyle = '#222'; ctx.fillText(t, PAD.l + pw - 18, yy);
    });
  }

  // 32-bit pixels are little-endian ABGR
  const GREY = 0xffc9c9c9, BLUE = 0xffb4771f, ORANGE = 0xff0f48d9;
  const LAYER = { key: '' };
  function dot(buf, W, H, cx, cy, size, color) {
    const x0 = Math.round(cx - size / 2), y0 = Math.round(cy - size / 2), s = Math.round(size);
    for (let yy = Math.max(y0, 0); yy < Math.min(y0 + s, H); yy++) {
      const row = yy * W;
      for (let xx = Math.max(x0, 0); xx < Math.min(x0 + s, W); xx++) buf[row + xx] = color;
    }
  }

  function nearest(px, py) {
    let best = -1, bd = 64;  // 8 px radius
    const sel = SEL.idx;
    for (let k = 0; k < SEL.count; k++) {
      const i = sel[k]; const dx = sx[i] - px, dy = sy[i] - py;
      const d = dx * dx + dy * dy;
      if (d < bd) { bd = d; best = i; }
    }
    return best;
  }

  function fmtNum(v, p) { return Number.isFinite(v) ? String(+v.toPrecision(p)) : 'n/a'; }
  function expText(v) { return v === 1 ? 'yes' : v === 0 ? 'no' : 'unknown'; }
  function products(i) { return D.products_values[D.products[i]]; }

  function tooltip(i, px, py) {
    const tip = $('tip');
    if (i < 0) { tip.hidden = true; return; }
    tip.innerHTML = '';
    const rows = [
      [`${D.formula[i]}`, `(${D.id[i]})`],
      ['products', products(i) || '-'],
      ['Li per host atom n', fmtNum(D.nli[i], 4)],
      ['voltage', `${fmtNum(D.U[i], 4)} V`],
      ['capacity', `${fmtNum(D.cap[i], 5)} mAh/g`],
      ['K_crit', `${fmtNum(D.kc[i], 4)} GPa`],
      ['stop modulus', Number.isFinite(D.ks[i]) ? `${fmtNum(D.ks[i], 4)} GPa` : 'n/a'],
      ['experimental', expText(D.exp[i])],
    ];
    rows.forEach(([a, b], k) => {
      const div = document.createElement('div');
      if (k === 0) { const s = document.createElement('b'); s.textContent = a + ' '; div.append(s, b); }
      else div.textContent = `${a}: ${b}`;
      tip.appendChild(div);
    });
    tip.hidden = false;
    const wrap = $('map-wrap');
    const left = px + 14 + tip.offsetWidth > wrap.clientWidth ? px - tip.offsetWidth - 10 : px + 14;
    tip.style.left = `${Math.max(0, left)}px`;
    tip.style.top = `${Math.max(0, py - 10)}px`;
  }

  function bindMap() {
    const cv = $('map');
    let drag = null, moved = false, raf = 0, lastEv = null;
    const pos = (ev) => { const r = cv.getBoundingClientRect(); return [ev.clientX - r.left, ev.clientY - r.top]; };
    cv.addEventListener('mousemove', (ev) => {
      lastEv = ev;
      if (drag) {
        const [px, py] = pos(ev);
        const pw = cv.clientWidth - PAD.l - PAD.r, ph = cv.clientHeight - PAD.t - PAD.b;
        const dlx = (px - drag.px) / pw * (drag.v.lx1 - drag.v.lx0), dy = (py - drag.py) / ph * (drag.v.y1 - drag.v.y0);
        if (Math.abs(px - drag.px) + Math.abs(py - drag.py) > 3) moved = true;
        VIEW.lx0 = drag.v.lx0 - dlx; VIEW.lx1 = drag.v.lx1 - dlx; VIEW.y0 = drag.v.y0 + dy; VIEW.y1 = drag.v.y1 + dy;
        if (!raf) raf = requestAnimationFrame(() => { raf = 0; drawMap(); });
        return;
      }
      if (!raf) raf = requestAnimationFrame(() => {
        raf = 0;
        const [px, py] = pos(lastEv);
        const i = nearest(px, py);
        if (i !== UI.hover) { UI.hover = i; drawMap(); }
        tooltip(i, px, py);
      });
    });
    cv.addEventListener('mouseleave', () => { UI.hover = -1; $('tip').hidden = true; drawMap(); drag = null; });
    cv.addEventListener('mousedown', (ev) => { const [px, py] = pos(ev); drag = { px, py, v: { ...VIEW } }; moved = false; });
    window.addEventListener('mouseup', () => { drag = null; });
    cv.addEventListener('click', (ev) => {
      if (moved) return;
      const [px, py] = pos(ev);
      const i = nearest(px, py);
      if (i >= 0) pick(i);
    });
    cv.addEventListener('dblclick', () => { initialView(); drawMap(); });
    cv.addEventListener('wheel', (ev) => {
      ev.preventDefault();
      const [px, py] = pos(ev);
      const pw = cv.clientWidth - PAD.l - PAD.r, ph = cv.clientHeight - PAD.t - PAD.b;
      const fx = (px - PAD.l) / pw, fy = 1 - (py - PAD.t) / ph;
      const z = ev.deltaY > 0 ? 1.2 : 1 / 1.2;
      const cx = VIEW.lx0 + fx * (VIEW.lx1 - VIEW.lx0), cy = VIEW.y0 + fy * (VIEW.y1 - VIEW.y0);
      VIEW.lx0 = cx - (cx - VIEW.lx0) * z; VIEW.lx1 = cx + (VIEW.lx1 - cx) * z;
      VIEW.y0 = cy - (cy - VIEW.y0) * z; VIEW.y1 = cy + (VIEW.y1 - cy) * z;
      drawMap();
    }, { passive: false });
  }

  // ------------------------------------------------------------------ curves (Fig. 3e)
  const VIRIDIS = [[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37]];
  function viridis(t) {
    const s = Math.min(Math.max(t, 0), 1) * (VIRIDIS.length - 1), k = Math.min(Math.floor(s), VIRIDIS.length - 2), f = s - k;
    const c = VIRIDIS[k].map((a, j) => Math.round(a + f * (VIRIDIS[k + 1][j] - a)));
    return `rgb(${c[0]},${c[1]},${c[2]})`;
  }

  function pick(i) {
    UI.picked = i;
    drawMap();
    drawCurves(i);
    drawTable();
  }

  function drawCurves(i) {
    const cv = $('curves');
    const { ctx, w, h } = canvasCtx(cv);
    ctx.clearRect(0, 0, w, h);
    const cur = D.curves[String(i)];
    const title = $('curve-title'), box = $('curve-steps');
    title.textContent = `${D.formula[i]} (${D.id[i]}): constrained voltage-capacity curves`;
    box.innerHTML = '';
    box.dataset.host = D.formula[i];
    if (!cur) {
      box.textContent = D.cap[i] > 0
        ? `No curves were precomputed for this host (only ${D.n_curves} hosts: see the notes above). ` +
          `Run: sianode constrain ${D.id[i]} --k-eff ${D.k_grid.join(' ')}`
        : 'This host does not react with Li above 0 V: no alloying capacity at any K_eff.';
      return;
    }
    const profs = cur.profiles;
    let cmax = 0, vmax = 0;
    for (const [, steps] of profs) for (const [v, , c1] of steps) { cmax = Math.max(cmax, c1); vmax = Math.max(vmax, v); }
    cmax = cmax > 0 ? cmax * 1.05 : 1; vmax = vmax > 0 ? vmax * 1.15 : 0.5;
    const P = { l: 50, r: 10, t: 10, b: 36 };
    const pw = w - P.l - P.r, ph = h - P.t - P.b;
    const X = (c) => P.l + c / cmax * pw, Y = (v) => P.t + ph - v / vmax * ph;
    ctx.strokeStyle = '#eee'; ctx.fillStyle = '#333'; ctx.font = '11px system-ui, sans-serif';
    ctx.textAlign = 'center'; ctx.textBaseline = 'top';
    for (const c of ticksLin(0, cmax)) { ctx.beginPath(); ctx.moveTo(X(c), P.t); ctx.lineTo(X(c), P.t + ph); ctx.stroke(); ctx.fillText(fmtTick(c), X(c), P.t + ph + 3); }
    ctx.textAlign = 'right'; ctx.textBaseline = 'middle';
    for (const v of ticksLin(0, vmax)) { ctx.beginPath(); ctx.moveTo(P.l, Y(v)); ctx.lineTo(P.l + pw, Y(v)); ctx.stroke(); ctx.fillText(fmtTick(v), P.l - 4, Y(v)); }
    ctx.textAlign = 'center'; ctx.textBaseline = 'bottom';
    ctx.fillText(`capacity [mAh/g ${D.formula[i]}]`, P.l + pw / 2, h - 1);
    ctx.save(); ctx.translate(10, P.t + ph / 2); ctx.rotate(-Math.PI / 2); ctx.textBaseline = 'top';
    ctx.fillText('voltage vs Li/Li\u207A [V]', 0, 0); ctx.restore();
    ctx.strokeStyle = '#999'; ctx.strokeRect(P.l, P.t, pw, ph);
    const nk = Math.max(profs.length - 1, 1);
    profs.forEach(([k, steps], j) => {
      const col = viridis(j / nk);
      ctx.strokeStyle = col; ctx.lineWidth = 2; ctx.beginPath();
      if (!steps.length) { ctx.moveTo(X(0), Y(0)); ctx.lineTo(X(0), Y(0) - 1); }
      steps.forEach(([v, c0, c1], s) => {
        if (s === 0) ctx.moveTo(X(c0), Y(v)); else ctx.lineTo(X(c0), Y(v));
        ctx.lineTo(X(c1), Y(v));
      });
      if (steps.length) ctx.lineTo(X(steps[steps.length - 1][2]), Y(0));
      ctx.stroke();
      ctx.fillStyle = col; ctx.fillRect(P.l + pw - 76, P.t + 4 + 13 * j, 10, 8);
      ctx.fillStyle = '#222'; ctx.textAlign = 'left'; ctx.textBaseline = 'top';
      ctx.fillText(`${k} GPa`, P.l + pw - 62, P.t + 2 + 13 * j);
    });
    const tab = document.createElement('table');
    const hdr = tab.insertRow();
    for (const t of ['K_eff [GPa]', 'capacity [mAh/g]', 'plateaus: voltage to capacity']) {
      const th = document.createElement('th'); th.textContent = t; hdr.appendChild(th);
    }
    for (const [k, steps] of profs) {
      const r = tab.insertRow();
      r.insertCell().textContent = String(k);
      r.insertCell().textContent = steps.length ? steps[steps.length - 1][2].toFixed(0) : '0';
      r.insertCell().textContent = steps.length
        ? steps.map(([v, , c1]) => `${v.toFixed(3)} V to ${c1.toFixed(0)}`).join(', ') : 'no lithiation';
    }
    box.appendChild(tab);
    const p = document.createElement('p');
    p.textContent = `K_crit ${fmtNum(D.kc[i], 4)} GPa; lithiation stops at ` +
      (cur.k_stop !== null && cur.k_stop !== undefined ? `${fmtNum(cur.k_stop, 4)} GPa` : 'n/a (not stoppable)');
    box.appendChild(p);
  }

  // ------------------------------------------------------------------ statistics
  function drawStats(f) {
    const ne = D.elements.length, counts = new Uint32Array(ne), pairs = new Uint32Array(ne * ne);
    const off = D.el_off, eli = D.el_idx, gap = D.gap;
    const gmax = f.pairgap, useGap = !isNaN(gmax);
    const li = f.statsLi || !('Li' in D.elIndex) ? -1 : D.elIndex.Li;  // Li: in most Li-X hosts
    for (let k = 0; k < SEL.count; k++) {
      const i = SEL.idx[k], a = off[i], b = off[i + 1];
      for (let j = a; j < b; j++) if (eli[j] !== li) counts[eli[j]]++;
      if (useGap && gap[i] >= gmax) continue;  // NaN (unknown) counts, as in thermo.boundary
      for (let j = a; j < b; j++) for (let m = j + 1; m < b; m++) {
        const p = eli[j], q = eli[m];
        if (p === li || q === li) continue;
        pairs[p * ne + q]++; pairs[q * ne + p]++;
      }
    }
    UI.elemCounts = counts; UI.pairCounts = pairs;
    const order = Array.from(counts.keys()).filter((e) => counts[e] > 0).sort((a, b) => counts[b] - counts[a] || (D.elements[a] < D.elements[b] ? -1 : 1));
    const top = order.slice(0, 20);
    const box = $('stats-elements'); box.innerHTML = '';
    const cmax = top.length ? counts[top[0]] : 1;
    for (const e of top) {
      const row = document.createElement('div'); row.className = 'bar-row';
      const lab = document.createElement('span'); lab.className = 'lab'; lab.textContent = D.elements[e];
      const bar = document.createElement('span'); bar.className = 'bar'; bar.style.width = `${Math.max(1, 260 * counts[e] / cmax)}px`;
      const val = document.createElement('span'); val.className = 'val'; val.textContent = String(counts[e]);
      row.append(lab, bar, val); box.appendChild(row);
    }
    if (!top.length) box.textContent = 'empty selection';
    const pe = order.slice(0, 14);
    const pbox = $('stats-pairs'); pbox.innerHTML = '';
    if (pe.length < 2) { pbox.textContent = 'fewer than two elements in the selection'; return; }
    let pmax = 1;
    for (const a of pe) for (const b of pe) if (a !== b) pmax = Math.max(pmax, pairs[a * ne + b]);
    const tab = document.createElement('table'); tab.className = 'heat';
    const hr = tab.insertRow(); hr.appendChild(document.createElement('th'));
    for (const b of pe) { const th = document.createElement('th'); th.textContent = D.elements[b]; hr.appendChild(th); }
    for (const a of pe) {
      const r = tab.insertRow(); const th = document.createElement('th'); th.textContent = D.elements[a]; r.appendChild(th);
      for (const b of pe) {
        const td = r.insertCell(); const v = a === b ? 0 : pairs[a * ne + b];
        if (a !== b) { td.textContent = v ? String(v) : ''; td.title = `${D.elements[a]}-${D.elements[b]}: ${v}`; }
        const t = v / pmax;
        td.style.background = a === b ? '#f3f3f3' : `rgba(31,119,180,${(0.08 + 0.92 * t).toFixed(3)})`;
        td.style.color = t > 0.55 ? '#fff' : '#222';
      }
    }
    pbox.appendChild(tab);
    const note = document.createElement('p');
    note.className = 'hint';
    note.textContent = useGap ? `pairs of hosts with band gap below ${gmax} eV or unknown` : 'pairs of every selected host';
    pbox.appendChild(note);
  }

  // ------------------------------------------------------------------ table + CSV
  const COLS = [
    { key: 'formula', label: 'formula', str: (i) => D.formula[i] },
    { key: 'id', label: 'id', str: (i) => D.id[i] },
    { key: 'products', label: 'products', str: (i) => products(i) },
    { key: 'n', label: 'Li/host atom', num: (i) => D.nli[i], csv: 'li_per_host_atom' },
    { key: 'U', label: 'voltage [V]', num: (i) => D.U[i], csv: 'voltage_V' },
    { key: 'capacity', label: 'capacity [mAh/g]', num: (i) => D.cap[i], csv: 'capacity_mAh_g' },
    { key: 'kc', label: 'K_crit [GPa]', num: (i) => D.kc[i], csv: 'k_crit_GPa' },
    { key: 'ks', label: 'K_stop [GPa]', num: (i) => D.ks[i], csv: 'k_stop_GPa' },
    { key: 'x', label: 'n/K_crit [1/GPa]', num: (i) => D.x[i], csv: 'x_per_GPa' },
    { key: 'xy', label: 'x\u00B7y [eV/GPa]', num: (i) => D.xy[i], csv: 'xy_eV_per_GPa' },
    { key: 'gap', label: 'band gap [eV]', num: (i) => D.gap[i], csv: 'band_gap_eV' },
    { key: 'exp', label: 'experimental', str: (i) => expText(D.exp[i]), csv: 'experimental' },
  ];

  function perm(col) {
    if (PERM[col.key]) return PERM[col.key];
    const n = D.n, p = new Uint32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    if (col.num) {
      const v = new Float64Array(n);
      for (let i = 0; i < n; i++) { const a = col.num(i); v[i] = Number.isFinite(a) ? a : Infinity; }
      p.sort((a, b) => v[a] - v[b] || a - b);
    } else {
      const s = Array.from({ length: n }, (_, i) => col.str(i) || '');
      p.sort((a, b) => (s[a] < s[b] ? -1 : s[a] > s[b] ? 1 : a - b));
    }
    PERM[col.key] = p;
    return p;
  }

  function orderedSelection(limit) {
    const col = COLS.find((c) => c.key === UI.sortKey);
    const p = perm(col), mask = SEL.mask, out = [];
    const want = limit === undefined ? Infinity : limit;
    if (UI.sortDir > 0) {
      for (let k = 0; k < p.length && out.length < want; k++) if (mask[p[k]]) out.push(p[k]);
    } else {  // descending, but keep missing values (sorted as +inf) last
      const tail = [];
      for (let k = p.length - 1; k >= 0 && out.length < want; k--) {
        const i = p[k]; if (!mask[i]) continue;
        if (col.num && !Number.isFinite(col.num(i))) tail.push(i); else out.push(i);
      }
      tail.reverse();
      for (const i of tail) { if (out.length >= want) break; out.push(i); }
    }
    return out;
  }

  function fmtCell(col, i) {
    if (col.str) return col.str(i) || '';
    const v = col.num(i);
    return Number.isFinite(v) ? String(+v.toPrecision(4)) : '';
  }

  const ESC = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };
  function esc(t) { return String(t).replace(/[&<>"]/g, (c) => ESC[c]); }

  function drawTable() {
    const thead = $('table').tHead, tbody = $('table').tBodies[0];
    if (!thead.rows.length) {
      tbody.addEventListener('click', (ev) => {
        const tr = ev.target.closest('tr');
        if (tr && tr.dataset.row !== undefined) pick(Number(tr.dataset.row));
      });
      const r = thead.insertRow();
      for (const col of COLS) {
        const th = document.createElement('th'); th.textContent = col.label; th.dataset.key = col.key;
        th.addEventListener('click', () => {
          UI.sortDir = UI.sortKey === col.key ? -UI.sortDir : (col.num ? -1 : 1);
          UI.sortKey = col.key; UI.page = 0; drawTable();
        });
        r.appendChild(th);
      }
    }
    for (const th of thead.rows[0].cells) {
      th.className = th.dataset.key === UI.sortKey ? (UI.sortDir > 0 ? 'sorted-asc' : 'sorted-desc') : '';
    }
    const pages = Math.max(1, Math.ceil(SEL.count / UI.pageSize));
    UI.page = Math.min(Math.max(UI.page, 0), pages - 1);
    const rows = orderedSelection((UI.page + 1) * UI.pageSize).slice(UI.page * UI.pageSize);
    const parts = [];
    for (const i of rows) {
      parts.push(`<tr data-row="${i}"${i === UI.picked ? ' class="picked"' : ''}>`);
      for (const col of COLS) parts.push(col.num ? `<td class="num">${esc(fmtCell(col, i))}</td>` : `<td>${esc(fmtCell(col, i))}</td>`);
      parts.push('</tr>');
    }
    tbody.innerHTML = parts.join('');
    $('page-info').textContent = SEL.count
      ? `rows ${UI.page * UI.pageSize + 1}-${UI.page * UI.pageSize + rows.length} of ${SEL.count.toLocaleString('en-US')} (page ${UI.page + 1}/${pages})`
      : 'no rows';
  }

  function csvCell(s) { return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s; }
  function selectionCsv() {
    const cols = COLS;
    const lines = [cols.map((c) => c.csv || c.key).join(',')];
    for (const i of orderedSelection()) {
      lines.push(cols.map((c) => {
        if (c.str) return csvCell(c.str(i) || '');
        const v = c.num(i); return Number.isFinite(v) ? String(+v.toPrecision(7)) : '';
      }).join(','));
    }
    return lines.join('\n') + '\n';
  }
  function downloadCsv() {
    const blob = new Blob([selectionCsv()], { type: 'text/csv' });
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob); a.download = 'sianode_selection.csv';
    document.body.appendChild(a); a.click(); a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  }

  // ------------------------------------------------------------------ wiring
  function setFilters(values) {
    for (const [id, v] of Object.entries(values)) {
      const el = $(id);
      if (el.type === 'checkbox') el.checked = Boolean(v); else el.value = v === null ? '' : String(v);
    }
    return applyFilters();
  }
  function resetFilters() {
    return setFilters({ 'f-contain': '', 'f-exclude': '', 'f-vmin': '', 'f-vmax': '', 'f-cmin': '', 'f-cmax': '',
      'f-kmin': '', 'f-kmax': '', 'f-rlo': D.region[0], 'f-rhi': D.region[1], 'f-region': false,
      'f-exp': false, 'f-pairgap': '', 'f-stats-li': false });
  }

  function init() {
    $('total').textContent = D.n.toLocaleString('en-US');
    const notes = $('notes');
    for (const t of D.notes) { const li = document.createElement('li'); li.textContent = t; notes.appendChild(li); }
    let timer = 0;
    const later = () => { clearTimeout(timer); timer = setTimeout(applyFilters, 120); };
    for (const id of ['f-contain', 'f-exclude', 'f-vmin', 'f-vmax', 'f-cmin', 'f-cmax', 'f-kmin', 'f-kmax', 'f-rlo', 'f-rhi', 'f-pairgap']) {
      $(id).addEventListener('input', later);
      $(id).addEventListener('change', applyFilters);
    }
    for (const id of ['f-region', 'f-exp', 'f-stats-li']) $(id).addEventListener('change', applyFilters);
    $('b-reset').addEventListener('click', resetFilters);
    $('b-paper').addEventListener('click', () => setFilters({ 'f-vmin': 0, 'f-vmax': 1, 'f-cmin': 0, 'f-cmax': 10000,
      'f-rlo': D.region[0], 'f-rhi': D.region[1], 'f-region': true, 'f-pairgap': 1.5 }));
    $('b-csv').addEventListener('click', downloadCsv);
    $('b-prev').addEventListener('click', () => { UI.page--; drawTable(); });
    $('b-next').addEventListener('click', () => { UI.page++; drawTable(); });
    window.addEventListener('resize', () => { drawMap(); if (UI.picked >= 0) drawCurves(UI.picked); });
    bindMap();
    initialView();
    resetFilters();
    $('status').textContent = `${D.n.toLocaleString('en-US')} hosts from ${D.source}; constrained curves precomputed for ${D.n_curves} hosts at K_eff = ${D.k_grid.join(', ')} GPa`;
  }

  Object.assign(api, {
    count: () => SEL.count,
    selectedRows: () => Array.from(SEL.idx.subarray(0, SEL.count)),
    setFilters, resetFilters, applyFilters, selectionCsv, pick,
    rowOf: (id) => (D.rowOfId.has(id) ? D.rowOfId.get(id) : -1),
    screenXY: (i) => [sx[i], sy[i]],
    lastMs: () => UI.lastMs,
    hover: () => UI.hover,
    elementCounts: () => Object.fromEntries(D.elements.map((e, k) => [e, UI.elemCounts[k]]).filter((a) => a[1] > 0)),
    pairCounts: () => {
      const ne = D.elements.length, out = {};
      for (let a = 0; a < ne; a++) for (let b = a + 1; b < ne; b++) {
        const v = UI.pairCounts[a * ne + b]; if (v) out[`${D.elements[a]}-${D.elements[b]}`] = v;
      }
      return out;
    },
    breakdown: () => UI.breakdown,
    data: D,
  });
  api.ready = load().then(init).then(() => { document.body.dataset.ready = '1'; }).catch((err) => {
    $('status').textContent = `could not read the page's data: ${err}`;
    document.body.dataset.ready = 'error';
    throw err;
  });
})();
