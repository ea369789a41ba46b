// apps_keys.test.js - an application's keys and credentials: RSA public
// keys and certificates parsed (RSA, 2048 bits or more), the public id and
// private API key made at creation (stored as HMAC-SHA256 with the pepper,
// shown once), and key rotation with a grace period.
'use strict';

const { test, before } = require('node:test');
const assert = require('node:assert/strict');
const { request, assertError, assertNoSecrets, sql, randomHex } = require('./lib');
const { admin, makeKeys, createApp, auditRows, countNamed, keyHash } = require('./apps_fixtures');

let keys;
let writer;
before(async () => {
  keys = makeKeys();
  writer = await admin();
});

// The stored hashes of application ID, in upper-case hex (null when none),
// and the seconds until the previous one expires.
async function storedKeys(id) {
  const [[current, previous, left]] = await sql(`SELECT HEX(key_hash), COALESCE(HEX(previous_key_hash), 'NULL'), COALESCE(TIMESTAMPDIFF(SECOND, UTC_TIMESTAMP(), previous_key_expires_at), 'NULL') FROM apps WHERE id = ${Number(id)}`);
  return { current, previous: previous === 'NULL' ? null : previous, left: left === 'NULL' ? null : Number(left) };
}

test('RSA public keys of 2048 bits and RSA certificates are accepted and kept as sent', async () => {
  const a = await createApp(writer, { name: `keys-${randomHex(5)}`, public_key_current: keys.rsa2048, public_key_previous: keys.rsa2048 });
  assert.equal(a.public_key_current, keys.rsa2048);
  const b = await createApp(writer, { name: `cert-${randomHex(5)}`, certificate: keys.cert2048 });
  assert.equal(b.certificate, keys.cert2048);
  const crlf = await createApp(writer, { name: `crlf-${randomHex(5)}`, public_key_current: keys.rsa2048.replace(/\n/g, '\r\n') });
  assert.ok(crlf.public_key_current.includes('\r\n'), 'a key pasted with CRLF line ends is read too');
  // rotating the public keys is an ordinary update
  const r = await request(`/api/v1/apps/${a.id}`, {
    method: 'PATCH', headers: writer.headers, json: { version: 1, public_key_previous: null, public_key_current: keys.rsa2048 },
  });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.public_key_previous, null);
});

test('keys that are short, not RSA or not PEM, and a certificate beside a key, are refused', async () => {
  const cases = [
    ['1024-bit current key', { public_key_current: keys.rsa1024 }, 'public_key_current', /1024-bit/],
    ['1024-bit previous key', { public_key_previous: keys.rsa1024 }, 'public_key_previous', /1024-bit/],
    ['EC key', { public_key_current: keys.ec }, 'public_key_current', /not RSA/],
    ['garbage key', { public_key_current: '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n' }, 'public_key_current', /PEM/],
    ['a certificate as a key', { public_key_current: keys.cert2048 }, 'public_key_current', /PEM public key/],
    ['an EC key as a certificate', { certificate: keys.ec }, 'certificate', /not RSA/],
    ['1024-bit certificate', { certificate: keys.cert1024 }, 'certificate', /1024-bit/],
    ['empty certificate', { certificate: '' }, 'certificate', /PEM/],
    ['certificate and key', { certificate: keys.cert2048, public_key_current: keys.rsa2048 }, 'certificate', /not both/],
  ];
  for (const [what, fields, field, message] of cases) {
    const name = `badkey-${randomHex(6)}`;
    const r = await request('/api/v1/apps', { method: 'POST', headers: writer.headers, json: { name, ...fields } });
    const e = assertError(r, 400, 'invalid_request', what);
    assert.equal(e.field, field, `${what}: ${e.message}`);
    assert.match(e.message, message, what);
    const body = String(fields[field]).split(/\r?\n/)[1];
    if (body) assert.ok(!e.message.includes(body), `${what}: the message does not quote the PEM`);
    assert.equal(await countNamed(name), 0, `${what}: nothing written`);
  }
});

test('the private API key is shown once at creation and stored only as HMAC-SHA256 with the pepper', async () => {
  const app = await createApp(writer, { name: `cred-${randomHex(5)}` });
  const key = app.private_api_key;
  assert.match(app.public_id, /^[0-9a-f]{26}$/);
  assert.match(key, /^[A-Za-z0-9_-]{43}$/);
  const stored = await storedKeys(app.id);
  assert.equal(stored.current, keyHash(key), 'key_hash = HMAC-SHA256(pepper, key text)');
  assert.equal(stored.previous, null);

  const other = await createApp(writer, { name: `cred-${randomHex(5)}` });
  assert.notEqual(other.public_id, app.public_id);
  assert.notEqual(other.private_api_key, key);

  const reads = [
    await request(`/api/v1/apps/${app.id}`, { headers: writer.headers }),
    await request(`/api/v1/apps/${app.id}?format=xml`, { headers: writer.headers }),
    await request(`/api/v1/apps?name=${encodeURIComponent(app.name)}`, { headers: writer.headers }),
    await request(`/api/v1/apps/${app.id}`, { method: 'PATCH', headers: writer.headers, json: { version: 1, description: 'x' } }),
  ];
  for (const r of reads) {
    assert.equal(r.status, 200, r.text);
    assertNoSecrets(r, [key, stored.current, stored.current.toLowerCase()], 'a later response');
    assert.ok(r.text.includes(app.public_id), 'the public id is shown');
  }
  const [[dbText]] = await sql(`SELECT CONCAT_WS(' ', name, public_id, properties) FROM apps WHERE id = ${app.id}`);
  assert.ok(!dbText.includes(key), 'the key text is not stored');
  for (const [action, details] of await auditRows(app.id)) {
    assert.ok(!details.includes(key), `${action}: no key in the audit log`);
    assert.ok(!details.toUpperCase().includes(stored.current), `${action}: no key hash in the audit log`);
  }
});

test('rotation shows a new key once, keeps the old one valid for the grace period, and is audited without keys', async () => {
  const app = await createApp(writer, { name: `rot-${randomHex(5)}` });
  const url = `/api/v1/apps/${app.id}/rotate-key`;
  const r = await request(url, { method: 'POST', headers: writer.headers, json: { grace_seconds: 3600, version: 1 } });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(Object.keys(r.json).sort(), ['id', 'previous_key_expires_at', 'private_api_key', 'public_id', 'version']);
  assert.equal(r.json.id, app.id);
  assert.equal(r.json.public_id, app.public_id, 'the public id stays');
  assert.match(r.json.private_api_key, /^[A-Za-z0-9_-]{43}$/);
  assert.notEqual(r.json.private_api_key, app.private_api_key);
  assert.equal(r.json.version, 2);
  const expires = Date.parse(r.json.previous_key_expires_at);
  assert.ok(Math.abs(expires - (Date.now() + 3600_000)) < 120_000, `expiry about an hour ahead: ${r.json.previous_key_expires_at}`);

  const stored = await storedKeys(app.id);
  assert.equal(stored.current, keyHash(r.json.private_api_key), 'the new key is current');
  assert.equal(stored.previous, keyHash(app.private_api_key), 'the old key is the previous one');
  assert.ok(stored.left > 3500 && stored.left <= 3600, `grace left: ${stored.left}`);

  const xml = await request(url, { method: 'POST', headers: { ...writer.headers, Accept: 'application/xml', 'If-Match': '"2"' } });
  assert.equal(xml.status, 200, xml.text);
  assert.match(xml.text, /<private_api_key>[A-Za-z0-9_-]{43}<\/private_api_key>/);
  const newest = /<private_api_key>([^<]+)</.exec(xml.text)[1];
  const again = await storedKeys(app.id);
  assert.equal(again.current, keyHash(newest));
  assert.equal(again.previous, keyHash(r.json.private_api_key), 'the previous key is the one just replaced');
  assert.ok(again.left <= 0 && again.left > -60, `no grace by default: ${again.left}`);

  const got = await request(`/api/v1/apps/${app.id}`, { headers: writer.headers });
  assertNoSecrets(got, [app.private_api_key, r.json.private_api_key, newest], 'GET after rotation');
  assert.equal(got.json.version, 3);
  const audit = await auditRows(app.id);
  assert.deepEqual(audit.map(([a]) => a), ['app.create', 'app.rotate_key', 'app.rotate_key']);
  assert.equal(JSON.parse(audit[1][1]).grace_seconds, 3600);
  for (const [, details] of audit) {
    for (const k of [app.private_api_key, r.json.private_api_key, newest]) assert.ok(!details.includes(k), 'no key in the audit log');
  }
});

test('rotation refuses a bad grace period naming it, changes nothing, and 404s for a missing application', async () => {
  const app = await createApp(writer, { name: `rotbad-${randomHex(5)}` });
  const before = await storedKeys(app.id);
  for (const grace of [-1, 30 * 86400 + 1, 'soon', 1.5, null]) {
    const r = await request(`/api/v1/apps/${app.id}/rotate-key`, { method: 'POST', headers: writer.headers, json: { grace_seconds: grace, version: 1 } });
    assert.equal(assertError(r, 400, 'invalid_request', `grace ${grace}`).field, 'grace_seconds');
  }
  const unknown = await request(`/api/v1/apps/${app.id}/rotate-key`, { method: 'POST', headers: writer.headers, json: { key: 'mine', version: 1 } });
  assert.equal(assertError(unknown, 400, 'invalid_request').field, 'body');
  assert.deepEqual(await storedKeys(app.id), before, 'nothing changed');
  assert.deepEqual((await auditRows(app.id)).map(([a]) => a), ['app.create']);
  const max = await request(`/api/v1/apps/${app.id}/rotate-key`, { method: 'POST', headers: writer.headers, json: { grace_seconds: 30 * 86400, version: 1 } });
  assert.equal(max.status, 200, max.text);
  assertError(await request('/api/v1/apps/999999999/rotate-key', { method: 'POST', headers: writer.headers, json: { version: 1 } }), 404, 'not_found');
  assertError(await request(`/api/v1/apps/${app.id}/rotate-key`, { headers: writer.headers }), 405, 'method_not_allowed');
});
