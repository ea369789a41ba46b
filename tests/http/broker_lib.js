// broker_lib.js - what the connection broker's tests share: the upstream
// providers (oidc-provider, tests/upstream/oidc.mjs, and the JSON stub,
// tests/upstream/stub.js), each started and stopped by its pid; a world of
// an application installed in a company with members who can sign in;
// providers declared with their two server variables set; the connect
// flow driven over HTTP (console form, provider, callback); application
// API calls.
'use strict';

const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const path = require('node:path');
const {
  request, sql, createAdmin, createToken, randomHex, randomEmail, randomAddress, CookieJar,
  csrfField, locationPath, pageText, env, sleep,
} = require('./lib');

const TOP = path.resolve(__dirname, '../..');
const START_TIMEOUT_MS = 30_000;

// Where providers send people back (what Ostium registers as redirect URI).
function callbackUrl() {
  return `${env('OSTIUM_BASE_URL').replace(/\/+$/, '')}/apps/oauth/callback`;
}

// Starts the upstream KIND ("oidc" or "stub") as a child process; resolves
// with its JSON line and { url(path), stats(), set(settings), active(token),
// stop() }. Every test that starts one stops it (after, or finally).
async function startUpstream(kind) {
  const script = path.join(TOP, 'tests/upstream', kind === 'oidc' ? 'oidc.mjs' : 'stub.js');
  const child = spawn(process.execPath, kind === 'oidc' ? [script, callbackUrl()] : [script],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr.on('data', (d) => { err += d; });
  const line = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`${kind} did not start: ${err}`)), START_TIMEOUT_MS);
    child.stdout.on('data', (d) => {
      out += d;
      const nl = out.indexOf('\n');
      if (nl >= 0) {
        clearTimeout(timer);
        resolve(out.slice(0, nl));
      }
    });
    child.on('exit', (code) => reject(new Error(`${kind} exited (${code}): ${err}`)));
  });
  const info = JSON.parse(line);
  assert.equal(info.pid, child.pid);
  const base = info.issuer || info.base;
  const call = async (p, init) => {
    const r = await fetch(base + p, { ...init, signal: AbortSignal.timeout(10_000) });
    return r.json();
  };
  return {
    ...info,
    base,
    url: (p) => base + p,
    stats: () => call('/test/stats'),
    set: (settings) => (kind === 'oidc'
      ? call(`/test/set?${new URLSearchParams(settings)}`, { method: 'POST' })
      : call('/test/set', { method: 'POST', body: JSON.stringify(settings) })),
    active: async (token) => (await call(`/test/active?token=${encodeURIComponent(token)}`)).active,
    revokeGrants: () => call('/test/revoke-grants', { method: 'POST' }),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const gone = new Promise((resolve) => child.once('exit', resolve));
      process.kill(child.pid, 'SIGTERM');
      await gone;
    },
  };
}

const bearer = (token) => ({ Authorization: `Bearer ${token}`, Accept: 'application/json' });

// An administrator (SUPER_ADMINISTRATOR unless ROLE) with an API token.
async function admin(role) {
  const a = await createAdmin();
  const [[id]] = await sql(`SELECT id FROM users WHERE email = '${a.email}'`);
  if (role) await sql(`UPDATE users SET roles = '${role}' WHERE id = ${Number(id)}`);
  return { ...a, id: Number(id), headers: bearer(await createToken(a.email)) };
}

async function api(headers, p, options = {}) {
  return request(p, { ...options, headers: { ...headers, ...(options.headers || {}) } });
}

// A member of COMPANY without a console role, with a password:
// { id (the person), membership (the user workspace id), email, password }.
async function member(headers, company) {
  const email = randomEmail('member');
  const password = `pw-${randomHex(12)}`;
  const u = await api(headers, '/api/v1/users', { method: 'POST', json: { email, password } });
  assert.equal(u.status, 201, u.text);
  const m = await api(headers, `/api/v1/companies/${company.id}/members`, { method: 'POST', json: { email } });
  assert.equal(m.status, 201, m.text);
  return { id: u.json.id, membership: m.json.id, email, password };
}

// Signs PERSON in at the console; resolves with { jar, csrf } (the page
// after sign-in is the member's view for a member).
async function signInAs(person) {
  const jar = new CookieJar();
  const address = randomAddress();
  const form = await request('/admin/login', { jar, address });
  const r = await request('/admin/login', { method: 'POST', jar, address,
    form: { csrf: csrfField(form.text), email: person.email, password: person.password } });
  assert.equal(r.status, 303, `sign-in: ${r.status} ${pageText(r.text).slice(0, 200)}`);
  const home = await request('/admin/', { jar });
  assert.equal(home.status, 200, home.text.slice(0, 300));
  return { jar, csrf: csrfField(home.text), home, address };
}

// An application with CAPABILITIES and PERMISSIONS, installed in a new
// company, with the server variables CLIENT_ID and CLIENT_SECRET (secret)
// declared: { headers (a super administrator's), app, company }.
async function world({ permissions = ['ACT_AS_USER'], read = ['connections'], write = ['connections'] } = {}) {
  const a = await admin();
  const tag = randomHex(5);
  const app = await api(a.headers, '/api/v1/apps', { method: 'POST',
    json: { name: `Broker ${tag}`, permissions, capabilities: { read, write } } });
  assert.equal(app.status, 201, app.text);
  const company = await api(a.headers, '/api/v1/companies', { method: 'POST', json: { name: `Co ${tag}`, slug: `co-${tag}` } });
  assert.equal(company.status, 201, company.text);
  const inst = await api(a.headers, `/api/v1/companies/${company.json.id}/apps/${app.json.id}`, { method: 'POST' });
  assert.equal(inst.status, 201, inst.text);
  for (const [name, isSecret] of [['CLIENT_ID', false], ['CLIENT_SECRET', true]]) {
    const v = await api(a.headers, `/api/v1/apps/${app.json.id}/server-variables`, { method: 'POST',
      json: { name, is_secret: isSecret } });
    assert.equal(v.status, 201, v.text);
  }
  return { admin: a, headers: a.headers, app: app.json, company: company.json };
}

// Sets the server variable NAME of W's application to VALUE.
async function setVariable(w, name, value) {
  const cur = await api(w.headers, `/api/v1/apps/${w.app.id}/server-variables/${name}`);
  const r = await api(w.headers, `/api/v1/apps/${w.app.id}/server-variables/${name}`, { method: 'PUT',
    json: { value, version: cur.json.version } });
  assert.equal(r.status, 200, r.text);
}

// The OAuth settings of a provider at UPSTREAM (oidc or stub), with EXTRA.
function oauthOf(upstream, extra = {}) {
  const oidc = !!upstream.issuer;
  return {
    authorization_endpoint: upstream.url(oidc ? '/auth' : '/authorize'),
    token_endpoint: upstream.url('/token'),
    scopes: oidc ? ['openid', 'email', 'profile', 'offline_access'] : ['read', 'write'],
    client_id_variable: 'CLIENT_ID',
    client_secret_variable: 'CLIENT_SECRET',
    token_request_content_type: oidc ? 'form-urlencoded' : 'json',
    revoke_endpoint: upstream.url(oidc ? '/token/revocation' : '/revoke'),
    userinfo_endpoint: oidc ? null : upstream.url('/userinfo'),
    ...(oidc ? { authorization_params: { prompt: 'consent' } } : {}),
    ...extra,
  };
}

// Declares provider NAME of W's application at UPSTREAM (client CLIENT of
// oidc, or the stub's) and sets its two variables; resolves with its row.
async function provider(w, upstream, { name = `p-${randomHex(3)}`, client = 'post', oauth = {} } = {}) {
  const c = upstream.clients ? upstream.clients[client] : upstream;
  const r = await api(w.headers, `/api/v1/apps/${w.app.id}/connection-providers`, { method: 'POST',
    json: { name, display_name: `Provider ${name}`, oauth: oauthOf(upstream, {
      token_endpoint_auth_method: c.token_endpoint_auth_method || 'client_secret_post', ...oauth }) } });
  assert.equal(r.status, 201, r.text);
  await setVariable(w, 'CLIENT_ID', c.client_id);
  await setVariable(w, 'CLIENT_SECRET', c.client_secret);
  return r.json;
}

// Follows redirects from URL (absolute, at the provider) with a cookie jar
// of the provider's own until one leads back to Ostium's callback;
// resolves with the callback's path and query.
async function throughProvider(url) {
  const cookies = new Map();
  for (let i = 0; i < 10; i++) {
    if (url.startsWith(callbackUrl())) return url.slice(env('OSTIUM_URL').length);
    const r = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(10_000),
      headers: { Cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; ') } });
    for (const line of r.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair.indexOf('=');
      cookies.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
    await r.arrayBuffer();
    assert.ok(r.status >= 300 && r.status < 400, `the provider answered ${r.status} at ${url}`);
    url = new URL(r.headers.get('location'), url).toString();
  }
  throw new Error('too many redirects at the provider');
}

// Starts the connect flow of SESSION for provider NAME of W with
// VISIBILITY (or reconnecting RECONNECT); resolves with the authorize URL
// from the "Continue" link.
async function startConnect(w, session, name, { visibility = 'user', reconnect } = {}) {
  const p = `/admin/my/companies/${w.company.id}/apps/${w.app.id}/connect/${name}`;
  const form = await request(p + (reconnect ? `?reconnect=${reconnect}` : ''), { jar: session.jar });
  assert.equal(form.status, 200, pageText(form.text).slice(0, 300));
  const body = { csrf: session.csrf };
  if (reconnect) body.reconnect = String(reconnect);
  else body.visibility = visibility;
  const r = await request(p, { method: 'POST', jar: session.jar, form: body });
  assert.equal(r.status, 200, pageText(r.text).slice(0, 300));
  const m = /<a class="button" id="continue" href="([^"]+)"/.exec(r.text);
  assert.ok(m, `no Continue link: ${pageText(r.text).slice(0, 300)}`);
  return m[1].replace(/&amp;/g, '&');
}

// The whole connect flow over HTTP: resolves with the callback's answer
// (a 303 to the member's page on success).
async function connect(w, session, name, options = {}) {
  const authorize = await startConnect(w, session, name, options);
  const back = await throughProvider(authorize);
  return request(back, { jar: session.jar });
}

// The id of the connection a successful callback answer R made.
function connectedId(r) {
  assert.equal(r.status, 303, pageText(r.text).slice(0, 300));
  const m = /[?&](?:re)?connected=(\d+)$/.exec(locationPath(r));
  assert.ok(m, locationPath(r));
  return Number(m[1]);
}

// An application API call by W's application: PATH, with OPTIONS method,
// onBehalfOf (X-On-Behalf-Of), group (another company's id).
function appCall(w, p, o = {}) {
  const headers = {
    Accept: 'application/json',
    Authorization: `Basic ${Buffer.from(`${w.app.public_id}:${w.app.private_api_key}`).toString('base64')}`,
    'X-Forwarded-Proto': 'https',
    'X-Group-Id': String(o.group || w.company.id),
  };
  if (o.onBehalfOf !== undefined) headers['X-On-Behalf-Of'] = String(o.onBehalfOf);
  return request(p, { method: o.method || 'GET', headers, address: o.address || randomAddress() });
}

// A free loopback TCP port.
function freePort() {
  const net = require('node:net');
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

// Starts another ostium pool on the test database, behind a lighttpd of
// its own on a loopback port: the configuration of the test server with
// its own socket and pid file, SETTINGS (key: value) in place of the
// test server's, development mode as DEVELOPMENT says
// (outside it, base_url is https). Both are started and stopped by pid.
// Resolves with { base (its http://127.0.0.1:PORT), call(path, options),
// stop() }.
async function startPool({ development = true, settings = {} } = {}) {
  const fs = require('node:fs');
  const dir = env('OSTIUM_TEST_DIR');
  const state = fs.readFileSync(path.join(dir, 'state'), 'utf8');
  const build = /^OST_BUILD=(.*)$/m.exec(state)[1];
  const conf = /^OST_CONF=(.*)$/m.exec(state)[1];
  const tag = randomHex(4);
  const port = await freePort();
  const sock = path.join(dir, `pool-${tag}.sock`);
  const base = `http${development ? '' : 's'}://127.0.0.1:${port}`;
  const replaced = ['listen', 'pid_file', 'base_url', 'development', ...Object.keys(settings)];
  const keep = (line) => !replaced.some((k) => new RegExp(`^\\s*${k}\\s*=`).test(line));
  const text = fs.readFileSync(conf, 'utf8').split('\n').filter(keep).concat([
    `listen = unix:${sock}`, `pid_file = ${dir}/pool-${tag}.pid`, `base_url = ${base}`,
    `development = ${development ? 'yes' : 'no'}`,
    ...Object.entries(settings).map(([k, v]) => `${k} = ${v}`), '']).join('\n');
  const conf2 = path.join(dir, `pool-${tag}.conf`);
  fs.writeFileSync(conf2, text, { mode: 0o600 });
  const log = fs.openSync(path.join(dir, `pool-${tag}.log`), 'a');
  const pool = spawn(path.join(build, 'ostium'), ['-c', conf2], { stdio: ['ignore', log, log] });
  const lconf = path.join(dir, `lighttpd-${tag}.conf`);
  fs.writeFileSync(lconf, [
    'server.modules = ("mod_fastcgi")', 'server.bind = "127.0.0.1"', `server.port = ${port}`,
    `server.document-root = "${dir}"`, `server.errorlog = "${dir}/lighttpd-${tag}.log"`,
    `fastcgi.server = ("/" => (("socket" => "${sock}", "check-local" => "disable", "fix-root-scriptname" => "enable")))`, ''].join('\n'));
  const stopped = (child) => child.exitCode !== null || child.signalCode !== null;
  const stop = async (child) => {
    if (stopped(child)) return;
    const gone = new Promise((resolve) => child.once('exit', resolve));
    process.kill(child.pid, 'SIGTERM');
    await gone;
  };
  for (let i = 0; i < 300 && !fs.existsSync(sock) && !stopped(pool); i++) await sleep(100);
  assert.ok(fs.existsSync(sock), 'the second pool listens');
  const web = spawn('lighttpd', ['-D', '-f', lconf], { stdio: 'ignore' });
  const call = (p, o = {}) => fetch(`http://127.0.0.1:${port}${p}`, {
    method: o.method || 'GET', headers: { 'X-Forwarded-Proto': development ? 'http' : 'https', ...(o.headers || {}) },
    redirect: 'manual', signal: AbortSignal.timeout(30_000) });
  for (let i = 0; i < 100; i++) {
    try {
      await call('/healthz');
      break;
    } catch {
      await sleep(100);
    }
  }
  return {
    base,
    call,
    async stop() {
      await stop(web);
      await stop(pool);
      fs.closeSync(log);
    },
  };
}

// The headers of an application API call by W's application through
// another pool (X-Forwarded-For a fresh address; https as proxied).
function appHeaders(w, o = {}) {
  const h = {
    Accept: 'application/json',
    Authorization: `Basic ${Buffer.from(`${w.app.public_id}:${w.app.private_api_key}`).toString('base64')}`,
    'X-Forwarded-Proto': 'https',
    'X-Forwarded-For': randomAddress(),
    'X-Group-Id': String(w.company.id),
  };
  if (o.onBehalfOf !== undefined) h['X-On-Behalf-Of'] = String(o.onBehalfOf);
  return h;
}

// Resolves once connection ID's access token has expired (by the
// database's clock).
async function expired(id) {
  const { waitFor } = require('./lib');
  const done = await waitFor(async () => (await sql(`SELECT expires_at <= UTC_TIMESTAMP(3) FROM connections WHERE id = ${Number(id)}`))[0][0] === '1', 20_000, 100);
  assert.ok(done, `the token of connection ${id} expired`);
}

module.exports = {
  expired, startPool, appHeaders, freePort,
  callbackUrl, startUpstream, admin, api, member, signInAs, world, setVariable, oauthOf, provider,
  throughProvider, startConnect, connect, connectedId, appCall, bearer, sleep, sql,
};
