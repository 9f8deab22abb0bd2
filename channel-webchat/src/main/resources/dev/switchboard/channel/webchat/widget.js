/* Switchboard website chat widget. Plain JS, no dependencies. Embed:
   <script>window.SwitchboardChat={server:'https://chat.example',lang:'ru',user:{id:'42',token:'<WebchatIdentity.sign(...)>'}}</script>
   <script src="https://chat.example/webchat/widget.js" async></script>
   Optional: title, user.name, transport: 'sse' (skip WebSocket where a proxy is known to break it), path: the site's
   base path with server (default '/webchat'; a server hosting several sites serves each at /webchat/<site>/widget.js).
   All visitor and agent text is rendered with textContent, never innerHTML. */
(function () {
  'use strict';
  var W = window, D = document, cfg = W.SwitchboardChat || {};
  if (cfg._loaded) return; cfg._loaded = true;
  // base: origin + the site's path (/webchat or /webchat/<site>), from cfg.server + cfg.path or this script's URL
  var src = D.currentScript && D.currentScript.src;
  var base = (cfg.server ? cfg.server.replace(/\/$/, '') + (cfg.path || '/webchat')
    : src ? src.replace(/\/widget\.js([?#].*)?$/, '') : location.origin + '/webchat').replace(/\/$/, '');
  var basePath = base.replace(/^https?:\/\/[^\/]+/, ''), baseOrigin = base.substring(0, base.length - basePath.length);
  var lang = cfg.lang === 'ru' ? 'ru' : 'en';
  var T = {
    en: { title: 'Chat with us', connecting: 'Connecting…', online: 'Online — we usually reply in a few minutes', offline: 'Offline — leave a message', reconnecting: 'Reconnecting… your messages are kept', placeholder: 'Type a message…', send: 'Send', attach: 'Attach a file', offlineNote: 'Nobody is online right now. Leave your message and email — we will answer by email.', email: 'Your email', typing: ' is typing…', agent: 'Agent', you: 'You', sending: 'sending…', sent: 'sent', read: 'read', failed: 'not sent', transcript: 'Email me this chat', transcriptSend: 'Send transcript', transcriptDone: 'Transcript sent to ', tooLarge: 'Message is too long', rateLimited: 'You are sending too fast; we will retry shortly', tooMany: 'Too many chat windows open', badEmail: 'Please check the email address', close: 'Close', open: 'Open chat', empty: 'Ask us anything — we are here to help.', uploadFailed: 'The file could not be uploaded', unavailable: 'Transcripts are not available', callback: 'Call me back', phone: 'Your phone', preferredTime: 'When is convenient (optional)', callbackSend: 'Request a call', badPhone: 'Please check the phone number' },
    ru: { title: 'Чат с нами', connecting: 'Подключение…', online: 'Онлайн — обычно отвечаем за несколько минут', offline: 'Сейчас нет операторов — оставьте сообщение', reconnecting: 'Переподключение… ваши сообщения сохранены', placeholder: 'Напишите сообщение…', send: 'Отправить', attach: 'Прикрепить файл', offlineNote: 'Сейчас никого нет на связи. Оставьте сообщение и email — мы ответим на почту.', email: 'Ваш email', typing: ' печатает…', agent: 'Оператор', you: 'Вы', sending: 'отправляется…', sent: 'отправлено', read: 'прочитано', failed: 'не отправлено', transcript: 'Прислать переписку на email', transcriptSend: 'Отправить переписку', transcriptDone: 'Переписка отправлена на ', tooLarge: 'Сообщение слишком длинное', rateLimited: 'Слишком часто; повторим отправку чуть позже', tooMany: 'Открыто слишком много окон чата', badEmail: 'Проверьте адрес email', close: 'Закрыть', open: 'Открыть чат', empty: 'Задайте вопрос — мы поможем.', uploadFailed: 'Не удалось загрузить файл', unavailable: 'Отправка переписки недоступна', callback: 'Перезвоните мне', phone: 'Ваш телефон', preferredTime: 'Когда удобно (необязательно)', callbackSend: 'Заказать звонок', badPhone: 'Проверьте номер телефона' }
  }[lang];
  var KEY = 'sbchat:' + (basePath === '/webchat' ? baseOrigin : base) + ':';
  function load(k, d) { try { var v = localStorage.getItem(KEY + k); return v == null ? d : JSON.parse(v); } catch (e) { return d; } }
  function save(k, v) { try { localStorage.setItem(KEY + k, JSON.stringify(v)); } catch (e) { } }

  var token = load('token', null), userKey = cfg.user && cfg.user.id ? String(cfg.user.id) : '';
  if (load('user', '') !== userKey) { token = null; save('cache', []); }
  var lastSeq = load('seq', 0), outbox = load('outbox', []), email = load('email', '');
  var ws = null, es = null, wsFails = 0, mode = cfg.transport === 'sse' ? 'sse' : 'ws', connected = false, online = true, retry = 0, timer = null;
  var bubbles = {}, lastAgentId = null, readSent = null, typingTimer = null, myTyping = 0, myTypingOff = null, opened = load('open', false);
  var state = 'connecting', limits = {}, cache = load('cache', []), cacheTimer = null;
  // The last messages, so a reload shows the conversation before (or without) the server's answer.
  function remember(m) {
    var key = m.from === 'agent' ? m.id : 'c:' + m.clientId;
    for (var i = cache.length - 1; i >= 0; i--) if ((cache[i].from === 'agent' ? cache[i].id : 'c:' + cache[i].clientId) === key) return;
    cache.push(m); if (cache.length > 200) cache = cache.slice(-200);
    clearTimeout(cacheTimer); cacheTimer = setTimeout(flushCache, 200);
  }
  // Writes are batched: flush when the page goes away, so a reload right after a message finds it.
  function flushCache() { clearTimeout(cacheTimer); cacheTimer = null; save('cache', cache); }
  window.addEventListener('pagehide', flushCache);

  // ---------- DOM helpers (textContent only)
  function icon(d, stroke) {
    var ns = 'http://www.w3.org/2000/svg', s = D.createElementNS(ns, 'svg'), p = D.createElementNS(ns, 'path');
    s.setAttribute('viewBox', '0 0 24 24'); s.setAttribute('width', '26'); s.setAttribute('height', '26'); s.setAttribute('aria-hidden', 'true');
    p.setAttribute('d', d); p.setAttribute('fill', stroke ? 'none' : 'currentColor');
    if (stroke) { p.setAttribute('stroke', 'currentColor'); p.setAttribute('stroke-width', '2'); p.setAttribute('stroke-linecap', 'round'); }
    s.appendChild(p); return s;
  }
  function el(tag, cls, text) { var e = D.createElement(tag); if (cls) e.className = cls; if (text != null) e.textContent = text; return e; }
  function css() {
    var c = '#sbc{position:fixed;z-index:2147483000;right:20px;bottom:20px;font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2430}' +
      '#sbc *{box-sizing:border-box}' +
      '.sbc-launch{width:60px;height:60px;border-radius:50%;border:0;background:#2458e6;color:#fff;cursor:pointer;display:flex;align-items:center;justify-content:center;box-shadow:0 6px 20px rgba(20,40,120,.35);float:right}' +
      '.sbc-panel{display:none;flex-direction:column;width:370px;height:560px;max-height:calc(100vh - 110px);background:#fff;border-radius:16px;box-shadow:0 12px 40px rgba(0,0,0,.22);overflow:hidden;margin-bottom:12px}' +
      '#sbc.sbc-open .sbc-panel{display:flex}' +
      '.sbc-head{background:#2458e6;color:#fff;padding:14px 16px;display:flex;align-items:center;gap:8px}' +
      '.sbc-head b{font-size:16px;display:block}.sbc-head .sbc-t{flex:1;min-width:0}' +
      '.sbc-state{font-size:12px;opacity:.9;display:flex;align-items:center;gap:6px}' +
      '.sbc-dot{width:8px;height:8px;border-radius:50%;background:#aab;display:inline-block}' +
      '.sbc-s-online .sbc-dot{background:#3ddc84}.sbc-s-offline .sbc-dot{background:#ffc247}.sbc-s-reconnecting .sbc-dot,.sbc-s-connecting .sbc-dot{background:#ff7a6b}' +
      '.sbc-hb{background:rgba(255,255,255,.16);border:0;color:#fff;border-radius:8px;padding:6px 9px;cursor:pointer;font-size:15px}' +
      '.sbc-list{flex:1;overflow-y:auto;padding:14px 12px;background:#f5f7fb}' +
      '.sbc-empty{color:#778;text-align:center;margin:30px 10px}' +
      '.sbc-msg{max-width:82%;margin:6px 0;clear:both;word-wrap:break-word;white-space:pre-wrap}' +
      '.sbc-msg .sbc-b{padding:9px 12px;border-radius:14px;display:inline-block}' +
      '.sbc-agent{float:left}.sbc-agent .sbc-b{background:#fff;border:1px solid #e3e7f0;border-bottom-left-radius:4px}' +
      '.sbc-visitor{float:right;text-align:right}.sbc-visitor .sbc-b{background:#2458e6;color:#fff;border-bottom-right-radius:4px;text-align:left}' +
      '.sbc-name{font-size:11px;color:#667;margin:0 4px 2px}.sbc-meta{font-size:11px;color:#889;margin:2px 4px 0}' +
      '.sbc-failed .sbc-b{background:#c8372d}.sbc-pending .sbc-b{opacity:.7}' +
      '.sbc-b img{max-width:220px;max-height:220px;border-radius:8px;display:block;margin-top:4px}.sbc-b a{color:inherit}' +
      '.sbc-note{clear:both;text-align:center;font-size:12px;color:#667;margin:8px 0}' +
      '.sbc-typing{font-size:12px;color:#667;padding:0 14px 4px;min-height:18px;background:#f5f7fb}' +
      '.sbc-qr{display:flex;flex-wrap:wrap;gap:6px;padding:0 12px 8px;background:#f5f7fb}' +
      '.sbc-qr button{border:1px solid #2458e6;color:#2458e6;background:#fff;border-radius:16px;padding:6px 12px;cursor:pointer;font:inherit}' +
      '.sbc-qr button.sbc-star{border:0;background:none;color:#c5cad6;font-size:26px;line-height:1;padding:0 2px;border-radius:4px}.sbc-qr button.sbc-star.sbc-lit{color:#f5a623}' +
      '.sbc-off{background:#fff8e6;color:#6b5200;font-size:12px;padding:8px 12px;border-top:1px solid #f1e3b5}' +
      '.sbc-form{border-top:1px solid #e3e7f0;padding:8px;display:flex;flex-direction:column;gap:6px;background:#fff}' +
      '.sbc-row{display:flex;gap:6px;align-items:flex-end}' +
      '.sbc-form textarea,.sbc-form input[type=email]{flex:1;border:1px solid #d5dbe8;border-radius:10px;padding:8px 10px;font:inherit;resize:none;min-width:0}' +
      '.sbc-form textarea{height:40px;max-height:120px}' +
      '.sbc-send{background:#2458e6;color:#fff;border:0;border-radius:10px;padding:0 14px;height:40px;cursor:pointer;font:inherit}' +
      '.sbc-att{background:#eef2fb;color:#2458e6;border:0;border-radius:10px;width:40px;height:40px;cursor:pointer;display:flex;align-items:center;justify-content:center}.sbc-att svg{width:20px;height:20px}' +
      'html.sbc-lock{overflow:hidden}' +
      '.sbc-cards{display:flex;gap:8px;overflow-x:auto;padding:6px 0;max-width:100%}.sbc-card{flex:0 0 180px;border:1px solid #d5dbe8;border-radius:10px;padding:8px;background:#fff;display:flex;flex-direction:column;gap:4px}' +
      '.sbc-card img{width:100%;border-radius:6px}.sbc-card-title{font-weight:600;color:inherit}.sbc-card-desc{font-size:13px;color:#55607a}.sbc-card button{border:1px solid #2458e6;background:#fff;color:#2458e6;border-radius:8px;padding:4px 8px;cursor:pointer;font:inherit}' +
      '.sbc-tr{display:none;padding:8px;gap:6px;background:#eef2fb}.sbc-tr.sbc-show{display:flex}' +
      '.sbc-tr input{flex:1;border:1px solid #d5dbe8;border-radius:8px;padding:6px 8px;font:inherit;min-width:0}.sbc-tr button{border:0;background:#2458e6;color:#fff;border-radius:8px;padding:0 10px;cursor:pointer}' +
      '@media (max-width:480px){#sbc{right:12px;bottom:12px}#sbc.sbc-open{left:0;right:0;top:0;bottom:0}#sbc.sbc-open .sbc-launch{display:none}' +
      '#sbc.sbc-open .sbc-panel{width:100%;height:100%;max-height:none;border-radius:0;margin:0}}';
    var s = el('style'); s.textContent = c; D.head.appendChild(s);
  }

  var root, panel, stateEl, stateText, list, typingEl, qr, offEl, emailIn, input, fileIn, trBox, trIn, cbBox, cbPhone, cbTime, launch;
  function build() {
    css();
    root = el('div'); root.id = 'sbc';
    panel = el('div', 'sbc-panel'); panel.setAttribute('role', 'dialog'); panel.setAttribute('aria-label', T.title);
    var head = el('div', 'sbc-head'), t = el('div', 'sbc-t');
    t.appendChild(el('b', null, cfg.title || T.title));
    stateEl = el('div', 'sbc-state'); stateEl.appendChild(el('span', 'sbc-dot')); stateText = el('span', 'sbc-state-text'); stateEl.appendChild(stateText); t.appendChild(stateEl);
    head.appendChild(t);
    var trBtn = el('button', 'sbc-hb sbc-trbtn', '✉'); trBtn.title = T.transcript; trBtn.setAttribute('aria-label', T.transcript);
    trBtn.onclick = function () { trBox.classList.toggle('sbc-show'); if (email && !trIn.value) trIn.value = email; trIn.focus(); };
    var cbBtn = el('button', 'sbc-hb sbc-cbbtn', '☎'); cbBtn.title = T.callback; cbBtn.setAttribute('aria-label', T.callback);
    cbBtn.onclick = function () { cbBox.classList.toggle('sbc-show'); cbPhone.focus(); };
    var x = el('button', 'sbc-hb sbc-close', '✕'); x.title = T.close; x.setAttribute('aria-label', T.close); x.onclick = function () { toggle(false); };
    head.appendChild(cbBtn); head.appendChild(trBtn); head.appendChild(x); panel.appendChild(head);
    cbBox = el('div', 'sbc-tr sbc-cb'); cbPhone = el('input'); cbPhone.type = 'tel'; cbPhone.placeholder = T.phone; cbPhone.maxLength = 40;
    cbTime = el('input'); cbTime.type = 'text'; cbTime.placeholder = T.preferredTime; cbTime.maxLength = 100;
    var cbGo = el('button', null, T.callbackSend); cbGo.onclick = requestCallback; cbBox.appendChild(cbPhone); cbBox.appendChild(cbTime); cbBox.appendChild(cbGo); panel.appendChild(cbBox);
    trBox = el('div', 'sbc-tr'); trIn = el('input'); trIn.type = 'email'; trIn.placeholder = T.email;
    var trGo = el('button', null, T.transcriptSend); trGo.onclick = requestTranscript; trBox.appendChild(trIn); trBox.appendChild(trGo); panel.appendChild(trBox);
    list = el('div', 'sbc-list'); list.setAttribute('aria-live', 'polite'); list.appendChild(el('div', 'sbc-empty', T.empty)); panel.appendChild(list);
    typingEl = el('div', 'sbc-typing'); panel.appendChild(typingEl);
    qr = el('div', 'sbc-qr'); panel.appendChild(qr);
    offEl = el('div', 'sbc-off', T.offlineNote); panel.appendChild(offEl);
    var form = el('div', 'sbc-form');
    emailIn = el('input', 'sbc-email'); emailIn.type = 'email'; emailIn.placeholder = T.email; emailIn.value = email;
    emailIn.onchange = function () { email = emailIn.value.trim(); save('email', email); };
    form.appendChild(emailIn);
    var row = el('div', 'sbc-row');
    fileIn = el('input'); fileIn.type = 'file'; fileIn.style.display = 'none'; fileIn.onchange = function () { if (fileIn.files[0]) upload(fileIn.files[0]); fileIn.value = ''; };
    var att = el('button', 'sbc-att'); att.appendChild(icon('M20 11.5l-8 8a5 5 0 0 1-7-7l8.5-8.5a3.3 3.3 0 0 1 4.7 4.7L9.7 17.2a1.7 1.7 0 0 1-2.4-2.4L15 7.1', 1)); att.title = T.attach; att.setAttribute('aria-label', T.attach); att.onclick = function () { fileIn.click(); };
    input = el('textarea', 'sbc-input'); input.placeholder = T.placeholder; input.rows = 1;
    input.onkeydown = function (e) { if (e.key === 'Enter' && !e.shiftKey) { e.preventDefault(); submit(); } };
    input.oninput = typing;
    var send = el('button', 'sbc-send', T.send); send.onclick = submit;
    row.appendChild(fileIn); row.appendChild(att); row.appendChild(input); row.appendChild(send); form.appendChild(row); panel.appendChild(form);
    root.appendChild(panel);
    launch = el('button', 'sbc-launch'); launch.appendChild(icon('M6 3h12a3 3 0 0 1 3 3v8a3 3 0 0 1-3 3h-7l-5 4v-4a3 3 0 0 1-3-3V6a3 3 0 0 1 3-3z')); launch.setAttribute('aria-label', T.open); launch.onclick = function () { toggle(!root.classList.contains('sbc-open')); };
    root.appendChild(launch);
    D.body.appendChild(root);
    if (token) { cache.forEach(function (m) { render(m, false); }); outbox.forEach(function (m) { render(m, true); }); }
    if (opened) toggle(true);
    setState('connecting'); showPresence();
  }
  function toggle(on) { root.classList.toggle('sbc-open', on); D.documentElement.classList.toggle('sbc-lock', on && W.innerWidth <= 480); save('open', on); if (on) { input.focus(); scroll(); markRead(); } }
  function setState(s) { state = s; stateEl.className = 'sbc-state sbc-s-' + (s === 'live' ? (online ? 'online' : 'offline') : s); stateText.textContent = s === 'live' ? (online ? T.online : T.offline) : T[s]; root.setAttribute('data-state', s); }
  function showPresence() { offEl.style.display = online ? 'none' : 'block'; emailIn.style.display = online ? 'none' : 'block'; if (state === 'live') setState('live'); }
  function scroll() { list.scrollTop = list.scrollHeight; }
  function note(text) { list.appendChild(el('div', 'sbc-note', text)); scroll(); }

  // ---------- rendering
  function fileUrl(u) { var i = u.indexOf(basePath + '/files/'); return i === 0 || (i > 0 && /^https?:\/\/[^\/]+$/.test(u.substring(0, i))) ? (i === 0 ? baseOrigin : '') + u + '?token=' + encodeURIComponent(token) : u; }
  function safeHref(u) { return /^(https?:|\/)/i.test(u) ? u : '#'; }
  function attachment(b, a) {
    if (/^image\//.test(a.mime || '')) { var i = el('img'); i.alt = a.name || ''; i.src = safeHref(fileUrl(a.url)); b.appendChild(i); }
    else { var l = el('a', null, (a.name || 'file')); l.href = safeHref(fileUrl(a.url)); l.target = '_blank'; l.rel = 'noopener'; b.appendChild(D.createElement('br')); b.appendChild(l); }
  }
  function choose(btn) { if (btn.url) W.open(safeHref(btn.url), '_blank', 'noopener'); else postback(btn); }
  // cards: built from elements and textContent like every bubble; links only through safeHref
  function cardRow(cards) {
    var row = el('div', 'sbc-cards');
    cards.forEach(function (c) {
      var card = el('div', 'sbc-card');
      if (c.image && c.image.url) { var i = el('img'); i.alt = c.title || ''; i.src = safeHref(fileUrl(c.image.url)); card.appendChild(i); }
      var t = el(c.link ? 'a' : 'div', 'sbc-card-title', c.title);
      if (c.link) { t.href = safeHref(c.link); t.target = '_blank'; t.rel = 'noopener'; }
      card.appendChild(t);
      if (c.description) card.appendChild(el('div', 'sbc-card-desc', c.description));
      (c.buttons || []).forEach(function (btn) { var q = el('button', null, btn.label); q.onclick = function () { choose(btn); }; card.appendChild(q); });
      row.appendChild(card);
    });
    return row;
  }
  // a survey (postbacks survey:<id>:1..5) is drawn as five stars, each named by its label
  function isSurvey(buttons) {
    return !!buttons && buttons.length === 5 && buttons.every(function (b, i) {
      return typeof b.payload === 'string' && /^survey:[^:]+:[1-5]$/.test(b.payload) && b.payload.slice(-1) === String(i + 1);
    });
  }
  function stars(buttons) {
    var all = [];
    function light(n) { all.forEach(function (s, i) { s.classList.toggle('sbc-lit', i < n); }); }
    buttons.forEach(function (btn, i) {
      var s = el('button', 'sbc-star', '\u2605');
      s.title = btn.label; s.setAttribute('aria-label', (i + 1) + ' \u2605 ' + btn.label);
      s.onmouseenter = s.onfocus = function () { light(i + 1); };
      s.onmouseleave = s.onblur = function () { light(0); };
      s.onclick = function () { choose(btn); };
      all.push(s); qr.appendChild(s);
    });
    qr.setAttribute('data-survey', '1');
  }
  function render(m, pending) {
    var visitor = m.from !== 'agent', key = visitor ? 'c:' + m.clientId : m.id, node = bubbles[key];
    var empty = list.querySelector('.sbc-empty'); if (empty) empty.remove();
    if (!node) {
      node = el('div', 'sbc-msg ' + (visitor ? 'sbc-visitor' : 'sbc-agent'));
      node.setAttribute('data-from', visitor ? 'visitor' : 'agent');
      if (!visitor) node.appendChild(el('div', 'sbc-name', m.name || T.agent));
      var b = el('div', 'sbc-b'); if (m.text) b.appendChild(D.createTextNode(m.text));
      (m.attachments || []).forEach(function (a) { attachment(b, a); });
      if (m.media && m.media.url) attachment(b, { url: m.media.url, name: m.media.name, mime: m.media.mime });
      node.appendChild(b);
      if (m.cards && m.cards.length) node.appendChild(cardRow(m.cards));
      if (visitor) node.appendChild(el('div', 'sbc-meta'));
      bubbles[key] = node; list.appendChild(node);
    }
    if (m.id) node.setAttribute('data-id', m.id);
    if (m.seq) node.setAttribute('data-seq', m.seq);
    if (visitor) {
      node.classList.toggle('sbc-pending', !!pending); node.classList.remove('sbc-failed');
      node.querySelector('.sbc-meta').textContent = pending ? T.sending : (node.getAttribute('data-read') ? T.read : T.sent);
    } else {
      lastAgentId = m.id; typingEl.textContent = '';
      qr.textContent = ''; qr.removeAttribute('data-survey');
      if (isSurvey(m.buttons)) stars(m.buttons);
      else (m.buttons || []).forEach(function (btn) {
        var q = el('button', null, btn.label);
        q.onclick = function () { choose(btn); };
        qr.appendChild(q);
      });
    }
    scroll();
  }
  function markReadUpTo(seq) {
    Object.keys(bubbles).forEach(function (k) {
      var n = bubbles[k];
      if (k.indexOf('c:') === 0 && +n.getAttribute('data-seq') && +n.getAttribute('data-seq') <= seq) { n.setAttribute('data-read', '1'); n.querySelector('.sbc-meta').textContent = T.read; }
    });
  }
  function failed(clientId, text) {
    var n = bubbles['c:' + clientId]; dropOutbox(clientId);
    if (n) { n.classList.remove('sbc-pending'); n.classList.add('sbc-failed'); n.querySelector('.sbc-meta').textContent = T.failed + ' — ' + text; }
  }

  // ---------- protocol
  function handle(ev) {
    if (ev.seq) { if (ev.seq <= lastSeq) return; lastSeq = ev.seq; save('seq', lastSeq); }
    switch (ev.type) {
      case 'ready':
        connected = true; retry = 0; online = ev.online; limits = ev.limits || limits; setState('live'); showPresence();
        if (ev.lastSeq < lastSeq) { lastSeq = 0; history(); }
        flush(); break;
      case 'gap': history(); break;
      case 'message':
        if (ev.from !== 'agent') dropOutbox(ev.clientId);
        render(ev, false); remember(ev); if (ev.from === 'agent') markRead(); break;
      case 'ack': dropOutbox(ev.clientId); var n = bubbles['c:' + ev.clientId]; if (n && n.classList.contains('sbc-pending')) { n.classList.remove('sbc-pending'); n.querySelector('.sbc-meta').textContent = T.sent; } break;
      case 'read': if (ev.by === 'agent') markReadUpTo(ev.upTo); break;
      case 'typing': clearTimeout(typingTimer); typingEl.textContent = ev.on ? (ev.name || T.agent) + T.typing : ''; if (ev.on) typingTimer = setTimeout(function () { typingEl.textContent = ''; }, 8000); break;
      case 'presence': online = ev.online; showPresence(); break;
      case 'transcript_sent': note(T.transcriptDone + ev.email); break;
      case 'error': error(ev); break;
    }
  }
  function error(ev) {
    var c = ev.code;
    if (c === 'invalid_token') { token = null; save('token', null); stop(); start(); return; }
    if (c === 'too_many_connections') { stop(); note(T.tooMany); schedule(30000); return; }
    if (!ev.clientId || ev.clientId === 'transcript') { if (c === 'invalid_email') note(T.badEmail); else if (c === 'transcript_unavailable') note(T.unavailable); else if (ev.clientId) note(ev.message); return; }
    if (!findOutbox(ev.clientId)) return;
    if (c === 'rate_limited') { note(T.rateLimited); later(ev.clientId, ev.retryAfterMs || 5000); }
    else if (c === 'not_stored') later(ev.clientId, 2000);
    else failed(ev.clientId, c === 'message_too_large' ? T.tooLarge : c === 'invalid_email' ? T.badEmail : c === 'invalid_phone' ? T.badPhone : ev.message);
  }
  function later(clientId, ms) { setTimeout(function () { var m = findOutbox(clientId); if (m) transmit(m); }, ms); }
  function findOutbox(id) { for (var i = 0; i < outbox.length; i++) if (outbox[i].clientId === id) return outbox[i]; return null; }
  function dropOutbox(id) { var n = outbox.filter(function (m) { return m.clientId !== id; }); if (n.length !== outbox.length) { outbox = n; save('outbox', outbox); } }
  function frame(f) {
    if (!connected) return false;
    if (mode === 'ws' && ws && ws.readyState === 1) { ws.send(JSON.stringify(f)); return true; }
    if (mode === 'sse') { api('POST', '/messages', JSON.stringify(f)).then(null, function () { }); return true; /* results arrive on the event stream */ }
    return false;
  }
  function transmit(m) { return frame(m); }
  function flush() { outbox.forEach(transmit); }
  function newId() { return 'c' + Date.now().toString(36) + Math.random().toString(36).slice(2, 10); }
  function queue(m) { outbox.push(m); save('outbox', outbox); render(m, true); transmit(m); }
  function submit() {
    var text = input.value.trim(); if (!text) return;
    if (limits.maxMessageBytes && new TextEncoder().encode(text).length > limits.maxMessageBytes) { note(T.tooLarge); return; }
    var m = { type: 'message', clientId: newId(), text: text };
    if (!online) { email = emailIn.value.trim(); save('email', email); if (email) m.email = email; }
    input.value = ''; stopTyping(); queue(m);
  }
  function postback(btn) { qr.textContent = ''; queue({ type: 'postback', clientId: newId(), payload: btn.payload, label: btn.label, text: btn.label }); }
  function typing() {
    var now = Date.now(); if (now - myTyping > 3000) { myTyping = now; frame({ type: 'typing', on: true }); }
    clearTimeout(myTypingOff); myTypingOff = setTimeout(stopTyping, 4000);
  }
  function stopTyping() { if (myTyping) { myTyping = 0; frame({ type: 'typing', on: false }); } clearTimeout(myTypingOff); }
  function markRead() { if (lastAgentId && lastAgentId !== readSent && root.classList.contains('sbc-open') && connected) { if (frame({ type: 'read', id: lastAgentId })) readSent = lastAgentId; } }
  function requestCallback() {
    var p = cbPhone.value.trim(); if (!p) { cbPhone.focus(); return; }
    var t = cbTime.value.trim(), m = { type: 'callback', clientId: newId(), phone: p, text: T.callback + ': ' + p + (t ? ' (' + t + ')' : '') };
    if (t) m.preferredTime = t;
    cbPhone.value = ''; cbTime.value = ''; cbBox.classList.remove('sbc-show'); queue(m);
  }
  function requestTranscript() {
    var e = trIn.value.trim(); if (!e) return; email = e; save('email', e);
    if (frame({ type: 'transcript', email: e })) trBox.classList.remove('sbc-show'); else note(T.reconnecting);
  }
  function upload(file) {
    api('POST', '/upload?name=' + encodeURIComponent(file.name), file, file.type || 'application/octet-stream').then(function (a) {
      if (!a || !a.id) { note(a && a.code === 'file_too_large' ? T.uploadFailed + ' (' + Math.round(a.limit / 1048576) + ' MB)' : T.uploadFailed); return; }
      queue({ type: 'message', clientId: newId(), text: input.value.trim(), attachments: [{ id: a.id, name: a.name, mime: a.mime, url: a.url }] }); input.value = '';
    }, function () { note(T.uploadFailed); });
  }
  function api(method, path, body, type) {
    var url = base + path + (path.indexOf('?') < 0 ? '?' : '&') + (token ? 'token=' + encodeURIComponent(token) : '');
    return fetch(url, { method: method, body: body, headers: body ? { 'Content-Type': type || 'application/json' } : {} }).then(function (r) {
      return r.json().then(function (j) { if (r.status === 401 && j.code === 'invalid_token') { token = null; save('token', null); } return j; });
    });
  }

  // ---------- session, history, transports
  function session() {
    if (token) return Promise.resolve();
    var body = { lang: lang }; if (cfg.user && cfg.user.id) body.user = cfg.user.token ? { id: String(cfg.user.id), token: String(cfg.user.token) } : { id: String(cfg.user.id), hash: cfg.user.hash || '' };
    if (cfg.user && cfg.user.name) body.name = cfg.user.name;
    return api('POST', '/session', JSON.stringify(body)).then(function (s) {
      if (!s.token) throw new Error('no session');
      token = s.token; online = s.online; save('token', token); save('user', userKey); lastSeq = 0; save('seq', 0);
      cache = []; save('cache', []);
    });
  }
  function history() {
    return api('GET', '/history').then(function (h) {
      if (!h.events) throw new Error('no history');
      online = h.online; showPresence();
      cache = []; bubbles = {}; list.textContent = ''; qr.textContent = '';
      if (!h.events.length && !outbox.length) list.appendChild(el('div', 'sbc-empty', T.empty));
      h.events.forEach(function (e) { if (e.type === 'message') { render(e, false); remember(e); } else if (e.type === 'read' && e.by === 'agent') markReadUpTo(e.upTo); });
      outbox.forEach(function (m) { if (!bubbles['c:' + m.clientId] || bubbles['c:' + m.clientId].classList.contains('sbc-pending')) render(m, true); });
      if (h.lastSeq > lastSeq || lastSeq > h.lastSeq) { lastSeq = h.lastSeq; save('seq', lastSeq); }
    });
  }
  function connect() {
    if (!token) { start(); return; }
    var q = '?token=' + encodeURIComponent(token) + '&after=' + lastSeq, ok = false;
    if (mode === 'ws' && W.WebSocket) {
      ws = new WebSocket(base.replace(/^http/, 'ws') + '/ws' + q);
      ws.onopen = function () { ok = true; wsFails = 0; };
      ws.onmessage = function (e) { try { handle(JSON.parse(e.data)); } catch (x) { } };
      ws.onclose = function () { ws = null; lost(); if (!ok && ++wsFails >= 3) mode = 'sse'; schedule(); };
    } else {
      mode = 'sse';
      es = new EventSource(base + '/events' + q);
      es.onmessage = function (e) { try { handle(JSON.parse(e.data)); } catch (x) { } };
      es.onerror = function () { lost(); if (es) { es.close(); es = null; } schedule(); };
    }
  }
  function lost() { if (connected || state !== 'reconnecting') { connected = false; setState('reconnecting'); } }
  function schedule(ms) {
    clearTimeout(timer);
    var d = ms || Math.min(15000, 500 * Math.pow(2, retry++)) * (0.8 + Math.random() * 0.4);
    timer = setTimeout(connect, d);
  }
  function stop() { clearTimeout(timer); connected = false; if (ws) { ws.onclose = null; ws.close(); ws = null; } if (es) { es.close(); es = null; } }
  function start() {
    session().then(history).then(connect, function () { lost(); clearTimeout(timer); timer = setTimeout(start, Math.min(15000, 1000 * Math.pow(2, retry++))); });
  }
  W.addEventListener('online', function () { if (!connected) { retry = 0; stop(); connect(); } });
  setInterval(function () { if (mode === 'ws' && connected) frame({ type: 'ping' }); }, 25000);
  cfg.state = function () { return { state: state, connected: connected, online: online, lastSeq: lastSeq, outbox: outbox.length, mode: mode }; };
  cfg.open = function () { toggle(true); };
  if (D.body) { build(); start(); } else D.addEventListener('DOMContentLoaded', function () { build(); start(); });
})();
