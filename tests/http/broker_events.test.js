// broker_events.test.js - the connection events (issue 12): a connected
// account stored (connection.created), a refresh the provider refused
// (connection.refresh_failed) and a connection removed, by a disconnect or
// by what it hangs on going away (connection.revoked), each delivered to
// the application signed and verified by the independent standardwebhooks
// library, none holding a token or a secret.
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { waitFor } = require('./lib');
const { Receiver, verify } = require('./events_lib');
const b = require('./broker_lib');

let oidc;
let receiver;
before(async () => {
  [oidc, receiver] = await Promise.all([b.startUpstream('oidc'), new Receiver().start()]);
});
after(async () => { await Promise.all([oidc.stop(), receiver.stop()]); });

// A broker world whose application's events go to the receiver.
async function eventsWorld() {
  const w = await b.world();
  assert.match(w.app.events_secret, /^whsec_/);
  const cur = await b.api(w.headers, `/api/v1/apps/${w.app.id}`);
  const r = await b.api(w.headers, `/api/v1/apps/${w.app.id}`, { method: 'PATCH',
    json: { events_url: receiver.url(`/hook/${w.app.id}`), version: cur.json.version } });
  assert.equal(r.status, 200, r.text);
  return w;
}

// The verified body of W's event TYPE about connection ID, waiting for it.
async function eventOf(w, type, id) {
  const found = await waitFor(() => receiver.deliveries.find((d) => {
    if (d.path !== `/hook/${w.app.id}`) return false;
    const body = JSON.parse(d.body);
    return body.type === type && body.data && body.data.id === id;
  }), 30_000, 50);
  assert.ok(found, `no ${type} delivery for connection ${id}`);
  const body = verify(w.app.events_secret, found);
  assert.equal(body.type, type);
  return body;
}

// Fails when DATA has a member named like a token or secret (at any
// depth), or holds one of VALUES.
function noSecrets(data, values = []) {
  const text = JSON.stringify(data);
  JSON.parse(text, (key, v) => {
    assert.doesNotMatch(key, /token|secret|_hex|_hash|_enc|verifier/i, text);
    return v;
  });
  for (const v of values) if (v) assert.ok(!text.includes(v), 'a token leaked into the event');
}

test('connection.created, refresh_failed and revoked arrive signed and verified, without tokens (a connection change not told to the application fails)', async () => {
  const w = await eventsWorld();
  const p = await b.provider(w, oidc);
  const m = await b.member(w.headers, w.company);
  const s = await b.signInAs(m);
  await oidc.set({ accessTtl: 1 });
  const id = b.connectedId(await b.connect(w, s, p.name, { visibility: 'user' }));
  await oidc.set({ accessTtl: 3600 });

  const created = await eventOf(w, 'connection.created', id);
  assert.equal(created.data.visibility, 'user');
  assert.equal(created.data.company_id, w.company.id);
  assert.equal(created.data.app_id, w.app.id);
  noSecrets(created.data);

  await b.expired(id);
  await oidc.revokeGrants(); // the refresh is refused: invalid_grant
  const r = await b.appCall(w, `/api/v1/app/connections/${id}`, { onBehalfOf: m.membership });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'auth_failed');
  const failed = await eventOf(w, 'connection.refresh_failed', id);
  assert.equal(failed.data.status, 'auth_failed');
  assert.ok(failed.data.auth_failed_at);
  noSecrets(failed.data);

  const gone = await b.api(w.headers, `/api/v1/companies/${w.company.id}/members/${m.membership}`, { method: 'DELETE' });
  assert.equal(gone.status, 204, gone.text);
  const revoked = await eventOf(w, 'connection.revoked', id);
  assert.equal(revoked.data.id, id);
  noSecrets(revoked.data);
});

test('connection.revoked comes for every connection an uninstall removes, shared ones too, and holds none of their tokens', async () => {
  const w = await eventsWorld();
  const p = await b.provider(w, oidc);
  const m = await b.member(w.headers, w.company);
  const s = await b.signInAs(m);
  const own = b.connectedId(await b.connect(w, s, p.name, { visibility: 'user' }));
  const shared = b.connectedId(await b.connect(w, s, p.name, { visibility: 'workspace' }));
  const tokens = [];
  for (const id of [own, shared]) {
    const r = await b.appCall(w, `/api/v1/app/connections/${id}`, { onBehalfOf: m.membership });
    assert.equal(r.status, 200, r.text);
    tokens.push(r.json.access_token);
  }
  const r = await b.api(w.headers, `/api/v1/companies/${w.company.id}/apps/${w.app.id}`, { method: 'DELETE' });
  assert.equal(r.status, 204, r.text);
  for (const id of [own, shared]) noSecrets((await eventOf(w, 'connection.revoked', id)).data, tokens);
});
