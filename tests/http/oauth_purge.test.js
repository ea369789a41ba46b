// oauth_purge.test.js - the periodic clean-up of the authorization server
// keeps up: every OAuth endpoint runs it (not only the token endpoint), and
// one run goes on batch after batch until what is expired is gone, so
// expired codes, sign-ins, jti records and tokens do not pile up. A pool of
// its own (fresh workers, whose first OAuth request cleans up) serves the
// request that should clean up.
'use strict';

const { test, before } = require('node:test');
const assert = require('node:assert/strict');
const { sql } = require('./lib');
const { startPool } = require('./broker_lib');
const { newAdmin, newApp, newUser, authorizeQuery, count } = require('./oauth_lib');

const REDIRECT = 'https://app.example.org/callback';
const N = 2500; // more than one batch of each kind
let admin;

before(async () => {
  admin = await newAdmin();
});

// Fills the tables with N expired rows of each kind for APP and USER.
async function expiredRows(app, user) {
  const h = (kind) => `UNHEX(SHA2(CONCAT('purge-${kind}-${app.id}-', seq), 256))`;
  const past = 'UTC_TIMESTAMP() - INTERVAL 1 HOUR';
  await sql(`INSERT INTO oauth_codes (hash, app_id, user_id, redirect_uri, scope, created_at, expires_at) SELECT ${h('code')}, ${app.id}, ${user.id}, '', '', ${past}, ${past} FROM seq_1_to_${N}`);
  await sql(`INSERT INTO oauth_signins (hash, user_id, created_at, expires_at) SELECT ${h('signin')}, ${user.id}, ${past}, ${past} FROM seq_1_to_${N}`);
  await sql(`INSERT INTO oauth_jti (app_id, hash, expires_at) SELECT ${app.id}, ${h('jti')}, ${past} FROM seq_1_to_${N}`);
  await sql(`INSERT INTO oauth_tokens (hash, kind, app_id, user_id, scope, created_at, expires_at) SELECT ${h('token')}, 'access', ${app.id}, ${user.id}, '', ${past}, ${past} FROM seq_1_to_${N}`);
}

// How many rows of each kind are left for APP and USER.
async function left(app, user) {
  return {
    codes: await count(`SELECT COUNT(*) FROM oauth_codes WHERE app_id = ${app.id}`),
    signins: await count(`SELECT COUNT(*) FROM oauth_signins WHERE user_id = ${user.id}`),
    jti: await count(`SELECT COUNT(*) FROM oauth_jti WHERE app_id = ${app.id}`),
    tokens: await count(`SELECT COUNT(*) FROM oauth_tokens WHERE app_id = ${app.id}`),
  };
}

test('without token traffic, an authorization request cleans up every expired code, sign-in, jti record and token, batch after batch', async () => {
  const app = await newApp(admin, { authenticator: 'authorization_code', redirect_uris: [REDIRECT] });
  app.redirectUri = REDIRECT;
  const user = await newUser(admin, app);
  await expiredRows(app, user);
  assert.deepEqual(await left(app, user), { codes: N, signins: N, jti: N, tokens: N });
  const pool = await startPool();
  try {
    const r = await pool.call(`/oauth/authorize?${authorizeQuery(app)}`);
    assert.equal(r.status, 200, 'the sign-in page');
    assert.deepEqual(await left(app, user), { codes: 0, signins: 0, jti: 0, tokens: 0 });
  } finally {
    await pool.stop();
  }
});
