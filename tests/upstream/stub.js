// stub.js - a small OAuth 2.0 provider for the tests, on a loopback port of
// its own, for what oidc-provider does not do: it takes token requests as
// JSON (and, when told, as forms), and it misbehaves on demand (a status,
// an OAuth error, silence, a slow answer, a redirect from the token
// endpoint). Consent is given at once. Refresh tokens are rotated unless
// told not to return one.
//
// usage: node tests/upstream/stub.js
// Prints one line of JSON: {"pid", "port", "base", "client_id",
// "client_secret"}; stops on SIGTERM.
//
//   GET  /authorize    consent at once: back to redirect_uri with a code
//   POST /token        authorization_code (PKCE S256 checked when a challenge
//                      was sent) and refresh_token grants
//   POST /revoke       RFC 7009: notes the token revoked
//   GET  /userinfo     {email, preferred_username, name} of the bearer
//   POST /redirected   where the redirect mode sends token requests (counted)
//   GET  /test/stats   what the stub saw; revoked lists the tokens revoked
//   POST /test/set     a JSON body of settings: mode ("ok", "silent",
//                      "redirect", "error"), status and error (for "error"),
//                      expiresIn, rotate (false: no new refresh token),
//                      slowMs, acceptForm (take form bodies too), deny
//   GET  /test/active?token=AT   {active}
'use strict';

const http = require('node:http');
const crypto = require('node:crypto');

const clientId = 'stub-client';
const clientSecret = crypto.randomBytes(24).toString('base64url');
const settings = { mode: 'ok', status: 400, error: 'invalid_grant', expiresIn: 3600, rotate: true, slowMs: 0, acceptForm: false, deny: false };
const stats = {
  tokenRequests: 0, codes: 0, refreshes: 0, redirectHits: 0, revoked: [], lastClientAuth: null,
  lastContentType: null, lastVerifier: null, lastChallenge: null, abandoned: 0, refused: 0,
};
const codes = new Map();   // code -> { challenge, redirectUri }
const access = new Set();  // good access tokens
const refresh = new Set(); // good refresh tokens
const rand = () => crypto.randomBytes(18).toString('base64url');
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function send(res, status, body, headers = {}) {
  res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', ...headers });
  res.end(body === undefined ? '' : JSON.stringify(body));
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (d) => { text += d; if (text.length > 1 << 20) req.destroy(); });
    req.on('end', () => resolve(text));
    req.on('error', reject);
  });
}

// The parameters of a token request, and how the client authenticated.
function params(req, text) {
  const type = (req.headers['content-type'] || '').split(';')[0].trim();
  let p;
  if (type === 'application/json') p = JSON.parse(text);
  else if (type === 'application/x-www-form-urlencoded' && settings.acceptForm) p = Object.fromEntries(new URLSearchParams(text));
  else return { refused: type };
  let id = p.client_id;
  let sec = p.client_secret;
  let how = 'post';
  const auth = req.headers.authorization || '';
  if (auth.startsWith('Basic ')) {
    const [u, s] = Buffer.from(auth.slice(6), 'base64').toString().split(':');
    id = decodeURIComponent(u);
    sec = decodeURIComponent(s);
    how = 'basic';
  }
  return { p, ok: id === clientId && sec === clientSecret, how };
}

function issue(withRefresh) {
  const at = `at-${rand()}`;
  access.add(at);
  const body = { access_token: at, token_type: 'Bearer', expires_in: settings.expiresIn, scope: 'read write' };
  if (withRefresh) {
    const rt = `rt-${rand()}`;
    refresh.add(rt);
    body.refresh_token = rt;
  }
  return body;
}

async function token(req, res) {
  stats.tokenRequests++;
  const text = await readBody(req);
  if (settings.mode === 'silent') return undefined; // never answers
  if (settings.mode === 'redirect') return send(res, 307, undefined, { Location: `http://127.0.0.1:${server.address().port}/redirected` });
  if (settings.slowMs) {
    await sleep(settings.slowMs);
    if (req.socket.destroyed) {
      stats.abandoned++;
      return undefined;
    }
  }
  const { p, ok, how, refused } = params(req, text);
  stats.lastContentType = req.headers['content-type'] || null;
  if (refused !== undefined) {
    stats.refused++;
    return send(res, 415, { error: 'invalid_request', error_description: `not JSON: ${refused}` });
  }
  stats.lastClientAuth = how;
  if (!ok) return send(res, 401, { error: 'invalid_client' });
  if (settings.mode === 'error') return send(res, settings.status, { error: settings.error });
  if (p.grant_type === 'authorization_code') {
    const c = codes.get(p.code);
    codes.delete(p.code);
    stats.lastVerifier = p.code_verifier ? 'present' : null;
    if (!c) return send(res, 400, { error: 'invalid_grant' });
    if (c.challenge) {
      const made = crypto.createHash('sha256').update(p.code_verifier || '').digest('base64url');
      if (made !== c.challenge) return send(res, 400, { error: 'invalid_grant', error_description: 'PKCE' });
    }
    stats.codes++;
    return send(res, 200, issue(true));
  }
  if (p.grant_type === 'refresh_token') {
    if (!refresh.has(p.refresh_token)) return send(res, 400, { error: 'invalid_grant' });
    stats.refreshes++;
    if (settings.rotate) refresh.delete(p.refresh_token);
    return send(res, 200, issue(settings.rotate));
  }
  return send(res, 400, { error: 'unsupported_grant_type' });
}

async function control(req, res, url) {
  if (url.pathname === '/test/stats') return send(res, 200, stats);
  if (url.pathname === '/test/active') return send(res, 200, { active: access.has(url.searchParams.get('token')) });
  if (url.pathname === '/test/set') {
    Object.assign(settings, JSON.parse((await readBody(req)) || '{}'));
    return send(res, 200, settings);
  }
  return send(res, 404, {});
}

const server = http.createServer(async (req, res) => {
  try {
    const url = new URL(req.url, 'http://127.0.0.1');
    if (url.pathname.startsWith('/test/')) return await control(req, res, url);
    if (url.pathname === '/authorize') {
      const q = url.searchParams;
      const back = new URL(q.get('redirect_uri'));
      stats.lastChallenge = q.get('code_challenge');
      if (settings.deny) back.searchParams.set('error', 'access_denied');
      else {
        const code = rand();
        codes.set(code, { challenge: q.get('code_challenge') });
        back.searchParams.set('code', code);
      }
      back.searchParams.set('state', q.get('state') || '');
      res.writeHead(302, { Location: back.toString() });
      return res.end();
    }
    if (url.pathname === '/token' && req.method === 'POST') return await token(req, res);
    if (url.pathname === '/redirected') {
      stats.redirectHits++;
      return send(res, 200, issue(true));
    }
    if (url.pathname === '/revoke' && req.method === 'POST') {
      const { p } = params(req, await readBody(req));
      if (p && p.token) {
        stats.revoked.push(p.token);
        access.delete(p.token);
        refresh.delete(p.token);
      }
      return send(res, 200, undefined);
    }
    if (url.pathname === '/userinfo') {
      const at = (req.headers.authorization || '').replace(/^Bearer /, '');
      if (!access.has(at)) return send(res, 401, { error: 'invalid_token' });
      return send(res, 200, { sub: 'stub-person', email: 'stub-person@example.org', preferred_username: 'stubby', name: 'Stub Person' });
    }
    return send(res, 404, {});
  } catch (err) {
    process.stderr.write(`stub.js: ${err.stack}\n`);
    if (!res.headersSent) send(res, 500, { error: 'server_error' });
    return undefined;
  }
});

server.listen(0, '127.0.0.1', () => {
  const { port } = server.address();
  process.stdout.write(`${JSON.stringify({ pid: process.pid, port, base: `http://127.0.0.1:${port}`, client_id: clientId, client_secret: clientSecret })}\n`);
});

process.on('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
  process.exit(0);
});
