/* Switchboard agent console, campaigns and privacy panel: the tenant's opt-in campaigns with their progress (sent,
   delivered, failed, skipped by reason), each campaign's recipients with status and skip reason, pause / resume /
   cancel, and the erasures recorded. Plain JS over /api/v1 (GET /campaigns, /campaigns/{id}/recipients,
   POST /campaigns/{id}/{action}, GET /events for customer_erased, GET /customers/{id}/erasure). Draws with DOM nodes
   and textContent only; uses the helpers console.js exposes as window.SB. */
(function () {
  'use strict';

  const $ = (id) => document.getElementById(id);
  const STATUSES = ['sent', 'delivered', 'failed', 'queued', 'pending', 'deferred', 'skipped'];
  const REASONS = {
    no_consent: 'no consent', no_allowed_channel: 'no allowed channel', paid_send_not_allowed: 'paid send not allowed',
    duplicate: 'duplicate', unknown_customer: 'unknown customer', cancelled: 'cancelled',
  };
  let selected = null;

  function sb() { return window.SB; }

  function progressBar(p) {
    const h = sb().h;
    const total = Math.max(1, p.total);
    const bar = h('div', { class: 'cmp-bar', title: p.total + ' recipients' });
    for (const s of ['sent', 'delivered', 'failed', 'skipped']) {
      const n = p.byStatus[s] || 0;
      if (n) bar.append(h('span', { class: 'cmp-seg cmp-' + s, style: 'width:' + (100 * n / total) + '%' }));
    }
    return bar;
  }

  function counts(p) {
    const h = sb().h;
    const parts = STATUSES.filter((s) => p.byStatus[s]).map((s) => h('span', { class: 'cmp-count cmp-t-' + s,
      dataset: { status: s } }, s + ' ' + p.byStatus[s]));
    const reasons = Object.entries(p.skipped || {}).filter(([, n]) => n)
      .map(([r, n]) => (REASONS[r] || r) + ' ' + n);
    return h('div', { class: 'cmp-counts' }, parts,
      reasons.length ? h('span', { class: 'cmp-reasons' }, 'skipped: ' + reasons.join(', ')) : null);
  }

  function actions(c) {
    const h = sb().h;
    const btn = (label, action) => h('button', { class: 'btn btn-sm', type: 'button', dataset: { action },
      onclick: (e) => { e.stopPropagation(); act(c.id, action); } }, label);
    switch (c.state) {
      case 'ready': return [btn('Start', 'start'), btn('Cancel', 'cancel')];
      case 'running': return [btn('Pause', 'pause'), btn('Cancel', 'cancel')];
      case 'paused': return [btn('Resume', 'resume'), btn('Cancel', 'cancel')];
      default: return [];
    }
  }

  function renderCampaigns(list) {
    const h = sb().h;
    $('campaign-count').textContent = String(list.items.length);
    const box = $('campaign-rows');
    box.replaceChildren();
    if (!list.items.length) {
      box.append(h('li', { class: 'ops-empty' }, 'No campaigns yet.'));
      return;
    }
    for (const c of list.items) {
      box.append(h('li', { class: 'cmp-row' + (c.id === selected ? ' selected' : ''), dataset: { id: c.id, state: c.state },
        onclick: () => { selected = c.id; refresh(); } },
        h('div', { class: 'cmp-head' },
          h('span', { class: 'cmp-name' }, c.id),
          h('span', { class: 'cmp-state cmp-state-' + c.state }, c.state),
          h('span', { class: 'cmp-purpose' }, c.purpose + ' · ' + c.audience),
          h('span', { class: 'cmp-actions' }, actions(c))),
        h('div', { class: 'cmp-text' }, c.text),
        progressBar(c.progress),
        counts(c.progress)));
    }
  }

  async function renderRecipients() {
    const h = sb().h;
    const box = $('recipient-rows');
    box.replaceChildren();
    if (!selected) {
      $('recipients-title').textContent = 'Recipients';
      box.append(h('tr', { class: 'ops-empty' }, h('td', { colspan: '4' }, 'Pick a campaign to see its recipients.')));
      return;
    }
    $('recipients-title').textContent = 'Recipients of ' + selected;
    const page = await sb().api('/campaigns/' + encodeURIComponent(selected) + '/recipients?limit=100');
    for (const r of page.items) {
      box.append(h('tr', { class: 'recipient-row', dataset: { status: r.status, customer: r.customer } },
        h('td', null, r.displayName || r.customer),
        h('td', null, h('span', { class: 'cmp-count cmp-t-' + r.status }, r.status)),
        h('td', null, r.channel || '—'),
        h('td', { class: 'faint' }, r.skipReason ? (REASONS[r.skipReason] || r.skipReason) : (r.detail || ''))));
    }
  }

  async function erasures() {
    const found = [];
    let after = 0;
    for (let i = 0; i < 20; i++) {
      const page = await sb().api('/events?after=' + after + '&limit=1000');
      page.items.filter((e) => e.type === 'customer_erased').forEach((e) => found.push(e));
      after = page.next;
      if (page.items.length < 1000) break;
    }
    const h = sb().h;
    const box = $('erasure-rows');
    box.replaceChildren();
    $('erasure-count').textContent = String(found.length);
    if (!found.length) {
      box.append(h('li', { class: 'ops-empty' }, 'No erasures recorded.'));
      return;
    }
    for (const e of found.reverse()) {
      let rec = null;
      try { rec = await sb().api('/customers/' + encodeURIComponent(e.customerId) + '/erasure'); } catch (err) { /* shown without */ }
      box.append(h('li', { class: 'erasure-row', dataset: { customer: e.customerId } },
        h('span', { class: 'erasure-id' }, e.customerId),
        h('span', { class: 'faint' }, 'by ' + (e.attributes.actor || '?') + ' · ' + new Date(e.at).toLocaleString('en-GB')),
        rec ? h('span', { class: 'faint' }, rec.messages + ' messages deleted' + (rec.completedAt ? ' · complete' : ' · unfinished')) : null));
    }
  }

  async function refresh() {
    if (!window.SB || $('campaigns').hidden) return;
    renderCampaigns(await sb().api('/campaigns?limit=50'));
    await renderRecipients();
    await erasures();
  }

  async function act(id, action) {
    try {
      await sb().post('/campaigns/' + encodeURIComponent(id) + '/' + action, {});
      sb().toast('Campaign ' + id + ': ' + action);
      selected = id;
      await refresh();
    } catch (e) { sb().toast(e.message, true); }
  }

  window.SBCampaigns = { refresh };

  document.addEventListener('DOMContentLoaded', () => {
    $('campaigns-toggle').addEventListener('click', () => {
      const panel = $('campaigns');
      panel.hidden = !panel.hidden;
      if (!panel.hidden) refresh().catch((e) => sb().toast(e.message, true));
    });
    const fromHash = () => {
      if (location.hash === '#campaigns' && $('campaigns').hidden) {
        $('campaigns').hidden = false;
        refresh().catch(() => { /* next time */ });
      }
    };
    fromHash();
    window.addEventListener('hashchange', fromHash);
    setInterval(() => { refresh().catch(() => { /* next time */ }); }, 3000);
  });
})();
