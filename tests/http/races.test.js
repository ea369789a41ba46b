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

// A race shows only when the requests meet inside the server (with the
// test pool's two workers, about one round in three for the sign-ins):
// each test below runs ROUNDS times on fresh data, so that a limit that
// parallel requests can pass is caught in one round or another.
const ROUNDS = 16;

test('eight simultaneous wrong passwords for one account: exactly throttle_account are checked, the rest 429 (item 11)', async () => {
  const limit = Number(configValue('throttle_account', '5'));
  const attempts = 8;
  assert.ok(limit < attempts, `throttle_account ${limit} is below ${attempts}`);
  for (let round = 1; round <= ROUNDS; round++) {
    const { email, password } = await createAdmin();
    // each from an address of its own, so that only the account counts
    const tries = [];
    for (let i = 0; i < attempts; i++) {
      const jar = new CookieJar();
      const address = randomAddress();
      tries.push({ jar, address, csrf: await loginForm(jar, address) });
    }
    const results = await Promise.all(tries.map(({ jar, address, csrf }, i) =>
      request('/admin/login', { method: 'POST', jar, address, form: { csrf, email, password: `wrong-${i}` } })));
    assert.deepEqual(tally(results), { 401: limit, 429: attempts - limit }, `round ${round}`);
    for (const r of results.filter((x) => x.status === 429)) assert.match(r.headers.get('retry-after') || '', /^\d+$/);
    const after = await postLogin(new CookieJar(), email, password, randomAddress());
    assert.equal(after.status, 429, 'the account is throttled, even with the right password');
  }
});
