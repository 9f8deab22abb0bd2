/* Switchboard reports page: the KPI API (/api/v1/reports/kpis and its histograms, /reports/kpis/distribution) drawn as small SVG charts built from DOM nodes.
 * Every chart shows its numbers as text in a table next to it (readable without the picture) and links the same
 * query as CSV. Data only ever reaches the page through textContent and attribute values, never as markup. */
(function () {
  'use strict';

  const API = '/api/v1';
  const SVG_NS = 'http://www.w3.org/2000/svg';
  const CHANNEL_COLORS = { telegram: '#229ed9', email: '#e0712c', webchat: '#7c4ddb', vk: '#0077ff', viber: '#0d9488' };
  const PALETTE = ['#4f46e5', '#0891b2', '#db2777', '#059669', '#d97706', '#2563eb', '#dc2626', '#64748b'];
  const CHANNEL_LABEL = { telegram: 'Telegram', email: 'Email', webchat: 'Website chat', vk: 'VK', viber: 'Viber' };

  // ---------- DOM helpers (text only: no markup from data) ----------
  function build(el, attrs, children) {
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'class') el.setAttribute('class', v);
      else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
      else el.setAttribute(k, String(v));
    }
    for (const c of children.flat(Infinity)) {
      if (c === undefined || c === null || c === false) continue;
      el.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return el;
  }
  const h = (tag, attrs, ...children) => build(document.createElement(tag), attrs, children);
  const s = (tag, attrs, ...children) => build(document.createElementNS(SVG_NS, tag), attrs, children);
  const $ = (id) => document.getElementById(id);

  // ---------- formatting (the browser test formats the API's numbers the same way) ----------
  /** Milliseconds as "45 s", "3 min 20 s" or "2 h 05 min", rounded to the second. */
  function duration(ms) {
    const total = Math.round(ms / 1000);
    if (total < 60) return total + ' s';
    if (total < 3600) return Math.floor(total / 60) + ' min ' + String(total % 60).padStart(2, '0') + ' s';
    return Math.floor(total / 3600) + ' h ' + String(Math.floor(total / 60) % 60).padStart(2, '0') + ' min';
  }
  const percent = (ratio) => (ratio * 100).toFixed(1) + ' %';
  const rating = (avg) => avg.toFixed(2);
    function shortDay(iso) {
    const [, m, d] = iso.split('-');
    return d + '.' + m;
  }
  function groupLabel(dimension, value) {
    if (value === undefined || value === '') {
      return { channelType: 'Unknown channel', team: 'No team', agent: 'Unassigned', slaPolicy: 'No SLA policy' }[dimension] || 'None';
    }
    return dimension === 'channelType' ? (CHANNEL_LABEL[value] || value) : value;
  }

  // ---------- API ----------
  // the session (JSON calls, the login dialog) is session.js's, shared with the console
  const session = window.SBSession.start(API, setAgent);
  const api = session.api;

  function toast(text, isError) {
    const t = $('toast');
    t.textContent = text;
    t.className = 'toast' + (isError ? ' error' : '');
    t.hidden = false;
    clearTimeout(toast.timer);
    toast.timer = setTimeout(() => { t.hidden = true; }, 3500);
  }

  // ---------- the range ----------
  /** The days from `from` to `to` (exclusive), as yyyy-MM-dd; computed in UTC so no DST change skips a day. */
  function daysBetween(from, to) {
    const list = [];
    const end = Date.parse(to + 'T00:00:00Z');
    for (let d = new Date(from + 'T00:00:00Z'); d.getTime() < end; d.setUTCDate(d.getUTCDate() + 1)) {
      list.push(d.toISOString().slice(0, 10));
    }
    return list;
  }

  function queryString(r, extra) {
    const p = new URLSearchParams(r.from ? { from: r.from, to: r.to, basis: r.basis } : { last: r.last, basis: r.basis });
    for (const [k, v] of Object.entries(extra)) p.set(k, v);
    return '?' + p.toString();
  }

  // ---------- chart pieces ----------
  const W = 640;

  function table(headers, rows) {
    return h('table', { class: 'chart-table' },
      h('thead', null, h('tr', null, headers.map((x) => h('th', { scope: 'col' }, x)))),
      h('tbody', null, rows));
  }
  /** A table cell with its text and, for the test and for copying, the API's raw number. */
  function cell(text, raw, cls, series) {
    return h('td', { class: cls, 'data-value': raw === undefined ? undefined : String(raw), 'data-series': series }, text);
  }
  function empty(card, text) {
    card.dataset.state = 'empty';
    card.querySelector('.chart-body').replaceChildren(h('p', { class: 'chart-empty' }, text));
  }
  function legend(items) {
    return h('ul', { class: 'legend' }, items.map(([label, color]) =>
      h('li', null, h('span', { class: 'swatch', 'data-color': color }), label)));
  }
  // swatch colours through the CSSOM (the page's CSP refuses style attributes)
  function paintSwatches(root) {
    root.querySelectorAll('.swatch').forEach((e) => { e.style.background = e.dataset.color; });
  }

  // ---------- the charts ----------
  function volumeChart(card, report, r) {
    if (!report.total.conversations) return empty(card, 'No conversations in these days.');
    const series = [...new Set(report.rows.map((x) => x.group.channelType || ''))].sort();
    const color = (t, i) => CHANNEL_COLORS[t] || PALETTE[i % PALETTE.length];
    const counts = new Map(); // day -> series -> conversations
    for (const row of report.rows) {
      if (!counts.has(row.period)) counts.set(row.period, new Map());
      counts.get(row.period).set(row.group.channelType || '', row.conversations);
    }
    const dayTotal = (d) => [...(counts.get(d) || new Map()).values()].reduce((a, b) => a + b, 0);
    const max = Math.max(1, ...r.days.map(dayTotal));
    const H = 200, top = 16, bottom = 24, left = 32, plot = H - top - bottom;
    const step = (W - left - 8) / r.days.length;
    const svg = s('svg', { viewBox: '0 0 ' + W + ' ' + H, class: 'chart-svg', role: 'img',
      'aria-label': 'Conversations per day by channel, ' + report.total.conversations + ' in all' });
    svg.append(s('line', { x1: left, x2: W - 8, y1: top + plot, y2: top + plot, class: 'axis' }));
    svg.append(s('text', { x: left - 6, y: top + 4, class: 'tick', 'text-anchor': 'end' }, max));
    svg.append(s('line', { x1: left, x2: W - 8, y1: top, y2: top, class: 'grid' }));
    svg.append(s('text', { x: left - 6, y: top + plot, class: 'tick', 'text-anchor': 'end' }, 0));
    r.days.forEach((day, i) => {
      const x = left + i * step + step * 0.15;
      let y = top + plot;
      series.forEach((t, j) => {
        const n = (counts.get(day) || new Map()).get(t) || 0;
        if (!n) return;
        const height = (n / max) * plot;
        y -= height;
        svg.append(s('rect', { x: x.toFixed(1), y: y.toFixed(1), width: (step * 0.7).toFixed(1), height: height.toFixed(1),
          fill: color(t, j), class: 'bar', 'data-day': day, 'data-series': t, 'data-value': n },
          s('title', null, shortDay(day) + ' · ' + groupLabel('channelType', t) + ': ' + n)));
      });
      if (r.days.length <= 14 || i % Math.ceil(r.days.length / 10) === 0) {
        svg.append(s('text', { x: (x + step * 0.35).toFixed(1), y: H - 6, class: 'tick', 'text-anchor': 'middle' }, shortDay(day)));
      }
    });
    const rows = r.days.map((day) => h('tr', { 'data-day': day }, h('th', { scope: 'row' }, day),
      series.map((t) => { const n = (counts.get(day) || new Map()).get(t) || 0; return cell(String(n), n, 'num', t); }),
      cell(String(dayTotal(day)), dayTotal(day), 'num total')));
    rows.push(h('tr', { class: 'total-row', 'data-day': 'total' }, h('th', { scope: 'row' }, 'Total'),
      series.map((t) => {
        const n = report.rows.filter((x) => (x.group.channelType || '') === t).reduce((a, x) => a + x.conversations, 0);
        return cell(String(n), n, 'num', t);
      }),
      cell(String(report.total.conversations), report.total.conversations, 'num total')));
    const body = card.querySelector('.chart-body');
    body.replaceChildren(svg, legend(series.map((t, j) => [groupLabel('channelType', t), color(t, j)])),
      table(['Day', ...series.map((t) => groupLabel('channelType', t)), 'Total'], rows));
    paintSwatches(body);
    card.dataset.state = 'ready';
  }

  /** Median, p90 and max per channel as horizontal bars: how the waits spread, not only their average. */
  function durationChart(card, report, field, what) {
    const lines = report.rows.filter((x) => x[field].count > 0)
      .map((x) => ({ key: x.group.channelType || '', label: groupLabel('channelType', x.group.channelType), stats: x[field] }));
    if (!report.total[field].count) return empty(card, 'No ' + what + ' in these days.');
    lines.push({ key: 'total', label: 'All channels', stats: report.total[field] });
    const max = Math.max(1, ...lines.map((l) => l.stats.maxMs));
    const rowH = 30, left = 120, right = 16, H = lines.length * rowH + 28;
    const scale = (ms) => (ms / max) * (W - left - right);
    const svg = s('svg', { viewBox: '0 0 ' + W + ' ' + H, class: 'chart-svg', role: 'img',
      'aria-label': what + ': median ' + duration(report.total[field].medianMs) + ', p90 ' + duration(report.total[field].p90Ms) });
    lines.forEach((l, i) => {
      const y = 8 + i * rowH;
      svg.append(s('text', { x: left - 8, y: y + 15, class: 'label', 'text-anchor': 'end' }, l.label));
      svg.append(s('rect', { x: left, y: y + 4, width: scale(l.stats.p90Ms).toFixed(1), height: 16, rx: 3,
        class: 'bar p90', 'data-series': l.key, 'data-value': l.stats.p90Ms }, s('title', null, 'p90 ' + duration(l.stats.p90Ms))));
      svg.append(s('rect', { x: left, y: y + 4, width: scale(l.stats.medianMs).toFixed(1), height: 16, rx: 3,
        class: 'bar median', 'data-series': l.key, 'data-value': l.stats.medianMs }, s('title', null, 'median ' + duration(l.stats.medianMs))));
      const mx = (left + scale(l.stats.maxMs)).toFixed(1);
      svg.append(s('line', { x1: mx, x2: mx, y1: y + 1, y2: y + 23, class: 'max-tick', 'data-series': l.key, 'data-value': l.stats.maxMs },
        s('title', null, 'longest ' + duration(l.stats.maxMs))));
    });
    const axisY = H - 16;
    svg.append(s('line', { x1: left, x2: W - right, y1: axisY, y2: axisY, class: 'axis' }));
    svg.append(s('text', { x: left, y: H - 2, class: 'tick' }, '0'));
    svg.append(s('text', { x: W - right, y: H - 2, class: 'tick', 'text-anchor': 'end' }, duration(max)));
    const rows = lines.map((l) => h('tr', { 'data-series': l.key, class: l.key === 'total' ? 'total-row' : undefined },
      h('th', { scope: 'row' }, l.label), cell(String(l.stats.count), l.stats.count, 'num count'),
      cell(duration(l.stats.medianMs), l.stats.medianMs, 'num median'), cell(duration(l.stats.p90Ms), l.stats.p90Ms, 'num p90'),
      cell(duration(l.stats.meanMs), l.stats.meanMs, 'num mean'), cell(duration(l.stats.maxMs), l.stats.maxMs, 'num max')));
    const body = card.querySelector('.chart-body');
    body.replaceChildren(svg, legend([['median', '#4f46e5'], ['p90', '#c7d2fe'], ['longest', '#161a23']]),
      table(['Channel', 'Count', 'Median', 'p90', 'Mean', 'Longest'], rows));
    paintSwatches(body);
    card.dataset.state = 'ready';
  }

  /** Bucket bounds as a short label: "< 1 min", "1 min – 5 min", "≥ 3 d". */
  function span(ms) {
    if (ms % 86400000 === 0) return (ms / 86400000) + ' d';
    if (ms % 3600000 === 0) return (ms / 3600000) + ' h';
    if (ms % 60000 === 0) return (ms / 60000) + ' min';
    return duration(ms);
  }
  function bucketLabel(b) {
    if (b.fromMs === 0 && b.toMs !== undefined) return '< ' + span(b.toMs);
    if (b.toMs === undefined) return '≥ ' + span(b.fromMs);
    return span(b.fromMs) + ' – ' + span(b.toMs);
  }

  /** A histogram of one duration (GET /reports/kpis/distribution): how many cycles fall in each time bucket. */
  function histogramChart(card, dist, what) {
    if (!dist.count) return empty(card, 'No ' + what + ' in these days.');
    const buckets = dist.buckets;
    const max = Math.max(1, ...buckets.map((b) => b.count));
    const H = 200, top = 16, bottom = 40, left = 32, plot = H - top - bottom;
    const step = (W - left - 8) / buckets.length;
    const svg = s('svg', { viewBox: '0 0 ' + W + ' ' + H, class: 'chart-svg', role: 'img',
      'aria-label': what + ' by time bucket, ' + dist.count + ' in all' });
    svg.append(s('line', { x1: left, x2: W - 8, y1: top + plot, y2: top + plot, class: 'axis' }));
    svg.append(s('line', { x1: left, x2: W - 8, y1: top, y2: top, class: 'grid' }));
    svg.append(s('text', { x: left - 6, y: top + 4, class: 'tick', 'text-anchor': 'end' }, max));
    svg.append(s('text', { x: left - 6, y: top + plot, class: 'tick', 'text-anchor': 'end' }, 0));
    buckets.forEach((b, i) => {
      const x = left + i * step + step * 0.1;
      const height = (b.count / max) * plot;
      if (b.count > 0) {
        svg.append(s('rect', { x: x.toFixed(1), y: (top + plot - height).toFixed(1), width: (step * 0.8).toFixed(1),
          height: height.toFixed(1), rx: 2, fill: '#4f46e5', class: 'bar', 'data-series': String(i), 'data-value': b.count },
          s('title', null, bucketLabel(b) + ': ' + b.count)));
      }
      svg.append(s('text', { x: (x + step * 0.4).toFixed(1), y: H - (i % 2 ? 8 : 22), class: 'tick', 'text-anchor': 'middle' },
        bucketLabel(b)));
    });
    const rows = buckets.map((b, i) => h('tr', { 'data-series': String(i) }, h('th', { scope: 'row' }, bucketLabel(b)),
      cell(String(b.count), b.count, 'num count')));
    rows.push(h('tr', { class: 'total-row', 'data-series': 'total' }, h('th', { scope: 'row' }, 'Total'),
      cell(String(dist.count), dist.count, 'num count')));
    card.querySelector('.chart-body').replaceChildren(svg, table(['Time', 'Count'], rows));
    card.dataset.state = 'ready';
  }

  function slaChart(card, report) {
    const t = report.total;
    if (t.firstResponseSlaAttainment === undefined && t.resolutionSlaAttainment === undefined) {
      return empty(card, 'No SLA deadline met or breached in these days yet.');
    }
    const lines = report.rows.map((x) => ({ key: x.group.slaPolicy || '', label: groupLabel('slaPolicy', x.group.slaPolicy), row: x }));
    lines.push({ key: 'total', label: 'All policies', row: t });
    const measures = [['firstResponseSlaAttainment', 'First response', '#4f46e5'], ['resolutionSlaAttainment', 'Resolution', '#0f9d6b']];
    const rowH = 44, left = 120, right = 56, H = lines.length * rowH + 8;
    const svg = s('svg', { viewBox: '0 0 ' + W + ' ' + H, class: 'chart-svg', role: 'img', 'aria-label': 'SLA attainment per policy' });
    lines.forEach((l, i) => {
      const y = 6 + i * rowH;
      svg.append(s('text', { x: left - 8, y: y + 22, class: 'label', 'text-anchor': 'end' }, l.label));
      measures.forEach(([field, name, color], j) => {
        const v = l.row[field];
        const by = y + j * 18;
        svg.append(s('rect', { x: left, y: by, width: W - left - right, height: 14, rx: 3, class: 'track' }));
        if (v === undefined) return;
        svg.append(s('rect', { x: left, y: by, width: (v * (W - left - right)).toFixed(1), height: 14, rx: 3, fill: color,
          class: 'bar', 'data-series': l.key, 'data-measure': field, 'data-value': v }, s('title', null, name + ' ' + percent(v))));
        svg.append(s('text', { x: W - right + 6, y: by + 11, class: 'tick' }, percent(v)));
      });
    });
    const rows = lines.map((l) => h('tr', { 'data-series': l.key, class: l.key === 'total' ? 'total-row' : undefined },
      h('th', { scope: 'row' }, l.label),
      measures.map(([field]) => l.row[field] === undefined ? cell('—', undefined, 'num ' + field) : cell(percent(l.row[field]), l.row[field], 'num ' + field))));
    const body = card.querySelector('.chart-body');
    body.replaceChildren(svg, legend(measures.map(([, name, color]) => [name, color])),
      table(['Policy', 'First response', 'Resolution'], rows));
    paintSwatches(body);
    card.dataset.state = 'ready';
  }

  function csatChart(card, report) {
    if (!report.total.ratings) return empty(card, 'No satisfaction ratings in these days yet.');
    const lines = report.rows.filter((x) => x.ratings > 0)
      .map((x) => ({ key: x.group.agent || '', label: groupLabel('agent', x.group.agent), row: x }));
    lines.push({ key: 'total', label: 'All agents', row: report.total });
    const rowH = 30, left = 120, right = 56, H = lines.length * rowH + 28;
    const width = W - left - right;
    const svg = s('svg', { viewBox: '0 0 ' + W + ' ' + H, class: 'chart-svg', role: 'img',
      'aria-label': 'Average rating per agent, ' + rating(report.total.csatAverage) + ' overall' });
    for (let star = 1; star <= 5; star++) {
      const x = (left + (star / 5) * width).toFixed(1);
      svg.append(s('line', { x1: x, x2: x, y1: 4, y2: H - 20, class: 'grid' }));
      svg.append(s('text', { x: x, y: H - 4, class: 'tick', 'text-anchor': 'middle' }, star));
    }
    lines.forEach((l, i) => {
      const y = 8 + i * rowH;
      const v = l.row.csatAverage;
      svg.append(s('text', { x: left - 8, y: y + 15, class: 'label', 'text-anchor': 'end' }, l.label));
      svg.append(s('rect', { x: left, y: y + 4, width: ((v / 5) * width).toFixed(1), height: 16, rx: 3,
        fill: v >= 4 ? '#0f9d6b' : v >= 3 ? '#d97706' : '#c2413b', class: 'bar', 'data-series': l.key, 'data-value': v },
        s('title', null, l.label + ': ' + rating(v) + ' from ' + l.row.ratings + ' ratings')));
      svg.append(s('text', { x: left + (v / 5) * width + 6, y: y + 16, class: 'tick' }, rating(v)));
    });
    const rows = lines.map((l) => h('tr', { 'data-series': l.key, class: l.key === 'total' ? 'total-row' : undefined },
      h('th', { scope: 'row' }, l.label), cell(rating(l.row.csatAverage), l.row.csatAverage, 'num csat'),
      cell(String(l.row.ratings), l.row.ratings, 'num ratings'),
      l.row.surveyResponseRate === undefined ? cell('—', undefined, 'num response-rate')
        : cell(percent(l.row.surveyResponseRate), l.row.surveyResponseRate, 'num response-rate')));
    card.querySelector('.chart-body').replaceChildren(svg, table(['Agent', 'Average', 'Ratings', 'Survey response'], rows));
    card.dataset.state = 'ready';
  }

  // ---------- loading ----------
  const CHARTS = [
    { id: 'chart-volume', params: { groupBy: 'channelType', period: 'day' }, draw: (c, rep, r) => volumeChart(c, rep, r) },
    { id: 'chart-first-response', params: { groupBy: 'channelType' }, draw: (c, rep) => durationChart(c, rep, 'firstResponse', 'first responses') },
    { id: 'chart-resolution', params: { groupBy: 'channelType' }, draw: (c, rep) => durationChart(c, rep, 'resolution', 'resolutions') },
    { id: 'chart-first-response-histogram', path: '/reports/kpis/distribution', params: { metric: 'firstResponse' },
      draw: (c, d) => histogramChart(c, d, 'first responses') },
    { id: 'chart-resolution-histogram', path: '/reports/kpis/distribution', params: { metric: 'resolution' },
      draw: (c, d) => histogramChart(c, d, 'resolutions') },
    { id: 'chart-sla', params: { groupBy: 'slaPolicy' }, draw: (c, rep) => slaChart(c, rep) },
    { id: 'chart-csat', params: { groupBy: 'agent' }, draw: (c, rep) => csatChart(c, rep) },
  ];

  let generation = 0;
  async function load() {
    const mine = ++generation;
    $('charts').dataset.state = 'loading';
    CHARTS.forEach((chart) => { $(chart.id).dataset.state = 'loading'; });
    // The server knows the tenant's today: ask for the last n days, then name those days in every other query.
    const basis = $('basis').value;
    // reports.html#from=2026-03-01&to=2026-04-01 links a fixed range of days
    const fixed = new URLSearchParams(location.hash.slice(1));
    const wanted = fixed.get('from') && fixed.get('to') ? { from: fixed.get('from'), to: fixed.get('to'), basis }
      : { last: Number($('range-days').value) || 7, basis };
    let first;
    try {
      first = await api('/reports/kpis' + queryString(wanted, CHARTS[0].params));
    } catch (e) {
      if (mine === generation && e.status !== 401) {
        $('charts').dataset.state = 'error';
        CHARTS.forEach((chart) => {
          $(chart.id).dataset.state = 'error';
          $(chart.id).querySelector('.chart-body').replaceChildren(h('p', { class: 'chart-error' }, 'Cannot load: ' + e.message));
        });
      }
      throw e;
    }
    if (mine !== generation) return;
    const r = { from: first.from, to: first.to, basis, days: daysBetween(first.from, first.to) };
    $('range-label').textContent = 'Conversations opened from ' + r.from + ' to ' + r.days[r.days.length - 1]
      + ' (days in the tenant\'s time zone), ' + (r.basis === 'business' ? 'business' : 'calendar') + ' time.';
    const cache = new Map([['/reports/kpis' + queryString(r, CHARTS[0].params), Promise.resolve(first)]]); // one request per query
    const fetchOnce = (q) => { if (!cache.has(q)) cache.set(q, api(q)); return cache.get(q); };
    let anyData = false;
    await Promise.all(CHARTS.map(async (chart) => {
      const card = $(chart.id);
      const path = chart.path || '/reports/kpis';
      const q = queryString(r, chart.params);
      card.dataset.source = API + path + q;
      card.querySelector('a.csv').href = API + path + '.csv' + q;
      try {
        const report = await fetchOnce(path + q);
        if (mine !== generation) return;
        if (report.total && report.total.conversations > 0) anyData = true;
        chart.draw(card, report, r);
      } catch (e) {
        if (mine !== generation) return;
        card.dataset.state = 'error';
        card.querySelector('.chart-body').replaceChildren(h('p', { class: 'chart-error' }, 'Cannot load: ' + e.message));
        if (e.status === 401) throw e;
      }
    }));
    if (mine !== generation) return;
    $('reports-empty').hidden = anyData;
    $('charts').dataset.state = anyData ? 'ready' : 'empty';
  }

  // ---------- login (the console's: the same cookie session) ----------
  function setAgent(agent) {
    $('agent-name').textContent = agent;
    $('agent-avatar').textContent = (agent || '?').slice(0, 1).toUpperCase();
  }
  const showLogin = session.showLogin;
  const ensureLogin = session.ensureLogin;

  async function reload() {
    for (;;) {
      try {
        await load();
        return;
      } catch (e) {
        if (e.status !== 401) { toast(e.message, true); return; }
        await showLogin();
      }
    }
  }

  $('range-days').addEventListener('change', () => {
    if (location.hash) history.replaceState(null, '', location.pathname); // the chosen days replace a linked range
    reload();
  });
  $('basis').addEventListener('change', reload);
  window.addEventListener('hashchange', reload);
  $('refresh').addEventListener('click', reload);

  (async function init() {
    try {
      await ensureLogin();
    } catch (e) {
      toast('Cannot reach the API: ' + e.message, true);
      return;
    }
    await reload();
  })();
})();
