// oauth_app_api.test.js - a client_credentials token in place of Basic on
// the application API (/api/v1/app/*) goes through every check of that
// API: group_id missing or not a company, the application's capabilities,
// and the permissions a call needs, which a token narrowed by its scope
// may lack although its application has them (installation, allowed
// addresses and revocation: oauth_client.test.js).
'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const { request, randomAddress, assertError } = require('./lib');
const b = require('./broker_lib');
const { tokenRequest, assertTokens } = require('./oauth_lib');

// A client_credentials token of W's application with SCOPE (all when none).
async function tokenOf(w, scope) {
  const app = { clientId: w.app.public_id, secret: w.app.private_api_key };
  return assertTokens(await tokenRequest(app, { grant_type: 'client_credentials', ...(scope ? { scope } : {}) }), { refresh: false });
}

// An application API call with the bearer TOKEN: HEADERS added, group
// null for no X-Group-Id.
function call(path, token, { group, headers = {} } = {}) {
  const h = { Authorization: `Bearer ${token}`, 'X-Forwarded-Proto': 'https', Accept: 'application/json', ...headers };
  if (group !== null) h['X-Group-Id'] = String(group);
  return request(path, { headers: h, address: randomAddress() });
}

test('a client_credentials token on the application API needs group_id, the id of a company the application is installed in', async () => {
  const w = await b.world();
  const t = await tokenOf(w);
  assert.equal((await call('/api/v1/app/me', t.access_token, { group: w.company.id })).status, 200);
  let e = assertError(await call('/api/v1/app/me', t.access_token, { group: null }), 400, 'invalid_request', 'no group_id');
  assert.equal(e.field, 'group_id');
  e = assertError(await call('/api/v1/app/me', t.access_token, { group: 'acme' }), 400, 'invalid_request', 'not an id');
  assert.equal(e.field, 'group_id');
  assertError(await call(`/api/v1/app/me?group_id=${w.company.id}x`, t.access_token, { group: null }), 400, 'invalid_request', 'a query parameter that is not an id');
  assertError(await call('/api/v1/app/me', t.access_token, { group: 999999999 }), 403, 'forbidden', 'no such company');
  const other = await b.world();
  assertError(await call('/api/v1/app/me', t.access_token, { group: other.company.id }), 403, 'forbidden', 'a company the application is not installed in');
});

test('a client_credentials token on the application API needs the capability the call needs', async () => {
  const w = await b.world({ read: ['connections'], write: [] });
  const t = await tokenOf(w);
  const e = assertError(await call('/api/v1/app/company', t.access_token, { group: w.company.id }), 403, 'forbidden', 'read:companies');
  assert.match(e.message, /capability read:companies/);
  const del = await request('/api/v1/app/connections/1', { method: 'DELETE', address: randomAddress(),
    headers: { Authorization: `Bearer ${t.access_token}`, 'X-Forwarded-Proto': 'https', Accept: 'application/json', 'X-Group-Id': String(w.company.id) } });
  assert.match(assertError(del, 403, 'forbidden', 'write:connections').message, /capability write:connections/);
  assert.equal((await call('/api/v1/app/connections?provider=none', t.access_token, { group: w.company.id })).status, 200, 'read:connections it has');
});

test('a client_credentials token whose scope lacks a permission its application has cannot make the call that needs it (X-On-Behalf-Of needs ACT_AS_USER)', async () => {
  const w = await b.world({ permissions: ['ACT_AS_USER', 'SEND_MESSAGES'] });
  const alice = await b.member(w.headers, w.company);
  const onBehalf = { group: w.company.id, headers: { 'X-On-Behalf-Of': String(alice.membership) } };
  const path = '/api/v1/app/connections?provider=none';
  const all = await tokenOf(w);
  assert.deepEqual(all.scope.split(' ').sort(), ['ACT_AS_USER', 'SEND_MESSAGES']);
  let r = await call(path, all.access_token, onBehalf);
  assert.equal(r.status, 200, `a token with every permission: ${r.text}`);
  const narrow = await tokenOf(w, 'SEND_MESSAGES');
  assert.equal(narrow.scope, 'SEND_MESSAGES');
  r = await call(path, narrow.access_token, onBehalf);
  const e = assertError(r, 403, 'forbidden', 'a token without ACT_AS_USER');
  assert.match(e.message, /ACT_AS_USER/);
  r = await call(path, narrow.access_token, { group: w.company.id });
  assert.equal(r.status, 200, `the same token for a call that needs no permission: ${r.text}`);
  r = await b.appCall(w, path, { onBehalfOf: alice.membership });
  assert.equal(r.status, 200, `Basic has every permission of the application: ${r.text}`);
});
