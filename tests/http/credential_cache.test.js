// credential_cache.test.js - credential checks kept by the workers never
// outlive a change: after each kind of change, a credential used just
// before it is refused (or seen changed) on the very next request by every
// worker. In development mode each answer names its worker
// (X-Ostium-Worker), and the tests go on until each worker has answered.
'use strict';

const { test: nodeTest } = require('node:test');
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
// that starts its own processes (Apache mod_fcgid), the processes seen
// answering in the test so far (KNOWN), the ones that may hold a check made
// before its change: after the change the test goes on until each of them
// that is still alive has answered.
const workers = hasPoolMaster ? Number(configValue('workers', '4')) : 0;
const TRIES = 400;
const PARALLEL = 4; // requests at once, so that a server starts several processes
const DISCOVER = 24; // requests at least, without a pool master, to meet its processes
const known = new Set();

// Each test meets the processes anew: one seen in an earlier test only
// holds no check of this one's credentials.
function test(name, fn) {
  return nodeTest(name, (t) => {
    known.clear();
    return fn(t);
  });
}

// A process that can still answer: not gone, not a zombie (a process that
// served its max_requests and exited stays one until the web server reaps it).
function alive(pid) {
  let stat;
  try {
    stat = require('node:fs').readFileSync(`/proc/${Number(pid)}/stat`, 'utf8');
  } catch {
    return false;
  }
  const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  return state !== 'Z' && state !== 'X';
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

// ---------------------------------------------------------------------
// The authorization server: client secrets checked at the OAuth endpoints,
// and access tokens looked up by introspection, userinfo and the
// application API, kept by the workers as the checks above are

const o = require('./oauth_lib');

// A User Credentials application of a new administrator, with a user and
// that user's tokens (password grant): { admin, app, user, t }. The
// application's requests come from an address of their own.
async function oauthUser() {
  const admin = await o.newAdmin();
  const app = await o.newApp(admin, { authenticator: 'user_credentials' });
  app.address = randomAddress();
  const user = await o.newUser(admin, app);
  const t = o.assertTokens(await o.tokenRequest(app, { grant_type: 'password', username: user.email, password: user.password }, { address: app.address }));
  return { admin, app, user, t };
}

// The introspection of TOKEN by APP (client_secret_basic), as [path, options].
function introspection(app, token) {
  return ['/oauth/introspect', {
    method: 'POST', form: { token }, address: app.address,
    headers: { Accept: 'application/json', Authorization: o.basic(app.clientId, app.secret) },
  }];
}

// A userinfo request with the access TOKEN, as [path, options].
function userinfo(app, token) {
  return ['/oauth/userinfo', { address: app.address, headers: { Accept: 'application/json', Authorization: `Bearer ${token}` } }];
}

// Every worker finds ACCESS active (introspection, which checks APP's
// secret too) and answers userinfo for it: each keeps these checks.
// Resolves with the last userinfo answer.
async function oauthWarm(app, access) {
  let info;
  await everyWorker(...introspection(app, access), (r, what) => {
    assert.equal(r.status, 200, `${what}: ${r.text}`);
    assert.equal(r.json.active, true, `before the change, ${what}`);
  });
  await everyWorker(...userinfo(app, access), (r, what) => {
    assert.equal(r.status, 200, `before the change, ${what}: ${r.text}`);
    info = r.json;
  });
  return info;
}

// Every worker, on its very next request, says ACCESS is not active and
// refuses it at userinfo.
async function oauthRefusedEverywhere(app, access, what) {
  await everyWorker(...introspection(app, access), (r, w) => {
    assert.equal(r.status, 200, `${what}, ${w}: ${r.text}`);
    assert.equal(r.json.active, false, `${what}: introspection used a cached check that outlived the change (${w})`);
  });
  await everyWorker(...userinfo(app, access), (r, w) => {
    assert.equal(r.status, 401, `${what}: userinfo used a cached check that outlived the change (${w}): ${r.text}`);
  });
}

// APP revokes TOKEN at /oauth/revoke.
async function oauthRevoke(app, token) {
  const r = await o.post('/oauth/revoke', { token }, { address: app.address, headers: { Authorization: o.basic(app.clientId, app.secret) } });
  assert.equal(r.status, 200, r.text);
}

// PATCH person ID with FIELDS as ADMIN, at the person's current version.
async function patchPerson(admin, id, fields) {
  const cur = await request(`/api/v1/users/${id}`, { headers: admin.headers });
  assert.equal(cur.status, 200, cur.text);
  const r = await request(`/api/v1/users/${id}`, { method: 'PATCH', headers: admin.headers, json: { version: cur.json.version, ...fields } });
  assert.equal(r.status, 200, r.text);
}

test('an access token revoked at /oauth/revoke is refused by every worker on the next request (introspection, userinfo), not served from a cache', async () => {
  const { app, t } = await oauthUser();
  await oauthWarm(app, t.access_token);
  await oauthRevoke(app, t.access_token);
  await oauthRefusedEverywhere(app, t.access_token, 'after the access token was revoked');
});

test('a refresh token revoked at /oauth/revoke takes its grant\'s access token with it on every worker at once, not served from a cache', async () => {
  const { app, t } = await oauthUser();
  await oauthWarm(app, t.access_token);
  await oauthRevoke(app, t.refresh_token);
  await oauthRefusedEverywhere(app, t.access_token, 'after the refresh token (its grant) was revoked');
});

test('a refresh token used twice revokes its grant: both access tokens are refused by every worker at once, not served from a cache', async () => {
  const { app, t } = await oauthUser();
  const next = o.assertTokens(await o.tokenRequest(app, { grant_type: 'refresh_token', refresh_token: t.refresh_token }, { address: app.address }));
  await oauthWarm(app, t.access_token);
  await oauthWarm(app, next.access_token);
  o.assertOAuthError(await o.tokenRequest(app, { grant_type: 'refresh_token', refresh_token: t.refresh_token }, { address: app.address }), 400, 'invalid_grant', 'the reuse');
  await oauthRefusedEverywhere(app, t.access_token, 'the first access token after the reuse');
  await oauthRefusedEverywhere(app, next.access_token, 'the second access token after the reuse');
});

test('an authorization code used twice revokes what it gave: the access token is refused by every worker at once, not served from a cache', async () => {
  const admin = await o.newAdmin();
  const redirect = 'https://app.example.org/callback';
  const app = await o.newApp(admin, { authenticator: 'authorization_code', redirect_uris: [redirect] });
  app.redirectUri = redirect;
  app.address = randomAddress();
  const user = await o.newUser(admin, app);
  const code = await o.codeFor(app, user, {});
  const redeem = () => o.tokenRequest(app, { grant_type: 'authorization_code', code, redirect_uri: redirect }, { address: app.address });
  const t = o.assertTokens(await redeem());
  await oauthWarm(app, t.access_token);
  o.assertOAuthError(await redeem(), 400, 'invalid_grant', 'the second redemption');
  await oauthRefusedEverywhere(app, t.access_token, 'after the code was used again');
});

test('an application user disabled: their access token is refused by every worker at once, not served from a cache', async () => {
  const { admin, app, user, t } = await oauthUser();
  await oauthWarm(app, t.access_token);
  await o.setUserEnabled(admin, app, user, false);
  await oauthRefusedEverywhere(app, t.access_token, 'after the application user was disabled');
});

test('an application user removed: their access token is refused by every worker at once, not served from a cache', async () => {
  const { admin, app, user, t } = await oauthUser();
  await oauthWarm(app, t.access_token);
  const del = await request(`/api/v1/apps/${app.id}/users/${user.id}`, { method: 'DELETE', headers: admin.headers });
  assert.equal(del.status, 204, del.text);
  await oauthRefusedEverywhere(app, t.access_token, 'after the application user was removed');
});

test('a person disabled: their OAuth access token is refused by every worker at once, not served from a cache', async () => {
  const { admin, app, user, t } = await oauthUser();
  await oauthWarm(app, t.access_token);
  await patchPerson(admin, user.id, { enabled: false });
  await oauthRefusedEverywhere(app, t.access_token, 'after the person was disabled');
});

test('a person given a console role: their OAuth access token is refused by every worker at once, not served from a cache', async () => {
  const { admin, app, user, t } = await oauthUser();
  await oauthWarm(app, t.access_token);
  await patchPerson(admin, user.id, { roles: ['AUDITOR'] });
  await oauthRefusedEverywhere(app, t.access_token, 'after the person was given a role');
});

test('a person\'s password set by an administrator: their OAuth access token is refused by every worker at once, not served from a cache', async () => {
  const { admin, app, user, t } = await oauthUser();
  await oauthWarm(app, t.access_token);
  await patchPerson(admin, user.id, { password: `pw ${require('node:crypto').randomBytes(6).toString('hex')} long enough` });
  await oauthRefusedEverywhere(app, t.access_token, 'after an administrator set the password');
});

test('a person deleted: their OAuth access token is refused by every worker at once, not served from a cache', async () => {
  const { admin, app, user, t } = await oauthUser();
  await oauthWarm(app, t.access_token);
  const del = await request(`/api/v1/users/${user.id}`, { method: 'DELETE', headers: admin.headers });
  assert.equal(del.status, 204, del.text);
  await oauthRefusedEverywhere(app, t.access_token, 'after the person was deleted');
});

test('a person renamed: every worker answers userinfo with the new given_name at once, no stale cached token row', async () => {
  const { admin, app, user, t } = await oauthUser();
  assert.equal((await oauthWarm(app, t.access_token)).given_name, user.firstName);
  await patchPerson(admin, user.id, { first_name: 'Renamed' });
  await everyWorker(...userinfo(app, t.access_token), (r, what) => {
    assert.equal(r.status, 200, `${what}: ${r.text}`);
    assert.equal(r.json.given_name, 'Renamed', `a stale cached token row (${what})`);
  });
});

test('an access token past its expiry is refused by every worker even though nothing changed (a cached token check holds the expiry)', async () => {
  const { app, t } = await oauthUser();
  // 3 s to live, set by hand (this bumps the counters, so the fills below
  // are the ones that must carry the expiry)
  await sql(`UPDATE oauth_tokens SET expires_at = UTC_TIMESTAMP() + INTERVAL 3 SECOND WHERE app_id = ${Number(app.id)} AND kind = 'access'`);
  for (let i = 0; i < 4 * (workers || 4); i++) {
    const [path, options] = userinfo(app, t.access_token);
    if ((await request(path, options)).status !== 200) break; // already expired on a slow machine
    const [ipath, ioptions] = introspection(app, t.access_token);
    if (!(await request(ipath, ioptions)).json.active) break;
  }
  await sleep(4000);
  await oauthRefusedEverywhere(app, t.access_token, 'after its expiry');
});

// An installed application's client_credentials token, and its call of
// /api/v1/app/me with it ([path, options]), which every worker has let
// through: { token, company, app, client, t, call }.
async function bearerWarm() {
  const { token, company, app } = await installedApp();
  const client = { clientId: app.public_id, secret: app.private_api_key, address: app.address };
  const t = o.assertTokens(await o.tokenRequest(client, { grant_type: 'client_credentials' }, { address: app.address }), { refresh: false });
  const call = ['/api/v1/app/me?group_id=' + company.id, {
    address: app.address, headers: { Authorization: `Bearer ${t.access_token}`, 'X-Forwarded-Proto': 'https', Accept: 'application/json' },
  }];
  await everyWorker(...call, (r, what) => assert.equal(r.status, 200, `before the change, ${what}: ${r.text}`));
  return { token, company, app, client, t, call };
}

test('a client_credentials token revoked at /oauth/revoke is refused on the application API by every worker at once, not served from a cache', async () => {
  const { client, t, call } = await bearerWarm();
  await oauthRevoke(client, t.access_token);
  // refused: 401, or 429 once the failures from this address add up
  await everyWorker(...call, (r, what) => {
    assert.ok([401, 429].includes(r.status), `after the revocation: ${r.status} from a cached token check (${what})`);
  });
});

test('an application removed from its company: its client_credentials token is refused there by every worker at once, not served from a cached application', async () => {
  const { token, company, app, call } = await bearerWarm();
  const del = await request(`/api/v1/companies/${company.id}/apps/${app.id}`, { method: 'DELETE', headers: bearer(token) });
  assert.equal(del.status, 204, del.text);
  await everyWorker(...call, (r, what) => {
    assert.equal(r.status, 403, `after the removal: ${r.status} from a cached application (${what}): ${r.text}`);
  });
});

test('an application installed in a company after its client_credentials token was refused there is let through by every worker at once: "not installed" is never kept', async () => {
  const { token, app } = await installedApp();
  const u = require('node:crypto').randomBytes(5).toString('hex');
  const co = await request('/api/v1/companies', { method: 'POST', headers: bearer(token), json: { name: `Later ${u}`, slug: `later-${u}` } });
  assert.equal(co.status, 201, co.text);
  const client = { clientId: app.public_id, secret: app.private_api_key };
  const t = o.assertTokens(await o.tokenRequest(client, { grant_type: 'client_credentials' }, { address: app.address }), { refresh: false });
  const call = ['/api/v1/app/me?group_id=' + co.json.id, {
    address: app.address, headers: { Authorization: `Bearer ${t.access_token}`, 'X-Forwarded-Proto': 'https', Accept: 'application/json' },
  }];
  await everyWorker(...call, (r, what) => assert.equal(r.status, 403, `before the installation, ${what}: ${r.text}`));
  const inst = await request(`/api/v1/companies/${co.json.id}/apps/${app.id}`, { method: 'POST', headers: bearer(token) });
  assert.equal(inst.status, 201, inst.text);
  await everyWorker(...call, (r, what) => assert.equal(r.status, 200, `after the installation: a kept refusal (${what}): ${r.text}`));
});

test('an application renamed: every worker answers /api/v1/app/me for its client_credentials token with the new sheet at once, no stale cached application', async () => {
  const { token, app, call } = await bearerWarm();
  const r = await request(`/api/v1/apps/${app.id}`, { method: 'PATCH', headers: bearer(token), json: { version: app.version, name: `Renamed ${app.public_id}` } });
  assert.equal(r.status, 200, r.text);
  await everyWorker(...call, (a, what) => {
    assert.equal(a.status, 200, `${what}: ${a.text}`);
    assert.equal(a.json.name, `Renamed ${app.public_id}`, `a stale cached application (${what})`);
  });
});

// A client_credentials token request of APP (its public id and private
// key, or KEY), as [path, options].
function clientToken(app, key = app.private_api_key) {
  return ['/oauth/token', {
    method: 'POST', form: { grant_type: 'client_credentials' }, address: app.address,
    headers: { Accept: 'application/json', Authorization: o.basic(app.public_id, key) },
  }];
}

// Every worker refuses APP's KEY at the token endpoint: 401, or 429 once
// the failures of its client id add up.
function clientRefusedEverywhere(app, key, what) {
  return everyWorker(...clientToken(app, key), (r, w) => {
    assert.ok([401, 429].includes(r.status), `${what}: ${r.status} from a cached client check that outlived the change (${w})`);
  });
}

test('a client secret rotated without grace is refused at /oauth/token by every worker at once, not served from a cache', async () => {
  const { token, app } = await installedApp();
  await everyWorker(...clientToken(app), (r, what) => assert.equal(r.status, 200, `before the rotation, ${what}: ${r.text}`));
  const r = await request(`/api/v1/apps/${app.id}/rotate-key`, { method: 'POST', headers: bearer(token), json: { grace_seconds: 0, version: app.version } });
  assert.equal(r.status, 200, r.text);
  await clientRefusedEverywhere(app, app.private_api_key, 'the rotated secret');
  const [path, options] = clientToken(app, r.json.private_api_key);
  assert.equal((await request(path, options)).status, 200, 'the new secret is let through');
});

test('a client secret rotated with a 2 s grace works at /oauth/token until the grace ends, then every worker refuses it with no other change', async () => {
  const { token, app } = await installedApp();
  const r = await request(`/api/v1/apps/${app.id}/rotate-key`, { method: 'POST', headers: bearer(token), json: { grace_seconds: 2, version: app.version } });
  assert.equal(r.status, 200, r.text);
  // the old secret during its grace: each worker that lets it through
  // keeps the check, with the grace's end
  for (let i = 0; i < 4 * (workers || 4); i++) {
    const [path, options] = clientToken(app);
    if ((await request(path, options)).status !== 200) break; // the grace already ended on a slow machine
  }
  await sleep(3000);
  await clientRefusedEverywhere(app, app.private_api_key, 'the previous secret past its grace');
});

test('a deleted application\'s client secret is refused at /oauth/token by every worker at once, not served from a cache', async () => {
  const { token, app } = await installedApp();
  await everyWorker(...clientToken(app), (r, what) => assert.equal(r.status, 200, `before the deletion, ${what}: ${r.text}`));
  const del = await request(`/api/v1/apps/${app.id}`, { method: 'DELETE', headers: bearer(token) });
  assert.equal(del.status, 204, del.text);
  await clientRefusedEverywhere(app, app.private_api_key, 'after the deletion');
});

test('issuing, refreshing and introspecting OAuth tokens leave the generation rows alone, so OAuth traffic empties no cache', async () => {
  const { app, t } = await oauthUser();
  // sql() runs ostiumctl invalidate after its statement: one step each
  const before = await generationRows();
  o.assertTokens(await o.tokenRequest(app, { grant_type: 'refresh_token', refresh_token: t.refresh_token }, { address: app.address }));
  o.assertTokens(await o.tokenRequest(app, { grant_type: 'client_credentials' }, { address: app.address }), { refresh: false });
  const [path, options] = introspection(app, t.access_token);
  assert.equal((await request(path, options)).status, 200);
  const after = await generationRows();
  for (const kind of Object.keys(after)) {
    assert.equal(after[kind], before[kind] + 1, `the ${kind} row moved for OAuth traffic that invalidates nothing`);
  }
});
