// api.test.js - the API shell: who am I (bearer token or session + CSRF
// header), personal API tokens (list, create, validate, revoke), and how
// tokens are kept; run by scripts/test (node --test).
'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const { execFile } = require('node:child_process');
const fs = require('node:fs');
const {
  ostiumLogFile,
  request,
  assertError,
  assertCommonHeaders,
  assertNoSecrets,
  sql,
  sqlString,
  createAdmin,
  createToken,
  signIn,
  randomHex,
  testctl,
} = require('./lib');

const bearer = (token) => ({ Authorization: `Bearer ${token}` });
const sha256Hex = (s) => crypto.createHash('sha256').update(s).digest('hex').toUpperCase();

// A new administrator with a token made by ostiumctl.
async function adminWithToken() {
  const admin = await createAdmin();
  admin.token = await createToken(admin.email);
  return admin;
}

// Asserts a 401 that asks for a bearer token; INVALID: it says the token was bad.
function assertUnauthorized(r, invalid, what) {
  assertError(r, 401, 'unauthorized', what);
  const h = r.headers.get('www-authenticate') || '';
  assert.match(h, /^Bearer realm="ostium"/, `${what}: WWW-Authenticate ${h}`);
  if (invalid) assert.match(h, /error="invalid_token"/, `${what}: WWW-Authenticate ${h}`);
  else assert.doesNotMatch(h, /error=/, `${what}: WWW-Authenticate ${h}`);
}

test('GET /api/v1/me with a bearer token names the administrator', async () => {
  const { email, password, token } = await adminWithToken();
  const r = await request('/api/v1/me', { headers: bearer(token) });
  assert.equal(r.status, 200, r.text);
  assertCommonHeaders(r, 'GET /api/v1/me');
  const [[id]] = await sql(`SELECT id FROM users WHERE email = ${sqlString(email)}`);
  assert.deepEqual(r.json, {
    id: Number(id),
    email,
    first_name: '',
    last_name: '',
    roles: ['SUPER_ADMINISTRATOR'],
    auth: 'token',
  });
  assertNoSecrets(r, [token, password], 'GET /api/v1/me');
});

test('GET /api/v1/me with the console session needs the X-CSRF-Token header', async () => {
  const { email, password, token } = await adminWithToken();
  const { jar, csrf } = await signIn(email, password);
  const r = await request('/api/v1/me', { jar, headers: { 'X-CSRF-Token': csrf } });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.auth, 'session');
  assert.equal(r.json.email, email);
  const byToken = await request('/api/v1/me', { headers: bearer(token) });
  assert.deepEqual({ ...r.json, auth: 'token' }, byToken.json, 'the same person either way');
  assertNoSecrets(r, [jar.get('ostium_session'), password], 'session call');

  const other = await signIn(email, password);
  for (const [what, headers] of [
    ['no X-CSRF-Token', {}],
    ['an empty X-CSRF-Token', { 'X-CSRF-Token': '' }],
    ['a wrong X-CSRF-Token', { 'X-CSRF-Token': csrf.slice(1) + 'A' }],
    ['another session\'s token', { 'X-CSRF-Token': other.csrf }],
  ]) {
    assertError(await request('/api/v1/me', { jar, headers }), 403, 'csrf_failed', what);
  }
  // A write through the session needs it too.
  const name = `session-${Date.now()}`;
  assertError(await request('/api/v1/tokens', { method: 'POST', jar, json: { name } }), 403, 'csrf_failed', 'POST without csrf');
  const made = await request('/api/v1/tokens', { method: 'POST', jar, json: { name }, headers: { 'X-CSRF-Token': csrf } });
  assert.equal(made.status, 201, made.text);
});

test('GET /api/v1/me without credentials is 401 with WWW-Authenticate', async () => {
  assertUnauthorized(await request('/api/v1/me'), false, 'no credentials');
  assertUnauthorized(await request('/api/v1/tokens'), false, 'GET /api/v1/tokens without credentials');
  assertUnauthorized(await request('/api/v1/tokens', { method: 'POST', json: { name: 'x' } }), false, 'POST without credentials');
});

test('an unknown or malformed bearer token is 401 with error="invalid_token"', async () => {
  const { token } = await adminWithToken();
  const cases = [
    ['an unknown token', bearer(crypto.randomBytes(32).toString('base64url'))],
    ['a token one character off', bearer(token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A'))],
    ['a prefix of a token', bearer(token.slice(0, 20))],
    ['a token with junk', bearer(`${token} x`)],
  ];
  for (const [what, headers] of cases) {
    const r = await request('/api/v1/me', { headers });
    assertUnauthorized(r, true, what);
    assertNoSecrets(r, [token], what);
  }
  for (const [what, value] of [['Basic credentials', `Basic ${Buffer.from('a:b').toString('base64')}`], ['an empty bearer', 'Bearer ']]) {
    const r = await request('/api/v1/me', { headers: { Authorization: value } });
    assert.equal(r.status, 401, what);
    assertError(r, 401, 'unauthorized', what);
    assert.match(r.headers.get('www-authenticate') || '', /^Bearer realm="ostium"/, what);
  }
});

test('POST /api/v1/tokens makes a token shown once and stored as its SHA-256 only', async () => {
  const { email, token } = await adminWithToken();
  const name = `api-${Date.now()}`;
  const r = await request('/api/v1/tokens', { method: 'POST', headers: bearer(token), json: { name } });
  assert.equal(r.status, 201, r.text);
  assertCommonHeaders(r, 'POST /api/v1/tokens');
  assert.deepEqual(Object.keys(r.json).sort(), ['expires_at', 'id', 'name', 'token']);
  assert.equal(r.json.name, name);
  assert.equal(r.json.expires_at, null, 'it never expires unless asked');
  assert.ok(Number.isInteger(r.json.id));
  const fresh = r.json.token;
  assert.match(fresh, /^[A-Za-z0-9_-]{43}$/, '256 random bits, base64url');

  const me = await request('/api/v1/me', { headers: bearer(fresh) });
  assert.equal(me.status, 200);
  assert.equal(me.json.email, email);

  // The database holds only the hash.
  const rows = await sql(`SELECT HEX(hash), name FROM api_tokens WHERE id = ${Number(r.json.id)}`);
  assert.equal(rows.length, 1);
  assert.equal(rows[0][1], name);
  assert.equal(rows[0][0], sha256Hex(fresh), 'the stored hash is SHA-256 of the token');
  assert.notEqual(rows[0][0], Buffer.from(fresh, 'base64url').toString('hex').toUpperCase());
  const hits = await sql(`SELECT COUNT(*) FROM api_tokens WHERE INSTR(hash, ${sqlString(fresh)}) OR INSTR(name, ${sqlString(fresh)})`);
  assert.equal(hits[0][0], '0', 'the token text is stored nowhere');
  const cliRows = await sql(`SELECT HEX(hash) FROM api_tokens WHERE user_id = (SELECT id FROM users WHERE email = ${sqlString(email)}) AND name <> ${sqlString(name)}`);
  assert.deepEqual(cliRows.map((x) => x[0]), [sha256Hex(token)], 'ostiumctl\'s token is kept the same way');

  // Never shown again: not in the list, in either format.
  for (const path of ['/api/v1/tokens', '/api/v1/tokens?format=xml']) {
    const list = await request(path, { headers: bearer(fresh) });
    assert.equal(list.status, 200);
    assertNoSecrets(list, [fresh, token], `GET ${path}`);
  }
});

test('GET /api/v1/tokens lists the caller\'s own tokens without their secrets', async () => {
  const a = await adminWithToken();
  const b = await adminWithToken();
  const made = await request('/api/v1/tokens', { method: 'POST', headers: bearer(a.token), json: { name: 'second' } });
  assert.equal(made.status, 201);
  const r = await request('/api/v1/tokens', { headers: bearer(a.token) });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(Object.keys(r.json), ['tokens']);
  assert.equal(r.json.tokens.length, 2, 'the ostiumctl token and the new one');
  for (const t of r.json.tokens) {
    assert.deepEqual(Object.keys(t).sort(), ['created_at', 'expires_at', 'id', 'last_used_at', 'name', 'revoked_at', 'state']);
    assert.match(t.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.equal(t.revoked_at, null);
  }
  const names = r.json.tokens.map((t) => t.name).sort();
  assert.deepEqual(names, ['ostiumctl', 'second']);
  const used = r.json.tokens.find((t) => t.name === 'ostiumctl');
  assert.match(used.last_used_at || '', /^\d{4}-\d\d-\d\dT/, 'a token in use has last_used_at');
  assertNoSecrets(r, [a.token, made.json.token, b.token], 'token list');
  // B sees none of A's tokens.
  const other = await request('/api/v1/tokens', { headers: bearer(b.token) });
  assert.equal(other.json.tokens.length, 1);
  assert.ok(!other.json.tokens.some((t) => t.id === made.json.id));
});

test('a token name must be 1 to 100 characters without control characters', async () => {
  const { token } = await adminWithToken();
  const bad = [
    ['an empty name', { name: '' }],
    ['a name with a newline', { name: 'a\nb' }],
    ['a name with a tab', { name: 'a\tb' }],
    ['a name with DEL', { name: 'a\u007fb' }],
    ['101 characters', { name: 'n'.repeat(101) }],
    ['101 characters, some beyond ASCII', { name: 'é'.repeat(101) }],
    ['a number', { name: 42 }],
    ['no name', {}],
  ];
  for (const [what, body] of bad) {
    const r = await request('/api/v1/tokens', { method: 'POST', headers: bearer(token), json: body });
    const e = assertError(r, 400, 'invalid_request', what);
    assert.equal(e.field, 'name', what);
  }
  // NUL, or bytes that are not UTF-8, never make it to the validator.
  for (const [what, body, type] of [
    ['a JSON name with NUL', '{"name":"a\\u0000b"}', 'application/json'],
    ['a form name with NUL', 'name=a%00b', 'application/x-www-form-urlencoded'],
    ['a form name that is not UTF-8', 'name=%C3%28', 'application/x-www-form-urlencoded'],
  ]) {
    const r = await request('/api/v1/tokens', { method: 'POST', headers: { ...bearer(token), 'Content-Type': type }, body });
    assert.equal(r.status, 400, `${what}: ${r.text}`);
    assert.ok(['invalid_request', 'malformed_request'].includes(r.json.error.code), what);
  }
  const names = (await request('/api/v1/tokens', { headers: bearer(token) })).json.tokens.map((t) => t.name);
  assert.deepEqual(names, ['ostiumctl'], 'nothing was made');
  // The limits themselves are fine, in characters, not bytes.
  for (const name of ['n'.repeat(100), 'é'.repeat(100), 'x']) {
    const r = await request('/api/v1/tokens', { method: 'POST', headers: bearer(token), json: { name } });
    assert.equal(r.status, 201, `${name.length} characters: ${r.text.slice(0, 200)}`);
    assert.equal(r.json.name, name);
  }
  // A form body is validated the same way.
  const form = await request('/api/v1/tokens', { method: 'POST', headers: bearer(token), form: { name: '' } });
  assert.equal(assertError(form, 400, 'invalid_request', 'empty name as a form').field, 'name');
  const formOk = await request('/api/v1/tokens', { method: 'POST', headers: bearer(token), form: { name: 'from a form' } });
  assert.equal(formOk.status, 201);
});

// Runs ostiumctl ARGS (through testctl) where \xHH in an argument is that
// byte, as a terminal in another encoding would pass it; resolves with
// { code, stdout, stderr }.
function ctlWithBytes(...args) {
  const script = 'a=(); for x; do a+=("$(printf %b "$x")"); done; exec "$OSTIUM_TESTCTL" ctl "${a[@]}"';
  return new Promise((resolve) => {
    execFile('bash', ['-c', script, 'ctl', ...args], { timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? err.code : 0, stdout, stderr });
    });
  });
}

test('ostiumctl refuses an email or a token name that is not UTF-8, saying so, and takes the largest valid ones whole', async () => {
  const { email } = await createAdmin();
  const tag = randomHex(6);
  for (const [what, args] of [
    ['an email in Latin-1', ['create-admin', `caf\\xe9-${tag}@example.org`]],
    ['a token name in Latin-1', ['create-token', email, 'caf\\xe9']],
    ['a token name with a cut sequence', ['create-token', email, 'key \\xf0\\x9f\\x94']],
  ]) {
    const r = await ctlWithBytes(...args);
    assert.notEqual(r.code, 0, `${what}: ${r.stdout}`);
    assert.match(r.stderr, /UTF-8/, what);
    assert.doesNotMatch(r.stderr, /database/i, what);
  }
  assert.deepEqual(await sql(`SELECT id FROM users WHERE email LIKE '%${tag}@example.org'`), [], 'no person was made');
  const [[uid]] = await sql(`SELECT id FROM users WHERE email = ${sqlString(email)}`);
  assert.deepEqual(await sql(`SELECT name FROM api_tokens WHERE user_id = ${Number(uid)}`), [], 'no token was made');

  // 254 bytes of email and 100 characters of name, in four-byte characters.
  const wideEmail = `${tag}${'\u{1F4E7}'.repeat(57)}xx@example.org`;
  assert.equal(Buffer.byteLength(wideEmail), 254);
  const admin = await createAdmin(wideEmail);
  const name = '\u{1F511}'.repeat(100);
  const made = await testctl('ctl', 'create-token', admin.email, name);
  const token = /^token: (\S+)$/m.exec(made)[1];
  const listed = await request('/api/v1/tokens', { headers: bearer(token) });
  assert.ok(listed.json.tokens.some((t) => t.name === name), 'the name reads back whole');
  const me = await request('/api/v1/me', { headers: bearer(token) });
  assert.ok(me.json.email === wideEmail, 'the email reads back whole');
});

test('DELETE /api/v1/tokens/{id} revokes: 204, then the token is refused, then 404', async () => {
  const { token } = await adminWithToken();
  const made = await request('/api/v1/tokens', { method: 'POST', headers: bearer(token), json: { name: 'to revoke' } });
  assert.equal(made.status, 201);
  const { id, token: doomed } = made.json;
  assert.equal((await request('/api/v1/me', { headers: bearer(doomed) })).status, 200);

  const r = await request(`/api/v1/tokens/${id}`, { method: 'DELETE', headers: bearer(token) });
  assert.equal(r.status, 204, r.text);
  assert.equal(r.text, '');
  assertCommonHeaders(r, 'DELETE');
  assertUnauthorized(await request('/api/v1/me', { headers: bearer(doomed) }), true, 'a revoked token');

  const list = await request('/api/v1/tokens', { headers: bearer(token) });
  const entry = list.json.tokens.find((t) => t.id === id);
  assert.ok(entry, 'a revoked token stays listed');
  assert.match(entry.revoked_at || '', /^\d{4}-\d\d-\d\dT/, 'with revoked_at');

  assertError(await request(`/api/v1/tokens/${id}`, { method: 'DELETE', headers: bearer(token) }), 404, 'not_found', 'again');
  assertError(await request('/api/v1/tokens/999999999', { method: 'DELETE', headers: bearer(token) }), 404, 'not_found', 'unknown id');
  // A token may revoke itself; then it is refused.
  const [[selfId]] = await sql(`SELECT id FROM api_tokens WHERE hash = UNHEX(${sqlString(sha256Hex(token))})`);
  assert.equal((await request(`/api/v1/tokens/${selfId}`, { method: 'DELETE', headers: bearer(token) })).status, 204);
  assertUnauthorized(await request('/api/v1/tokens', { headers: bearer(token) }), true, 'after revoking itself');
});

test('an administrator cannot revoke another administrator\'s token', async () => {
  const a = await adminWithToken();
  const b = await adminWithToken();
  const [[bId]] = await sql(`SELECT id FROM api_tokens WHERE hash = UNHEX(${sqlString(sha256Hex(b.token))})`);
  const r = await request(`/api/v1/tokens/${bId}`, { method: 'DELETE', headers: bearer(a.token) });
  assertError(r, 404, 'not_found', 'another\'s token');
  assert.equal((await request('/api/v1/me', { headers: bearer(b.token) })).status, 200, 'B\'s token still works');
});

test('the request log names requests without their secrets', async () => {
  const { email, password, token } = await adminWithToken();
  const { jar, csrf } = await signIn(email, password);
  const made = await request('/api/v1/tokens', { method: 'POST', headers: bearer(token), json: { name: 'log' } });
  assert.equal(made.status, 201);
  const marker = crypto.randomBytes(16).toString('hex');
  // A secret sent in the query string is not logged either.
  const r = await request(`/api/v1/me?access_token=${marker}`, { headers: bearer(made.json.token) });
  assert.equal(r.status, 200);
  const id = r.headers.get('x-request-id');
  const logFile = ostiumLogFile();
  // The line may take a moment to reach the file.
  let log = '';
  for (let i = 0; i < 50 && !log.includes(id); i++) {
    log = fs.readFileSync(logFile, 'utf8');
    if (!log.includes(id)) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const line = log.split('\n').find((l) => l.includes(id));
  assert.ok(line, `no log line with request id ${id}`);
  assert.match(line, /GET \/api\/v1\/me 200 /);
  for (const secret of [password, token, made.json.token, jar.get('ostium_session'), csrf, marker]) {
    assert.ok(!log.includes(secret), 'the log holds a secret');
  }
});
