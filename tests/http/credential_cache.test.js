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
  randomAddress,
  hasPoolMaster,
} = require('./lib');

const bearer = (token) => ({ Authorization: `Bearer ${token}` });

// How many workers answer: the pool's size under the master. Under a server
// that starts its own processes (Apache mod_fcgid), every process seen
// answering so far (KNOWN): after a change the test goes on until each of
// them that is still alive has answered.
const workers = hasPoolMaster ? Number(configValue('workers', '4')) : 0;
const TRIES = 400;
const PARALLEL = 4; // requests at once, so that a server starts several processes
const DISCOVER = 48; // requests at least, without a pool master, to meet its processes
const known = new Set();

function alive(pid) {
  try {
    process.kill(Number(pid), 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
}

// Sends PATH with OPTIONS, PARALLEL at a time, until every worker has
// answered: the pool's size, or each process KNOWN (and still alive)
// without a pool master. CHECK(r, what) is called on every answer.
// Resolves with the set of workers seen.
async function everyWorker(path, options, check) {
  const seen = new Set();
  const done = (n) => workers ? seen.size >= workers
    : n >= DISCOVER && [...known].every((w) => seen.has(w) || !alive(w));
  let n = 0;
  while (n < TRIES && !done(n)) {
    const answers = await Promise.all(Array.from({ length: PARALLEL }, () => request(path, options)));
    for (const r of answers) {
      const worker = r.headers.get('x-ostium-worker');
      assert.match(worker || '', /^\d+$/, 'development mode names the worker');
      check(r, `worker ${worker}, request #${n}`);
      seen.add(worker);
      known.add(worker);
      n++;
    }
  }
  if (workers) assert.equal(seen.size, workers, `every worker answered within ${TRIES} requests`);
  else assert.ok(done(n), `every process that answered before (${[...known].join(', ')}) answered within ${TRIES} requests; seen: ${[...seen].join(', ')}`);
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

test('a person\'s roles changed: every worker answers /api/v1/me with the new roles at once, no stale cached roles', async () => {
  const { me, token } = await warmToken();
  const boss = await createAdmin();
  const bossToken = await createToken(boss.email);
  const r = await request(`/api/v1/users/${me.id}`, {
    method: 'PATCH', headers: bearer(bossToken), json: { version: 1, roles: ['AUDITOR'] },
  });
  assert.equal(r.status, 200, r.text);
  await everyWorker('/api/v1/me', { headers: bearer(token) }, (a, what) => {
    assert.equal(a.status, 200, what);
    assert.deepEqual(a.json.roles, ['AUDITOR'], `stale cached roles (${what})`);
  });
});

test('a person deleted: their token is refused by every worker at once, not served from a cache', async () => {
  const { me, token } = await warmToken();
  const boss = await createAdmin();
  const bossToken = await createToken(boss.email);
  const r = await request(`/api/v1/users/${me.id}`, { method: 'DELETE', headers: bearer(bossToken) });
  assert.equal(r.status, 204, r.text);
  await refusedEverywhere(token, 'after the deletion');
});

// The database's generation counters, kind -> value.
async function generationRows() {
  const rows = await sql('SELECT kind, gen FROM generations ORDER BY kind');
  return Object.fromEntries(rows.map(([kind, gen]) => [kind, Number(gen)]));
}

test('changes that affect no credential check (a suite, a company, a token, an application created) leave the generation rows alone, so they are no hot spot every change waits on', async () => {
  const boss = await createAdmin();
  const token = await createToken(boss.email);
  // sql() runs ostiumctl invalidate after its statement: one step each
  const before = await generationRows();
  const u = require('node:crypto').randomBytes(5).toString('hex');
  for (const [path, json] of [
    ['/api/v1/suites', { name: `Quiet ${u}` }],
    ['/api/v1/companies', { name: `Quiet ${u}`, slug: `quiet-${u}` }],
    ['/api/v1/apps', { name: `Quiet app ${u}` }],
    ['/api/v1/tokens', { name: `quiet-${u}` }],
  ]) {
    const r = await request(path, { method: 'POST', headers: bearer(token), json });
    assert.equal(r.status, 201, `${path}: ${r.text}`);
  }
  const after = await generationRows();
  assert.deepEqual(Object.keys(after).sort(), ['apps', 'oauth', 'people', 'tokens']);
  for (const kind of Object.keys(after)) {
    assert.equal(after[kind], before[kind] + 1, `the ${kind} row moved for a change that invalidates nothing`);
  }
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

// ---------------------------------------------------------------------
// Applications: Basic credentials checked against a cached identity sheet

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// An administrator's token, a company, and an application installed in it.
async function installedApp() {
  const { email } = await createAdmin();
  const token = await createToken(email);
  const u = require('node:crypto').randomBytes(5).toString('hex');
  const co = await request('/api/v1/companies', { method: 'POST', headers: bearer(token), json: { name: `Cache ${u}`, slug: `cache-${u}` } });
  assert.equal(co.status, 201, co.text);
  const app = await request('/api/v1/apps', { method: 'POST', headers: bearer(token), json: { name: `Cache app ${u}` } });
  assert.equal(app.status, 201, app.text);
  const inst = await request(`/api/v1/companies/${co.json.id}/apps/${app.json.id}`, { method: 'POST', headers: bearer(token) });
  assert.equal(inst.status, 201, inst.text);
  // an address of its own, so that the refusals throttle no other test
  return { token, company: co.json, app: { ...app.json, address: randomAddress() } };
}

function appMe(app, key, company) {
  return ['/api/v1/app/me?group_id=' + company.id, {
    headers: {
      Authorization: `Basic ${Buffer.from(`${app.public_id}:${key}`).toString('base64')}`,
      'X-Forwarded-Proto': 'https',
    },
    address: app.address,
  }];
}

// Every worker lets KEY through (and so keeps its check).
async function appWarm(app, key, company) {
  await everyWorker(...appMe(app, key, company), (r, what) => {
    assert.equal(r.status, 200, `before the change, ${what}: ${r.text}`);
  });
}

function appRefusedEverywhere(app, key, company, statuses, what) {
  return everyWorker(...appMe(app, key, company), (r, w) => {
    assert.ok(statuses.includes(r.status), `${what}: ${r.status} from a cached check that outlived the change (${w})`);
  });
}

test('an application key rotated without grace is refused by every worker on the next request, not served from a cache', async () => {
  const { token, company, app } = await installedApp();
  await appWarm(app, app.private_api_key, company);
  const r = await request(`/api/v1/apps/${app.id}/rotate-key`, { method: 'POST', headers: bearer(token), json: { grace_seconds: 0, version: app.version } });
  assert.equal(r.status, 200, r.text);
  // refused: 401, or 429 once the failures of this public id add up
  await appRefusedEverywhere(app, app.private_api_key, company, [401, 429], 'the rotated key');
});

test('an application key rotated with a 2 s grace works until the grace ends, then every worker refuses it with no other change', async () => {
  const { token, company, app } = await installedApp();
  const r = await request(`/api/v1/apps/${app.id}/rotate-key`, { method: 'POST', headers: bearer(token), json: { grace_seconds: 2, version: app.version } });
  assert.equal(r.status, 200, r.text);
  // the old key during its grace: each worker that lets it through keeps
  // the check, with the grace's end
  for (let i = 0; i < 4 * (workers || 4); i++) {
    const [path, options] = appMe(app, app.private_api_key, company);
    const a = await request(path, options);
    if (a.status !== 200) break; // the grace already ended on a slow machine
  }
  await sleep(3000);
  await appRefusedEverywhere(app, app.private_api_key, company, [401, 429], 'the previous key past its grace');
  // the new key is let through
  const [path, options] = appMe(app, r.json.private_api_key, company);
  assert.equal((await request(path, options)).status, 200);
});

test('an application removed from its company is refused there by every worker at once, not served from a cache', async () => {
  const { token, company, app } = await installedApp();
  await appWarm(app, app.private_api_key, company);
  const del = await request(`/api/v1/companies/${company.id}/apps/${app.id}`, { method: 'DELETE', headers: bearer(token) });
  assert.equal(del.status, 204, del.text);
  await appRefusedEverywhere(app, app.private_api_key, company, [403], 'after the removal');
});

test('an application renamed: every worker answers /api/v1/app/me with the new sheet at once, no stale cached sheet', async () => {
  const { token, company, app } = await installedApp();
  await appWarm(app, app.private_api_key, company);
  const r = await request(`/api/v1/apps/${app.id}`, { method: 'PATCH', headers: bearer(token), json: { version: app.version, name: `Renamed ${app.public_id}` } });
  assert.equal(r.status, 200, r.text);
  await everyWorker(...appMe(app, app.private_api_key, company), (a, what) => {
    assert.equal(a.status, 200, what);
    assert.equal(a.json.name, `Renamed ${app.public_id}`, `a stale cached sheet (${what})`);
  });
});

test('a deleted application is refused by every worker at once, not served from a cache', async () => {
  const { token, company, app } = await installedApp();
  await appWarm(app, app.private_api_key, company);
  const del = await request(`/api/v1/apps/${app.id}`, { method: 'DELETE', headers: bearer(token) });
  assert.equal(del.status, 204, del.text);
  await appRefusedEverywhere(app, app.private_api_key, company, [401, 429], 'after the deletion');
});

// ---------------------------------------------------------------------
// Two hosts on one database: another pool whose shared counters are its
// own (its configuration names the database's socket by another path, so
// that its counters are another object, as on another host)

test('two pools on one database: a token revoked through one is refused by the other once it has read the database\'s counters', async () => {
  const { startPool } = require('./broker_lib');
  const { waitFor } = require('./lib');
  const socket = configValue('db_socket', '');
  if (!socket) return; // a test server on TCP: no other spelling of it to use
  const other = await startPool({
    settings: { db_socket: socket.replace(/\/([^/]+)$/, '/./$1') },
  });
  try {
    const { token } = await warmToken();
    const rounds = 4 * (workers || 4);
    for (let i = 0; i < rounds; i++) {
      const r = await other.call('/api/v1/me', { headers: bearer(token) });
      assert.equal(r.status, 200, `the other pool lets the token through before the change (#${i})`);
    }
    const list = await request('/api/v1/tokens', { headers: bearer(token) });
    const del = await request(`/api/v1/tokens/${list.json.tokens[0].id}`, { method: 'DELETE', headers: bearer(token) });
    assert.equal(del.status, 204);
    // within the poll interval (1 s by default); no timing is asserted
    const refused = await waitFor(async () => (await other.call('/api/v1/me', { headers: bearer(token) })).status === 401, 20_000, 100);
    assert.ok(refused, 'the other pool refuses the revoked token after a poll');
    for (let i = 0; i < rounds; i++) {
      const r = await other.call('/api/v1/me', { headers: bearer(token) });
      assert.equal(r.status, 401, `every worker of the other pool refuses it (#${i}, worker ${r.headers.get('x-ostium-worker')})`);
    }
  } finally {
    await other.stop();
  }
});
