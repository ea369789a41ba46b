// database.test.js - a stopped MariaDB gives 503 with the error shape, never
// a crash, and the pool serves again once it is back, without a restart; a
// value a column cannot hold is never silently cut, whatever the server's
// default sql_mode. Stops the test database, and changes its global
// sql_mode and a column for a while: scripts/test runs one test file at a
// time (--test-concurrency=1), and this file always puts them back.
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
  sql,
  CookieJar,
  postLogin,
  randomAddress,
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
      // /api/v1/me may be answered from a worker's cached credential check;
      // what reads the database cannot be
      assertError(await request('/api/v1/tokens', { headers: auth }), 503, 'unavailable', `/api/v1/tokens #${i}`);
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

// Ends every connection Ostium holds, so that each worker opens a new one
// (with the server's global settings of that moment) on its next statement.
async function dropOstiumConnections() {
  const user = configValue('db_user', 'ostium');
  for (const [id] of await sql(`SELECT id FROM information_schema.processlist WHERE user = '${user.replace(/[^A-Za-z0-9_]/g, '')}'`)) {
    await sql(`KILL CONNECTION ${Number(id)}`).catch(() => {}); // gone already
  }
}

test('a value a column cannot hold is refused, never silently cut, whatever sql_mode the server gives new connections', async () => {
  const { email, password } = await createAdmin();
  const [[mode]] = await sql('SELECT @@GLOBAL.sql_mode');
  try {
    // A column narrower than the account's throttle bucket ("account:EMAIL"),
    // on a server whose default sql_mode would cut what does not fit.
    await sql('DELETE FROM throttle; ALTER TABLE throttle MODIFY bucket VARCHAR(16) NOT NULL');
    await sql("SET GLOBAL sql_mode = ''");
    await dropOstiumConnections();
    const r = await postLogin(new CookieJar(), email, 'not the password', randomAddress());
    assert.equal(r.status, 500, 'the failure cannot be counted: a database error, not a 401');
    assert.deepEqual(await sql('SELECT bucket FROM throttle'), [], 'no failure counted under a cut bucket name');
  } finally {
    await sql(`SET GLOBAL sql_mode = '${mode.replace(/[^A-Z_,]/g, '')}'`);
    await sql('ALTER TABLE throttle MODIFY bucket VARCHAR(300) NOT NULL');
    await dropOstiumConnections();
  }
  const after = await postLogin(new CookieJar(), email, password, randomAddress());
  assert.equal(after.status, 303, 'and all is as before');
});
