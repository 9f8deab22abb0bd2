/* The console's session, shared by its pages (index.html, reports.html): JSON calls to the demo API on the cookie
   session, and the login dialog (#login, #login-form, #login-agent, #login-secret, #login-error) with #logout. */
(function () {
  'use strict';

  const $ = (id) => document.getElementById(id);

  /** Starts a page's session on the API at {@code base}; {@code onAgent(agent)} is told who is logged in. */
  function start(base, onAgent) {
    let loginWaiters = [];

    /** Shows the login dialog; resolves once an agent has logged in. */
    function showLogin() {
      $('login').hidden = false;
      $('login-secret').focus();
      return new Promise((resolve) => loginWaiters.push(resolve));
    }

    /** A JSON call; a 401 opens the login dialog; a failure throws an Error with the API's message, code, status. */
    async function api(path, options) {
      const res = await fetch(base + path, Object.assign({ headers: { 'Accept': 'application/json' }, credentials: 'same-origin' }, options || {}));
      const text = await res.text();
      let body = null;
      try { body = text ? JSON.parse(text) : null; } catch (e) { body = null; }
      if (res.status === 401 && path !== '/auth/login') showLogin();
      if (!res.ok) {
        const err = new Error((body && body.error && body.error.message) || ('HTTP ' + res.status));
        err.code = body && body.error && body.error.code;
        err.status = res.status;
        throw err;
      }
      return body;
    }
    const post = (path, payload) => api(path, { method: 'POST', headers: { 'Content-Type': 'application/json', 'Accept': 'application/json' }, body: JSON.stringify(payload || {}) });

    $('login-form').addEventListener('submit', async (e) => {
      e.preventDefault();
      $('login-error').hidden = true;
      try {
        const me = await post('/auth/login', { agent: $('login-agent').value.trim(), secret: $('login-secret').value });
        $('login-secret').value = '';
        $('login').hidden = true;
        onAgent(me.agent);
        const waiters = loginWaiters;
        loginWaiters = [];
        waiters.forEach((w) => w());
      } catch (err) {
        $('login-error').textContent = err.message;
        $('login-error').hidden = false;
      }
    });

    $('logout').addEventListener('click', async () => {
      try { await post('/auth/logout', {}); } catch (e) { /* already logged out */ }
      location.reload();
    });

    /** Resolves once an agent is logged in (asking for a login while the session is missing). */
    async function ensureLogin() {
      for (;;) {
        try {
          onAgent((await api('/auth/me')).agent);
          return;
        } catch (e) {
          if (e.status !== 401) throw e;
          await showLogin();
        }
      }
    }

    return { api, post, showLogin, ensureLogin };
  }

  window.SBSession = { start };
})();
