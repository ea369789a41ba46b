// oauth_password.test.js - the password grant (issue 10): only for User
// Credentials applications, the user's email and password, never a person
// with a console role, only enabled users of the application, throttled as
// the console's sign-in, scopes and lifespans from the application.
'use strict';

const { test, before } = require('node:test');
const assert = require('node:assert/strict');
const { randomAddress, sql, request } = require('./lib');
const {
  newAdmin, newApp, newUser, setUserEnabled, tokenRequest, assertOAuthError, assertTokens, introspect,
} = require('./oauth_lib');

let admin;

before(async () => {
  admin = await newAdmin();
});

async function start(sheet = {}) {
  const app = await newApp(admin, { authenticator: 'user_credentials', permissions: ['SEND_MESSAGES', 'GET_PRESENCE'], access_token_ttl: 300, refresh_token_ttl: 900, ...sheet });
  const user = await newUser(admin, app);
  return { app, user };
}

const grant = (app, user, extra = {}, options = {}) =>
  tokenRequest(app, { grant_type: 'password', username: user.email, password: user.password, ...extra }, options);

test('the password grant gives a user\'s tokens with the application\'s lifespans and scopes', async () => {
  const { app, user } = await start();
  const t = assertTokens(await grant(app, user));
  assert.equal(t.expires_in, 300);
  assert.equal(t.scope, 'SEND_MESSAGES GET_PRESENCE');
  const i = await introspect(app, t.access_token);
  assert.equal(i.username, user.email);
  assert.equal(i.sub_type, 'user');
  const r = await introspect(app, t.refresh_token);
  assert.equal(r.exp - r.iat, 900);
  const sub = assertTokens(await grant(app, user, { scope: 'GET_PRESENCE' }));
  assert.equal(sub.scope, 'GET_PRESENCE');
  assertOAuthError(await grant(app, user, { scope: 'ACT_AS_USER' }), 400, 'invalid_scope');
  assertTokens(await tokenRequest(app, { grant_type: 'refresh_token', refresh_token: t.refresh_token }), { what: 'and refreshes' });
});

test('a wrong password, an unknown user or a missing field is refused', async () => {
  const { app, user } = await start();
  assertOAuthError(await grant(app, user, { password: 'not the password' }), 400, 'invalid_grant');
  assertOAuthError(await grant(app, { email: 'nobody-here@example.org', password: 'whatever it is' }), 400, 'invalid_grant');
  assertOAuthError(await tokenRequest(app, { grant_type: 'password', username: user.email }), 400, 'invalid_request');
  assertOAuthError(await tokenRequest(app, { grant_type: 'password', password: user.password }), 400, 'invalid_request');
  assertOAuthError(await grant(app, user, {}, { auth: 'none' }), 401, 'invalid_client', 'the password grant needs client authentication');
});

test('a person with a console role is refused, even with the right password', async () => {
  const { app, user } = await start();
  await sql(`UPDATE users SET roles = 'USER_PROVISIONING' WHERE id = ${user.id}`);
  assertOAuthError(await grant(app, user), 400, 'invalid_grant');
  // nor does an administrator's own account sign in to an application
  assertOAuthError(await grant(app, { email: admin.email, password: admin.password }), 400, 'invalid_grant');
});

test('a disabled user, or a person who is not the application\'s user, gets no token', async () => {
  const { app, user } = await start();
  await setUserEnabled(admin, app, user, false);
  assertOAuthError(await grant(app, user), 400, 'invalid_grant');
  await setUserEnabled(admin, app, user, true);
  assertTokens(await grant(app, user));
  const other = await start();
  assertOAuthError(await grant(app, other.user), 400, 'invalid_grant');
  await sql(`UPDATE users SET enabled = 0 WHERE id = ${user.id}`);
  assertOAuthError(await grant(app, user), 400, 'invalid_grant');
});

test('only User Credentials applications have the password grant', async () => {
  for (const authenticator of ['authorization_code', 'authorization_code_pkce']) {
    const { app, user } = await start({ authenticator });
    assertOAuthError(await grant(app, user), 400, 'unauthorized_client', authenticator);
  }
});

test('failed passwords are throttled per account and address, as at the console (429 with Retry-After)', async () => {
  const { app, user } = await start();
  const address = randomAddress();
  for (let i = 0; i < 5; i++) {
    assertOAuthError(await grant(app, user, { password: `wrong-${i}` }, { address }), 400, 'invalid_grant', `failure ${i}`);
  }
  const r = await grant(app, user, {}, { address });
  assertOAuthError(r, 429, 'invalid_grant');
  assert.match(r.headers.get('retry-after') || '', /^[0-9]+$/);
  // failures from one address do not lock the user out elsewhere
  assertTokens(await grant(app, user, {}, { address: randomAddress() }), { what: 'from another address' });
});

test('a password an administrator resets ends the user\'s OAuth tokens at once (issue 13 item 7: they were opened with the old password)', async () => {
  const { app, user } = await start();
  const t = assertTokens(await grant(app, user));
  assert.equal((await introspect(app, t.access_token)).active, true);
  const person = await request(`/api/v1/users/${user.id}`, { headers: admin.headers });
  assert.equal(person.status, 200, person.text);
  const reset = await request(`/api/v1/users/${user.id}`, {
    method: 'PATCH', headers: admin.headers, json: { version: person.json.version, password: `new-${user.password}` },
  });
  assert.equal(reset.status, 200, reset.text);
  assert.equal((await introspect(app, t.access_token)).active, false, 'the access token is inactive');
  assert.equal((await introspect(app, t.refresh_token)).active, false, 'so is the refresh token');
  assertOAuthError(await tokenRequest(app, { grant_type: 'refresh_token', refresh_token: t.refresh_token }), 400, 'invalid_grant');
  assertTokens(await grant(app, { ...user, password: `new-${user.password}` }), { what: 'the new password signs in' });
});
