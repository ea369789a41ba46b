// oauth_client.test.js - the authorization server's metadata (RFC 8414),
// the client_credentials grant with client_secret_basic (form-decoded, RFC
// 6749 section 2.3.1) and client_secret_post, a rotated key within and
// past its grace period, throttled client authentication, scopes, the
// application's lifespans, the RFC 6749 refusals of the token endpoint,
// revocation (RFC 7009) then introspection (RFC 7662) (issue 10).
'use strict';

const { test, before } = require('node:test');
const assert = require('node:assert/strict');
const { request, randomAddress, randomHex, sql, assertError, configValue, testctl } = require('./lib');
const {
  ISSUER, newAdmin, newApp, basic, post, tokenRequest, assertOAuthError, assertTokens, introspect,
  count,
} = require('./oauth_lib');

let admin;

before(async () => {
  admin = await newAdmin();
});

test('the metadata names the issuer, every endpoint and what is supported, and no OpenID Connect', async () => {
  const r = await request('/.well-known/oauth-authorization-server');
  assert.equal(r.status, 200, r.text);
  const m = r.json;
  assert.equal(m.issuer, ISSUER);
  for (const [key, path] of [['authorization_endpoint', '/oauth/authorize'], ['token_endpoint', '/oauth/token'],
    ['revocation_endpoint', '/oauth/revoke'], ['introspection_endpoint', '/oauth/introspect'],
    ['userinfo_endpoint', '/oauth/userinfo']]) {
    assert.equal(m[key], `${ISSUER}${path}`, key);
  }
  assert.deepEqual(m.response_types_supported, ['code']);
  assert.deepEqual(m.code_challenge_methods_supported, ['S256']);
  assert.deepEqual([...m.grant_types_supported].sort(), ['authorization_code', 'client_credentials', 'password', 'refresh_token']);
  assert.deepEqual(m.token_endpoint_auth_methods_supported, ['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none']);
  assert.deepEqual(m.token_endpoint_auth_signing_alg_values_supported, ['RS256']);
  assert.ok(m.scopes_supported.includes('SEND_MESSAGES'));
  assert.ok(!m.scopes_supported.includes('openid'), 'no openid scope before OpenID Connect');
  assert.equal(m.jwks_uri, undefined);
  const oidc = await request('/.well-known/openid-configuration');
  assert.equal(oidc.status, 404);
});

test('client_credentials with client_secret_basic gives an access token of the application\'s lifespan, no refresh token', async () => {
  const app = await newApp(admin, { permissions: ['SEND_MESSAGES', 'GET_PRESENCE'], access_token_ttl: 900, refresh_token_ttl: 1800 });
  const t = assertTokens(await tokenRequest(app, { grant_type: 'client_credentials' }), { refresh: false });
  assert.equal(t.expires_in, 900, 'the lifespan is the application\'s');
  assert.equal(t.scope, 'SEND_MESSAGES GET_PRESENCE', 'no scope asks for all');
  const i = await introspect(app, t.access_token);
  assert.equal(i.active, true);
  assert.equal(i.client_id, app.clientId);
  assert.equal(i.sub, app.clientId, 'the application acts for itself');
  assert.equal(i.sub_type, 'client');
  assert.equal(i.token_type, 'Bearer');
  assert.equal(i.scope, 'SEND_MESSAGES GET_PRESENCE');
  assert.equal(i.iss, ISSUER);
  assert.equal(i.exp - i.iat, 900);
  // only the hash is kept
  assert.equal(await count(`SELECT COUNT(*) FROM oauth_tokens WHERE hash = UNHEX(SHA2('${t.access_token}', 256))`), 1);
  assert.equal(await count(`SELECT COUNT(*) FROM oauth_tokens WHERE HEX(hash) LIKE '%${Buffer.from(t.access_token).toString('hex').slice(0, 16).toUpperCase()}%'`), 0);
});

test('client_secret_post works as well as Basic; a wrong secret is invalid_client, with a Basic challenge only when Basic was tried', async () => {
  const app = await newApp(admin);
  assertTokens(await tokenRequest(app, { grant_type: 'client_credentials' }, { auth: 'post' }), { refresh: false });
  const wrongBasic = await post('/oauth/token', { grant_type: 'client_credentials' }, { headers: { Authorization: basic(app.clientId, 'x'.repeat(43)) } });
  assertOAuthError(wrongBasic, 401, 'invalid_client');
  assert.match(wrongBasic.headers.get('www-authenticate') || '', /^Basic /);
  const wrongPost = await post('/oauth/token', { grant_type: 'client_credentials', client_id: app.clientId, client_secret: 'nope' });
  assertOAuthError(wrongPost, 401, 'invalid_client');
  assert.equal(wrongPost.headers.get('www-authenticate'), null);
  const unknown = await post('/oauth/token', { grant_type: 'client_credentials' }, { headers: { Authorization: basic('0'.repeat(26), app.secret) } });
  assertOAuthError(unknown, 401, 'invalid_client');
  const none = await post('/oauth/token', { grant_type: 'client_credentials' });
  assertOAuthError(none, 401, 'invalid_client');
});

test('Basic credentials are form-decoded after base64 (RFC 6749 section 2.3.1): an id and secret sent percent-encoded still authenticate', async () => {
  const app = await newApp(admin);
  const every = (s) => [...s].map((ch) => `%${ch.charCodeAt(0).toString(16).padStart(2, '0').toUpperCase()}`).join('');
  const header = `Basic ${Buffer.from(`${every(app.clientId)}:${every(app.secret)}`).toString('base64')}`;
  assertTokens(await post('/oauth/token', { grant_type: 'client_credentials' }, { headers: { Authorization: header } }), { refresh: false });
  // what a form-decoder turns into something else is not the secret
  const plus = `Basic ${Buffer.from(`${app.clientId}:${app.secret.replace(/-/g, '+')}a+`).toString('base64')}`;
  assertOAuthError(await post('/oauth/token', { grant_type: 'client_credentials' }, { headers: { Authorization: plus } }), 401, 'invalid_client');
  const bad = `Basic ${Buffer.from(`${app.clientId}:%zz`).toString('base64')}`;
  assertOAuthError(await post('/oauth/token', { grant_type: 'client_credentials' }, { headers: { Authorization: bad } }), 401, 'invalid_client');
});

test('a rotated key keeps working within its grace period and is refused past it', async () => {
  const app = await newApp(admin);
  const now = await request(`/api/v1/apps/${app.id}`, { headers: admin.headers });
  const rotated = await request(`/api/v1/apps/${app.id}/rotate-key`, { method: 'POST', headers: admin.headers, json: { grace_seconds: 600, version: now.json.version } });
  assert.equal(rotated.status, 200, rotated.text);
  const fresh = { ...app, secret: rotated.json.private_api_key };
  assertTokens(await tokenRequest(fresh, { grant_type: 'client_credentials' }), { refresh: false });
  assertTokens(await tokenRequest(app, { grant_type: 'client_credentials' }), { refresh: false }, 'the old key within its grace');
  await sql(`UPDATE apps SET previous_key_expires_at = UTC_TIMESTAMP() - INTERVAL 1 SECOND WHERE id = ${app.id}`);
  assertOAuthError(await tokenRequest(app, { grant_type: 'client_credentials' }), 401, 'invalid_client', 'the old key past its grace');
  assertTokens(await tokenRequest(fresh, { grant_type: 'client_credentials' }), { refresh: false });
});

test('failed client authentications are throttled per client (429, Retry-After) but the right key is never refused', async () => {
  const app = await newApp(admin);
  let r;
  for (let i = 0; i < 20; i++) {
    r = await post('/oauth/token', { grant_type: 'client_credentials', client_id: app.clientId, client_secret: `wrong-${i}` });
    assertOAuthError(r, 401, 'invalid_client', `failure ${i}`);
  }
  r = await post('/oauth/token', { grant_type: 'client_credentials', client_id: app.clientId, client_secret: 'wrong-again' });
  assertOAuthError(r, 429, 'invalid_client');
  assert.match(r.headers.get('retry-after') || '', /^[1-9][0-9]*$/);
  assertTokens(await tokenRequest(app, { grant_type: 'client_credentials' }), { refresh: false });
});

test('failed client authentications are throttled per address across clients', async () => {
  const address = randomAddress();
  const app = await newApp(admin);
  const limit = Number(configValue('throttle_address', '30'));
  let r;
  for (let i = 0; i < limit; i++) {
    r = await post('/oauth/token', { grant_type: 'client_credentials', client_id: randomHex(13), client_secret: 'x' }, { address });
    assertOAuthError(r, 401, 'invalid_client');
  }
  r = await post('/oauth/token', { grant_type: 'client_credentials', client_id: app.clientId, client_secret: 'x' }, { address });
  assertOAuthError(r, 429, 'invalid_client');
});

test('scopes: a subset is granted as asked, none asks for all, an unknown one is invalid_scope', async () => {
  const app = await newApp(admin, { permissions: ['SEND_MESSAGES', 'GET_PRESENCE', 'CUSTOM_ONE'] });
  let t = assertTokens(await tokenRequest(app, { grant_type: 'client_credentials', scope: 'CUSTOM_ONE SEND_MESSAGES' }), { refresh: false });
  assert.equal(t.scope, 'SEND_MESSAGES CUSTOM_ONE');
  assert.equal((await introspect(app, t.access_token)).scope, 'SEND_MESSAGES CUSTOM_ONE');
  t = assertTokens(await tokenRequest(app, { grant_type: 'client_credentials' }), { refresh: false });
  assert.equal(t.scope, 'SEND_MESSAGES GET_PRESENCE CUSTOM_ONE');
  assertOAuthError(await tokenRequest(app, { grant_type: 'client_credentials', scope: 'SEND_MESSAGES TRUST_APP' }), 400, 'invalid_scope');
  assertOAuthError(await tokenRequest(app, { grant_type: 'client_credentials', scope: 'openid' }), 400, 'invalid_scope');
  assertOAuthError(await tokenRequest(app, { grant_type: 'client_credentials', scope: 'SEND_MESSAGES  GET_PRESENCE' }), 400, 'invalid_scope');
});

test('the token endpoint refuses with RFC 6749 errors: invalid_request, unsupported_grant_type, unauthorized_client', async () => {
  const app = await newApp(admin, { authenticator: 'authorization_code' });
  assertOAuthError(await tokenRequest(app, {}), 400, 'invalid_request', 'no grant_type');
  assertOAuthError(await tokenRequest(app, { grant_type: 'urn:ietf:params:oauth:grant-type:device_code' }), 400, 'unsupported_grant_type');
  assertOAuthError(await tokenRequest(app, { grant_type: 'password', username: 'a@example.org', password: 'x' }), 400, 'unauthorized_client', 'the password grant is for User Credentials applications');
  const twice = await request('/oauth/token', {
    method: 'POST', address: randomAddress(), headers: { Authorization: basic(app.clientId, app.secret), 'Content-Type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials&grant_type=client_credentials',
  });
  assertOAuthError(twice, 400, 'invalid_request', 'a parameter given twice');
  const json = await request('/oauth/token', { method: 'POST', address: randomAddress(), headers: { Authorization: basic(app.clientId, app.secret) }, json: { grant_type: 'client_credentials' } });
  assertOAuthError(json, 400, 'invalid_request', 'a JSON body');
  const both = await post('/oauth/token', { grant_type: 'client_credentials', client_id: app.clientId, client_secret: app.secret }, { headers: { Authorization: basic(app.clientId, app.secret) } });
  assertOAuthError(both, 400, 'invalid_request', 'two client authentication methods');
  const malformed = await request('/oauth/token', { method: 'POST', address: randomAddress(), headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'grant_type=%zz' });
  assertOAuthError(malformed, 400, 'invalid_request', 'a form that cannot be decoded, refused before any handler');
  const xml = await request('/oauth/token', { method: 'POST', address: randomAddress(), headers: { 'Content-Type': 'application/xml' }, body: '<a/>' });
  assertOAuthError(xml, 400, 'invalid_request', 'XML is not offered: a form, as for a JSON body');
  // a method the endpoint does not have is the server's own refusal
  assertError(await request('/oauth/token'), 405, 'method_not_allowed');
});

test('the OAuth endpoints answer JSON whatever Accept asks: never a 406 nor a refusal in XML', async () => {
  const app = await newApp(admin);
  const xml = { Accept: 'application/xml' };
  const auth = { Authorization: basic(app.clientId, app.secret) };
  let r = await post('/oauth/token', { grant_type: 'client_credentials' }, { headers: { ...xml, ...auth } });
  assert.match(r.headers.get('content-type') || '', /^application\/json/, `${r.status} ${r.text.slice(0, 200)}`);
  const t = assertTokens(r, { refresh: false, what: 'Accept: application/xml' });
  assertTokens(await request('/oauth/token?format=xml', { method: 'POST', address: randomAddress(), form: { grant_type: 'client_credentials' }, headers: auth }), { refresh: false, what: '?format=xml' });
  r = await request('/oauth/token', { method: 'POST', address: randomAddress(), headers: { ...xml, 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'grant_type=%zz' });
  assertOAuthError(r, 400, 'invalid_request', 'a body that cannot be read, refused before any handler');
  assertOAuthError(await post('/oauth/token', { grant_type: 'client_credentials' }, { headers: xml }), 401, 'invalid_client', 'no client authentication');
  r = await post('/oauth/introspect', { token: t.access_token }, { headers: { ...xml, ...auth } });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.active, true);
  r = await request('/oauth/userinfo', { headers: { ...xml, Authorization: 'Bearer x' } });
  assertOAuthError(r, 401, 'invalid_token', 'userinfo');
  r = await post('/oauth/revoke', { token: t.access_token }, { headers: { ...xml, ...auth } });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.text, '');
  r = await request('/.well-known/oauth-authorization-server', { headers: xml });
  assert.equal(r.status, 200, r.text.slice(0, 200));
  assert.equal(r.json.issuer, ISSUER, 'the metadata in JSON');
  // the authorization pages are HTML, whatever Accept asks
  r = await request(`/oauth/authorize?client_id=${'0'.repeat(26)}`, { headers: xml });
  assert.equal(r.status, 400, r.text.slice(0, 200));
  assert.match(r.headers.get('content-type') || '', /^text\/html/);
});

test('revocation then introspection: a revoked token is inactive; an unknown token is revoked with 200', async () => {
  const app = await newApp(admin);
  const other = await newApp(admin);
  const t = assertTokens(await tokenRequest(app, { grant_type: 'client_credentials' }), { refresh: false });
  // another client neither sees it nor revokes it
  assert.deepEqual(await introspect(other, t.access_token), { active: false });
  let r = await post('/oauth/revoke', { token: t.access_token }, { headers: { Authorization: basic(other.clientId, other.secret) } });
  assert.equal(r.status, 200);
  assert.equal((await introspect(app, t.access_token)).active, true);
  r = await post('/oauth/revoke', { token: t.access_token, token_type_hint: 'access_token' }, { headers: { Authorization: basic(app.clientId, app.secret) } });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.text, '');
  assert.deepEqual(await introspect(app, t.access_token), { active: false });
  r = await post('/oauth/revoke', { token: 'never-issued' }, { headers: { Authorization: basic(app.clientId, app.secret) } });
  assert.equal(r.status, 200, 'an unknown token: 200 all the same');
  assertOAuthError(await post('/oauth/revoke', {}, { headers: { Authorization: basic(app.clientId, app.secret) } }), 400, 'invalid_request');
  assertOAuthError(await post('/oauth/revoke', { token: t.access_token }), 401, 'invalid_client');
  assertOAuthError(await post('/oauth/introspect', { token: t.access_token }), 401, 'invalid_client');
  assert.deepEqual(await introspect(app, 'x'.repeat(43)), { active: false });
});

test('an expired token is inactive, and the clean-up removes it (ostiumctl purge; the workers every few minutes)', async () => {
  const app = await newApp(admin);
  const t = assertTokens(await tokenRequest(app, { grant_type: 'client_credentials' }), { refresh: false });
  const live = assertTokens(await tokenRequest(app, { grant_type: 'client_credentials' }), { refresh: false });
  await sql(`UPDATE oauth_tokens SET expires_at = UTC_TIMESTAMP() - INTERVAL 1 SECOND WHERE hash = UNHEX(SHA2('${t.access_token}', 256))`);
  assert.deepEqual(await introspect(app, t.access_token), { active: false });
  await sql(`INSERT INTO oauth_jti (app_id, hash, expires_at) VALUES (${app.id}, UNHEX(SHA2('old-jti', 256)), UTC_TIMESTAMP() - INTERVAL 1 SECOND)`);
  const out = await testctl('ctl', 'purge');
  assert.match(out, /^removed: [1-9][0-9]*$/m);
  assert.equal(await count(`SELECT COUNT(*) FROM oauth_tokens WHERE app_id = ${app.id}`), 1, 'only the live token is left');
  assert.equal(await count(`SELECT COUNT(*) FROM oauth_jti WHERE app_id = ${app.id}`), 0);
  assert.equal((await introspect(app, live.access_token)).active, true);
});

test('deleting an application deletes its tokens', async () => {
  const app = await newApp(admin);
  assertTokens(await tokenRequest(app, { grant_type: 'client_credentials' }), { refresh: false });
  assert.equal(await count(`SELECT COUNT(*) FROM oauth_tokens WHERE app_id = ${app.id}`), 1);
  const r = await request(`/api/v1/apps/${app.id}`, { method: 'DELETE', headers: admin.headers });
  assert.equal(r.status, 204, r.text);
  assert.equal(await count(`SELECT COUNT(*) FROM oauth_tokens WHERE app_id = ${app.id}`), 0);
});

test('a client_credentials token replaces Basic on the application API, with every check of that API', async () => {
  const app = await newApp(admin, { capabilities: { read: ['companies'], write: [] }, allowed_ips: ['2001:db8::/32'] });
  const company = await request('/api/v1/companies', { method: 'POST', headers: admin.headers, json: { name: `OAuth co ${randomHex(4)}`, slug: `oauth-${randomHex(5)}` } });
  assert.equal(company.status, 201, company.text);
  const group = company.json.id;
  const t = assertTokens(await tokenRequest(app, { grant_type: 'client_credentials' }), { refresh: false });
  const call = (path, token, address = randomAddress()) => request(path, {
    address, headers: { Authorization: `Bearer ${token}`, 'X-Group-Id': String(group), 'X-Forwarded-Proto': 'https', Accept: 'application/json' },
  });
  assertError(await call('/api/v1/app/me', t.access_token), 403, 'forbidden', 'not installed in the company');
  const inst = await request(`/api/v1/companies/${group}/apps/${app.id}`, { method: 'POST', headers: admin.headers });
  assert.ok(inst.status === 201 || inst.status === 200, inst.text);
  let r = await call('/api/v1/app/me', t.access_token);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.public_id, app.clientId);
  r = await call('/api/v1/app/company', t.access_token);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.id, group);
  assertError(await call('/api/v1/app/me', t.access_token, '198.51.100.7'), 403, 'forbidden', 'not from an allowed address');
  await post('/oauth/revoke', { token: t.access_token }, { headers: { Authorization: basic(app.clientId, app.secret) } });
  r = await call('/api/v1/app/me', t.access_token);
  assertError(r, 401, 'unauthorized', 'a revoked token');
  assert.match(r.headers.get('www-authenticate'), /^Bearer .*invalid_token/);
  assertError(await call('/api/v1/app/me', 'x'.repeat(43)), 401, 'unauthorized', 'an unknown token');
});
