// broker_cascades.test.js - a person who left must not leave a working
// token behind (issue 11): removing a membership or disabling a person
// revokes at the provider and removes their own connections (the shared
// ones stay with the company); uninstalling the application does so for
// all its connections in the company; deleting a provider or the
// application for all of theirs. The upstream is oidc-provider, which says
// whether a token still works.
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { assertError } = require('./lib');
const b = require('./broker_lib');

let oidc;
before(async () => { oidc = await b.startUpstream('oidc'); });
after(async () => { await oidc.stop(); });

// A world where member M holds an own and a shared connection, and member
// N an own one; with the access token of each, as the application reads
// them: { w, p, m, n, own, shared, other, token(id) }.
async function populated() {
  const w = await b.world();
  const p = await b.provider(w, oidc);
  const [m, n] = [await b.member(w.headers, w.company), await b.member(w.headers, w.company)];
  const [sm, sn] = [await b.signInAs(m), await b.signInAs(n)];
  const own = b.connectedId(await b.connect(w, sm, p.name, { visibility: 'user' }));
  const shared = b.connectedId(await b.connect(w, sm, p.name, { visibility: 'workspace' }));
  const other = b.connectedId(await b.connect(w, sn, p.name, { visibility: 'user' }));
  const tokens = {};
  for (const [id, who] of [[own, m], [shared, m], [other, n]]) {
    const r = await b.appCall(w, `/api/v1/app/connections/${id}`, { onBehalfOf: who.membership });
    assert.equal(r.status, 200, r.text);
    tokens[id] = r.json.access_token;
    assert.equal(await oidc.active(tokens[id]), true);
  }
  return { w, p, m, n, own, shared, other, tokens };
}

async function remaining(w) {
  return (await b.sql(`SELECT id FROM connections WHERE app_id = ${w.app.id} ORDER BY id`)).map(([id]) => Number(id));
}

test('removing a membership revokes and removes that member\'s own connections; the shared ones stay with the company', async () => {
  const x = await populated();
  const before = (await oidc.stats()).revocations;
  const r = await b.api(x.w.headers, `/api/v1/companies/${x.w.company.id}/members/${x.m.membership}`, { method: 'DELETE' });
  assert.equal(r.status, 204, r.text);
  assert.equal(await oidc.active(x.tokens[x.own]), false, 'the upstream saw the revocation');
  assert.ok((await oidc.stats()).revocations > before);
  assert.equal(await oidc.active(x.tokens[x.other]), true, 'another member\'s untouched');
  assert.deepEqual(await remaining(x.w), [x.shared, x.other]);
  const shared = await b.appCall(x.w, `/api/v1/app/connections/${x.shared}`);
  assert.equal(shared.json.user_workspace_id, null, 'the shared one outlives the membership');
  const [[reason]] = await b.sql(`SELECT JSON_VALUE(details, '$.reason') FROM audit_log WHERE action = 'connection.delete' AND object_id = '${x.own}'`);
  assert.equal(reason, 'membership removed');
});

test('disabling a person revokes and removes their own connections', async () => {
  const x = await populated();
  const u = await b.api(x.w.headers, `/api/v1/users/${x.n.id}`);
  const r = await b.api(x.w.headers, `/api/v1/users/${x.n.id}`, { method: 'PATCH', json: { version: u.json.version, enabled: false } });
  assert.equal(r.status, 200, r.text);
  assert.equal(await oidc.active(x.tokens[x.other]), false, 'the upstream saw the revocation');
  assert.equal(await oidc.active(x.tokens[x.own]), true, 'the others stay');
  assert.deepEqual(await remaining(x.w), [x.own, x.shared]);
});

test('uninstalling the application revokes and removes all its connections in that company', async () => {
  const x = await populated();
  const r = await b.api(x.w.headers, `/api/v1/companies/${x.w.company.id}/apps/${x.w.app.id}`, { method: 'DELETE' });
  assert.equal(r.status, 204, r.text);
  for (const id of [x.own, x.shared, x.other]) assert.equal(await oidc.active(x.tokens[id]), false, `connection ${id}`);
  assert.deepEqual(await remaining(x.w), []);
});

test('deleting a provider, or the application, revokes and removes their connections', async () => {
  const x = await populated();
  const r = await b.api(x.w.headers, `/api/v1/apps/${x.w.app.id}/connection-providers/${x.p.name}`, { method: 'DELETE' });
  assert.equal(r.status, 204, r.text);
  for (const id of [x.own, x.shared, x.other]) assert.equal(await oidc.active(x.tokens[id]), false, `connection ${id}`);
  assert.deepEqual(await remaining(x.w), []);

  const y = await populated();
  const del = await b.api(y.w.headers, `/api/v1/apps/${y.w.app.id}`, { method: 'DELETE' });
  assert.equal(del.status, 204, del.text);
  for (const id of [y.own, y.shared, y.other]) assert.equal(await oidc.active(y.tokens[id]), false, `connection ${id}`);
  assert.deepEqual(await remaining(y.w), []);
});

test('an administrator lists a company\'s connections without tokens and disconnects one, revoking it', async () => {
  const x = await populated();
  const list = await b.api(x.w.headers, `/api/v1/companies/${x.w.company.id}/connections`);
  assert.equal(list.status, 200, list.text);
  assert.deepEqual(list.json.items.map((c) => c.id), [x.own, x.shared, x.other]);
  for (const token of Object.values(x.tokens)) assert.ok(!list.text.includes(token), 'no token');
  const auditor = await b.admin('AUDITOR');
  assertError(await b.api(auditor.headers, `/api/v1/companies/${x.w.company.id}/connections/${x.other}`, { method: 'DELETE' }), 403, 'forbidden', 'an auditor');
  const del = await b.api(x.w.headers, `/api/v1/companies/${x.w.company.id}/connections/${x.other}`, { method: 'DELETE' });
  assert.equal(del.status, 204, del.text);
  assert.equal(await oidc.active(x.tokens[x.other]), false);
  assertError(await b.api(x.w.headers, `/api/v1/companies/${x.w.company.id}/connections/${x.other}`, { method: 'DELETE' }), 404, 'not_found', 'gone');
});
