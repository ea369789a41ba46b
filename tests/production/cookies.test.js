// cookies.test.js - Ostium outside development mode (development = no, an
// https base_url under the path prefix /ostium) behind each web server: the
// session and sign-in cookies are named with the __Host- prefix (RFC
// 6265bis), Secure, HttpOnly, Path=/ whatever the prefix, with no Domain, so
// that a site on a sibling domain cannot set them; a cookie of the plain
// name (what such a site could set) opens no session and signs no form.
// The web server listens on plain http: each request says it came over
// https with X-Forwarded-Proto, which Ostium believes from 127.0.0.1 (a
// trusted proxy of the test configuration). Run by scripts/test after
// ost_test_servers_production.
'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const {
  env,
  request,
  CookieJar,
  csrfField,
  pageText,
  createAdmin,
  randomHex,
} = require('../http/lib');

const baseUrl = env('OSTIUM_BASE_URL').replace(/\/+$/, '');
if (!baseUrl.startsWith('https://')) {
  throw new Error(`OSTIUM_BASE_URL must be an https base_url, not ${baseUrl}`);
}
const prefix = new URL(baseUrl).pathname.replace(/\/$/, '');
const at = (path) => `${prefix}${path}`;
const HTTPS = { 'X-Forwarded-Proto': 'https' };
const SESSION = '__Host-ostium_session';
const LOGIN = '__Host-ostium_login';

// A request over "https" from a client address of its own.
function send(path, options = {}) {
  return request(at(path), { ...options, headers: { ...HTTPS, ...(options.headers || {}) } });
}

// Asserts the attributes cookie NAME of JAR was last set with: those a
// browser demands of a __Host- cookie, and Ostium's own.
function assertHostCookie(jar, name, what) {
  const attrs = jar.attributes.get(name);
  assert.ok(attrs, `${what}: no ${name} cookie was set`);
  assert.equal(attrs.path, '/', `${what}: Path=/ (under the prefix ${prefix || '(none)'} too)`);
  assert.equal(attrs.secure, true, `${what}: Secure`);
  assert.equal(attrs.domain, undefined, `${what}: no Domain`);
  assert.equal(attrs.httponly, true, `${what}: HttpOnly`);
  assert.equal(attrs.samesite, 'Lax', `${what}: SameSite=Lax`);
}

// Signs in with the __Host- cookies; resolves with { jar, csrf }.
async function signIn(email, password, address) {
  const jar = new CookieJar();
  const form = await send('/admin/login', { jar, address });
  assert.equal(form.status, 200, `the sign-in page: ${form.status} ${pageText(form.text).slice(0, 200)}`);
  assertHostCookie(jar, LOGIN, 'the sign-in form');
  const csrf = csrfField(form.text);
  assert.equal(jar.get(LOGIN), csrf, 'the form csrf is the __Host- login cookie');
  const r = await send('/admin/login', { method: 'POST', jar, address, form: { csrf, email, password } });
  assert.equal(r.status, 303, `sign-in: ${r.status} ${pageText(r.text).slice(0, 200)}`);
  assert.equal(r.headers.get('location'), `${baseUrl}/admin/`);
  assertHostCookie(jar, SESSION, 'sign-in');
  assert.equal(jar.get(LOGIN), undefined, 'the login cookie is cleared');
  const dash = await send('/admin/', { jar, address });
  assert.equal(dash.status, 200, `dashboard: ${dash.status}`);
  assert.ok(pageText(dash.text).includes(email));
  return { jar, csrf: csrfField(dash.text) };
}

const address = () => `2001:db8:${randomHex(2)}::${randomHex(2)}`;

test('this server runs outside development mode: plain http is refused', async () => {
  const r = await request(at('/admin/login'));
  assert.equal(r.status, 403, `plain http: ${r.status}`);
  assert.equal(r.headers.get('set-cookie'), null, 'no cookie over plain http');
});

test('outside development mode the cookies are __Host- (Secure, Path=/ even under a path prefix): sign-in, the console and sign-out work', async () => {
  const { email, password } = await createAdmin();
  const from = address();
  const { jar, csrf } = await signIn(email, password, from);
  for (const line of (await send('/admin/login', { jar: new CookieJar(), address: from })).headers.getSetCookie()) {
    assert.match(line, /^__Host-/, `every cookie carries the prefix: ${line}`);
  }
  const out = await send('/admin/logout', { method: 'POST', jar, address: from, form: { csrf } });
  assert.equal(out.status, 303, `sign-out: ${out.status}`);
  assertHostCookie(jar, SESSION, 'sign-out');
  assert.equal(jar.get(SESSION), undefined, 'the session cookie is cleared');
});

test('a session or sign-in cookie without the __Host- prefix, as a sibling domain could set it, is not taken outside development mode', async () => {
  const { email, password } = await createAdmin();
  const from = address();
  const { jar } = await signIn(email, password, from);
  const session = jar.get(SESSION);
  // The same session id under the plain name: no session.
  const plain = await send('/admin/', { address: from, headers: { Cookie: `ostium_session=${session}` } });
  assert.equal(plain.status, 303, `a plain-named session cookie: ${plain.status}`);
  assert.match(plain.headers.get('location') || '', /\/admin\/login$/);
  const host = await send('/admin/', { address: from, headers: { Cookie: `${SESSION}=${session}` } });
  assert.equal(host.status, 200, 'the __Host- one is');
  // A sign-in form signed with a plain-named login cookie: refused.
  const token = 'A'.repeat(43);
  const r = await send('/admin/login', {
    method: 'POST', address: from, headers: { Cookie: `ostium_login=${token}` },
    form: { csrf: token, email, password },
  });
  assert.equal(r.status, 403, `a plain-named login cookie: ${r.status} ${pageText(r.text).slice(0, 200)}`);
});
