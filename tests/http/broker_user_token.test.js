// broker_user_token.test.js - an application acting for a person with an
// access token that person granted it (issue 11): on
// /api/v1/app/connections[/{id}] the token's person, through their
// membership in the group_id company, sees their own connections and the
// shared ones, never another member's; no ACT_AS_USER is needed (their
// grant is the consent); each read is audited; a person who is no member
// there is refused 403; another application's token sees none of this
// one's; a revoked or expired token is refused 401.
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { request, assertError, randomAddress } = require('./lib');
const b = require('./broker_lib');
const { tokenRequest, post, basic } = require('./oauth_lib');

let stub;
before(async () => { stub = await b.startUpstream('stub'); });
after(async () => { await stub.stop(); });

// Makes W's application (sheet APP) a User Credentials one, PERSON its user;
// resolves with PERSON's access token for it (password grant).
async function userToken(headers, app, person) {
  const cur = await b.api(headers, `/api/v1/apps/${app.id}`);
  if (cur.json.authenticator !== 'user_credentials') {
    const r = await b.api(headers, `/api/v1/apps/${app.id}`, { method: 'PATCH',
      json: { authenticator: 'user_credentials', version: cur.json.version } });
    assert.equal(r.status, 200, r.text);
  }
  const u = await b.api(headers, `/api/v1/apps/${app.id}/users`, { method: 'POST',
    json: { email: person.email, first_name: 'Pat', last_name: 'Member' } });
  assert.equal(u.status, 201, u.text);
  const client = { clientId: app.public_id, secret: app.private_api_key };
  const r = await tokenRequest(client, { grant_type: 'password', username: person.email, password: person.password });
  assert.equal(r.status, 200, r.text);
  assert.ok(r.json.access_token);
  return r.json.access_token;
}

// A call of the application API with bearer TOKEN for company GROUP.
function bearerCall(token, group, p) {
  return request(p, { headers: { Accept: 'application/json', Authorization: `Bearer ${token}`,
    'X-Forwarded-Proto': 'https', 'X-Group-Id': String(group) }, address: randomAddress() });
}

// A world without ACT_AS_USER: alice's own and shared connections, bob's
// own; alice's token for the application.
async function populated() {
  const w = await b.world({ permissions: [] });
  const p = await b.provider(w, stub);
  const alice = await b.member(w.headers, w.company);
  const bob = await b.member(w.headers, w.company);
  const [sa, sb] = [await b.signInAs(alice), await b.signInAs(bob)];
  const c = {
    aliceOwn: b.connectedId(await b.connect(w, sa, p.name, { visibility: 'user' })),
    aliceShared: b.connectedId(await b.connect(w, sa, p.name, { visibility: 'workspace' })),
    bobOwn: b.connectedId(await b.connect(w, sb, p.name, { visibility: 'user' })),
  };
  return { w, p, alice, bob, c, token: await userToken(w.headers, w.app, alice) };
}

const ids = (r) => r.json.items.map((x) => x.id).sort((x, y) => x - y);

test('a person\'s own access token reads their connections and the shared ones, never another member\'s, without ACT_AS_USER, each read audited (a user token refused or acting for nobody fails)', async () => {
  const { w, alice, c, token } = await populated();
  const list = await bearerCall(token, w.company.id, '/api/v1/app/connections');
  assert.equal(list.status, 200, list.text);
  assert.deepEqual(ids(list), [c.aliceOwn, c.aliceShared]);
  const own = await bearerCall(token, w.company.id, `/api/v1/app/connections/${c.aliceOwn}`);
  assert.equal(own.status, 200, own.text);
  assert.match(own.json.access_token, /^at-/);
  assertError(await bearerCall(token, w.company.id, `/api/v1/app/connections/${c.bobOwn}`), 404, 'not_found', 'another member\'s');
  const audited = await b.sql(`SELECT object_id, JSON_VALUE(details, '$.user_workspace_id') FROM audit_log WHERE action = 'connection.read_on_behalf' AND object_id IN ('${c.aliceOwn}', '${c.aliceShared}', '${c.bobOwn}')`);
  assert.ok(audited.length >= 3, `each read audited: ${JSON.stringify(audited)}`);
  for (const [, member] of audited) assert.equal(Number(member), alice.membership);
  // the token acts for its person: X-On-Behalf-Of is not taken with it
  const r = await request('/api/v1/app/connections', { headers: { Accept: 'application/json', Authorization: `Bearer ${token}`,
    'X-Forwarded-Proto': 'https', 'X-Group-Id': String(w.company.id), 'X-On-Behalf-Of': String(c.bobOwn) }, address: randomAddress() });
  assertError(r, 400, 'invalid_request', 'X-On-Behalf-Of with a person\'s token');
  // not on the routes that do not take a person's token
  assert.equal((await request(`/api/v1/app/connections/${c.aliceOwn}`, { method: 'DELETE', headers: { Accept: 'application/json',
    Authorization: `Bearer ${token}`, 'X-Forwarded-Proto': 'https', 'X-Group-Id': String(w.company.id) }, address: randomAddress() })).status, 401);
});

test('a person who is no member of the group_id company is refused 403, and another application\'s token sees none of this one\'s connections', async () => {
  const { w, c } = await populated();
  const carol = { email: `carol-${Math.random().toString(16).slice(2, 8)}@example.org`, password: 'pw-carol-long-enough' };
  const made = await b.api(w.headers, '/api/v1/users', { method: 'POST', json: { email: carol.email, password: carol.password } });
  assert.equal(made.status, 201, made.text);
  const carolToken = await userToken(w.headers, w.app, carol);
  assertError(await bearerCall(carolToken, w.company.id, '/api/v1/app/connections'), 403, 'forbidden', 'no membership');

  // another application, installed in the same company, alice its user too
  const other = await b.api(w.headers, '/api/v1/apps', { method: 'POST',
    json: { name: `Other ${Math.random().toString(16).slice(2, 7)}`, capabilities: { read: ['connections'], write: [] } } });
  assert.equal(other.status, 201, other.text);
  const inst = await b.api(w.headers, `/api/v1/companies/${w.company.id}/apps/${other.json.id}`, { method: 'POST' });
  assert.equal(inst.status, 201, inst.text);
  const alice2 = await b.member(w.headers, w.company);
  const otherToken = await userToken(w.headers, other.json, alice2);
  for (const id of [c.aliceOwn, c.aliceShared]) {
    assertError(await bearerCall(otherToken, w.company.id, `/api/v1/app/connections/${id}`), 404, 'not_found', `connection ${id}`);
  }
  const list = await bearerCall(otherToken, w.company.id, '/api/v1/app/connections');
  assert.equal(list.status, 200, list.text);
  assert.deepEqual(list.json.items, []);
});

test('a revoked or expired person\'s token is refused 401', async () => {
  const { w, alice, c, token } = await populated();
  const client = { clientId: w.app.public_id, secret: w.app.private_api_key };
  assert.equal((await bearerCall(token, w.company.id, `/api/v1/app/connections/${c.aliceOwn}`)).status, 200);
  const rv = await post('/oauth/revoke', { token }, { headers: { Authorization: basic(client.clientId, client.secret) } });
  assert.equal(rv.status, 200, rv.text);
  assertError(await bearerCall(token, w.company.id, `/api/v1/app/connections/${c.aliceOwn}`), 401, 'unauthorized', 'revoked');

  const fresh = (await tokenRequest(client, { grant_type: 'password', username: alice.email, password: alice.password })).json.access_token;
  assert.equal((await bearerCall(fresh, w.company.id, '/api/v1/app/connections')).status, 200);
  await b.sql(`UPDATE oauth_tokens SET expires_at = UTC_TIMESTAMP() - INTERVAL 1 MINUTE WHERE app_id = ${w.app.id} AND user_id = ${alice.id} AND kind = 'access'`);
  assertError(await bearerCall(fresh, w.company.id, '/api/v1/app/connections'), 401, 'unauthorized', 'expired');
});
