// broker_app_api.test.js - what applications call (issue 11):
// GET /api/v1/app/connections?provider=NAME and /api/v1/app/connections/{id}
// with read:connections, DELETE with write:connections. Without
// X-On-Behalf-Of (a scheduled job) only the workspace connections; with it
// (ACT_AS_USER, a member of the group_id company only) that member's own
// too, each read audited; never another company's or application's.
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { assertError } = require('./lib');
const b = require('./broker_lib');

let stub;
before(async () => { stub = await b.startUpstream('stub'); });
after(async () => { await stub.stop(); });

// A world with a provider, two members, and connections: alice's own,
// alice's shared, bob's own.
async function populated(options) {
  const w = await b.world(options);
  const p = await b.provider(w, stub, { name: `lin-${Math.random().toString(16).slice(2, 6)}` });
  const alice = await b.member(w.headers, w.company);
  const bob = await b.member(w.headers, w.company);
  const sa = await b.signInAs(alice);
  const sb = await b.signInAs(bob);
  const c = {
    aliceOwn: b.connectedId(await b.connect(w, sa, p.name, { visibility: 'user' })),
    aliceShared: b.connectedId(await b.connect(w, sa, p.name, { visibility: 'workspace' })),
    bobOwn: b.connectedId(await b.connect(w, sb, p.name, { visibility: 'user' })),
  };
  return { w, p, alice, bob, c };
}

const ids = (r) => r.json.items.map((x) => x.id).sort((x, y) => x - y);

test('without X-On-Behalf-Of an application sees only the workspace connections, each with a usable access token', async () => {
  const { w, p, c, alice } = await populated();
  const r = await b.appCall(w, `/api/v1/app/connections?provider=${p.name}`);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(ids(r), [c.aliceShared]);
  const conn = r.json.items[0];
  assert.equal(conn.visibility, 'workspace');
  assert.equal(conn.provider, p.name);
  assert.equal(conn.user_workspace_id, alice.membership);
  assert.equal(conn.status, 'ok');
  assert.match(conn.access_token, /^at-/);
  assert.equal(await stub.active(conn.access_token), true, 'the upstream takes it');
  assert.deepEqual(conn.scopes, ['read', 'write'], 'the scopes granted');
  assertError(await b.appCall(w, `/api/v1/app/connections/${c.aliceOwn}`), 404, 'not_found', 'a member\'s own, without acting for them');
  const none = await b.appCall(w, '/api/v1/app/connections?provider=nope');
  assert.deepEqual(none.json.items, []);
  assertError(await b.appCall(w, '/api/v1/app/connections?provider=Bad%20Name'), 400, 'invalid_request', 'a bad provider name');
});

test('X-On-Behalf-Of a member adds their own connections, never another member\'s, and each such read is audited', async () => {
  const { w, p, c, alice, bob } = await populated();
  const r = await b.appCall(w, `/api/v1/app/connections?provider=${p.name}`, { onBehalfOf: alice.membership });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(ids(r), [c.aliceOwn, c.aliceShared]);
  const one = await b.appCall(w, `/api/v1/app/connections/${c.bobOwn}`, { onBehalfOf: bob.membership });
  assert.equal(one.status, 200, one.text);
  assert.equal(one.json.id, c.bobOwn);
  assertError(await b.appCall(w, `/api/v1/app/connections/${c.bobOwn}`, { onBehalfOf: alice.membership }), 404, 'not_found', 'bob\'s, acting for alice');
  const audit = await b.sql(`SELECT object_id, actor_type, actor, JSON_VALUE(details, '$.user_workspace_id') FROM audit_log WHERE action = 'connection.read_on_behalf' AND object_id IN ('${c.aliceOwn}', '${c.aliceShared}', '${c.bobOwn}') ORDER BY id`);
  assert.deepEqual(audit, [
    [String(c.aliceOwn), 'app', w.app.public_id, String(alice.membership)],
    [String(c.aliceShared), 'app', w.app.public_id, String(alice.membership)],
    [String(c.bobOwn), 'app', w.app.public_id, String(bob.membership)],
  ]);
  const before = await b.sql("SELECT COUNT(*) FROM audit_log WHERE action = 'connection.read_on_behalf'");
  await b.appCall(w, `/api/v1/app/connections?provider=${p.name}`);
  assert.deepEqual(await b.sql("SELECT COUNT(*) FROM audit_log WHERE action = 'connection.read_on_behalf'"), before,
    'a read for nobody (a scheduled job) is not such a read');
});

test('X-On-Behalf-Of for a member of another company is refused, as are a malformed one and an application without ACT_AS_USER', async () => {
  const { w, p } = await populated();
  const other = await b.world();
  const stranger = await b.member(other.headers, other.company);
  let e = assertError(await b.appCall(w, `/api/v1/app/connections?provider=${p.name}`, { onBehalfOf: stranger.membership }), 403, 'forbidden', 'another company\'s member');
  assert.equal(e.field, 'X-On-Behalf-Of');
  e = assertError(await b.appCall(w, `/api/v1/app/connections?provider=${p.name}`, { onBehalfOf: 'alice' }), 400, 'invalid_request', 'not an id');
  assert.equal(e.field, 'X-On-Behalf-Of');
  const plain = await populated({ permissions: [] });
  e = assertError(await b.appCall(plain.w, '/api/v1/app/connections', { onBehalfOf: plain.alice.membership }), 403, 'forbidden', 'without ACT_AS_USER');
  assert.match(e.message, /ACT_AS_USER/);
});

test('read:connections is needed to read them and write:connections to disconnect; another application or company sees none', async () => {
  const { w, c, alice } = await populated();
  const reader = await populated({ write: [] });
  const r = await b.appCall(reader.w, `/api/v1/app/connections/${reader.c.aliceShared}`);
  assert.equal(r.status, 200, r.text);
  const e = assertError(await b.appCall(reader.w, `/api/v1/app/connections/${reader.c.aliceShared}`, { method: 'DELETE' }), 403, 'forbidden', 'no write:connections');
  assert.match(e.message, /write:connections/);
  const blind = await populated({ read: [] });
  assertError(await b.appCall(blind.w, '/api/v1/app/connections'), 403, 'forbidden', 'no read:connections');
  // another application installed in the same company sees none of these
  const stranger = await b.world();
  await b.api(w.headers, `/api/v1/companies/${w.company.id}/apps/${stranger.app.id}`, { method: 'POST' });
  const strangerInW = { ...stranger, company: w.company };
  assertError(await b.appCall(strangerInW, `/api/v1/app/connections/${c.aliceShared}`), 404, 'not_found', 'another application');
  assert.deepEqual((await b.appCall(strangerInW, '/api/v1/app/connections', { onBehalfOf: alice.membership })).json.items, []);
});

test('DELETE /api/v1/app/connections/{id} revokes the tokens at the provider and removes the connection, audited as the application', async () => {
  const { w, c, alice } = await populated();
  const read = await b.appCall(w, `/api/v1/app/connections/${c.aliceOwn}`, { onBehalfOf: alice.membership });
  const token = read.json.access_token;
  const before = (await stub.stats()).revoked.length;
  assertError(await b.appCall(w, `/api/v1/app/connections/${c.aliceOwn}`, { method: 'DELETE' }), 404, 'not_found', 'a member\'s own needs acting for them');
  const del = await b.appCall(w, `/api/v1/app/connections/${c.aliceOwn}`, { method: 'DELETE', onBehalfOf: alice.membership });
  assert.equal(del.status, 204, del.text);
  const st = await stub.stats();
  assert.equal(st.revoked.length, before + 2, 'refresh and access token revoked');
  assert.ok(st.revoked.includes(token));
  assert.equal(await stub.active(token), false, 'the upstream no longer takes the token');
  assertError(await b.appCall(w, `/api/v1/app/connections/${c.aliceOwn}`, { onBehalfOf: alice.membership }), 404, 'not_found', 'gone');
  const audit = await b.sql(`SELECT action, actor_type, JSON_VALUE(details, '$.reason') FROM audit_log WHERE object_type = 'connection' AND object_id = '${c.aliceOwn}' AND action = 'connection.delete'`);
  assert.deepEqual(audit, [['connection.delete', 'app', 'disconnected']]);
});
