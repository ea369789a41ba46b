// races.test.js - what parallel requests must not get past (issue 13, items
// 10 and 11): two key rotations at once (one wins, the key in use keeps its
// grace period), simultaneous wrong passwords past throttle_account, and
// simultaneous declarations past 200 server variables. Each sends its
// requests at once (a bounded number) and counts the answers.
'use strict';

const { test, before } = require('node:test');
const assert = require('node:assert/strict');
const {
  request, assertError, sql, randomHex, configValue, createAdmin, loginForm, CookieJar,
  randomAddress, postLogin, pageText, signIn, csrfField,
} = require('./lib');
const { admin, createApp, keyHash } = require('./apps_fixtures');

let writer;
before(async () => {
  writer = await admin();
});

// STATUS -> how many of RESULTS answered it.
function tally(results) {
  const counts = {};
  for (const r of results) counts[r.status] = (counts[r.status] || 0) + 1;
  return counts;
}

// The stored key hashes of application ID (upper-case hex, null when none)
// and the seconds its previous key has left.
async function storedKeys(id) {
  const [[current, previous, left]] = await sql(`SELECT HEX(key_hash), COALESCE(HEX(previous_key_hash), 'NULL'), COALESCE(TIMESTAMPDIFF(SECOND, UTC_TIMESTAMP(), previous_key_expires_at), 'NULL') FROM apps WHERE id = ${Number(id)}`);
  return { current, previous: previous === 'NULL' ? null : previous, left: left === 'NULL' ? null : Number(left) };
}

test('four key rotations at once against one version: exactly one succeeds, the others 409, and the key in use keeps its grace period (item 10)', async () => {
  const app = await createApp(writer, { name: `race-${randomHex(5)}` });
  const url = `/api/v1/apps/${app.id}/rotate-key`;
  const results = await Promise.all([1, 2, 3, 4].map(() =>
    request(url, { method: 'POST', headers: writer.headers, json: { version: 1, grace_seconds: 3600 } })));
  assert.deepEqual(tally(results), { 200: 1, 409: 3 }, results.map((r) => `${r.status} ${r.text.slice(0, 120)}`).join('\n'));
  for (const r of results.filter((x) => x.status === 409)) {
    assert.equal(assertError(r, 409, 'conflict').field, 'version');
    assert.ok(!/private_api_key/.test(r.text), 'a refused rotation shows no key');
  }
  const won = results.find((r) => r.status === 200).json;
  assert.equal(won.version, 2);
  const stored = await storedKeys(app.id);
  assert.equal(stored.current, keyHash(won.private_api_key), 'the winner\'s key is current');
  assert.equal(stored.previous, keyHash(app.private_api_key), 'the key in use is the previous one');
  assert.ok(stored.left > 3500 && stored.left <= 3600, `and keeps its grace period: ${stored.left}`);
  const [[rotations]] = await sql(`SELECT COUNT(*) FROM audit_log WHERE object_type = 'app' AND object_id = '${app.id}' AND action = 'app.rotate_key'`);
  assert.equal(rotations, '1', 'one rotation audited');

  // The version comes in the body or as If-Match, like an update's.
  const stale = await request(url, { method: 'POST', headers: { ...writer.headers, 'If-Match': '"1"' }, json: {} });
  assertError(stale, 412, 'precondition_failed', 'a stale If-Match');
  const none = await request(url, { method: 'POST', headers: writer.headers, json: { grace_seconds: 60 } });
  assert.equal(assertError(none, 400, 'invalid_request', 'no version').field, 'version');
  const next = await request(url, { method: 'POST', headers: { ...writer.headers, 'If-Match': '"2"' }, json: {} });
  assert.equal(next.status, 200, next.text);
  assert.equal(next.headers.get('etag'), '"3"');
  assert.equal((await storedKeys(app.id)).previous, keyHash(won.private_api_key), 'a deliberate second rotation');
});

test('the console rotates against the version of the page: a double submit rotates once (item 10)', async () => {
  const { email, password } = await createAdmin();
  const { jar, csrf } = await signIn(email, password);
  const app = await createApp(writer, { name: `race-console-${randomHex(5)}` });
  const page = await request(`/admin/apps/${app.id}`, { jar });
  assert.equal(page.status, 200);
  const version = /action="\/admin\/apps\/\d+\/rotate">\s*<input type="hidden" name="csrf" value="[^"]*">\s*<input type="hidden" name="version" value="(\d+)">/.exec(page.text)?.[1];
  assert.equal(version, '1', 'the rotate form carries the version shown');
  const form = { csrf, version, grace_seconds: '600' };
  const first = await request(`/admin/apps/${app.id}/rotate`, { method: 'POST', jar, form });
  assert.equal(first.status, 200, pageText(first.text).slice(0, 300));
  const second = await request(`/admin/apps/${app.id}/rotate`, { method: 'POST', jar, form });
  assert.equal(second.status, 409, pageText(second.text).slice(0, 300));
  assert.match(pageText(second.text), /the key was not rotated/);
  assert.ok(!/Private API key<\/dt>/.test(second.text), 'no new key shown');
  const stored = await storedKeys(app.id);
  assert.equal(stored.previous, keyHash(app.private_api_key), 'the original key keeps its grace');
  assert.ok(stored.left > 500, `grace left: ${stored.left}`);
  assert.equal(csrfField(second.text), csrf);
});

// A race shows only when the requests meet inside the server (with the
// test pool's two workers, about one round in three for the sign-ins):
// each test below runs ROUNDS times on fresh data, so that a limit that
// parallel requests can pass is caught in one round or another.
const ROUNDS = 16;

test('eight simultaneous wrong passwords for one account from one address: exactly throttle_account are checked, the rest 429 (item 11)', async () => {
  const limit = Number(configValue('throttle_account', '5'));
  const attempts = 8;
  assert.ok(limit < attempts, `throttle_account ${limit} is below ${attempts}`);
  for (let round = 1; round <= ROUNDS; round++) {
    const { email, password } = await createAdmin();
    // all from one address: the account from that address is the bucket
    // throttle_account limits (item 12: other addresses keep their own)
    const address = randomAddress();
    const tries = [];
    for (let i = 0; i < attempts; i++) {
      const jar = new CookieJar();
      tries.push({ jar, address, csrf: await loginForm(jar, address) });
    }
    const results = await Promise.all(tries.map(({ jar, address, csrf }, i) =>
      request('/admin/login', { method: 'POST', jar, address, form: { csrf, email, password: `wrong-${i}` } })));
    assert.deepEqual(tally(results), { 401: limit, 429: attempts - limit }, `round ${round}`);
    for (const r of results.filter((x) => x.status === 429)) assert.match(r.headers.get('retry-after') || '', /^\d+$/);
    const after = await postLogin(new CookieJar(), email, password, address);
    assert.equal(after.status, 429, 'the account is throttled from that address, even with the right password');
  }
});

test('four simultaneous declarations at 199 server variables make 200, not 203 (item 11)', async () => {
  for (let round = 1; round <= ROUNDS; round++) {
    const app = await createApp(writer, { name: `race-vars-${randomHex(5)}` });
    const url = `/api/v1/apps/${app.id}/server-variables`;
    await sql(`INSERT INTO app_server_vars (app_id, name) SELECT ${Number(app.id)}, CONCAT('V', seq) FROM seq_1_to_199`);
    const results = await Promise.all(['A', 'B', 'C', 'D'].map((n) =>
      request(url, { method: 'POST', headers: writer.headers, json: { name: `LAST_${n}` } })));
    assert.deepEqual(tally(results), { 201: 1, 400: 3 },
      `round ${round}: ${results.map((r) => `${r.status} ${r.text.slice(0, 100)}`).join('\n')}`);
    for (const r of results.filter((x) => x.status === 400)) {
      assert.match(assertError(r, 400, 'invalid_request').message, /at most 200/);
    }
    const [[count]] = await sql(`SELECT COUNT(*) FROM app_server_vars WHERE app_id = ${Number(app.id)}`);
    assert.equal(count, '200', `round ${round}`);
  }
});
