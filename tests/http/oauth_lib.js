// oauth_lib.js - what the OAuth tests share: an administrator who makes
// applications and their users through the API, token requests with each
// client authentication method (Basic form-encoded as RFC 6749 section
// 2.3.1 says, the body, private_key_jwt assertions signed with node's
// crypto), the authorization pages driven over HTTP (sign-in, consent,
// redirect), PKCE pairs, and assertions on RFC 6749 refusals.
//
// Every request carries an address of its own (X-Forwarded-For through the
// test server's trusted proxy), so that one test's failures throttle no
// other.
'use strict';

const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const {
  request, baseUrl, createAdmin, createToken, sql, sqlString, randomHex, randomAddress, CookieJar,
  csrfField, pageText,
} = require('./lib');

const ISSUER = (process.env.OSTIUM_BASE_URL || baseUrl).replace(/\/+$/, '');
const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

// A new administrator with a personal token: { email, headers }.
async function newAdmin() {
  const a = await createAdmin();
  const token = await createToken(a.email);
  return { ...a, token, headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' } };
}

// A new application made by ADMIN with SHEET's fields (a name, and
// authenticator authorization_code_pkce, by default): { id, clientId,
// secret, row }.
async function newApp(admin, sheet = {}) {
  const r = await request('/api/v1/apps', {
    method: 'POST', headers: admin.headers, json: { name: `OAuth app ${randomHex(5)}`, ...sheet },
  });
  assert.equal(r.status, 201, r.text);
  return { id: r.json.id, clientId: r.json.public_id, secret: r.json.private_api_key, row: r.json };
}

// Changes application APP's fields with ADMIN.
async function patchApp(admin, app, fields) {
  const cur = await request(`/api/v1/apps/${app.id}`, { headers: admin.headers });
  const r = await request(`/api/v1/apps/${app.id}`, {
    method: 'PATCH', headers: admin.headers, json: { version: cur.json.version, ...fields },
  });
  assert.equal(r.status, 200, r.text);
  return r.json;
}

// A new person, user of application APP: { id, email, password }.
async function newUser(admin, app, { password = `pw-${randomHex(8)}-long`, firstName = 'Ada' } = {}) {
  const email = `oauth-user-${randomHex(6)}@example.org`;
  const r = await request(`/api/v1/apps/${app.id}/users`, {
    method: 'POST', headers: admin.headers,
    json: { email, first_name: firstName, last_name: 'Lovelace', password, password_confirmation: password },
  });
  assert.equal(r.status, 201, r.text);
  return { id: r.json.id, email, password, firstName };
}

// Enables or disables USER of APP.
async function setUserEnabled(admin, app, user, enabled) {
  const cur = await request(`/api/v1/apps/${app.id}/users/${user.id}`, { headers: admin.headers });
  const r = await request(`/api/v1/apps/${app.id}/users/${user.id}`, {
    method: 'PATCH', headers: admin.headers, json: { enabled, version: cur.json.version },
  });
  assert.equal(r.status, 200, r.text);
}

// "Authorization: Basic ..." of ID and SECRET, each form-encoded first
// (RFC 6749 section 2.3.1), unless RAW.
function basic(id, secret, raw = false) {
  const enc = (s) => (raw ? s : new URLSearchParams({ x: s }).toString().slice(2));
  return `Basic ${Buffer.from(`${enc(id)}:${enc(secret)}`).toString('base64')}`;
}

// POST FORM to the OAuth endpoint PATH (/oauth/token ...) from ADDRESS,
// with HEADERS.
function post(path, form, { address = randomAddress(), headers = {} } = {}) {
  return request(path, { method: 'POST', form, address, headers: { Accept: 'application/json', ...headers } });
}

// A token request of APP with client_secret_basic (unless AUTH says
// 'post', 'none', or gives headers of its own).
function tokenRequest(app, form, { auth = 'basic', address, headers = {} } = {}) {
  const body = { ...form };
  const h = { ...headers };
  if (auth === 'basic') h.Authorization = basic(app.clientId, app.secret);
  if (auth === 'post') Object.assign(body, { client_id: app.clientId, client_secret: app.secret });
  if (auth === 'none') body.client_id = app.clientId;
  return post('/oauth/token', body, { address, headers: h });
}

// Asserts R is the RFC 6749 refusal ERROR with STATUS; returns its body.
function assertOAuthError(r, status, error, what = '') {
  const where = `${what ? `${what}: ` : ''}${r.status} ${r.text.slice(0, 300)}`;
  assert.equal(r.status, status, where);
  assert.match(r.headers.get('content-type') || '', /^application\/json/, where);
  assert.deepEqual(Object.keys(r.json).sort(), ['error', 'error_description'], where);
  assert.equal(r.json.error, error, where);
  assert.equal(r.headers.get('cache-control'), 'no-store', where);
  return r.json;
}

// Asserts R is a token response; returns it.
function assertTokens(r, { refresh = true, what = '' } = {}) {
  const where = `${what ? `${what}: ` : ''}${r.status} ${r.text.slice(0, 300)}`;
  assert.equal(r.status, 200, where);
  assert.equal(r.headers.get('cache-control'), 'no-store', where);
  assert.equal(r.headers.get('pragma'), 'no-cache', where);
  assert.equal(r.json.token_type, 'Bearer', where);
  assert.match(r.json.access_token, /^[A-Za-z0-9_-]{43}$/, where);
  assert.equal(typeof r.json.expires_in, 'number', where);
  assert.equal(typeof r.json.scope, 'string', where);
  if (refresh) assert.match(r.json.refresh_token, /^[A-Za-z0-9_-]{43}$/, where);
  else assert.equal(r.json.refresh_token, undefined, where);
  return r.json;
}

// Introspects TOKEN as APP (Basic).
async function introspect(app, token, address) {
  const r = await post('/oauth/introspect', { token }, { address, headers: { Authorization: basic(app.clientId, app.secret) } });
  assert.equal(r.status, 200, r.text);
  return r.json;
}

// ---------------------------------------------------------------------
// PKCE and JWT assertions

const b64url = (buf) => Buffer.from(buf).toString('base64url');

// A PKCE pair { verifier, challenge } (S256).
function pkce() {
  const verifier = b64url(crypto.randomBytes(32));
  return { verifier, challenge: b64url(crypto.createHash('sha256').update(verifier).digest()) };
}

// A new RSA key pair: { privateKey (KeyObject), publicPem }.
function rsaKey(bits = 2048) {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: bits });
  return { privateKey, publicPem: publicKey.export({ type: 'spki', format: 'pem' }) };
}

// A client assertion (compact JWS) of CLIENT_ID signed with KEY: CLAIMS
// and HEADER replace the defaults (iss = sub = client id, aud the issuer,
// exp in 2 minutes, a fresh jti).
function assertion(clientId, key, claims = {}, header = {}) {
  const now = Math.floor(Date.now() / 1000);
  const h = { alg: 'RS256', typ: 'JWT', ...header };
  const c = { iss: clientId, sub: clientId, aud: ISSUER, exp: now + 120, iat: now, jti: randomHex(16), ...claims };
  for (const k of Object.keys(c)) if (c[k] === undefined) delete c[k];
  const input = `${b64url(JSON.stringify(h))}.${b64url(JSON.stringify(c))}`;
  const sig = crypto.sign('sha256', Buffer.from(input), key);
  return `${input}.${b64url(sig)}`;
}

// The form fields of private_key_jwt with JWT.
function jwtAuth(jwt) {
  return { client_assertion_type: ASSERTION_TYPE, client_assertion: jwt };
}

// ---------------------------------------------------------------------
// The authorization pages, over HTTP

// The hidden fields of the first form of HTML, as an object.
function hiddenFields(html) {
  const out = {};
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    out[m[1]] = m[2].replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>');
  }
  return out;
}

// The query of the /oauth/authorize request of APP with PARAMS (a
// redirect_uri and a fresh state by default; null drops a parameter).
function authorizeQuery(app, params = {}) {
  const q = { response_type: 'code', client_id: app.clientId, redirect_uri: app.redirectUri, state: randomHex(8), ...params };
  for (const k of Object.keys(q)) if (q[k] === null || q[k] === undefined) delete q[k];
  return new URLSearchParams(q).toString();
}

// Drives the pages for USER of APP with PARAMS from a new browser-like
// client (JAR, ADDRESS): the sign-in page, the sign-in, the consent (when
// asked: CONSENT 'allow' or 'deny'). Resolves with { redirect (URL, where
// the last 303 sends the browser), jar, pages (the HTML answers seen) }.
async function authorize(app, user, params = {}, { jar = new CookieJar(), address = randomAddress(), consent = 'allow' } = {}) {
  const pages = [];
  let r = await request(`/oauth/authorize?${authorizeQuery(app, params)}`, { jar, address });
  if (r.status === 200 && /name="password"/.test(r.text)) {
    pages.push(r);
    const fields = hiddenFields(r.text);
    r = await request('/oauth/authorize', { method: 'POST', jar, address, form: { ...fields, email: user.email, password: user.password } });
  }
  if (r.status === 200 && /name="decision"/.test(r.text)) {
    pages.push(r);
    const fields = hiddenFields(r.text);
    r = await request('/oauth/consent', { method: 'POST', jar, address, form: { ...fields, decision: consent } });
  }
  if (r.status !== 303) return { redirect: null, jar, pages, last: r };
  return { redirect: new URL(r.headers.get('location')), jar, pages, last: r };
}

// The code of a successful AUTHORIZE result, after checking its state.
function codeOf(result, state) {
  assert.ok(result.redirect, `no redirect: ${result.last.status} ${pageText(result.last.text).slice(0, 300)}`);
  const q = result.redirect.searchParams;
  assert.equal(q.get('error'), null, `error ${q.get('error')}: ${q.get('error_description')}`);
  if (state !== undefined) assert.equal(q.get('state'), state);
  assert.equal(q.get('iss'), ISSUER);
  assert.match(q.get('code') || '', /^[A-Za-z0-9_-]{43}$/);
  return q.get('code');
}

// A code for USER of APP through the pages, with PARAMS (PKCE: pass
// code_challenge and code_challenge_method).
async function codeFor(app, user, params = {}, options = {}) {
  const state = params.state || randomHex(8);
  return codeOf(await authorize(app, user, { ...params, state }, options), state);
}

// The number of rows STATEMENT (a COUNT) gives.
async function count(statement) {
  const [[n]] = await sql(statement);
  return Number(n);
}

module.exports = {
  ISSUER, ASSERTION_TYPE, newAdmin, newApp, patchApp, newUser, setUserEnabled, basic, post, tokenRequest,
  assertOAuthError, assertTokens, introspect, pkce, rsaKey, assertion, jwtAuth, hiddenFields,
  authorizeQuery, authorize, codeOf, codeFor, count, b64url, sqlString, csrfField,
};
