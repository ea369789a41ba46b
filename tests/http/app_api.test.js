// app_api.test.js - the application API's authentication (issue 4,
// "Application API authentication"): Basic public_id:private_api_key, the
// company as group_id, https, throttling, allowed_ips, capabilities, a
// rotated key inside and after its grace period, CORS and preflight; and
// GET /api/v1/app/me, GET /api/v1/app/company.
//
// Every call from an "application" comes through the test server's trusted
// proxy rule (127.0.0.1) with an address of its own in X-Forwarded-For, so
// one test's failures throttle no other, and with X-Forwarded-Proto: https
// unless the test is about the scheme.
'use strict';

const { test, before } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const {
  request,
  assertError,
  assertCommonHeaders,
  assertNoSecrets,
  createAdmin,
  createToken,
  configValue,
  parseXml,
  randomAddress,
  randomHex,
  sql,
  sleep,
} = require('./lib');

let token;

before(async () => {
  const admin = await createAdmin();
  token = await createToken(admin.email);
});

// An administrator's API call (personal token).
function api(path, options = {}) {
  return request(path, {
    ...options,
    headers: { Authorization: `Bearer ${token}`, Accept: 'application/json', ...(options.headers || {}) },
  });
}

const unique = () => randomHex(5);

// A new company; resolves with its row.
async function createCompany() {
  const u = unique();
  const r = await api('/api/v1/companies', { method: 'POST', json: { name: `Company ${u}`, slug: `co-${u}` } });
  assert.equal(r.status, 201, r.text);
  return r.json;
}

// The server's pepper (what key hashes are made with), for the SQL fallbacks.
function pepper() {
  const hex = fs.readFileSync(configValue('pepper_file'), 'utf8').trim();
  assert.match(hex, /^[0-9a-f]{64}$/i);
  return Buffer.from(hex, 'hex');
}

function keyHash(key) {
  return crypto.createHmac('sha256', pepper()).update(key).digest('hex');
}

// A SQL literal for any text (as hex, so no quoting is involved).
const sqlText = (s) => (s === null || s === undefined ? 'NULL' : `X'${Buffer.from(String(s)).toString('hex')}'`);

// A new application with FIELDS; resolves with { id, public_id,
// private_api_key, ...sheet }. Through POST /api/v1/apps; the SQL branch
// only serves while that route has not landed.
async function createApp(fields = {}) {
  const body = { name: `App ${unique()}`, ...fields };
  const r = await api('/api/v1/apps', { method: 'POST', json: body });
  if (r.status !== 404 && r.status !== 405) {
    assert.equal(r.status, 201, r.text);
    assert.match(r.json.public_id, /^[0-9a-f]{26}$/);
    assert.match(r.json.private_api_key, /^[A-Za-z0-9_-]{43}$/);
    return r.json;
  }
  const publicId = randomHex(13);
  const key = crypto.randomBytes(32).toString('base64url');
  const cols = { name: body.name, public_id: publicId };
  for (const k of ['description', 'domain']) if (k in body) cols[k] = body[k];
  for (const k of ['permissions', 'capabilities', 'properties', 'allowed_ips', 'allowed_origins', 'display']) {
    if (k in body) cols[k] = JSON.stringify(body[k]);
  }
  const names = Object.keys(cols);
  await sql(
    `INSERT INTO apps (${names.join(', ')}, key_hash) VALUES (${names.map((k) => sqlText(cols[k])).join(', ')}, ` +
      `UNHEX('${keyHash(key)}'))`,
  );
  const [[id]] = await sql(`SELECT id FROM apps WHERE public_id = '${publicId}'`);
  return { ...body, id: Number(id), public_id: publicId, private_api_key: key };
}

// Installs APP into COMPANY (POST /api/v1/companies/{id}/apps/{app_id}).
async function install(company, app) {
  const r = await api(`/api/v1/companies/${company.id}/apps/${app.id}`, { method: 'POST' });
  assert.equal(r.status, 201, r.text);
}

// A new application installed in a new company: { app, company }.
async function installedApp(fields = {}) {
  const [app, company] = await Promise.all([createApp(fields), createCompany()]);
  await install(company, app);
  return { app, company };
}

// Rotates APP's key keeping the old one GRACE seconds; resolves with the new key.
async function rotate(app, grace) {
  // a rotation is made against the version last read
  const { version } = (await api(`/api/v1/apps/${app.id}`)).json;
  const r = await api(`/api/v1/apps/${app.id}/rotate-key`, { method: 'POST', json: { grace_seconds: grace, version } });
  if (r.status !== 404 && r.status !== 405) {
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.public_id, app.public_id);
    return r.json.private_api_key;
  }
  const key = crypto.randomBytes(32).toString('base64url');
  await sql(
    `UPDATE apps SET previous_key_hash = key_hash, previous_key_expires_at = UTC_TIMESTAMP() + INTERVAL ${grace} SECOND, ` +
      `key_hash = UNHEX('${keyHash(key)}') WHERE id = ${app.id}`,
  );
  return key;
}

const basic = (publicId, key) => `Basic ${Buffer.from(`${publicId}:${key}`).toString('base64')}`;

// An application API call. OPTIONS: app ({public_id, private_api_key}),
// key (instead of the app's), authorization (the whole header), group
// (query group_id), groupHeader (X-Group-Id), address (X-Forwarded-For;
// a fresh one by default), proto (X-Forwarded-Proto, "https" by default;
// null for none), origin, method, headers, accept.
function appCall(path, o = {}) {
  const headers = { Accept: o.accept || 'application/json', ...(o.headers || {}) };
  if (o.authorization !== undefined) {
    if (o.authorization !== null) headers.Authorization = o.authorization;
  } else if (o.app) {
    headers.Authorization = basic(o.app.public_id, o.key ?? o.app.private_api_key);
  }
  if (o.proto !== null) headers['X-Forwarded-Proto'] = o.proto || 'https';
  if (o.groupHeader !== undefined) headers['X-Group-Id'] = String(o.groupHeader);
  if (o.origin) headers.Origin = o.origin;
  const q = o.group !== undefined ? `${path.includes('?') ? '&' : '?'}group_id=${encodeURIComponent(o.group)}` : '';
  return request(path + q, {
    method: o.method || 'GET',
    headers,
    address: o.address === null ? undefined : o.address || randomAddress(),
  });
}

// Asserts R is the one 401 answer of the application API.
function assertAppUnauthorized(r, what) {
  const e = assertError(r, 401, 'unauthorized', what);
  assert.match(r.headers.get('www-authenticate') || '', /^Basic realm="ostium"/, `${what}: WWW-Authenticate`);
  assert.equal(r.headers.get('access-control-allow-origin'), null, `${what}: no CORS on 401`);
  return e;
}

// ---------------------------------------------------------------------
// The identity sheet

test('GET /api/v1/app/me answers the identity sheet for its company, in JSON and XML, without key hashes', async () => {
  const fields = {
    description: 'Reads things',
    permissions: ['SEND_MESSAGES', 'CUSTOM_ONE'],
    capabilities: { read: ['users'], write: [] },
    properties: { theme: 'dark', size: 3, nested: { on: true } },
    display: { chat_button: true, label: 'Ask me' },
    domain: `https://me-${unique()}.example.org`,
  };
  const { app, company } = await installedApp(fields);
  const r = await appCall('/api/v1/app/me', { app, group: company.id });
  assert.equal(r.status, 200, r.text);
  assertCommonHeaders(r, 'app/me');
  const me = r.json;
  assert.deepEqual(Object.keys(me).sort(), [
    'app_group_id', 'authenticator', 'capabilities', 'description', 'display', 'domain', 'group_id',
    'icon_url', 'id', 'name', 'permissions', 'project_id', 'properties', 'public_id', 'suite_id',
  ]);
  assert.equal(me.id, app.id);
  assert.equal(me.name, app.name);
  assert.equal(me.public_id, app.public_id);
  assert.equal(me.group_id, company.id);
  assert.equal(me.description, fields.description);
  assert.deepEqual(me.permissions, fields.permissions);
  assert.deepEqual(me.capabilities, fields.capabilities);
  assert.deepEqual(me.properties, fields.properties);
  assert.equal(me.domain, fields.domain);
  assert.deepEqual(me.display, fields.display);
  assert.equal(me.authenticator, 'authorization_code_pkce');
  assert.equal(me.icon_url, null);
  assert.equal(me.suite_id, null);
  assertNoSecrets(r, [app.private_api_key, keyHash(app.private_api_key)], 'app/me');
  assert.ok(!/key_hash/i.test(r.text), 'no key hash named in the answer');

  // the company by header instead of the query; XML gives the same tree
  const x = await appCall('/api/v1/app/me', { app, groupHeader: company.id, accept: 'application/xml' });
  assert.equal(x.status, 200, x.text);
  assert.match(x.headers.get('content-type'), /^application\/xml/);
  assert.deepEqual(parseXml(x.text), me);
});

test('GET /api/v1/app/me answers HEAD and refuses other methods', async () => {
  const { app, company } = await installedApp();
  const h = await appCall('/api/v1/app/me', { app, group: company.id, method: 'HEAD' });
  assert.equal(h.status, 200);
  assert.equal(h.text, '');
  const p = await appCall('/api/v1/app/me', { app, group: company.id, method: 'POST' });
  assertError(p, 405, 'method_not_allowed');
  assert.equal(p.headers.get('allow'), 'GET, HEAD');
});

// ---------------------------------------------------------------------
// https

test('plain http is refused with 403 unless the client is on loopback in development mode', async () => {
  const { app, company } = await installedApp();
  // forwarded for another address without https: refused, even in development mode
  for (const proto of [null, 'http']) {
    const r = await appCall('/api/v1/app/me', { app, group: company.id, proto });
    const e = assertError(r, 403, 'forbidden', `proto ${proto}`);
    assert.match(e.message, /https/);
  }
  // the same address saying https (through the trusted proxy): admitted
  const ok = await appCall('/api/v1/app/me', { app, group: company.id, proto: 'https' });
  assert.equal(ok.status, 200, ok.text);
  // a loopback client (the test server runs in development mode): admitted
  const local = await appCall('/api/v1/app/me', { app, group: company.id, proto: null, address: null });
  assert.equal(local.status, 200, local.text);
});

// ---------------------------------------------------------------------
// Credentials

test('wrong or missing credentials: 401 with WWW-Authenticate Basic and one answer for all', async () => {
  const { app, company } = await installedApp();
  const other = await createApp();
  const unknownId = randomHex(13);
  const b64 = (s) => `Basic ${Buffer.from(s).toString('base64')}`;
  const cases = {
    'no Authorization': { authorization: null },
    'Basic without base64': { authorization: 'Basic !!!not-base64!!!' },
    'Basic without a colon': { authorization: b64(app.public_id + app.private_api_key) },
    'Basic with an empty key': { authorization: b64(`${app.public_id}:`) },
    'an empty Basic': { authorization: 'Basic ' },
    'the wrong key': { app, key: crypto.randomBytes(32).toString('base64url') },
    'the key with a character changed': {
      app, key: app.private_api_key.slice(0, -1) + (app.private_api_key.endsWith('A') ? 'B' : 'A'),
    },
    'the key with a suffix': { app, key: `${app.private_api_key}x` },
    'another application\'s key': { app, key: other.private_api_key },
    'an unknown public id': { authorization: basic(unknownId, app.private_api_key) },
    'the public id in upper case': { authorization: basic(app.public_id.toUpperCase(), app.private_api_key) },
    'the key as public id': { authorization: basic(app.private_api_key, app.public_id) },
    'a hex-encoded key hash': { app, key: keyHash(app.private_api_key) },
  };
  // a bearer token that is no client_credentials token of the
  // authorization server (here an administrator's personal token): the
  // challenge of RFC 6750 (issue 10)
  const bearer = await appCall('/api/v1/app/me', { group: company.id, authorization: `Bearer ${token}` });
  assertError(bearer, 401, 'unauthorized', 'a bearer token');
  assert.equal(bearer.headers.get('www-authenticate'), 'Bearer realm="ostium", error="invalid_token"');
  let first;
  for (const [what, o] of Object.entries(cases)) {
    const r = await appCall('/api/v1/app/me', { group: company.id, ...o });
    const e = assertAppUnauthorized(r, what);
    first ??= e;
    assert.deepEqual(e, first, `${what}: the same answer`);
    assert.equal(r.headers.get('www-authenticate'), 'Basic realm="ostium", charset="UTF-8"');
    assertNoSecrets(r, [app.private_api_key], what);
  }
  // and the right one still works
  const ok = await appCall('/api/v1/app/me', { app, group: company.id });
  assert.equal(ok.status, 200, ok.text);
});

test('an unknown public id answers in about the time of a known one', async () => {
  const { app, company } = await installedApp();
  const wrongKey = crypto.randomBytes(32).toString('base64url');
  const address = randomAddress();
  const known = [];
  const unknown = [];
  const time = async (publicId) => {
    const t0 = process.hrtime.bigint();
    const r = await appCall('/api/v1/app/me', { authorization: basic(publicId, wrongKey), group: company.id, address });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    assertAppUnauthorized(r, publicId);
    return ms;
  };
  // interleaved, fewer than either throttle allows (20 per public id, throttle_address per address)
  for (let i = 0; i < 12; i++) {
    known.push(await time(app.public_id));
    unknown.push(await time(randomHex(13)));
  }
  const median = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
  const ratio = median(unknown) / median(known);
  assert.ok(ratio > 1 / 3 && ratio < 3, `median unknown ${median(unknown)} ms vs known ${median(known)} ms`);
});

test('a rotated key stays valid during its grace period and not after it', async () => {
  const { app, company } = await installedApp();
  const key1 = app.private_api_key;
  const call = (key) => appCall('/api/v1/app/me', { app, key, group: company.id });

  const key2 = await rotate(app, 3600);
  assert.notEqual(key2, key1);
  assert.equal((await call(key2)).status, 200, 'the new key');
  assert.equal((await call(key1)).status, 200, 'the old key within its grace period');

  // a rotation without grace ends the old key at once; the one before it is gone too
  const key3 = await rotate(app, 0);
  assert.equal((await call(key3)).status, 200, 'the newest key');
  assertAppUnauthorized(await call(key2), 'the previous key without grace');
  assertAppUnauthorized(await call(key1), 'the key two rotations ago');

  // a short grace period runs out
  const key4 = await rotate(app, 2);
  assert.equal((await call(key3)).status, 200, 'the previous key within 2 s');
  await sleep(3200);
  assertAppUnauthorized(await call(key3), 'the previous key after its grace period');
  assert.equal((await call(key4)).status, 200, 'the current key');
});

// ---------------------------------------------------------------------
// Throttling

const idBucket = (app) => `app:${app.public_id}`;

test('repeated failures for one public id are throttled from any address; its right key still works', async () => {
  const { app, company } = await installedApp();
  const limit = 20; // APP_AUTH_ID_FAILURES
  for (let i = 0; i < limit; i++) {
    const r = await appCall('/api/v1/app/me', { app, key: `wrong-${i}`, group: company.id });
    assertAppUnauthorized(r, `failure ${i + 1}`);
  }
  const [[failures]] = await sql(`SELECT failures FROM throttle WHERE bucket = '${idBucket(app)}'`);
  assert.equal(failures, String(limit));
  for (const key of ['wrong-again', crypto.randomBytes(32).toString('base64url')]) {
    const r = await appCall('/api/v1/app/me', { app, key, group: company.id });
    assertError(r, 429, 'too_many_requests', 'a wrong key once throttled');
    const retry = Number(r.headers.get('retry-after'));
    assert.ok(Number.isInteger(retry) && retry > 0, `Retry-After ${r.headers.get('retry-after')}`);
    assert.equal(r.headers.get('www-authenticate'), null);
  }
  // refused attempts are not counted further: the window ends on time
  const [[after]] = await sql(`SELECT failures FROM throttle WHERE bucket = '${idBucket(app)}'`);
  assert.equal(after, String(limit));
  // the right key is never refused, so whoever knows a public id cannot lock its application out
  assert.equal((await appCall('/api/v1/app/me', { app, group: company.id })).status, 200);
  // another application is not affected
  const other = await installedApp();
  assertAppUnauthorized(
    await appCall('/api/v1/app/me', { app: other.app, key: 'nope', group: other.company.id }),
    'another application\'s failure',
  );
  // once the window is over (here: the counter removed), failures are 401 again
  await sql(`DELETE FROM throttle WHERE bucket = '${idBucket(app)}'`);
  assertAppUnauthorized(await appCall('/api/v1/app/me', { app, key: 'nope', group: company.id }), 'after the window');
});

test('repeated failures from one address are throttled for every application', async () => {
  const { app, company } = await installedApp();
  const limit = Number(configValue('throttle_address', '30'));
  const address = randomAddress();
  for (let i = 0; i < limit; i++) {
    // unknown public ids, missing headers: every failure counts for the address
    const o = i % 2 ? { authorization: basic(randomHex(13), 'x') } : { authorization: null };
    assertAppUnauthorized(await appCall('/api/v1/app/me', { ...o, group: company.id, address }), `failure ${i + 1}`);
  }
  for (const o of [{ app, key: 'nope' }, { authorization: basic(randomHex(13), 'x') }, { authorization: null }]) {
    const r = await appCall('/api/v1/app/me', { ...o, group: company.id, address });
    assertError(r, 429, 'too_many_requests', 'a failure from a throttled address');
    assert.ok(Number(r.headers.get('retry-after')) > 0);
  }
  // the same application's failure from another address is a plain 401
  assertAppUnauthorized(await appCall('/api/v1/app/me', { app, key: 'nope', group: company.id }), 'elsewhere');
  // a right key from the throttled address is admitted
  assert.equal((await appCall('/api/v1/app/me', { app, group: company.id, address })).status, 200);
  // the console's sign-in throttle is another bucket
  const [[n]] = await sql(`SELECT COUNT(*) FROM throttle WHERE bucket = 'address:${address}'`);
  assert.equal(n, '0');
});

// ---------------------------------------------------------------------
// The company

test('group_id missing or malformed: 400 naming group_id, after the credentials', async () => {
  const { app, company } = await installedApp();
  const missing = await appCall('/api/v1/app/me', { app });
  const e = assertError(missing, 400, 'invalid_request');
  assert.equal(e.field, 'group_id');
  for (const bad of ['', 'abc', '0', '-1', '1.5', '12345678901234567890', ' 1', company.slug]) {
    const r = await appCall('/api/v1/app/me', { app, group: bad });
    assert.equal(assertError(r, 400, 'invalid_request', `group_id=${JSON.stringify(bad)}`).field, 'group_id');
  }
  const h = await appCall('/api/v1/app/me', { app, groupHeader: 'x1' });
  assert.equal(assertError(h, 400, 'invalid_request', 'X-Group-Id: x1').field, 'group_id');
  // bad credentials are answered first: nothing is said about the company
  assertAppUnauthorized(await appCall('/api/v1/app/me', { app, key: 'nope' }), 'bad key, no group');
});

test('an application not installed in the company is refused with 403', async () => {
  const { app, company } = await installedApp();
  const other = await createCompany();
  const r = await appCall('/api/v1/app/me', { app, group: other.id });
  const e = assertError(r, 403, 'forbidden', 'another company');
  assert.equal(e.field, 'group_id');
  const none = await appCall('/api/v1/app/me', { app, group: '999999999999' });
  assert.equal(assertError(none, 403, 'forbidden', 'no such company').field, 'group_id');
  // installed there: admitted; uninstalled: refused again
  await install(other, app);
  const ok = await appCall('/api/v1/app/me', { app, group: other.id });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.json.group_id, other.id);
  const del = await api(`/api/v1/companies/${other.id}/apps/${app.id}`, { method: 'DELETE' });
  assert.equal(del.status, 204, del.text);
  assertError(await appCall('/api/v1/app/me', { app, group: other.id }), 403, 'forbidden', 'uninstalled');
  assert.equal((await appCall('/api/v1/app/me', { app, group: company.id })).status, 200);
});

// ---------------------------------------------------------------------
// Addresses

test('the caller\'s address must be within allowed_ips (IPv4, IPv6, CIDR)', async () => {
  const { app, company } = await installedApp({
    allowed_ips: ['203.0.113.0/24', '198.51.100.7', '2001:db8:aaaa::/48', '2001:db8:1::1'],
  });
  const cases = [
    ['203.0.113.9', 200],
    ['203.0.113.255', 200],
    ['203.0.114.1', 403],
    ['198.51.100.7', 200],
    ['198.51.100.8', 403],
    ['::ffff:203.0.113.10', 200],
    ['2001:db8:aaaa:1::5', 200],
    ['2001:db8:aaab::5', 403],
    ['2001:db8:1::1', 200],
    ['2001:db8:1::2', 403],
  ];
  for (const [address, status] of cases) {
    const r = await appCall('/api/v1/app/me', { app, group: company.id, address });
    if (status === 200) assert.equal(r.status, 200, `${address}: ${r.text}`);
    else assert.match(assertError(r, 403, 'forbidden', address).message, /allowed_ips/);
  }
  // a loopback client is not in the list either
  const local = await appCall('/api/v1/app/me', { app, group: company.id, address: null, proto: null });
  assertError(local, 403, 'forbidden', 'loopback');
  // an empty list allows any address
  const open = await installedApp({ allowed_ips: [] });
  assert.equal((await appCall('/api/v1/app/me', { app: open.app, group: open.company.id })).status, 200);
});

// ---------------------------------------------------------------------
// Capabilities

test('a call needing a capability the application lacks is refused with 403 naming it', async () => {
  const { app, company } = await installedApp({ capabilities: { read: ['users'], write: ['companies'] } });
  const r = await appCall('/api/v1/app/company', { app, group: company.id });
  const e = assertError(r, 403, 'forbidden');
  assert.match(e.message, /read:companies/);

  const allowed = await installedApp({ capabilities: { read: ['companies'], write: [] } });
  const ok = await appCall('/api/v1/app/company', { app: allowed.app, group: allowed.company.id });
  assert.equal(ok.status, 200, ok.text);
  assert.deepEqual(ok.json, { id: allowed.company.id, name: allowed.company.name, slug: allowed.company.slug });
  // /api/v1/app/me needs nothing
  assert.equal((await appCall('/api/v1/app/me', { app, group: company.id })).status, 200);
  // the capability does not open other companies
  const other = await createCompany();
  assertError(await appCall('/api/v1/app/company', { app: allowed.app, group: other.id }), 403, 'forbidden');
});

// ---------------------------------------------------------------------
// CORS

test('CORS: the application\'s domain and allowed origins get Access-Control-Allow-Origin, others nothing', async () => {
  const u = unique();
  const domain = `https://cors-${u}.example.org`;
  const listed = `https://listed-${u}.example.org`;
  const { app, company } = await installedApp({ domain, allowed_origins: [listed] });
  for (const origin of [domain, listed]) {
    const r = await appCall('/api/v1/app/me', { app, group: company.id, origin });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.headers.get('access-control-allow-origin'), origin, origin);
    assert.match(r.headers.get('vary') || '', /Origin/);
  }
  for (const origin of [`https://evil-${u}.example.org`, `http://cors-${u}.example.org`, `${domain}:8443`, 'null']) {
    const r = await appCall('/api/v1/app/me', { app, group: company.id, origin });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.headers.get('access-control-allow-origin'), null, origin);
  }
  // the answer to a known application's refused call carries it too (the browser may read why)
  const other = await createCompany();
  const refused = await appCall('/api/v1/app/me', { app, group: other.id, origin: domain });
  assertError(refused, 403, 'forbidden');
  assert.equal(refused.headers.get('access-control-allow-origin'), domain);
  // a failed authentication does not
  const bad = await appCall('/api/v1/app/me', { app, key: 'nope', group: company.id, origin: domain });
  assertAppUnauthorized(bad, 'bad key with a good origin');
});

test('CORS: allowed_origins "*" lets any origin read', async () => {
  const { app, company } = await installedApp({ allowed_origins: ['*'] });
  try {
    const origin = `https://any-${unique()}.example.net`;
    const r = await appCall('/api/v1/app/me', { app, group: company.id, origin });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.headers.get('access-control-allow-origin'), origin);
  } finally {
    // "*" makes every origin known to preflights: leave no such application behind
    await sql(`UPDATE apps SET allowed_origins = '[]' WHERE id = ${app.id}`);
  }
});

test('CORS preflight: 204 with methods, headers and Max-Age for an application\'s origin; a bare 204 otherwise', async () => {
  const u = unique();
  const domain = `https://pre-${u}.example.org`;
  const listed = `https://pre-listed-${u}.example.org`;
  await createApp({ domain, allowed_origins: [listed] });
  const preflight = (path, origin) =>
    request(path, {
      method: 'OPTIONS',
      headers: {
        Origin: origin,
        'Access-Control-Request-Method': 'GET',
        'Access-Control-Request-Headers': 'authorization, x-group-id',
      },
    });
  for (const origin of [domain, listed]) {
    const r = await preflight('/api/v1/app/me', origin);
    assert.equal(r.status, 204, r.text);
    assert.equal(r.text, '');
    assert.equal(r.headers.get('access-control-allow-origin'), origin);
    assert.match(r.headers.get('vary') || '', /Origin/);
    assert.match(r.headers.get('access-control-allow-methods') || '', /\bGET\b/);
    const allowHeaders = (r.headers.get('access-control-allow-headers') || '').toLowerCase();
    for (const h of ['authorization', 'x-group-id', 'content-type']) assert.ok(allowHeaders.includes(h), h);
    assert.ok(Number(r.headers.get('access-control-max-age')) > 0);
  }
  const company = await preflight('/api/v1/app/company', domain);
  assert.equal(company.status, 204);
  assert.equal(company.headers.get('access-control-allow-origin'), domain);

  // an origin no application has: answered, without CORS headers
  const [[stars]] = await sql(`SELECT COUNT(*) FROM apps WHERE JSON_CONTAINS(allowed_origins, '"*"')`);
  const stranger = await preflight('/api/v1/app/me', `https://stranger-${u}.example.org`);
  assert.equal(stranger.status, 204);
  if (stars === '0') {
    for (const h of ['access-control-allow-origin', 'access-control-allow-methods', 'access-control-allow-headers']) {
      assert.equal(stranger.headers.get(h), null, h);
    }
  }
  // outside the application API, OPTIONS is what it was
  const elsewhere = await preflight('/api/v1/me', domain);
  assertError(elsewhere, 405, 'method_not_allowed');
  assert.equal(elsewhere.headers.get('access-control-allow-origin'), null);
  assertError(await preflight('/api/v1/app/nope', domain), 404, 'not_found');
});
