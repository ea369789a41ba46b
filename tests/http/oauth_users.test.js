// oauth_users.test.js - what becomes of a user's OAuth tokens when the
// person changes: given a console role, their tokens are refused (they
// never get tokens, and keep none); removed from an application, their
// grants and tokens are revoked, their unredeemed codes dropped and their
// consent forgotten, so that adding them again brings none of it back.
'use strict';

const { test, before } = require('node:test');
const assert = require('node:assert/strict');
const { request, randomAddress, CookieJar } = require('./lib');
const {
  newAdmin, newApp, newUser, tokenRequest, assertOAuthError, assertTokens, introspect, authorize,
  codeOf, codeFor, count,
} = require('./oauth_lib');

const REDIRECT = 'https://app.example.org/callback';
let admin;

before(async () => {
  admin = await newAdmin();
});

// A new Authorization Flow application with a user.
async function appWithUser() {
  const app = await newApp(admin, { authenticator: 'authorization_code', redirect_uris: [REDIRECT], permissions: ['SEND_MESSAGES', 'GET_PRESENCE'] });
  app.redirectUri = REDIRECT;
  const user = await newUser(admin, app);
  return { app, user };
}

const redeem = (app, code) => tokenRequest(app, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT });
const refresh = (app, token) => tokenRequest(app, { grant_type: 'refresh_token', refresh_token: token });

test('a person given a console role can neither refresh nor use the tokens they got before', async () => {
  const { app, user } = await appWithUser();
  const t = assertTokens(await redeem(app, await codeFor(app, user, {})));
  const cur = await request(`/api/v1/users/${user.id}`, { headers: admin.headers });
  assert.equal(cur.status, 200, cur.text);
  const r = await request(`/api/v1/users/${user.id}`, { method: 'PATCH', headers: admin.headers, json: { roles: ['AUDITOR'], version: cur.json.version } });
  assert.equal(r.status, 200, r.text);
  assertOAuthError(await refresh(app, t.refresh_token), 400, 'invalid_grant', 'a refresh');
  assert.deepEqual(await introspect(app, t.access_token), { active: false });
  assert.deepEqual(await introspect(app, t.refresh_token), { active: false });
  const ui = await request('/oauth/userinfo', { headers: { Authorization: `Bearer ${t.access_token}` } });
  assertOAuthError(ui, 401, 'invalid_token', 'userinfo');
});

test('removing a user from an application revokes their tokens, drops their codes and forgets their consent: added again, none of it comes back', async () => {
  const { app, user } = await appWithUser();
  const jar = new CookieJar();
  const address = randomAddress();
  const first = await authorize(app, user, {}, { jar, address });
  assert.equal(first.pages.length, 2, 'sign-in and consent');
  const t = assertTokens(await redeem(app, codeOf(first)));
  const pending = await codeFor(app, user, {}, { jar, address });
  assert.equal(await count(`SELECT COUNT(*) FROM oauth_consents WHERE app_id = ${app.id} AND user_id = ${user.id}`), 1);
  const del = await request(`/api/v1/apps/${app.id}/users/${user.id}`, { method: 'DELETE', headers: admin.headers });
  assert.equal(del.status, 204, del.text);
  assert.equal(await count(`SELECT COUNT(*) FROM oauth_consents WHERE app_id = ${app.id} AND user_id = ${user.id}`), 0, 'the consent is forgotten');
  assert.equal(await count(`SELECT COUNT(*) FROM oauth_tokens WHERE app_id = ${app.id} AND user_id = ${user.id} AND revoked_at IS NULL`), 0, 'every token is revoked');
  assert.equal(await count(`SELECT COUNT(*) FROM oauth_grants WHERE app_id = ${app.id} AND user_id = ${user.id} AND revoked_at IS NULL`), 0, 'every grant is revoked');
  const again = await request(`/api/v1/apps/${app.id}/users`, { method: 'POST', headers: admin.headers, json: { email: user.email, first_name: 'Ada' } });
  assert.equal(again.status, 201, again.text);
  assert.deepEqual(await introspect(app, t.access_token), { active: false }, 'the old access token stays dead');
  assert.deepEqual(await introspect(app, t.refresh_token), { active: false }, 'the old refresh token stays dead');
  assertOAuthError(await refresh(app, t.refresh_token), 400, 'invalid_grant', 'the old refresh token');
  assertOAuthError(await redeem(app, pending), 400, 'invalid_grant', 'a code issued before the removal');
  const back = await authorize(app, user, {}, { jar, address });
  assert.equal(back.pages.length, 1, 'still signed in, but asked to consent again');
  assert.match(back.pages[0].text, /name="decision"/);
  assertTokens(await redeem(app, codeOf(back)), { what: 'new tokens after a new consent' });
});

test('removing a user from one application leaves their tokens for another', async () => {
  const { app, user } = await appWithUser();
  const other = await newApp(admin, { authenticator: 'authorization_code', redirect_uris: [REDIRECT], permissions: ['SEND_MESSAGES'] });
  other.redirectUri = REDIRECT;
  const added = await request(`/api/v1/apps/${other.id}/users`, { method: 'POST', headers: admin.headers, json: { email: user.email, first_name: 'Ada' } });
  assert.equal(added.status, 201, added.text);
  const mine = assertTokens(await redeem(other, await codeFor(other, user, {})));
  assertTokens(await redeem(app, await codeFor(app, user, {})));
  const del = await request(`/api/v1/apps/${app.id}/users/${user.id}`, { method: 'DELETE', headers: admin.headers });
  assert.equal(del.status, 204, del.text);
  assert.equal((await introspect(other, mine.access_token)).active, true);
  assertTokens(await refresh(other, mine.refresh_token));
});
