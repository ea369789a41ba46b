// credential_cache.test.js - credential checks kept by the workers never
// outlive a change: after each kind of change, a credential used just
// before it is refused (or seen changed) on the very next request by every
// worker. In development mode each answer names its worker
// (X-Ostium-Worker), and the tests go on until each worker has answered.
'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const {
  request,
  testctl,
  sql,
  createAdmin,
  createToken,
  configValue,
  hasPoolMaster,
} = require('./lib');

const bearer = (token) => ({ Authorization: `Bearer ${token}` });

// How many workers answer: the pool's size under the master; under a
// server that starts its own processes, whoever answers within the tries.
const workers = hasPoolMaster ? Number(configValue('workers', '4')) : 0;
const TRIES = 400;

// Sends PATH with OPTIONS until every worker has answered (or, without a
// pool master, TRIES times); CHECK(r, what) is called on every answer.
// Resolves with the set of workers seen.
async function everyWorker(path, options, check) {
  const seen = new Set();
  for (let i = 0; i < TRIES; i++) {
    const r = await request(path, options);
    const worker = r.headers.get('x-ostium-worker');
    assert.match(worker || '', /^\d+$/, 'development mode names the worker');
    check(r, `worker ${worker}, request #${i}`);
    seen.add(worker);
    if (workers && seen.size >= workers) break;
  }
  if (workers) assert.equal(seen.size, workers, `every worker answered within ${TRIES} requests`);
  return seen;
}

// A person with a token that every worker has just checked.
async function warmToken() {
  const { email } = await createAdmin();
  const token = await createToken(email);
  let me;
  await everyWorker('/api/v1/me', { headers: bearer(token) }, (r, what) => {
    assert.equal(r.status, 200, `before the change, ${what}: ${r.text}`);
    me = r.json;
  });
  return { email, token, me };
}

function refusedEverywhere(token, what) {
  return everyWorker('/api/v1/me', { headers: bearer(token) }, (r, w) => {
    assert.equal(r.status, 401, `${what}: a cached check outlived the change (${w})`);
  });
}

test('a revoked personal token is refused by every worker on the next request, not served from a cache', async () => {
  const { token } = await warmToken();
  const list = await request('/api/v1/tokens', { headers: bearer(token) });
  assert.equal(list.status, 200);
  const id = list.json.tokens[0].id;
  const del = await request(`/api/v1/tokens/${id}`, { method: 'DELETE', headers: bearer(token) });
  assert.equal(del.status, 204);
  await refusedEverywhere(token, 'after the revocation');
});

test('a person disabled through the API: their token is refused by every worker at once, not served from a cache', async () => {
  const { me, token } = await warmToken();
  const boss = await createAdmin();
  const bossToken = await createToken(boss.email);
  const r = await request(`/api/v1/users/${me.id}`, {
    method: 'PATCH', headers: bearer(bossToken), json: { version: 1, enabled: false },
  });
  assert.equal(r.status, 200, r.text);
  await refusedEverywhere(token, 'after the person was disabled');
});

test('a person renamed: every worker answers /api/v1/me with the new name at once, no stale cached person', async () => {
  const { me, token } = await warmToken();
  const r = await request(`/api/v1/users/${me.id}`, {
    method: 'PATCH', headers: bearer(token), json: { version: 1, last_name: 'Renamed' },
  });
  assert.equal(r.status, 200, r.text);
  await everyWorker('/api/v1/me', { headers: bearer(token) }, (a, what) => {
    assert.equal(a.status, 200, what);
    assert.equal(a.json.last_name, 'Renamed', `a stale cached person (${what})`);
  });
});

test('a change behind the server\'s back, then ostiumctl invalidate: every worker refuses the token, none keeps its cached check', async () => {
  const { me, token } = await warmToken();
  // testctl sql runs the statement and then ostiumctl invalidate
  await sql(`UPDATE api_tokens SET revoked_at = UTC_TIMESTAMP() WHERE user_id = ${Number(me.id)}`);
  await refusedEverywhere(token, 'after a hand edit and ostiumctl invalidate');
  const out = await testctl('ctl', 'invalidate');
  assert.match(out, /^invalidated$/m);
});

test('issuing a new token keeps the workers\' cached checks valid and the older token works everywhere', async () => {
  const { email, token } = await warmToken();
  await createToken(email);
  await everyWorker('/api/v1/me', { headers: bearer(token) }, (r, what) => {
    assert.equal(r.status, 200, what);
  });
});

test('a token past its expiry is refused by every worker even though nothing changed (a cached check holds the expiry)', async () => {
  const { email } = await createAdmin();
  const token = await createToken(email);
  const list = await request('/api/v1/tokens', { headers: bearer(token) });
  const id = Number(list.json.tokens[0].id);
  // 3 s to live, set by hand (this bumps the counters, so the fills below
  // are the ones that must carry the expiry)
  await sql(`UPDATE api_tokens SET expires_at = UTC_TIMESTAMP() + INTERVAL 3 SECOND WHERE id = ${id}`);
  const seen = new Set();
  for (let i = 0; i < TRIES && seen.size < (workers || 1); i++) {
    const r = await request('/api/v1/me', { headers: bearer(token) });
    if (r.status !== 200) break; // already expired on a slow machine
    seen.add(r.headers.get('x-ostium-worker'));
  }
  await new Promise((resolve) => setTimeout(resolve, 4000));
  await refusedEverywhere(token, 'after its expiry');
});
