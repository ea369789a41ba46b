// oauth_refresh.test.js - the refresh_token grant (issue 10): rotated on
// every use, a rotated-out token presented again revokes the whole family
// except within the application's reuse grace, parallel refreshes of one
// token (exactly one succeeds, and the reuse revokes the winner's tokens;
// within the grace each succeeds), the access token's scope narrowed (the
// refresh token's kept), a grant whose client authenticated refreshed only
// by that client authenticated, another client's token, revocation of a
// refresh token taking its family, and lifespans from the application.
'use strict';

const { test, before } = require('node:test');
const assert = require('node:assert/strict');
const { request, sql } = require('./lib');
const {
  newAdmin, newApp, newUser, tokenRequest, post, basic, assertOAuthError, assertTokens, introspect,
  codeFor, pkce,
} = require('./oauth_lib');

const REDIRECT = 'https://app.example.org/callback';
let admin;

before(async () => {
  admin = await newAdmin();
});

// Tokens of a new user of a new application (SHEET's fields) through the
// authorization code grant (the authorization request's PARAMS): { app,
// user, tokens }.
async function start(sheet = {}, params = {}) {
  const app = await newApp(admin, { authenticator: 'authorization_code', redirect_uris: [REDIRECT], permissions: ['SEND_MESSAGES', 'GET_PRESENCE'], ...sheet });
  app.redirectUri = REDIRECT;
  const user = await newUser(admin, app);
  const code = await codeFor(app, user, params);
  const tokens = assertTokens(await tokenRequest(app, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT }));
  return { app, user, tokens };
}

const refresh = (app, token, extra = {}) => tokenRequest(app, { grant_type: 'refresh_token', refresh_token: token, ...extra });

test('a refresh token is rotated on every use, and the lifespans are the application\'s', async () => {
  const { app, tokens } = await start({ access_token_ttl: 600, refresh_token_ttl: 7200 });
  assert.equal(tokens.expires_in, 600);
  const r0 = await introspect(app, tokens.refresh_token);
  assert.equal(r0.active, true);
  assert.equal(r0.exp - r0.iat, 7200, 'the refresh token lives as long as the application says');
  assert.equal(r0.token_type, undefined);
  const next = assertTokens(await refresh(app, tokens.refresh_token));
  assert.notEqual(next.refresh_token, tokens.refresh_token);
  assert.notEqual(next.access_token, tokens.access_token);
  assert.equal(next.expires_in, 600);
  assert.deepEqual(await introspect(app, tokens.refresh_token), { active: false }, 'rotated out');
  assert.equal((await introspect(app, next.refresh_token)).active, true);
  assert.equal((await introspect(app, tokens.access_token)).active, true, 'the older access token lives its life');
  const third = assertTokens(await refresh(app, next.refresh_token));
  assert.equal((await introspect(app, third.access_token)).active, true);
});

test('presenting a rotated-out refresh token revokes the whole family', async () => {
  const { app, tokens } = await start();
  const second = assertTokens(await refresh(app, tokens.refresh_token));
  const third = assertTokens(await refresh(app, second.refresh_token));
  assertOAuthError(await refresh(app, tokens.refresh_token), 400, 'invalid_grant', 'the first one again');
  for (const t of [tokens.access_token, second.access_token, third.access_token, third.refresh_token]) {
    assert.deepEqual(await introspect(app, t), { active: false });
  }
  assertOAuthError(await refresh(app, third.refresh_token), 400, 'invalid_grant', 'the newest one is revoked with the family');
});

test('within the application\'s reuse grace a rotated-out token may be used again; past it, the family is revoked', async () => {
  const { app, tokens } = await start({ refresh_reuse_grace: 30 });
  const a = assertTokens(await refresh(app, tokens.refresh_token));
  const b = assertTokens(await refresh(app, tokens.refresh_token), { what: 'a second tab, within the grace' });
  assert.notEqual(a.refresh_token, b.refresh_token);
  assert.equal((await introspect(app, a.access_token)).active, true, 'nothing is revoked');
  assert.equal((await introspect(app, b.refresh_token)).active, true);
  assert.equal((await introspect(app, tokens.refresh_token)).active, true, 'rotated out, but usable within the grace');
  await sql(`UPDATE oauth_tokens SET used_at = UTC_TIMESTAMP() - INTERVAL 31 SECOND WHERE app_id = ${app.id} AND used_at IS NOT NULL`);
  assert.deepEqual(await introspect(app, tokens.refresh_token), { active: false }, 'past the grace');
  assertOAuthError(await refresh(app, tokens.refresh_token), 400, 'invalid_grant', 'past the grace');
  assert.deepEqual(await introspect(app, a.access_token), { active: false });
  assert.deepEqual(await introspect(app, b.refresh_token), { active: false });
});

test('the reuse grace is at most a minute, and 0 by default', async () => {
  const app = await newApp(admin, {});
  assert.equal(app.row.refresh_reuse_grace, 0);
  const bad = await request('/api/v1/apps', { method: 'POST', headers: admin.headers, json: { name: `grace ${Date.now()}`, refresh_reuse_grace: 61 } });
  assert.equal(bad.status, 400, bad.text);
  assert.equal(bad.json.error.field, 'refresh_reuse_grace');
});

test('two parallel refreshes of one token (no reuse grace): exactly one succeeds, and the others, a reuse of the token, revoke the family with the winner\'s new tokens', async () => {
  const { app, tokens } = await start();
  const answers = await Promise.all([1, 2, 3].map(() => refresh(app, tokens.refresh_token)));
  const ok = answers.filter((r) => r.status === 200);
  assert.equal(ok.length, 1, answers.map((r) => `${r.status} ${r.text}`).join('\n'));
  for (const r of answers.filter((x) => x.status !== 200)) assertOAuthError(r, 400, 'invalid_grant');
  // by design: with a grace of 0 a second use of a rotated-out token is a
  // reuse, which may be a thief's, so the family goes (RFC 9700 section 4.14.2)
  const winner = assertTokens(ok[0]);
  assert.deepEqual(await introspect(app, winner.access_token), { active: false }, 'the winner\'s access token is revoked');
  assert.deepEqual(await introspect(app, winner.refresh_token), { active: false }, 'the winner\'s refresh token is revoked');
  assert.deepEqual(await introspect(app, tokens.access_token), { active: false }, 'the first access token too');
  assertOAuthError(await refresh(app, winner.refresh_token), 400, 'invalid_grant', 'the winner cannot refresh');
});

test('within the reuse grace, parallel refreshes of one token all get working tokens', async () => {
  const { app, tokens } = await start({ refresh_reuse_grace: 30 });
  const answers = await Promise.all([1, 2, 3].map(() => refresh(app, tokens.refresh_token)));
  const got = answers.map((r) => assertTokens(r, { what: 'each refresh within the grace' }));
  assert.equal(new Set(got.map((t) => t.refresh_token)).size, 3, 'each its own pair');
  for (const t of got) {
    assert.equal((await introspect(app, t.access_token)).active, true);
    assert.equal((await introspect(app, t.refresh_token)).active, true);
  }
  for (const t of got) assertTokens(await refresh(app, t.refresh_token), { what: 'each new refresh token works' });
});

test('narrowing the scope on refresh narrows the access token only: the new refresh token keeps the old one\'s scope (RFC 6749 section 6)', async () => {
  const { app, tokens } = await start({ permissions: ['SEND_MESSAGES', 'GET_PRESENCE', 'SET_PRESENCE'] }, { scope: 'SEND_MESSAGES GET_PRESENCE' });
  assert.equal(tokens.scope, 'SEND_MESSAGES GET_PRESENCE');
  const narrow = assertTokens(await refresh(app, tokens.refresh_token, { scope: 'GET_PRESENCE' }));
  assert.equal(narrow.scope, 'GET_PRESENCE', 'the access token is narrowed');
  assert.equal((await introspect(app, narrow.access_token)).scope, 'GET_PRESENCE');
  assert.equal((await introspect(app, narrow.refresh_token)).scope, 'SEND_MESSAGES GET_PRESENCE', 'the refresh token is not');
  const other = assertTokens(await refresh(app, narrow.refresh_token, { scope: 'SEND_MESSAGES' }));
  assert.equal(other.scope, 'SEND_MESSAGES');
  const all = assertTokens(await refresh(app, other.refresh_token));
  assert.equal(all.scope, 'SEND_MESSAGES GET_PRESENCE', 'no scope: all the grant has');
  // never wider than the grant, even with a permission the application has
  assertOAuthError(await refresh(app, all.refresh_token, { scope: 'SET_PRESENCE' }), 400, 'invalid_scope');
  assertOAuthError(await refresh(app, all.refresh_token, { scope: 'GET_PRESENCE SET_PRESENCE' }), 400, 'invalid_scope');
  assertTokens(await refresh(app, all.refresh_token), { what: 'the refusals did not rotate it' });
});

test('a grant whose client authenticated needs that authentication again to refresh: client_id alone is invalid_client (RFC 6749 section 6)', async () => {
  const app = await newApp(admin, { authenticator: 'authorization_code_pkce', redirect_uris: [REDIRECT] });
  app.redirectUri = REDIRECT;
  const user = await newUser(admin, app);
  const p = pkce();
  const code = await codeFor(app, user, { code_challenge: p.challenge, code_challenge_method: 'S256' });
  const t = assertTokens(await tokenRequest(app, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: p.verifier }));
  const bare = (token) => tokenRequest(app, { grant_type: 'refresh_token', refresh_token: token }, { auth: 'none' });
  assertOAuthError(await bare(t.refresh_token), 401, 'invalid_client', 'the secret was given at the redemption');
  const next = assertTokens(await refresh(app, t.refresh_token), { what: 'with the secret, and the refusal revoked nothing' });
  assertOAuthError(await bare(next.refresh_token), 401, 'invalid_client', 'the rotated token belongs to the same grant');
  assertTokens(await tokenRequest(app, { grant_type: 'refresh_token', refresh_token: next.refresh_token }, { auth: 'post' }), { what: 'client_secret_post' });
});

test('another client\'s refresh token, an access token or an unknown one is invalid_grant', async () => {
  const { app, tokens } = await start();
  const other = await newApp(admin, { authenticator: 'authorization_code' });
  assertOAuthError(await refresh(other, tokens.refresh_token), 400, 'invalid_grant');
  assertOAuthError(await refresh(app, tokens.access_token), 400, 'invalid_grant');
  assertOAuthError(await refresh(app, 'z'.repeat(43)), 400, 'invalid_grant');
  assertOAuthError(await tokenRequest(app, { grant_type: 'refresh_token' }), 400, 'invalid_request');
  assertTokens(await refresh(app, tokens.refresh_token), { what: 'the refusals did not rotate it' });
});

test('revoking a refresh token revokes its grant: the access tokens issued with it too', async () => {
  const { app, tokens } = await start();
  const r = await post('/oauth/revoke', { token: tokens.refresh_token, token_type_hint: 'refresh_token' }, { headers: { Authorization: basic(app.clientId, app.secret) } });
  assert.equal(r.status, 200);
  assert.deepEqual(await introspect(app, tokens.access_token), { active: false });
  assertOAuthError(await refresh(app, tokens.refresh_token), 400, 'invalid_grant');
});

test('an expired refresh token is invalid_grant', async () => {
  const { app, tokens } = await start();
  await sql(`UPDATE oauth_tokens SET expires_at = UTC_TIMESTAMP() - INTERVAL 1 SECOND WHERE app_id = ${app.id} AND kind = 'refresh'`);
  assertOAuthError(await refresh(app, tokens.refresh_token), 400, 'invalid_grant');
});

test('a public client\'s refresh token is its own: another public client cannot use it', async () => {
  const app = await newApp(admin, { redirect_uris: [REDIRECT] });
  app.redirectUri = REDIRECT;
  const user = await newUser(admin, app);
  const p = pkce();
  const code = await codeFor(app, user, { code_challenge: p.challenge, code_challenge_method: 'S256' });
  const t = assertTokens(await tokenRequest(app, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: p.verifier }, { auth: 'none' }));
  const other = await newApp(admin, {});
  assertOAuthError(await tokenRequest(other, { grant_type: 'refresh_token', refresh_token: t.refresh_token }, { auth: 'none' }), 400, 'invalid_grant');
});
