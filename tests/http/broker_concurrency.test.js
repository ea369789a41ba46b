// broker_concurrency.test.js - exactly one refresh, across processes and
// hosts, with the database alone (issue 11): 32 concurrent reads of a
// connection whose token has expired, through two ostium pools (each
// behind its own lighttpd) on one database, make the real provider
// (oidc-provider, which rotates refresh tokens and revokes the whole grant
// when one is replayed) see exactly one refresh, and every caller gets the
// same new token; a worker killed while it holds the lease in the middle
// of a slow refresh leaves the connection to the next caller once the
// lease has expired, without a false auth_failed. Run one file at a time
// (scripts/test): the second test kills a worker of the pool.
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { waitFor, sleep, hasPoolMaster, NO_POOL_MASTER } = require('./lib');
const b = require('./broker_lib');

let oidc;
let stub;
before(async () => { [oidc, stub] = await Promise.all([b.startUpstream('oidc'), b.startUpstream('stub')]); });
after(async () => { await Promise.all([oidc.stop(), stub.stop()]); });

const { expired } = b;

test('32 concurrent reads across two pools on one database: the provider sees exactly one refresh, and every caller gets the same new token', async () => {
  const pool = await b.startPool();
  try {
    const w = await b.world();
    const p = await b.provider(w, oidc);
    const s = await b.signInAs(await b.member(w.headers, w.company));
    await oidc.set({ accessTtl: 1 });
    const id = b.connectedId(await b.connect(w, s, p.name, { visibility: 'workspace' }));
    await oidc.set({ accessTtl: 3600 });
    const old = (await b.appCall(w, `/api/v1/app/connections/${id}`)).json.access_token;
    await expired(id);
    const before = await oidc.stats();

    const calls = Array.from({ length: 32 }, (_, i) => (i % 2
      ? pool.call(`/api/v1/app/connections/${id}`, { headers: b.appHeaders(w) }).then(async (r) => ({ status: r.status, json: await r.json() }))
      : b.appCall(w, `/api/v1/app/connections/${id}`).then((r) => ({ status: r.status, json: r.json }))));
    const answers = await Promise.all(calls);
    for (const a of answers) assert.equal(a.status, 200, JSON.stringify(a.json));
    const tokens = new Set(answers.map((a) => a.json.access_token));
    assert.equal(tokens.size, 1, `every caller got the same token: ${[...tokens]}`);
    const [token] = tokens;
    assert.ok(token && token !== old, 'a new token');
    for (const a of answers) assert.equal(a.json.status, 'ok');
    const after = await oidc.stats();
    assert.equal(after.refreshes - before.refreshes, 1, 'exactly one refresh reached the provider');
    assert.equal(after.tokenRequests - before.tokenRequests, 1, 'and one token request at all');
    assert.deepEqual(after.grantErrors.slice(before.grantErrors.length), [], 'no refresh token replayed');
    assert.equal(await oidc.active(token), true, 'the provider takes the new token');
    const served = await b.sql(`SELECT lease_id IS NULL, status, auth_failed_at FROM connections WHERE id = ${id}`);
    assert.deepEqual(served, [['1', 'ok', 'NULL']], 'the lease was given back');
  } finally {
    await pool.stop();
  }
});

test('a worker killed holding the lease in the middle of a slow refresh: the next caller refreshes once the lease has expired, with no false auth_failed', { skip: !hasPoolMaster && NO_POOL_MASTER }, async () => {
  const w = await b.world();
  const p = await b.provider(w, stub);
  const s = await b.signInAs(await b.member(w.headers, w.company));
  await stub.set({ expiresIn: 1 });
  const id = b.connectedId(await b.connect(w, s, p.name, { visibility: 'workspace' }));
  await stub.set({ expiresIn: 3600, slowMs: 20_000 });
  await expired(id);
  const before = await stub.stats();

  const doomed = b.appCall(w, `/api/v1/app/connections/${id}`).catch((err) => ({ status: 0, err }));
  let owner;
  assert.ok(await waitFor(async () => {
    [[owner]] = await b.sql(`SELECT CONCAT('owner:', IFNULL(lease_owner, '')) FROM connections WHERE id = ${id}`);
    return owner !== 'owner:';
  }, 10_000, 50), 'a worker took the lease');
  const pid = Number(owner.split(':').pop());
  assert.ok(pid > 1, owner);
  await waitFor(async () => (await stub.stats()).tokenRequests > before.tokenRequests, 10_000, 50);
  process.kill(pid, 'SIGKILL'); // in the middle of its refresh
  const killed = await doomed;
  assert.notEqual(killed.status, 200, 'the killed worker\'s caller got no answer from it');
  await stub.set({ slowMs: 0 });

  // While the dead worker's lease lasts, callers wait (bounded) and are told to retry.
  let r = await b.appCall(w, `/api/v1/app/connections/${id}`);
  for (let i = 0; i < 10 && r.status === 503; i++) {
    assert.ok(Number(r.headers.get('retry-after')) >= 1, 'Retry-After');
    await sleep(Number(r.headers.get('retry-after')) * 1000);
    r = await b.appCall(w, `/api/v1/app/connections/${id}`);
  }
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'ok', 'no false auth_failed');
  assert.equal(r.json.auth_failed_at, null);
  assert.equal(await stub.active(r.json.access_token), true, 'the next caller refreshed');
  const after = await stub.stats();
  assert.equal(after.refreshes - before.refreshes, 1, 'one refresh served: the abandoned one was not');
  const [[free]] = await b.sql(`SELECT lease_owner IS NULL FROM connections WHERE id = ${id}`);
  assert.equal(free, '1', 'the lease was given back');
});
