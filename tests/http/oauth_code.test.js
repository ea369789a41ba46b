// oauth_code.test.js - the authorization code grant through the HTML
// pages (issue 10): sign-in and consent, PKCE right, wrong, missing and
// plain, code reuse and the revocation it causes, redirect URI mismatch at
// both endpoints, loopback redirect URIs on any port (read as a browser
// reads them: no user info, a port of digits), a public PKCE client, the
// refusals of the authorization endpoint by redirect, the consent and
// sign-in remembered (the consent asked again for a loopback redirect
// URI), a denied consent, two parallel redemptions of one code (and the
// revocation of the winner's tokens that the reuse causes), the
// Content-Security-Policy of the pages, and userinfo.
'use strict';

const { test, before } = require('node:test');
const assert = require('node:assert/strict');
const { request, randomAddress, randomHex, sql, pageText, CookieJar } = require('./lib');
const {
  ISSUER, newAdmin, newApp, newUser, tokenRequest, post, basic, assertOAuthError, assertTokens,
  introspect, pkce, authorize, authorizeQuery, codeOf, codeFor, hiddenFields,
} = require('./oauth_lib');

const REDIRECT = 'https://app.example.org/callback';
let admin;

before(async () => {
  admin = await newAdmin();
});

// A new application of AUTHENTICATOR with one registered redirect URI and
// a user: { app, user }.
async function appWithUser(authenticator = 'authorization_code_pkce', sheet = {}) {
  const app = await newApp(admin, { authenticator, redirect_uris: [REDIRECT], permissions: ['SEND_MESSAGES', 'GET_PRESENCE'], ...sheet });
  app.redirectUri = (sheet.redirect_uris || [REDIRECT])[0];
  const user = await newUser(admin, app);
  return { app, user };
}

// The token request of a code.
function redeem(app, code, extra = {}, options = {}) {
  return tokenRequest(app, { grant_type: 'authorization_code', code, redirect_uri: app.redirectUri, ...extra }, options);
}

test('authorization code with PKCE: sign-in page, consent page, code by redirect with state and iss, tokens for the user', async () => {
  const { app, user } = await appWithUser('authorization_code_pkce', { icon_url: 'https://cdn.example.org/icon.png' });
  const p = pkce();
  const state = randomHex(8);
  const result = await authorize(app, user, { code_challenge: p.challenge, code_challenge_method: 'S256', state, scope: 'SEND_MESSAGES' });
  assert.equal(result.pages.length, 2, 'a sign-in page, then a consent page');
  const [signin, consent] = result.pages;
  assert.match(pageText(signin.text), /Sign in .*Email .*Password/);
  assert.match(pageText(consent.text), new RegExp(`${app.row.name} asks to use your account ${user.email.replace(/[.+]/g, '\\$&')}`));
  assert.match(pageText(consent.text), /Send messages for you/);
  assert.match(consent.text, /<img[^>]*src="https:\/\/cdn\.example\.org\/icon\.png"/, 'the application\'s icon');
  assert.match(consent.text, /<button type="submit" name="decision" value="allow">Allow<\/button>/);
  assert.match(consent.text, /value="deny"[^>]*>Deny</);
  for (const page of result.pages) {
    // Chromium applies form-action to the redirect that answers the form
    assert.match(page.headers.get('content-security-policy'), /form-action 'self' https:\/\/app\.example\.org(;|$)/);
  }
  assert.equal(result.redirect.origin + result.redirect.pathname, REDIRECT);
  const code = codeOf(result, state);
  const t = assertTokens(await redeem(app, code, { code_verifier: p.verifier }));
  assert.equal(t.scope, 'SEND_MESSAGES');
  assert.equal(t.expires_in, 3600);
  const i = await introspect(app, t.access_token);
  assert.equal(i.active, true);
  assert.equal(i.sub_type, 'user');
  assert.match(i.sub, /^[0-9a-f]{32}$/, 'an opaque sub that can never be a client id (26 hex)');
  assert.notEqual(i.sub, app.clientId);
  assert.equal(i.username, user.email);
  const ui = await request('/oauth/userinfo', { headers: { Authorization: `Bearer ${t.access_token}` } });
  assert.equal(ui.status, 200, ui.text);
  assert.deepEqual(ui.json, { sub: i.sub, email: user.email, given_name: user.firstName });
  // a user's token is for the application itself, never for the application API
  const api = await request('/api/v1/app/me', { headers: { Authorization: `Bearer ${t.access_token}`, 'X-Group-Id': '1' } });
  assert.equal(api.status, 401, api.text);
});

test('PKCE: a wrong or missing code_verifier is invalid_grant; a verifier without a challenge is refused too', async () => {
  const { app, user } = await appWithUser();
  const p = pkce();
  let code = await codeFor(app, user, { code_challenge: p.challenge, code_challenge_method: 'S256' });
  assertOAuthError(await redeem(app, code, { code_verifier: pkce().verifier }), 400, 'invalid_grant', 'a wrong verifier');
  assertOAuthError(await redeem(app, code), 400, 'invalid_grant', 'no verifier');
  assertOAuthError(await redeem(app, code, { code_verifier: 'short' }), 400, 'invalid_grant', 'a malformed verifier');
  assertTokens(await redeem(app, code, { code_verifier: p.verifier }), { what: 'the refusals did not use the code up' });
  // Authorization Flow: PKCE is optional, verified whenever sent
  const conf = await appWithUser('authorization_code');
  const q = pkce();
  code = await codeFor(conf.app, conf.user, { code_challenge: q.challenge, code_challenge_method: 'S256' });
  assertOAuthError(await redeem(conf.app, code, { code_verifier: pkce().verifier }), 400, 'invalid_grant');
  assertTokens(await redeem(conf.app, code, { code_verifier: q.verifier }));
  code = await codeFor(conf.app, conf.user, {});
  assertOAuthError(await redeem(conf.app, code, { code_verifier: q.verifier }), 400, 'invalid_grant', 'a verifier the request had no challenge for');
  assertTokens(await redeem(conf.app, code));
});

test('PKCE: an authorization request without code_challenge, or with plain, gets an error redirect, never a code', async () => {
  const { app, user } = await appWithUser();
  for (const [what, params] of [
    ['no challenge', {}],
    ['plain', { code_challenge: pkce().verifier, code_challenge_method: 'plain' }],
    ['no method', { code_challenge: pkce().challenge }],
    ['a malformed challenge', { code_challenge: 'abc', code_challenge_method: 'S256' }],
  ]) {
    const state = randomHex(6);
    const r = await request(`/oauth/authorize?${authorizeQuery(app, { ...params, state })}`);
    assert.equal(r.status, 303, `${what}: ${r.status}`);
    const loc = new URL(r.headers.get('location'));
    assert.equal(loc.origin + loc.pathname, REDIRECT, what);
    assert.equal(loc.searchParams.get('error'), 'invalid_request', what);
    assert.equal(loc.searchParams.get('state'), state, what);
    assert.equal(loc.searchParams.get('code'), null, what);
  }
});

test('a code is single use: the second redemption is invalid_grant and revokes what the first issued', async () => {
  const { app, user } = await appWithUser();
  const p = pkce();
  const code = await codeFor(app, user, { code_challenge: p.challenge, code_challenge_method: 'S256' });
  const t = assertTokens(await redeem(app, code, { code_verifier: p.verifier }));
  assert.equal((await introspect(app, t.access_token)).active, true);
  assertOAuthError(await redeem(app, code, { code_verifier: p.verifier }), 400, 'invalid_grant');
  assert.deepEqual(await introspect(app, t.access_token), { active: false }, 'the access token is revoked');
  assert.deepEqual(await introspect(app, t.refresh_token), { active: false }, 'the refresh token is revoked');
  assertOAuthError(await tokenRequest(app, { grant_type: 'refresh_token', refresh_token: t.refresh_token }), 400, 'invalid_grant');
});

test('two parallel redemptions of one code: exactly one succeeds, and the others, a reuse of the code, revoke the tokens the winner got', async () => {
  const { app, user } = await appWithUser();
  const p = pkce();
  const code = await codeFor(app, user, { code_challenge: p.challenge, code_challenge_method: 'S256' });
  const answers = await Promise.all([1, 2, 3].map(() => redeem(app, code, { code_verifier: p.verifier })));
  const ok = answers.filter((r) => r.status === 200);
  assert.equal(ok.length, 1, answers.map((r) => `${r.status} ${r.text}`).join('\n'));
  for (const r of answers.filter((a) => a.status !== 200)) assertOAuthError(r, 400, 'invalid_grant');
  assert.equal(Number((await sql(`SELECT COUNT(*) FROM oauth_grants g JOIN oauth_codes c ON c.grant_id = g.id WHERE c.app_id = ${app.id}`))[0][0]), 1, 'one grant made by the redemption');
  // by design: whoever presents a code a second time may have stolen it, so
  // the winner's tokens go too (RFC 6749 section 4.1.2)
  const winner = assertTokens(ok[0]);
  assert.deepEqual(await introspect(app, winner.access_token), { active: false }, 'the winner\'s access token is revoked');
  assert.deepEqual(await introspect(app, winner.refresh_token), { active: false }, 'the winner\'s refresh token is revoked');
  assertOAuthError(await tokenRequest(app, { grant_type: 'refresh_token', refresh_token: winner.refresh_token }), 400, 'invalid_grant', 'the winner cannot refresh');
});

test('an expired code, or another client\'s, is invalid_grant', async () => {
  const { app, user } = await appWithUser();
  const other = await appWithUser();
  const p = pkce();
  let code = await codeFor(app, user, { code_challenge: p.challenge, code_challenge_method: 'S256' });
  assertOAuthError(await redeem({ ...other.app, redirectUri: app.redirectUri }, code, { code_verifier: p.verifier }), 400, 'invalid_grant', 'another client');
  await sql(`UPDATE oauth_codes SET expires_at = UTC_TIMESTAMP() - INTERVAL 1 SECOND WHERE app_id = ${app.id}`);
  assertOAuthError(await redeem(app, code, { code_verifier: p.verifier }), 400, 'invalid_grant', 'expired');
  assert.equal(Number((await sql(`SELECT COUNT(*) FROM oauth_codes WHERE app_id = ${app.id} AND expires_at <= created_at + INTERVAL 60 SECOND`))[0][0]), 1, 'a code lives at most 60 s');
  code = await codeFor(app, user, { code_challenge: p.challenge, code_challenge_method: 'S256' });
  assertOAuthError(await redeem(app, 'x'.repeat(43), { code_verifier: p.verifier }), 400, 'invalid_grant', 'unknown');
  assertOAuthError(await tokenRequest(app, { grant_type: 'authorization_code', redirect_uri: REDIRECT }), 400, 'invalid_request', 'no code');
});

test('redirect URI mismatch: an error page at the authorization endpoint (never a redirect), invalid_grant at the token endpoint', async () => {
  const { app, user } = await appWithUser('authorization_code', { redirect_uris: [REDIRECT, 'https://app.example.org/other'] });
  for (const [what, query] of [
    ['an unregistered redirect URI', authorizeQuery(app, { redirect_uri: 'https://evil.example.org/callback' })],
    ['a registered one with more in it', authorizeQuery(app, { redirect_uri: `${REDIRECT}?x=1` })],
    ['none, while several are registered', authorizeQuery(app, { redirect_uri: null })],
    ['an unknown client', authorizeQuery({ ...app, clientId: '0'.repeat(26) })],
    ['no client', authorizeQuery({ ...app, clientId: '' })],
  ]) {
    const r = await request(`/oauth/authorize?${query}`);
    assert.equal(r.status, 400, what);
    assert.equal(r.headers.get('location'), null, `${what}: never a redirect`);
    assert.match(r.headers.get('content-type'), /^text\/html/, what);
    assert.match(pageText(r.text), /This sign-in cannot go on/, what);
  }
  const code = await codeFor(app, user, {});
  assertOAuthError(await tokenRequest(app, { grant_type: 'authorization_code', code, redirect_uri: 'https://app.example.org/other' }), 400, 'invalid_grant', 'another registered URI');
  assertOAuthError(await tokenRequest(app, { grant_type: 'authorization_code', code }), 400, 'invalid_grant', 'none');
  assertTokens(await redeem(app, code));
});

test('with one redirect URI registered the request may name none, and the token request then names none either', async () => {
  const { app, user } = await appWithUser('authorization_code');
  const code = await codeFor(app, user, { redirect_uri: null });
  assertOAuthError(await tokenRequest(app, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT }), 400, 'invalid_grant');
  assertTokens(await tokenRequest(app, { grant_type: 'authorization_code', code }));
});

test('loopback redirect URIs of an Authorization PKCE Flow application match on any port (RFC 8252 section 7.3), not others\'', async () => {
  const registered = 'http://127.0.0.1/native/cb';
  const { app, user } = await appWithUser('authorization_code_pkce', { redirect_uris: [registered, 'http://[::1]:1234/cb'] });
  const p = pkce();
  const port = 40000 + Math.floor(Math.random() * 20000);
  const uri = `http://127.0.0.1:${port}/native/cb`;
  const result = await authorize(app, user, { redirect_uri: uri, code_challenge: p.challenge, code_challenge_method: 'S256' });
  assert.equal(result.redirect.origin, `http://127.0.0.1:${port}`);
  assert.match(result.pages[0].headers.get('content-security-policy'), new RegExp(`form-action 'self' http://127\\.0\\.0\\.1:${port}`));
  const code = codeOf(result);
  assertTokens(await tokenRequest(app, { grant_type: 'authorization_code', code, redirect_uri: uri, code_verifier: p.verifier }, { auth: 'none' }));
  const v6 = await request(`/oauth/authorize?${authorizeQuery(app, { redirect_uri: 'http://[::1]:999/cb', code_challenge: p.challenge, code_challenge_method: 'S256' })}`);
  assert.equal(v6.status, 200, 'an IPv6 loopback on another port');
  const path = await request(`/oauth/authorize?${authorizeQuery(app, { redirect_uri: `http://127.0.0.1:${port}/other`, code_challenge: p.challenge, code_challenge_method: 'S256' })}`);
  assert.equal(path.status, 400, 'the path must still match');
  const conf = await appWithUser('authorization_code', { redirect_uris: [registered] });
  const r = await request(`/oauth/authorize?${authorizeQuery(conf.app, { redirect_uri: uri })}`);
  assert.equal(r.status, 400, 'only for Authorization PKCE Flow applications');
});

test('a loopback redirect URI matches on any port only when the port is digits: user info, encoded characters or backslashes in it get an error page, never a redirect to another host', async () => {
  const registered = 'http://127.0.0.1/native/cb';
  const { app, user } = await appWithUser('authorization_code_pkce', { redirect_uris: [registered, 'http://localhost/native/cb'] });
  const p = pkce();
  const pk = { code_challenge: p.challenge, code_challenge_method: 'S256' };
  const good = 'http://127.0.0.1:5000/native/cb';
  const jar = new CookieJar();
  const address = randomAddress();
  // signed in, and the application allowed once already
  codeOf(await authorize(app, user, { ...pk, redirect_uri: good }, { jar, address }));
  for (const uri of [
    'http://127.0.0.1:1@evil.example/native/cb',
    'http://127.0.0.1:@evil.example/native/cb',
    'http://127.0.0.1@evil.example/native/cb',
    'http://localhost:1@evil.example/native/cb',
    'http://127.0.0.1:1%40evil.example/native/cb',
    'http://127.0.0.1:%35%30%30%30/native/cb',
    'http://127.0.0.1:5000\\@evil.example/native/cb',
    'http://127.0.0.1:5000\\evil.example/native/cb',
    'http://127.0.0.1:50o0/native/cb',
    'http://127.0.0.1:99999/native/cb',
    'http://127.0.0.1: 5000/native/cb',
  ]) {
    // the same with a request refused by redirect (response_type token)
    for (const extra of [{}, { response_type: 'token' }]) {
      const what = `${uri} ${JSON.stringify(extra)}`;
      const r = await request(`/oauth/authorize?${authorizeQuery(app, { ...pk, ...extra, redirect_uri: uri })}`, { jar, address });
      assert.equal(r.headers.get('location'), null, `${what}: never a redirect`);
      assert.equal(r.status, 400, what);
      assert.match(pageText(r.text), /This sign-in cannot go on/, what);
    }
  }
  // and at the token endpoint: a code is bound to the URI as given
  const code = await codeFor(app, user, { ...pk, redirect_uri: good }, { jar, address });
  assertOAuthError(await tokenRequest(app, { grant_type: 'authorization_code', code, redirect_uri: 'http://127.0.0.1:5000@evil.example/native/cb', code_verifier: p.verifier }, { auth: 'none' }), 400, 'invalid_grant', 'user info at the token endpoint');
  assertOAuthError(await tokenRequest(app, { grant_type: 'authorization_code', code, redirect_uri: 'http://127.0.0.1:1@evil.example/native/cb', code_verifier: p.verifier }, { auth: 'none' }), 400, 'invalid_grant', 'another port and user info at the token endpoint');
  assertTokens(await tokenRequest(app, { grant_type: 'authorization_code', code, redirect_uri: good, code_verifier: p.verifier }, { auth: 'none' }));
});

test('a consent given is asked again where the client\'s identity cannot be assured: a loopback redirect URI (RFC 8252 section 8.6); an https one is not asked again', async () => {
  const { app, user } = await appWithUser('authorization_code_pkce', { redirect_uris: ['http://127.0.0.1/native/cb', REDIRECT] });
  const p = pkce();
  const params = { code_challenge: p.challenge, code_challenge_method: 'S256', scope: 'SEND_MESSAGES', redirect_uri: 'http://127.0.0.1:5001/native/cb' };
  const jar = new CookieJar();
  const address = randomAddress();
  const first = await authorize(app, user, params, { jar, address });
  assert.equal(first.pages.length, 2, 'the sign-in page, then the consent page');
  codeOf(first);
  for (const port of [5001, 5002]) {
    const again = await authorize(app, user, { ...params, redirect_uri: `http://127.0.0.1:${port}/native/cb` }, { jar, address });
    assert.equal(again.pages.length, 1, `port ${port}: signed in, but the consent is asked again`);
    assert.match(again.pages[0].text, /name="decision"/);
    assert.equal(again.redirect.origin, `http://127.0.0.1:${port}`);
    codeOf(again);
  }
  const web = await authorize(app, user, { ...params, redirect_uri: REDIRECT }, { jar, address });
  assert.equal(web.pages.length, 0, 'an https redirect URI: the consent given is not asked again');
  codeOf(web);
});

test('a public PKCE client redeems with client_id alone; no other grant or application may be public', async () => {
  const { app, user } = await appWithUser();
  const p = pkce();
  const code = await codeFor(app, user, { code_challenge: p.challenge, code_challenge_method: 'S256' });
  assertOAuthError(await redeem(app, code, {}, { auth: 'none' }), 400, 'invalid_grant', 'a public client without its verifier');
  const t = assertTokens(await redeem(app, code, { code_verifier: p.verifier }, { auth: 'none' }));
  assertTokens(await tokenRequest(app, { grant_type: 'refresh_token', refresh_token: t.refresh_token }, { auth: 'none' }), { what: 'a public client refreshes' });
  assertOAuthError(await tokenRequest(app, { grant_type: 'client_credentials' }, { auth: 'none' }), 401, 'invalid_client');
  assertOAuthError(await post('/oauth/introspect', { token: t.access_token, client_id: app.clientId }), 401, 'invalid_client', 'introspection needs client authentication');
  const conf = await appWithUser('authorization_code');
  const c2 = await codeFor(conf.app, conf.user, {});
  assertOAuthError(await redeem(conf.app, c2, {}, { auth: 'none' }), 401, 'invalid_client', 'an Authorization Flow application must authenticate');
  assertTokens(await redeem(conf.app, c2), { what: 'the code is still good' });
});

test('the authorization endpoint\'s other refusals come back by redirect with the state', async () => {
  const { app } = await appWithUser();
  const p = { code_challenge: pkce().challenge, code_challenge_method: 'S256' };
  for (const [what, params, error] of [
    ['response_type token', { response_type: 'token' }, 'unsupported_response_type'],
    ['no response_type', { response_type: null }, 'invalid_request'],
    ['an unknown scope', { scope: 'TRUST_APP' }, 'invalid_scope'],
  ]) {
    const state = randomHex(6);
    const r = await request(`/oauth/authorize?${authorizeQuery(app, { ...p, ...params, state })}`);
    assert.equal(r.status, 303, what);
    const loc = new URL(r.headers.get('location'));
    assert.equal(loc.searchParams.get('error'), error, what);
    assert.equal(loc.searchParams.get('state'), state, what);
    assert.equal(loc.searchParams.get('iss'), ISSUER, what);
  }
  const uc = await newApp(admin, { authenticator: 'user_credentials', redirect_uris: [REDIRECT] });
  const r = await request(`/oauth/authorize?${authorizeQuery({ ...uc, redirectUri: REDIRECT })}`);
  assert.equal(r.status, 303);
  assert.equal(new URL(r.headers.get('location')).searchParams.get('error'), 'unauthorized_client');
});

test('a denied consent redirects with access_denied; a consent given is not asked again, and the sign-in is remembered', async () => {
  const { app, user } = await appWithUser();
  const p = pkce();
  const params = { code_challenge: p.challenge, code_challenge_method: 'S256', scope: 'SEND_MESSAGES' };
  const jar = new CookieJar();
  const denied = await authorize(app, user, params, { jar, consent: 'deny' });
  assert.equal(denied.redirect.searchParams.get('error'), 'access_denied');
  assert.equal(denied.redirect.searchParams.get('code'), null);
  assert.ok(jar.get('ostium_oauth'), 'the sign-in has its own cookie');
  assert.equal(jar.get('ostium_session'), undefined, 'not the console\'s');
  assert.equal(jar.attributes.get('ostium_oauth').httponly, true);
  const again = await authorize(app, user, params, { jar });
  assert.equal(again.pages.length, 1, 'signed in already: the consent page only');
  codeOf(again);
  const third = await authorize(app, user, params, { jar });
  assert.equal(third.pages.length, 0, 'consent given: straight back with a code');
  codeOf(third);
  const more = await authorize(app, user, { ...params, scope: 'SEND_MESSAGES GET_PRESENCE' }, { jar });
  assert.equal(more.pages.length, 1, 'a scope not consented to yet is asked');
  codeOf(more);
});

test('the sign-in form needs its CSRF token, the right password, and an enabled user of the application without a console role', async () => {
  const { app, user } = await appWithUser();
  const p = pkce();
  const q = authorizeQuery(app, { code_challenge: p.challenge, code_challenge_method: 'S256' });
  const address = randomAddress();
  const jar = new CookieJar();
  const page = await request(`/oauth/authorize?${q}`, { jar, address });
  const fields = hiddenFields(page.text);
  let r = await request('/oauth/authorize', { method: 'POST', address, form: { ...fields, email: user.email, password: user.password } });
  assert.equal(r.status, 403, 'no CSRF cookie');
  r = await request('/oauth/authorize', { method: 'POST', jar, address, form: { ...fields, email: user.email, password: 'wrong password!' } });
  assert.equal(r.status, 401);
  assert.match(pageText(r.text), /Wrong email or password/);
  // a person who is not a user of this application
  const stranger = await appWithUser();
  r = await request('/oauth/authorize', { method: 'POST', jar, address, form: { ...hiddenFields(r.text), email: stranger.user.email, password: stranger.user.password } });
  assert.equal(r.status, 403);
  assert.match(pageText(r.text), /may not use this application/);
  // an administrator's password never signs in to an application
  const adminUser = await newUser(admin, app);
  await sql(`UPDATE users SET roles = 'AUDITOR' WHERE id = ${adminUser.id}`);
  r = await request('/oauth/authorize', { method: 'POST', jar, address, form: { ...hiddenFields(r.text), email: adminUser.email, password: adminUser.password } });
  assert.equal(r.status, 401);
  r = await request('/oauth/authorize', { method: 'POST', jar, address, form: { ...hiddenFields(r.text), email: user.email, password: user.password } });
  assert.equal(r.status, 200, 'the consent page');
  assert.match(r.text, /name="decision"/);
  // the consent form needs the sign-in's own CSRF token
  const consent = hiddenFields(r.text);
  r = await request('/oauth/consent', { method: 'POST', jar, address, form: { ...consent, csrf: 'x'.repeat(43), decision: 'allow' } });
  assert.equal(r.status, 400);
  assert.equal(r.headers.get('location'), null);
  r = await request('/oauth/consent', { method: 'POST', address, form: { ...consent, decision: 'allow' } });
  assert.equal(r.status, 401, 'no sign-in cookie: sign in again');
});

test('the sign-in on the authorization page is throttled as the console\'s', async () => {
  const { app, user } = await appWithUser();
  const p = pkce();
  const address = randomAddress();
  const jar = new CookieJar();
  let r = await request(`/oauth/authorize?${authorizeQuery(app, { code_challenge: p.challenge, code_challenge_method: 'S256' })}`, { jar, address });
  for (let i = 0; i < 5; i++) {
    r = await request('/oauth/authorize', { method: 'POST', jar, address, form: { ...hiddenFields(r.text), email: user.email, password: `wrong-${i}-password` } });
    assert.equal(r.status, 401, `failure ${i}`);
  }
  r = await request('/oauth/authorize', { method: 'POST', jar, address, form: { ...hiddenFields(r.text), email: user.email, password: user.password } });
  assert.equal(r.status, 429);
  assert.match(r.headers.get('retry-after') || '', /^[0-9]+$/);
});

test('a disabled user gets no tokens and their tokens are inactive at once; enabled again, they are active', async () => {
  const { app, user } = await appWithUser();
  const p = pkce();
  const code = await codeFor(app, user, { code_challenge: p.challenge, code_challenge_method: 'S256' });
  const t = assertTokens(await redeem(app, code, { code_verifier: p.verifier }));
  const { setUserEnabled } = require('./oauth_lib');
  await setUserEnabled(admin, app, user, false);
  assert.deepEqual(await introspect(app, t.access_token), { active: false });
  assert.deepEqual(await introspect(app, t.refresh_token), { active: false });
  const ui = await request('/oauth/userinfo', { headers: { Authorization: `Bearer ${t.access_token}` } });
  assertOAuthError(ui, 401, 'invalid_token');
  assert.match(ui.headers.get('www-authenticate'), /^Bearer .*error="invalid_token"/);
  assertOAuthError(await tokenRequest(app, { grant_type: 'refresh_token', refresh_token: t.refresh_token }), 400, 'invalid_grant');
  const blocked = await authorize(app, user, { code_challenge: p.challenge, code_challenge_method: 'S256' });
  assert.equal(blocked.redirect, null);
  assert.equal(blocked.last.status, 403);
  await setUserEnabled(admin, app, user, true);
  assert.equal((await introspect(app, t.access_token)).active, true);
  // the person disabled (not only as an application user)
  await sql(`UPDATE users SET enabled = 0 WHERE id = ${user.id}`);
  assert.deepEqual(await introspect(app, t.access_token), { active: false });
});

test('a deleted user\'s tokens are gone', async () => {
  const { app, user } = await appWithUser();
  const p = pkce();
  const code = await codeFor(app, user, { code_challenge: p.challenge, code_challenge_method: 'S256' });
  const t = assertTokens(await redeem(app, code, { code_verifier: p.verifier }));
  const r = await request(`/api/v1/users/${user.id}`, { method: 'DELETE', headers: admin.headers });
  assert.ok(r.status === 204, `${r.status} ${r.text}`);
  assert.deepEqual(await introspect(app, t.access_token), { active: false });
  assert.equal(Number((await sql(`SELECT COUNT(*) FROM oauth_tokens WHERE user_id = ${user.id}`))[0][0]), 0);
});

test('userinfo needs a user\'s access token', async () => {
  const { app } = await appWithUser();
  let r = await request('/oauth/userinfo');
  assertOAuthError(r, 401, 'invalid_token');
  assert.match(r.headers.get('www-authenticate'), /^Bearer realm/);
  const cc = assertTokens(await tokenRequest(app, { grant_type: 'client_credentials' }), { refresh: false });
  r = await request('/oauth/userinfo', { headers: { Authorization: `Bearer ${cc.access_token}` } });
  assertOAuthError(r, 401, 'invalid_token', 'the application\'s own token has no user');
  r = await request('/oauth/userinfo', { headers: { Authorization: `Basic ${Buffer.from('a:b').toString('base64')}` } });
  assertOAuthError(r, 401, 'invalid_token');
});

test('the token endpoint answers CORS for the application\'s origins, preflight included', async () => {
  const { app, user } = await appWithUser('authorization_code_pkce', { allowed_origins: ['https://spa.example.org'] });
  const pre = await request('/oauth/token', { method: 'OPTIONS', headers: { Origin: 'https://spa.example.org', 'Access-Control-Request-Method': 'POST' } });
  assert.equal(pre.status, 204);
  assert.equal(pre.headers.get('access-control-allow-origin'), 'https://spa.example.org');
  assert.match(pre.headers.get('access-control-allow-methods'), /POST/);
  const p = pkce();
  const code = await codeFor(app, user, { code_challenge: p.challenge, code_challenge_method: 'S256' });
  const r = await redeem(app, code, { code_verifier: p.verifier }, { auth: 'none', headers: { Origin: 'https://spa.example.org' } });
  assertTokens(r);
  assert.equal(r.headers.get('access-control-allow-origin'), 'https://spa.example.org');
  const other = await tokenRequest(app, { grant_type: 'refresh_token', refresh_token: 'x' }, { auth: 'none', headers: { Origin: 'https://evil.example.org' } });
  assertOAuthError(other, 400, 'invalid_grant');
  assert.equal(other.headers.get('access-control-allow-origin'), null);
});
