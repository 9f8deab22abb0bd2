/* Switchboard agent console: plain JS over the REST API (/api/v1), refreshed live from the event feed. */
(function () {
  'use strict';

  const API = '/api/v1';
  const POLL_MS = 1500;
  const PAGE_SIZE = 50;
  let AGENT = null; // the logged-in agent, from GET /auth/me

  const state = {
    statusFilter: 'open,pending',
    hideUnverified: false,
    pages: 1,
    nextCursor: null,
    conversations: [],
    selectedId: null,
    conversation: null,
    customer: null,
    channels: [],
    via: null,
    cursor: 0,
    refreshQueued: false,
    sending: false,
  };

  // ---------- tiny DOM helpers ----------
  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    if (attrs) {
      for (const [k, v] of Object.entries(attrs)) {
        if (v === undefined || v === null || v === false) continue;
        if (k === 'class') el.className = v;
        else if (k === 'style') el.style.cssText = v; // CSSOM: allowed by the page's CSP, unlike style attributes
        else if (k === 'html') el.innerHTML = v; // only ever used with our own static SVG strings
        else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
        else if (k === 'dataset') Object.assign(el.dataset, v);
        else el.setAttribute(k, v === true ? '' : v);
      }
    }
    for (const c of children.flat(Infinity)) {
      if (c === undefined || c === null || c === false) continue;
      el.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return el;
  }
  const $ = (id) => document.getElementById(id);

  // ---------- channel icons (inline SVG, nothing from the internet) ----------
  const ICONS = {
    telegram: '<svg viewBox="0 0 24 24" fill="currentColor"><path d="M21.6 3.2 2.9 10.4c-1.3.5-1.3 1.2-.2 1.6l4.8 1.5 1.8 5.6c.2.6.4.8.9.8.4 0 .6-.2.9-.4l2.3-2.2 4.7 3.5c.9.5 1.5.2 1.7-.8l3.1-14.6c.3-1.3-.5-1.8-1.3-1.4zM9.3 13.9l8.5-5.4c.4-.2.7-.1.4.2l-7.1 6.4-.3 3.2-1.5-4.4z"/></svg>',
    email: '<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2.2" stroke-linecap="round" stroke-linejoin="round"><rect x="3" y="5" width="18" height="14" rx="2.5"/><path d="m4 7 8 6 8-6"/></svg>',
    webchat: '<svg viewBox="0 0 24 24" fill="currentColor"><path d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2zm3 6.5a1.5 1.5 0 1 0 0 .01zm5 0a1.5 1.5 0 1 0 0 .01zm5 0a1.5 1.5 0 1 0 0 .01z"/></svg>',
    vk: '<svg viewBox="0 0 24 24" fill="currentColor"><text x="12" y="16.3" text-anchor="middle" font-family="Arial, Helvetica, sans-serif" font-size="11" font-weight="700" letter-spacing="-0.3">VK</text></svg>',
    other: '<svg viewBox="0 0 24 24" fill="currentColor"><circle cx="12" cy="12" r="6"/></svg>',
    clock: '<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2.4" stroke-linecap="round"><circle cx="12" cy="12" r="9"/><path d="M12 7v5l3 2"/></svg>',
    phone: '<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2.2" stroke-linecap="round" stroke-linejoin="round"><path d="M22 16.9v3a2 2 0 0 1-2.2 2 19.8 19.8 0 0 1-8.6-3.1 19.5 19.5 0 0 1-6-6A19.8 19.8 0 0 1 2.1 4.2 2 2 0 0 1 4.1 2h3a2 2 0 0 1 2 1.7c.1.9.4 1.8.7 2.7a2 2 0 0 1-.5 2.1L8 9.8a16 16 0 0 0 6 6l1.3-1.3a2 2 0 0 1 2.1-.4c.9.3 1.8.6 2.7.7a2 2 0 0 1 1.7 2z"/></svg>',
    at: '<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2.2" stroke-linecap="round" stroke-linejoin="round"><circle cx="12" cy="12" r="4"/><path d="M16 8v5a3 3 0 0 0 6 0v-1a10 10 0 1 0-3.9 7.9"/></svg>',
    file: '<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2.2" stroke-linecap="round" stroke-linejoin="round"><path d="M14 3H7a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h10a2 2 0 0 0 2-2V8z"/><path d="M14 3v5h5M9 13h6M9 17h4"/></svg>',
    id: '<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2.2" stroke-linecap="round" stroke-linejoin="round"><rect x="3" y="5" width="18" height="14" rx="2"/><circle cx="9" cy="11" r="2"/><path d="M15 10h3M15 14h3M6 16c.5-1.5 1.7-2 3-2s2.5.5 3 2"/></svg>',
  };
  const CHANNEL_LABEL = { telegram: 'Telegram', email: 'Email', webchat: 'Website chat', vk: 'VK' };
  const channelType = (ref) => (ref && ref.type) || 'other';
  const channelLabel = (ref) => CHANNEL_LABEL[channelType(ref)] || (ref && ref.id) || 'Channel';
  function channelIcon(ref, extra) {
    const t = channelType(ref);
    const known = ICONS[t] && t !== 'other' && CHANNEL_LABEL[t];
    return h('span', { class: 'ch ch-' + (known ? t : 'other') + (extra ? ' ' + extra : ''), title: channelLabel(ref), html: known ? ICONS[t] : ICONS.other });
  }

  // ---------- formatting ----------
  const COLORS = ['#4f46e5', '#0891b2', '#db2777', '#059669', '#d97706', '#7c3aed', '#2563eb', '#dc2626'];
  function initials(name) {
    const parts = (name || '?').trim().split(/\s+/).filter(Boolean);
    return ((parts[0] || '?')[0] + (parts.length > 1 ? parts[parts.length - 1][0] : '')).toUpperCase();
  }
  function avatar(name, id, cls) {
    let hash = 0;
    for (const c of String(id || name || '')) hash = (hash * 31 + c.charCodeAt(0)) | 0;
    return h('span', { class: 'avatar ' + (cls || ''), style: 'background:' + COLORS[Math.abs(hash) % COLORS.length] }, initials(name));
  }
  const pad = (n) => String(n).padStart(2, '0');
  const hm = (d) => pad(d.getHours()) + ':' + pad(d.getMinutes());
  function dayStart(d) { const x = new Date(d); x.setHours(0, 0, 0, 0); return x; }
  function dayLabel(iso) {
    const d = new Date(iso);
    const diff = Math.round((dayStart(new Date()) - dayStart(d)) / 86400000);
    if (diff === 0) return 'Today';
    if (diff === 1) return 'Yesterday';
    return d.toLocaleDateString('en-GB', { weekday: 'long', day: 'numeric', month: 'long' });
  }
  function when(iso) {
    const d = new Date(iso);
    const diff = Math.round((dayStart(new Date()) - dayStart(d)) / 86400000);
    if (diff === 0) return 'today ' + hm(d);
    if (diff === 1) return 'yesterday ' + hm(d);
    return d.toLocaleDateString('en-GB', { day: 'numeric', month: 'short' }) + ' ' + hm(d);
  }
  function shortWhen(iso) {
    const d = new Date(iso);
    const diff = Math.round((dayStart(new Date()) - dayStart(d)) / 86400000);
    if (diff === 0) return hm(d);
    if (diff === 1) return 'Yesterday';
    return d.toLocaleDateString('en-GB', { day: 'numeric', month: 'short' });
  }
  function waited(iso) {
    const mins = Math.max(0, Math.floor((Date.now() - new Date(iso).getTime()) / 60000));
    if (mins < 1) return { text: 'just now', late: false };
    if (mins < 60) return { text: mins + ' min', late: mins >= 15 };
    const hours = Math.floor(mins / 60);
    if (hours < 24) return { text: hours + ' h ' + (mins % 60) + ' min', late: true };
    return { text: Math.floor(hours / 24) + ' d ' + (hours % 24) + ' h', late: true };
  }
  const cap = (s) => s ? s.charAt(0).toUpperCase() + s.slice(1) : s;

  // ---------- API ----------
  // the session (JSON calls, the login dialog) is session.js's, shared with the reports page
  const session = window.SBSession.start(API, setAgent);
  const api = session.api;
  const post = session.post;

  function toast(text, isError) {
    const t = $('toast');
    t.textContent = text;
    t.className = 'toast' + (isError ? ' error' : '');
    t.hidden = false;
    clearTimeout(toast.timer);
    toast.timer = setTimeout(() => { t.hidden = true; }, 3500);
  }

  // ---------- conversation list ----------
  // Pages through the list with nextCursor: as many pages as the agent has opened with "Load more".
  async function loadConversations() {
    const items = [];
    let cursor = null;
    for (let i = 0; i < state.pages; i++) {
      let q = '?limit=' + PAGE_SIZE;
      if (state.statusFilter) q += '&status=' + encodeURIComponent(state.statusFilter);
      if (state.hideUnverified) q += '&hideUnverifiedVisitors=true';
      if (cursor) q += '&cursor=' + encodeURIComponent(cursor);
      const page = await api('/conversations' + q);
      items.push(...page.items);
      cursor = page.nextCursor || null;
      if (!cursor) break;
    }
    state.nextCursor = cursor;
    state.conversations = groupByCustomer(items);
    renderList();
  }

  // A customer who wrote on several channels before the identity engine linked them may have several conversations;
  // the agent sees one row per person (the most recent conversation) with every channel they used.
  function groupByCustomer(items) {
    const byCustomer = new Map();
    for (const c of items) {
      const key = c.customer.id;
      const g = byCustomer.get(key);
      if (!g) {
        byCustomer.set(key, Object.assign({}, c, { channels: (c.channels || []).slice(), conversationIds: [c.id] }));
        continue;
      }
      g.conversationIds.push(c.id);
      for (const ch of c.channels || []) if (!g.channels.some((x) => x.id === ch.id)) g.channels.push(ch);
      // The most recent conversation (first in the list) says whether the person still waits; if so, since the
      // oldest unanswered message in any of their conversations.
      if (g.waitingSince && c.waitingSince && c.waitingSince < g.waitingSince) g.waitingSince = c.waitingSince;
    }
    return [...byCustomer.values()];
  }

  function renderList() {
    const list = $('conv-list');
    list.replaceChildren();
    $('load-more').hidden = !state.nextCursor;
    if (!state.conversations.length) {
      list.append(h('li', { class: 'list-empty' },
        h('div', { style: 'font-weight:600;color:#161a23;margin-bottom:4px' }, state.statusFilter === 'resolved' ? 'Nothing resolved yet' : 'All caught up'),
        'New messages from Telegram, email, the website chat and VK appear here.'));
      return;
    }
    for (const c of state.conversations) {
      const name = (c.customer && c.customer.displayName) || 'Unknown customer';
      const channels = (c.customerChannels && c.customerChannels.length) ? c.customerChannels
        : (c.channels && c.channels.length) ? c.channels : (c.channel ? [c.channel] : []);
      const meta = [h('span', { class: 'pill pill-' + c.status }, cap(c.status))];
      if (c.waitingSince && c.status !== 'resolved') {
        const w = waited(c.waitingSince);
        meta.push(h('span', { class: 'pill pill-wait' + (w.late ? ' late' : ''), title: 'Waiting for an answer since ' + when(c.waitingSince) },
          h('span', { class: 'clock', html: ICONS.clock }), 'waiting ' + w.text));
      }
      if (c.assignee) meta.push(h('span', { class: 'pill pill-assignee' }, '@' + c.assignee));
      if (c.nextDeadline && c.status !== 'resolved' && window.SBOps) meta.push(window.SBOps.countdownPill(c.nextDeadline));
      if (c.unverifiedVisitor) meta.push(h('span', { class: 'badge-unverified', title: 'Anonymous website visitor: nothing verified yet' }, 'unverified'));
      const li = h('li', {
        class: 'conv' + (c.conversationIds.includes(state.selectedId) ? ' selected' : ''),
        dataset: { id: c.id },
        onclick: () => select(c.id),
      },
        avatar(name, c.customer && c.customer.id),
        h('div', { class: 'conv-main', style: 'min-width:0' },
          h('div', { class: 'conv-top' },
            h('span', { class: 'conv-name' }, name),
            h('span', { class: 'conv-time' }, c.lastMessage ? shortWhen(c.lastMessage.at) : shortWhen(c.updatedAt))),
          h('div', { class: 'conv-preview' },
            c.lastMessage ? ((c.lastMessage.direction === 'outbound' ? 'You: ' : '') + c.lastMessage.text) : 'No messages yet'),
          h('div', { class: 'conv-meta' },
            h('span', { class: 'conv-channels' }, channels.map((ch) => channelIcon(ch))),
            meta)));
      list.append(li);
    }
  }

  /** The conversation whose customer has waited longest for a person's answer (else the most recent one). */
  function longestWaiting() {
    const waiting = state.conversations.filter((c) => c.waitingSince).sort((a, b) => a.waitingSince.localeCompare(b.waitingSince));
    return waiting[0] || state.conversations[0];
  }

  // ---------- thread ----------
  async function select(id) {
    state.selectedId = id;
    state.via = null;
    renderList();
    await loadSelected();
  }

  async function loadSelected() {
    if (!state.selectedId) return;
    try {
      const conv = await api('/conversations/' + encodeURIComponent(state.selectedId));
      const customer = await api('/customers/' + encodeURIComponent(conv.customer.id));
      state.conversation = conv;
      state.customer = customer;
      renderThread();
      renderCustomer();
    } catch (e) {
      if (e.status === 404) {
        state.selectedId = null;
        state.conversation = null;
        state.customer = null;
        $('customer').replaceChildren();
        return;
      }
      throw e;
    }
  }

  function replyChannels() {
    const c = state.customer;
    if (!c) return [];
    const dnc = new Set((c.preferences && c.preferences.doNotContact) || []);
    const seen = new Map();
    for (const a of c.accounts) {
      const key = a.channel.id;
      if (seen.has(key)) continue;
      let reason = null;
      if (dnc.has(a.channel.type)) reason = 'Customer asked not to be contacted here';
      else if (a.blocked) reason = 'Account blocked';
      else if (a.blockedUs) reason = 'Customer blocked us on this channel';
      seen.set(key, { channel: a.channel, disabled: !!reason, reason });
    }
    return [...seen.values()];
  }

  function renderThread() {
    const conv = state.conversation;
    const cust = state.customer;
    const pane = $('thread');
    pane.replaceChildren();
    const name = cust.displayName || 'Unknown customer';
    const accountsByChannel = new Set(cust.accounts.map((a) => a.channel.type));

    const assignSelect = h('select', { 'aria-label': 'Assignee', onchange: (e) => assign(e.target.value) },
      h('option', { value: '' }, 'Unassigned'),
      ['maria', 'alex', 'support-bot'].map((a) => h('option', { value: a, selected: conv.assignee === a }, a === AGENT ? a + ' (me)' : a)));

    pane.append(h('div', { class: 'thread-head' },
      avatar(name, cust.id),
      h('div', { class: 'thread-title' },
        h('h2', null, name),
        h('div', { class: 'thread-sub' },
          h('span', { class: 'pill pill-' + conv.status }, cap(conv.status)),
          h('span', null, 'One history across ' + accountsByChannel.size + (accountsByChannel.size === 1 ? ' channel' : ' channels')),
          h('span', { class: 'conv-channels' }, [...accountsByChannel].map((t) => channelIcon({ type: t }))))),
      h('div', { class: 'thread-actions' },
        assignSelect,
        conv.status === 'resolved'
          ? h('span', { class: 'pill pill-ok' }, '✓ Resolved')
          : h('button', { class: 'btn', type: 'button', onclick: resolve }, '✓ Resolve'))));

    const timeline = h('div', { class: 'timeline', id: 'timeline' });
    let lastDay = null;
    const items = cust.timeline && cust.timeline.length ? cust.timeline : conv.messages;
    for (const m of items) {
      const day = dayLabel(m.sentAt);
      if (day !== lastDay) {
        timeline.append(h('div', { class: 'day-sep' }, day));
        lastDay = day;
      }
      timeline.append(renderMessage(m));
    }
    if (!items.length) timeline.append(h('div', { class: 'empty-state' }, h('p', { class: 'muted' }, 'No messages yet.')));
    pane.append(timeline);
    pane.append(renderComposer());
    requestAnimationFrame(() => { timeline.scrollTop = timeline.scrollHeight; });
  }

  function renderMessage(m) {
    const out = m.direction === 'outbound';
    const bubble = h('div', { class: 'bubble' });
    const choices = [];
    const texts = [];
    const media = [];
    for (const p of m.parts || []) {
      if (p.type === 'choices') {
        if (p.text) texts.push(p.text);
        for (const c of p.choices || []) choices.push(c);
      } else if (p.type === 'contact') {
        texts.push('Shared contact: ' + [p.name, p.phone, p.email].filter(Boolean).join(' · '));
      } else if (p.type === 'media') {
        media.push(p);
        if (p.text) texts.push(p.text);
      } else if (p.text) {
        texts.push(p.text);
      }
    }
    for (const p of media) bubble.append(renderMedia(p));
    if (texts.length || !media.length) bubble.append(h('div', { class: 'bubble-text' }, texts.length ? texts.join('\n') : m.text));
    if (choices.length) {
      bubble.append(h('div', { class: 'choices' }, choices.map((c) => h('span', { class: 'choice', title: c.action === 'share_phone' ? 'Telegram shows a "share my phone" button' : c.action },
        c.action === 'share_phone' ? h('span', { class: 'choice-icon', html: ICONS.phone }) : null, c.label))));
    }
    const meta = h('div', { class: 'msg-meta' },
      channelIcon(m.channel),
      h('span', null, channelLabel(m.channel) + ' · ' + when(m.sentAt)));
    if (out) {
      meta.append(h('span', null, '· ' + (m.agent || 'agent')));
      const st = m.status;
      const label = { queued: 'sending…', sent: 'sent', delivered: 'delivered', read: 'read', failed: 'failed' }[st] || st;
      meta.append(h('span', { class: 'msg-status ' + st, title: m.failureReason || '' }, '· ' + label + (st === 'failed' && m.failureReason ? ': ' + m.failureReason : '')));
    }
    return h('div', { class: 'msg' + (out ? ' out' : ''), dataset: { id: m.id, direction: m.direction, channel: m.channel.type } },
      out ? null : avatar(state.customer.displayName, state.customer.id, 'avatar-sm'),
      h('div', { class: 'msg-body' }, bubble, meta));
  }

  function humanSize(n) {
    if (n === undefined || n === null) return '';
    if (n < 1024) return n + ' B';
    if (n < 1024 * 1024) return (n / 1024).toFixed(n < 10240 ? 1 : 0) + ' KB';
    return (n / 1048576).toFixed(1) + ' MB';
  }

  // Media goes through the API's media route, which decides the type from the bytes and sandboxes it: images as
  // thumbnails, anything else as a file chip with name and size (a download, never a page on this origin).
  function renderMedia(p) {
    const name = p.fileName || (p.kind === 'image' ? 'photo' : 'file');
    if (!p.url) return h('div', { class: 'file-chip', title: 'Not stored on this server' }, h('span', { class: 'file-icon', html: ICONS.file }), h('span', { class: 'file-name' }, name));
    if (p.kind === 'image') {
      return h('a', { class: 'thumb-link', href: p.url, target: '_blank', rel: 'noopener noreferrer', title: name },
        h('img', { class: 'thumb', src: p.url, alt: name, loading: 'lazy' }));
    }
    return h('a', { class: 'file-chip', href: p.url, download: name, rel: 'noopener noreferrer' },
      h('span', { class: 'file-icon', html: ICONS.file }),
      h('span', { class: 'file-name' }, name),
      h('span', { class: 'file-size' }, humanSize(p.sizeBytes)));
  }

  function renderComposer() {
    const options = replyChannels();
    const conv = state.conversation;
    if (!state.via || !options.some((o) => o.channel.id === state.via && !o.disabled)) {
      const last = conv.channel && options.find((o) => o.channel.id === conv.channel.id && !o.disabled);
      const first = options.find((o) => !o.disabled);
      state.via = last ? last.channel.id : first ? first.channel.id : null;
    }
    const textarea = h('textarea', {
      id: 'reply-text', placeholder: 'Write a reply…', rows: 3, 'aria-label': 'Reply',
      onkeydown: (e) => { if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); send(); } },
    });
    const picker = h('div', { class: 'via-picker', role: 'radiogroup', 'aria-label': 'Send via' },
      options.map((o) => h('button', {
        type: 'button', role: 'radio', class: 'via' + (o.channel.id === state.via ? ' active' : ''),
        'aria-checked': String(o.channel.id === state.via), disabled: o.disabled, title: o.reason || ('Send via ' + channelLabel(o.channel)),
        dataset: { channel: o.channel.id },
        onclick: () => { state.via = o.channel.id; picker.querySelectorAll('.via').forEach((b) => { const on = b.dataset.channel === o.channel.id; b.classList.toggle('active', on); b.setAttribute('aria-checked', String(on)); }); },
      }, channelIcon(o.channel), channelLabel(o.channel))));
    return h('div', { class: 'composer' },
      h('div', { class: 'composer-box' },
        textarea,
        h('div', { class: 'composer-bar' },
          h('label', null, 'Send via'),
          picker,
          h('button', { class: 'btn btn-primary', id: 'reply-send', type: 'button', onclick: send, disabled: !state.via }, 'Send'))),
      h('div', { class: 'composer-hint' }, 'Ctrl+Enter to send · the reply goes out through the customer\'s own channel'));
  }

  async function send() {
    const textarea = $('reply-text');
    const text = textarea.value.trim();
    if (!text || state.sending || !state.selectedId) return;
    state.sending = true;
    $('reply-send').disabled = true;
    try {
      await post('/conversations/' + encodeURIComponent(state.selectedId) + '/reply', { text, channel: state.via });
      textarea.value = '';
      await refreshAll();
    } catch (e) {
      toast(e.message, true);
    } finally {
      state.sending = false;
      const b = $('reply-send');
      if (b) b.disabled = false;
    }
  }

  async function assign(agent) {
    try {
      await post('/conversations/' + encodeURIComponent(state.selectedId) + '/assign', { agent });
      toast(agent ? 'Assigned to ' + agent : 'Unassigned');
      await refreshAll();
    } catch (e) { toast(e.message, true); }
  }

  async function resolve() {
    try {
      const open = (state.customer.conversations || []).filter((c) => c.status !== 'resolved').map((c) => c.id);
      if (!open.includes(state.selectedId)) open.push(state.selectedId);
      for (const id of open) await post('/conversations/' + encodeURIComponent(id) + '/resolve', {});
      toast('Conversation resolved');
      await refreshAll();
    } catch (e) { toast(e.message, true); }
  }

  // ---------- customer card ----------
  function renderCustomer() {
    const c = state.customer;
    const pane = $('customer');
    pane.replaceChildren();
    const name = c.displayName || 'Unknown customer';
    const since = new Date(c.createdAt);

    const dnc = (c.preferences && c.preferences.doNotContact) || [];
    pane.append(h('div', { class: 'card' },
      h('div', { class: 'profile' },
        avatar(name, c.id, 'avatar-lg'),
        h('div', null,
          h('h2', null, name),
          h('div', { class: 'muted' }, 'Customer since ' + since.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric' })))),
      h('dl', { class: 'kv' },
        c.language ? [h('dt', null, 'Language'), h('dd', null, c.language)] : null,
        h('dt', null, 'Accounts'), h('dd', null, String(c.accounts.length)),
        h('dt', null, 'Messages'), h('dd', null, String((c.timeline || []).length)),
        (c.preferences && c.preferences.preferredChannel) ? [h('dt', null, 'Prefers'), h('dd', null, CHANNEL_LABEL[c.preferences.preferredChannel] || c.preferences.preferredChannel)] : null,
        dnc.length ? [h('dt', null, 'Do not contact'), h('dd', null, dnc.map((t) => h('span', { class: 'badge-dnc' }, CHANNEL_LABEL[t] || t)))] : null,
        Object.entries(c.attributes || {}).map(([k, v]) => [h('dt', null, k), h('dd', null, v)]))));

    const open = (c.suggestions || []).filter((s) => s.status === 'open');
    if (open.length) {
      pane.append(h('div', { class: 'card', id: 'suggestions' },
        h('h3', null, 'Possible duplicates', h('span', { class: 'count' }, String(open.length))),
        open.map(renderSuggestion)));
    }

    pane.append(h('div', { class: 'card', id: 'accounts' },
      h('h3', null, 'Linked accounts', h('span', { class: 'count' }, String(c.accounts.length))),
      c.accounts.length ? c.accounts.map((a) => h('div', { class: 'acct', dataset: { channel: a.channel.type } },
        channelIcon(a.channel),
        h('div', { class: 'acct-main' },
          h('div', { class: 'acct-title' }, a.displayName || a.username || a.platformUserId,
            a.blocked ? h('span', { class: 'badge-dnc' }, 'blocked') : null,
            a.blockedUs ? h('span', { class: 'badge-dnc', title: a.blockedUsReason || '' }, 'blocked us') : null),
          h('div', { class: 'acct-sub' }, channelLabel(a.channel) + ' · ' + a.platformUserId + (a.username ? ' · @' + a.username : '')),
          h('div', { class: 'acct-sub' }, 'Linked ' + when(a.linkedAt) + ' · ' + humanSource(a.source)))))
        : h('div', { class: 'none' }, 'No accounts.')));

    pane.append(h('div', { class: 'card', id: 'contacts' },
      h('h3', null, 'Contacts', h('span', { class: 'count' }, String(c.contacts.length))),
      c.contacts.length ? c.contacts.map((k) => h('div', { class: 'contact' },
        h('span', { class: 'contact-icon', html: k.kind === 'phone' ? ICONS.phone : k.kind === 'email' ? ICONS.at : ICONS.id }),
        h('div', { class: 'contact-main' },
          h('div', { class: 'contact-value' }, k.value,
            k.verified ? h('span', { class: 'badge-verified', title: 'Verified: ' + k.source }, '✓ verified') : h('span', { class: 'badge-unverified', title: 'Not verified: ' + k.source }, 'unverified')),
          h('div', { class: 'contact-sub' }, humanSource(k.source) + ' · ' + when(k.observedAt)))))
        : h('div', { class: 'none' }, 'No phone or email known yet.')));

    const merges = c.merges || [];
    pane.append(h('div', { class: 'card', id: 'merges' },
      h('h3', null, 'Merge log', h('span', { class: 'count' }, String(merges.length))),
      merges.length ? merges.map((m) => h('div', { class: 'merge' },
        h('span', { class: 'merge-dot' }),
        h('div', null,
          h('div', null, m.reason + (m.undone ? ' (undone)' : '')),
          h('div', { class: 'merge-sub' }, when(m.at) + ' · by ' + (m.actor === 'identity-engine' ? 'automatic rule' : m.actor)),
          h('div', null, (m.evidence || []).map((e) => h('span', { class: 'evidence' + (e.verified ? ' verified' : '') }, (e.verified ? '✓ ' : '') + e.value + ' · ' + humanSource(e.source)))))))
        : h('div', { class: 'none' }, 'Never merged: one account so far, or nothing verified links this person to another.')));

    const erased = c.attributes && c.attributes.erased === 'true';
    const consents = h('div', { id: 'consents' }, h('div', { class: 'none' }, 'Loading consents…'));
    pane.append(h('div', { class: 'card', id: 'privacy' },
      h('h3', null, 'Consent & privacy'),
      consents,
      erased ? h('div', { class: 'none' }, 'Erased: only an empty record is left.') : h('div', { class: 'privacy-actions' },
        h('a', { class: 'btn btn-sm', id: 'export-customer', href: API + '/customers/' + encodeURIComponent(c.id) + '/export',
          download: 'customer-export.zip' }, 'Export data'),
        h('button', { class: 'btn btn-sm btn-danger', id: 'erase-customer', type: 'button', onclick: () => erase(c) }, 'Erase…'))));
    loadConsents(c.id, consents).catch(() => consents.replaceChildren(h('div', { class: 'none' }, 'Consents unavailable.')));
  }

  async function loadConsents(id, box) {
    const ledger = await api('/customers/' + encodeURIComponent(id) + '/consents');
    const rows = [];
    for (const [purpose, perType] of Object.entries(ledger.inForce)) {
      const yes = Object.entries(perType).filter(([, v]) => v).map(([t]) => CHANNEL_LABEL[t] || t);
      rows.push(h('div', { class: 'consent-row', dataset: { purpose } }, h('span', null, purpose),
        h('span', { class: yes.length ? 'badge-verified' : 'faint' }, yes.length ? '✓ ' + yes.join(', ') : 'no consent')));
    }
    const last = ledger.entries[ledger.entries.length - 1];
    if (last) {
      rows.push(h('div', { class: 'contact-sub' }, 'Last: ' + last.purpose + (last.granted ? ' granted' : ' withdrawn') + ' · '
        + last.source + ' · ' + last.evidence.kind + ' ' + last.evidence.reference + (last.evidence.textVersion ? ' (text ' + last.evidence.textVersion + ')' : '')
        + ' · ' + when(last.at)));
    }
    box.replaceChildren(...rows);
  }

  async function erase(c) {
    const name = c.displayName || c.id;
    if (!window.confirm('Erase ' + name + '? Messages, accounts and profile are deleted for good; the erasure is recorded.')) return;
    try {
      const rec = await post('/customers/' + encodeURIComponent(c.id) + '/erase', {});
      toast('Erased ' + name + ': ' + rec.messages + ' messages deleted');
      state.selectedId = null;
      state.customer = null;
      $('customer').replaceChildren();
      await refreshAll();
    } catch (e) { toast(e.message, true); }
  }

  function renderSuggestion(s) {
    const me = state.customer.id;
    const aliases = new Set([me].concat(state.customer.aliases || []));
    const other = aliases.has(s.first.id) ? s.second : s.first;
    return h('div', { class: 'suggestion', dataset: { id: s.id } },
      h('div', { class: 'suggestion-head' },
        avatar(other.displayName || '?', other.id, 'avatar-sm'),
        h('span', { class: 'who' }, other.displayName || 'Unknown customer'),
        h('span', { class: 'score' }, Math.round(s.score * 100) + '% match')),
      h('ul', null, s.reasons.map((r) => h('li', null, r))),
      h('div', { class: 'actions' },
        h('button', { class: 'btn btn-sm btn-ok', type: 'button', onclick: () => decide(s.id, true) }, 'Merge'),
        h('button', { class: 'btn btn-sm', type: 'button', onclick: () => decide(s.id, false) }, 'Not the same person')));
  }

  async function decide(id, accept) {
    try {
      await post('/suggestions/' + encodeURIComponent(id) + '/decision', { accept });
      toast(accept ? 'Merged: one customer, one history' : 'Marked as different people');
      await refreshAll();
    } catch (e) { toast(e.message, true); }
  }

  const SOURCES = {
    'telegram.contact': 'shared via Telegram\'s contact button',
    'email.sender': 'sender of a received email',
    'webchat.hmac': 'signed in on the shop (HMAC)',
    'shop.account': 'confirmed by the shop (SMS / email link)',
    'first-contact': 'first message',
    'host.link': 'linked by the shop',
    'message.text': 'typed in a message',
  };
  function humanSource(s) {
    if (!s) return '';
    if (SOURCES[s]) return SOURCES[s];
    for (const [k, v] of Object.entries(SOURCES)) if (s.startsWith(k)) return v;
    return s.replace(/[._-]/g, ' ');
  }

  // ---------- scenario panel (demo only) ----------
  async function loadScenario() {
    try {
      const s = await api('/demo/scenario');
      const list = $('scenario-steps');
      list.replaceChildren(...s.steps.map((st) => h('li', { class: st.done ? 'done' : '' },
        h('span', { class: 'check' }, st.done ? '✓' : ''),
        h('div', null,
          h('div', { class: 'step-title' }, st.title),
          st.explanation ? h('div', { class: 'step-text' }, st.explanation) : null))));
      $('scenario-replay').disabled = s.state === 'running';
      $('scenario-toggle').hidden = false;
    } catch (e) {
      if (e.status === 404) $('scenario-toggle').hidden = true;
    }
  }

  async function loadChannels() {
    try {
      const res = await api('/channels');
      state.channels = res.items;
      $('channel-status').replaceChildren(...res.items.map((c) => h('span', { class: 'chan-pill' + (c.mode === 'demo' ? ' demo' : ''), title: c.mode === 'demo' ? 'Demo mode: a local fake of the platform' : 'Connected to the real platform' },
        h('span', { class: 'dot' }), (c.label || channelLabel(c)) + (c.mode === 'demo' ? ' · demo' : ''))));
    } catch (e) { /* the console still works without it */ }
  }

  // ---------- live refresh from the event feed ----------
  async function catchUpCursor() {
    for (;;) {
      const page = await api('/events?after=' + state.cursor + '&limit=1000');
      state.cursor = page.next;
      if (page.items.length < 1000) return;
    }
  }

  async function refreshAll() {
    if (window.SBOps) window.SBOps.refresh().catch(() => { /* the panel retries on its own */ });
    if (window.SBCampaigns) window.SBCampaigns.refresh().catch(() => { /* the panel retries on its own */ });
    await loadConversations();
    if (state.selectedId) await loadSelected();
    if (!$('scenario').hidden) await loadScenario();
  }

  async function poll() {
    try {
      const page = await api('/events?after=' + state.cursor + '&limit=200');
      if (page.items.length) {
        state.cursor = page.next;
        // Keep what the agent is typing: only the list and the read-only parts are rebuilt.
        const draft = $('reply-text') ? $('reply-text').value : '';
        await refreshAll();
        if ($('reply-text') && draft) $('reply-text').value = draft;
        if (!state.selectedId && state.conversations.length) await select(longestWaiting().id);
      } else {
        renderList(); // waiting times move on
      }
    } catch (e) {
      /* the server may be restarting: try again on the next tick */
    } finally {
      setTimeout(poll, POLL_MS);
    }
  }

  // ---------- login ----------
  function setAgent(agent) {
    AGENT = agent;
    $('agent-name').textContent = agent;
    $('agent-avatar').textContent = initials(agent);
  }

  const ensureLogin = session.ensureLogin;

  // the operations panel (ops.js) draws with the same helpers
  window.SB = { api, post, h, toast, channelIcon };

  // ---------- wiring ----------
  $('load-more').addEventListener('click', () => {
    state.pages += 1;
    loadConversations().catch((err) => toast(err.message, true));
  });
  $('hide-unverified').addEventListener('change', (e) => {
    state.hideUnverified = e.target.checked;
    state.pages = 1;
    loadConversations().catch((err) => toast(err.message, true));
  });
  $('status-tabs').addEventListener('click', (e) => {
    const tab = e.target.closest('.tab');
    if (!tab) return;
    document.querySelectorAll('.tab').forEach((t) => t.classList.toggle('active', t === tab));
    state.statusFilter = tab.dataset.status;
    state.pages = 1;
    loadConversations().catch((err) => toast(err.message, true));
  });
  $('scenario-toggle').addEventListener('click', () => {
    const s = $('scenario');
    s.hidden = !s.hidden;
    if (!s.hidden) loadScenario();
  });
  $('scenario-replay').addEventListener('click', async () => {
    try {
      await post('/demo/scenario/replay', {});
      toast('Scenario started: watch the inbox');
      loadScenario();
    } catch (e) { toast(e.message, true); }
  });

  (async function init() {
    try {
      if (location.hash === '#scenario') $('scenario').hidden = false;
      await ensureLogin();
      await Promise.all([loadChannels(), loadScenario()]);
      await catchUpCursor();
      await loadConversations();
      const wanted = new URLSearchParams(location.search).get('conversation');
      if (wanted) await select(wanted);
      else if (state.conversations.length) await select(longestWaiting().id);
    } catch (e) {
      toast('Cannot reach the API: ' + e.message, true);
    }
    setTimeout(poll, POLL_MS);
  })();
})();
