// oauth_jwt.test.js - private_key_jwt client authentication (RFC 7523 and
// its 2025 revision; issue 10): an assertion signed RS256 with the
// application's current or previous key or its certificate's key; refused
// with a wrong signature, a wrong audience (not exactly the issuer, or a
// list), expired, too far ahead, a replayed jti (even after a clean-up,
// while the assertion is within the clock skew), another alg, iss or sub
// not the client; assertions are signed here with node's crypto.
'use strict';

const { test, before } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { randomHex, sql, testctl, waitFor } = require('./lib');
const {
  ISSUER, ASSERTION_TYPE, newAdmin, newApp, patchApp, post, assertOAuthError, assertTokens, rsaKey,
  assertion, jwtAuth, b64url,
} = require('./oauth_lib');

let admin;
let current;
let previous;
let app;

before(async () => {
  admin = await newAdmin();
  current = rsaKey();
  previous = rsaKey();
  app = await newApp(admin, { public_key_current: current.publicPem, public_key_previous: previous.publicPem });
});

// Asserts R refuses the client for the reason RE names.
function refused(r, re, what) {
  assert.match(assertOAuthError(r, 401, 'invalid_client', what).error_description, re, what);
}

const cc = (jwt, extra = {}) => post('/oauth/token', { grant_type: 'client_credentials', ...jwtAuth(jwt), ...extra });
const now = () => Math.floor(Date.now() / 1000);

test('an assertion signed with the current or the previous key authenticates the client', async () => {
  assertTokens(await cc(assertion(app.clientId, current.privateKey)), { refresh: false });
  assertTokens(await cc(assertion(app.clientId, previous.privateKey)), { refresh: false, what: 'the previous key' });
  assertTokens(await cc(assertion(app.clientId, current.privateKey), { client_id: app.clientId }), { refresh: false, what: 'with client_id too' });
  const i = await post('/oauth/introspect', { token: 'x', ...jwtAuth(assertion(app.clientId, current.privateKey)) });
  assert.equal(i.status, 200, `at introspection too: ${i.text}`);
  assert.deepEqual(i.json, { active: false });
});

test('an assertion signed with the key of a certificate authenticates the client', async () => {
  const dir = fs.mkdtempSync(path.join(process.env.OSTIUM_TEST_DIR || os.tmpdir(), 'jwt-cert-'));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', path.join(dir, 'key.pem'),
      '-out', path.join(dir, 'cert.pem'), '-subj', '/CN=jwt-test', '-days', '2'], { stdio: 'ignore' });
    const certApp = await newApp(admin, { certificate: fs.readFileSync(path.join(dir, 'cert.pem'), 'utf8') });
    const key = crypto.createPrivateKey(fs.readFileSync(path.join(dir, 'key.pem')));
    assertTokens(await cc(assertion(certApp.clientId, key)), { refresh: false });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a key rotated out of the application\'s keys no longer signs for it', async () => {
  const own = await newApp(admin, { public_key_current: current.publicPem, public_key_previous: previous.publicPem });
  const next = rsaKey();
  await patchApp(admin, own, { public_key_current: next.publicPem, public_key_previous: current.publicPem });
  assertTokens(await cc(assertion(own.clientId, next.privateKey)), { refresh: false });
  assertTokens(await cc(assertion(own.clientId, current.privateKey)), { refresh: false, what: 'now the previous key' });
  refused(await cc(assertion(own.clientId, previous.privateKey)), /signature/, 'rotated out');
});

test('a wrong signature is invalid_client', async () => {
  const stranger = rsaKey();
  refused(await cc(assertion(app.clientId, stranger.privateKey)), /signature/);
  const good = assertion(app.clientId, current.privateKey);
  const [h, c] = good.split('.');
  const tampered = `${h}.${b64url(JSON.stringify({ ...JSON.parse(Buffer.from(c, 'base64url')), sub: app.clientId, jti: randomHex(8) }))}.${good.split('.')[2]}`;
  refused(await cc(tampered), /signature/, 'claims changed after signing');
});

test('the audience must be exactly the issuer, one string', async () => {
  for (const [what, aud] of [
    ['the token endpoint', `${ISSUER}/oauth/token`],
    ['another issuer', 'https://other.example.org'],
    ['a list with the issuer', [ISSUER]],
    ['a list with more', [ISSUER, 'https://other.example.org']],
    ['none', undefined],
  ]) {
    refused(await cc(assertion(app.clientId, current.privateKey, { aud })), /aud/, what);
  }
});

test('an expired assertion, or one whose exp lies far ahead, is invalid_client', async () => {
  refused(await cc(assertion(app.clientId, current.privateKey, { exp: now() - 120 })), /expired/, 'expired');
  refused(await cc(assertion(app.clientId, current.privateKey, { exp: now() + 3600 })), /too far ahead/, 'an hour ahead');
  refused(await cc(assertion(app.clientId, current.privateKey, { exp: undefined })), /no exp/, 'no exp');
  refused(await cc(assertion(app.clientId, current.privateKey, { nbf: now() + 600 })), /nbf/, 'not valid yet');
});

test('a jti is never accepted twice', async () => {
  const jwt = assertion(app.clientId, current.privateKey);
  assertTokens(await cc(jwt), { refresh: false });
  refused(await cc(jwt), /jti was used already/, 'the same assertion again');
  const jti = randomHex(8);
  assertTokens(await cc(assertion(app.clientId, current.privateKey, { jti })), { refresh: false });
  refused(await cc(assertion(app.clientId, current.privateKey, { jti })), /jti was used already/, 'another assertion with the same jti');
  refused(await cc(assertion(app.clientId, current.privateKey, { jti: undefined })), /jti/, 'no jti');
});

test('a jti accepted within the clock skew after its exp is still refused after a clean-up, for as long as the assertion could be accepted', async () => {
  const jti = randomHex(8);
  const first = Number((await sql('SELECT UNIX_TIMESTAMP()'))[0][0]);
  const exp = first - 10; // expired, but within the 30 s allowed for clocks that differ
  const jwt = assertion(app.clientId, current.privateKey, { exp, jti });
  assertTokens(await cc(jwt), { refresh: false, what: 'within the skew' });
  const [[kept]] = await sql(`SELECT TIMESTAMPDIFF(SECOND, '1970-01-01 00:00:00', expires_at) FROM oauth_jti WHERE app_id = ${app.id} AND hash = UNHEX(SHA2('${jti}', 256))`);
  assert.ok(Number(kept) >= exp + 30, `the jti is kept at least until exp and the skew have passed (${kept} < ${exp + 30})`);
  // once the database's clock has passed the first use, a clean-up runs
  assert.ok(await waitFor(async () => Number((await sql('SELECT UNIX_TIMESTAMP()'))[0][0]) > first + 1, 10_000, 100));
  await testctl('ctl', 'purge');
  refused(await cc(jwt), /jti was used already/, 'the same assertion after the clean-up');
});

test('the algorithm is pinned to RS256; iss and sub must both be the client', async () => {
  const hs = (() => {
    const h = b64url(JSON.stringify({ alg: 'HS256' }));
    const c = b64url(JSON.stringify({ iss: app.clientId, sub: app.clientId, aud: ISSUER, exp: now() + 60, jti: randomHex(8) }));
    return `${h}.${c}.${b64url(crypto.createHmac('sha256', current.publicPem).update(`${h}.${c}`).digest())}`;
  })();
  refused(await cc(hs), /alg must be RS256/, 'HS256 keyed with the public key');
  const none = `${b64url(JSON.stringify({ alg: 'none' }))}.${b64url(JSON.stringify({ iss: app.clientId, sub: app.clientId, aud: ISSUER, exp: now() + 60, jti: randomHex(8) }))}.`;
  refused(await cc(none), /alg must be RS256/, 'alg none');
  const ps = assertion(app.clientId, current.privateKey, {}, { alg: 'PS256' });
  refused(await cc(ps), /alg must be RS256/, 'PS256');
  refused(await cc(assertion(app.clientId, current.privateKey, { sub: 'someone' })), /iss and sub/, 'sub');
  const other = await newApp(admin, { public_key_current: current.publicPem });
  assertOAuthError(await cc(assertion(app.clientId, current.privateKey), { client_id: other.clientId }), 401, 'invalid_client', 'client_id of another');
  assertOAuthError(await cc('not.a.jwt'), 401, 'invalid_client');
  assertOAuthError(await post('/oauth/token', { grant_type: 'client_credentials', client_assertion_type: 'urn:other', client_assertion: assertion(app.clientId, current.privateKey) }), 400, 'invalid_request');
  assertOAuthError(await post('/oauth/token', { grant_type: 'client_credentials', client_assertion_type: ASSERTION_TYPE }), 400, 'invalid_request');
});

test('an application without keys cannot use private_key_jwt', async () => {
  const bare = await newApp(admin, {});
  assertOAuthError(await cc(assertion(bare.clientId, current.privateKey)), 401, 'invalid_client');
});
