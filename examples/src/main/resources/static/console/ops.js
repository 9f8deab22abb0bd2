/* Switchboard agent console, operations panel: the queue with live SLA countdowns, agents with presence and load,
   at-risk and breached deadlines. Plain JS over /api/v1 (GET /queue, /agents, /sla/at-risk, /sla/breached;
   PUT /agents/{me}/presence; POST /agents/{me}/take). Draws with DOM nodes and textContent only.
   Uses the helpers console.js exposes as window.SB and is refreshed by it (window.SBOps.refresh). */
(function () {
  'use strict';

  const $ = (id) => document.getElementById(id);
  // Server time minus browser time, from the last response's `now`: countdowns follow the server's clock.
  let skewMs = 0;
  let me = null;

  function sb() { return window.SB; }

  function nowMs() { return Date.now() + skewMs; }

  function syncClock(serverNow) {
    if (serverNow) skewMs = Date.parse(serverNow) - Date.now();
  }

  function duration(totalSeconds) {
    const s = Math.abs(Math.trunc(totalSeconds));
    const h = Math.floor(s / 3600);
    const m = Math.floor((s % 3600) / 60);
    const sec = s % 60;
    const pad = (n) => String(n).padStart(2, '0');
    return h > 0 ? h + ':' + pad(m) + ':' + pad(sec) : m + ':' + pad(sec);
  }

  const KIND = { first_response: 'first reply', next_response: 'next reply', resolution: 'resolution' };

  /** How a deadline stands now: ok, warn (its warning time passed or it was warned) or breached. */
  function level(d) {
    const left = Date.parse(d.dueAt) - nowMs();
    if (d.state === 'breached' || left <= 0) return 'breached';
    if (d.state === 'warned' || (d.warnAt && Date.parse(d.warnAt) <= nowMs())) return 'warn';
    return 'ok';
  }

  function countdownText(d) {
    const left = Math.round((Date.parse(d.dueAt) - nowMs()) / 1000);
    const what = KIND[d.kind] || d.kind;
    return left > 0 ? what + ' in ' + duration(left) : what + ' overdue ' + duration(left);
  }

  /** A countdown pill for an SLA deadline; tick() keeps its text and colour current. */
  function countdown(d) {
    const el = document.createElement('span');
    el.className = 'countdown';
    el.dataset.due = d.dueAt;
    el.dataset.state = d.state;
    el.dataset.kind = d.kind;
    if (d.warnAt) el.dataset.warn = d.warnAt;
    el.title = 'SLA ' + d.policy + ': ' + (KIND[d.kind] || d.kind) + ' due ' + new Date(d.dueAt).toLocaleString('en-GB');
    paint(el);
    return el;
  }

  function paint(el) {
    const d = { dueAt: el.dataset.due, state: el.dataset.state, kind: el.dataset.kind, warnAt: el.dataset.warn };
    const lvl = level(d);
    el.textContent = countdownText(d);
    el.classList.toggle('sla-ok', lvl === 'ok');
    el.classList.toggle('sla-warn', lvl === 'warn');
    el.classList.toggle('sla-breached', lvl === 'breached');
    const row = el.closest('[data-sla-row]');
    if (row) row.dataset.sla = lvl;
  }

  function tick() {
    document.querySelectorAll('.countdown[data-due]').forEach(paint);
    document.querySelectorAll('[data-waiting-since]').forEach((el) => {
      el.textContent = duration((nowMs() - Date.parse(el.dataset.waitingSince)) / 1000);
    });
  }

  function customerName(c) {
    return (c && c.displayName) || 'Unknown customer';
  }

  function openConversation(id) {
    const u = new URL(location.href);
    u.searchParams.set('conversation', id);
    u.hash = 'ops';
    location.assign(u.toString());
  }

  // ---------- queue ----------
  function renderQueue(q) {
    const h = sb().h;
    $('queue-count').textContent = String(q.waiting);
    const body = $('queue-rows');
    body.replaceChildren();
    if (!q.items.length) {
      body.append(h('tr', { class: 'ops-empty' }, h('td', { colspan: '6' }, 'Nobody is waiting for an agent.')));
      return;
    }
    for (const item of q.items) {
      body.append(h('tr', { class: 'queue-row', dataset: { id: item.id, slaRow: '1' }, onclick: () => openConversation(item.id) },
        h('td', { class: 'q-customer' }, h('div', { class: 'q-cell' }, sb().channelIcon(item.channel || { type: item.channelType }), h('span', { class: 'q-name', title: customerName(item.customer) }, customerName(item.customer)))),
        h('td', { class: 'q-queue' }, item.queue + (item.priority !== 'normal' ? ' · ' + item.priority : '')),
        h('td', { class: 'q-waited' }, h('span', { dataset: { waitingSince: item.waitingSince } }, duration(item.waitedSeconds))),
        h('td', { class: 'q-assignee' }, item.assignee ? '@' + item.assignee : '—'),
        h('td', { class: 'q-deadline' }, item.deadline ? countdown(item.deadline) : h('span', { class: 'faint' }, 'no SLA'))));
    }
  }

  // ---------- agents ----------
  function renderAgents(list) {
    const h = sb().h;
    me = list.me;
    const box = $('agent-rows');
    box.replaceChildren();
    for (const a of list.items) {
      box.append(h('li', { class: 'agent-row' + (a.me ? ' me' : ''), dataset: { agent: a.id, presence: a.presence } },
        h('span', { class: 'presence-dot presence-' + a.presence, title: a.presence }),
        h('span', { class: 'agent-label' }, a.displayName + (a.me ? ' (me)' : '')),
        h('span', { class: 'agent-presence' }, a.presence),
        h('span', { class: 'agent-load', title: 'open conversations / capacity' }, a.open + '/' + a.capacity)));
    }
    const mine = list.items.find((a) => a.me);
    $('my-presence-box').hidden = !mine;
    if (mine && document.activeElement !== $('my-presence')) $('my-presence').value = mine.presence;
  }

  // ---------- SLA ----------
  function renderSla(targetId, countId, list, emptyText) {
    const h = sb().h;
    $(countId).textContent = String(list.items.length);
    const box = $(targetId);
    box.replaceChildren();
    if (!list.items.length) {
      box.append(h('li', { class: 'ops-empty' }, emptyText));
      return;
    }
    for (const item of list.items) {
      box.append(h('li', { class: 'sla-row', dataset: { id: item.conversationId, slaRow: '1' }, onclick: () => openConversation(item.conversationId) },
        item.channel ? sb().channelIcon(item.channel) : null,
        h('span', { class: 'sla-name' }, customerName(item.customer)),
        h('span', { class: 'sla-meta' }, item.deadline.policy + (item.assignee ? ' · @' + item.assignee : ' · unassigned')),
        countdown(item.deadline)));
    }
  }

  async function refresh() {
    if (!window.SB || $('ops').hidden) return;
    const [queue, agents, atRisk, breached] = await Promise.all([
      sb().api('/queue?limit=50'), sb().api('/agents'), sb().api('/sla/at-risk?limit=50'), sb().api('/sla/breached?limit=50')]);
    syncClock(queue.now);
    renderQueue(queue);
    renderAgents(agents);
    renderSla('at-risk-rows', 'at-risk-count', atRisk, 'Nothing at risk.');
    renderSla('breached-rows', 'breached-count', breached, 'No breached promises.');
  }

  async function setPresence(value) {
    try {
      await sb().api('/agents/' + encodeURIComponent(me) + '/presence', {
        method: 'PUT', headers: { 'Content-Type': 'application/json', 'Accept': 'application/json' },
        body: JSON.stringify({ presence: value }) });
      sb().toast('You are ' + value);
      await refresh();
    } catch (e) { sb().toast(e.message, true); }
  }

  async function takeNext() {
    if (!me) return;
    try {
      const r = await sb().post('/agents/' + encodeURIComponent(me) + '/take', {});
      if (!r.taken) { sb().toast('Nothing is waiting for you'); return; }
      sb().toast('Taken: ' + customerName(r.conversation.customer));
      await refresh();
    } catch (e) { sb().toast(e.message, true); }
  }

  window.SBOps = {
    refresh,
    /** The conversation list's countdown pill. */
    countdownPill: countdown,
  };

  document.addEventListener('DOMContentLoaded', () => {
    $('ops-toggle').addEventListener('click', () => {
      const panel = $('ops');
      panel.hidden = !panel.hidden;
      if (!panel.hidden) refresh().catch((e) => sb().toast(e.message, true));
    });
    $('my-presence').addEventListener('change', (e) => setPresence(e.target.value));
    $('take-next').addEventListener('click', takeNext);
    if (location.hash === '#ops') $('ops').hidden = false;
    setInterval(tick, 1000);
    // the queue's waits and the agents' loads change without feed events the console would see at once
    setInterval(() => { refresh().catch(() => { /* next time */ }); }, 5000);
  });
})();
