// database.test.js - a stopped MariaDB gives 503 with the error shape, never
// a crash, and the pool serves again once it is back, without a restart.
// Stops the test database: scripts/test runs one test file at a time
// (--test-concurrency=1), and this file always starts the database again.
'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const {
  hasPoolMaster,
  ostiumLogFile,
  request,
  assertError,
  assertCommonHeaders,
  parseXml,
  testctl,
  createAdmin,
  createToken,
  configValue,
  waitFor,
} = require('./lib');

const logFile = ostiumLogFile();
// The pid of the pool master, or null when the web server spawns ostium
// (apache-fcgid): then only the answers are checked, not the master.
const masterPid = async () => (hasPoolMaster ? (await testctl('pool-pid')).trim() : null);
const logSize = () => {
  try {
    return fs.statSync(logFile).size;
  } catch {
    return 0;
  }
};
// What the pool logged since OFFSET.
const logSince = (offset) => {
  try {
    return fs.readFileSync(logFile).subarray(offset).toString('utf8');
  } catch {
    return '';
  }
};

test('with MariaDB stopped, /healthz and the API answer 503; once it is back, the same pool serves again', async () => {
  const { email, password } = await createAdmin();
  const token = await createToken(email);
  const auth = { Authorization: `Bearer ${token}` };
  const master = await masterPid();
  const logStart = logSize();
  // Enough requests to reach every worker, whichever takes them.
  const rounds = 2 * Number(configValue('workers', '4')) + 2;

  assert.equal((await request('/healthz')).status, 200, 'healthy before');
  assert.equal((await request('/api/v1/me', { headers: auth })).status, 200);

  try {
    await testctl('db-stop');
    for (let i = 0; i < rounds; i++) {
      const r = await request('/healthz');
      const e = assertError(r, 503, 'unavailable', `/healthz #${i} without the database`);
      assert.ok(!e.message.includes(password));
      assertCommonHeaders(r, '503');
      const xml = await request('/healthz', { headers: { Accept: 'application/xml' } });
      assert.equal(xml.status, 503);
      assert.deepEqual(parseXml(xml.text), r.json, '503 as XML');
      assertError(await request('/api/v1/me', { headers: auth }), 503, 'unavailable', `/api/v1/me #${i}`);
    }
    // A page that needs no database still renders; sign-in cannot, and says so.
    assert.equal((await request('/admin/login')).status, 200, 'the sign-in form');
    const admin = await request('/admin/', { headers: { Cookie: `ostium_session=${'A'.repeat(43)}` } });
    assert.ok(admin.status === 503 || admin.status === 303, `the dashboard: ${admin.status}`);
  } finally {
    // Always, even when db-stop failed half-way: db-start is idempotent.
    await testctl('db-start');
  }

  // Back within a bounded wait, on the same master.
  const healthy = await waitFor(async () => (await request('/healthz')).status === 200, 60_000, 250);
  assert.ok(healthy, '/healthz is 200 again once MariaDB is back');
  for (let i = 0; i < rounds; i++) {
    const h = await request('/healthz');
    assert.equal(h.status, 200, `/healthz #${i} after: ${h.text}`);
    assert.equal(h.json.database, 'ok');
    const me = await request('/api/v1/me', { headers: auth });
    assert.equal(me.status, 200, `/api/v1/me #${i} after: ${me.text}`);
    assert.equal(me.json.email, email);
  }
  assert.equal(await masterPid(), master, 'ostium was not restarted');
  const crashes = logSince(logStart).split('\n').filter((l) => /worker \d+ ended \(signal/.test(l));
  assert.deepEqual(crashes, [], 'no worker died of a signal while the database was away');
});
