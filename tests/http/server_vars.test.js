// server_vars.test.js - /api/v1/apps/{id}/server-variables: declared by the
// application, filled by an administrator; secret values are sealed with
// AES-256-GCM and never returned, shown or audited.
'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const {
  request, assertError, assertNoSecrets, sql, createAdmin, createToken, randomHex, parseXml,
} = require('./lib');

async function setup() {
  const admin = await createAdmin();
  const headers = { Authorization: `Bearer ${await createToken(admin.email)}` };
  const r = await request('/api/v1/apps', { method: 'POST', headers, json: { name: `vars-${randomHex(4)}` } });
  assert.equal(r.status, 201, r.text);
  return { headers, app: r.json.id, base: `/api/v1/apps/${r.json.id}/server-variables` };
}

test('a plain variable is declared, filled, read, changed and removed', async () => {
  const { headers, base } = await setup();
  const d = await request(base, { method: 'POST', headers, json: { name: 'API_URL', description: 'where', is_required: true } });
  assert.equal(d.status, 201, d.text);
  assert.equal(d.json.is_set, false);
  assert.equal(d.json.is_secret, false);
  assert.equal(d.json.is_required, true);
  const set = await request(`${base}/API_URL`, { method: 'PUT', headers, json: { value: 'https://api.example.org', version: 1 } });
  assert.equal(set.status, 200, set.text);
  assert.equal(set.json.value, 'https://api.example.org');
  assert.equal(set.json.is_set, true);
  const xml = await request(`${base}/API_URL`, { headers: { ...headers, Accept: 'application/xml' } });
  assert.deepEqual(parseXml(xml.text), set.json, 'XML carries the same data');
  const patch = await request(`${base}/API_URL`, { method: 'PATCH', headers, json: { description: 'changed', version: 2 } });
  assert.equal(patch.json.description, 'changed');
  assert.equal(patch.json.value, 'https://api.example.org', 'the value stays');
  const clear = await request(`${base}/API_URL`, { method: 'PUT', headers, json: { value: null, version: 3 } });
  assert.equal(clear.json.is_set, false);
  assert.equal((await request(`${base}/API_URL`, { method: 'DELETE', headers })).status, 204);
  assertError(await request(`${base}/API_URL`, { headers }), 404, 'not_found');
  assertError(await request(`${base}/API_URL`, { method: 'DELETE', headers }), 404, 'not_found');
});

test('a secret value is sealed, write-only and never audited', async () => {
  const { headers, app, base } = await setup();
  await request(base, { method: 'POST', headers, json: { name: 'SIGNING_SECRET', is_secret: true } });
  const secret = `s3cr3t-${randomHex(12)}`;
  const set = await request(`${base}/SIGNING_SECRET`, { method: 'PUT', headers, json: { value: secret, version: 1 } });
  assert.equal(set.status, 200, set.text);
  assert.equal(set.json.value, null);
  assert.equal(set.json.is_set, true);
  assertNoSecrets(set, [secret], 'set');
  assertNoSecrets(await request(`${base}/SIGNING_SECRET`, { headers }), [secret], 'get');
  assertNoSecrets(await request(base, { headers }), [secret], 'list');
  assertNoSecrets(await request(`${base}?format=xml`, { headers }), [secret], 'list xml');
  const [[value, enc, keyId]] = await sql(`SELECT value IS NULL, HEX(value_enc), key_id FROM app_server_vars WHERE app_id = ${app} AND name = 'SIGNING_SECRET'`);
  assert.equal(value, '1', 'no clear value stored');
  assert.equal(keyId, '1', 'the key id is kept beside the value');
  assert.equal(enc.length, (secret.length + 28) * 2, 'iv + ciphertext + tag');
  assert.ok(!Buffer.from(enc, 'hex').toString('latin1').includes(secret), 'the stored value is not the secret');
  const audit = await sql(`SELECT details FROM audit_log WHERE object_type = 'app' AND object_id = '${app}'`);
  assert.ok(audit.length >= 2);
  assert.ok(audit.every(([d]) => !d.includes(secret)), 'no secret in the audit log');
  const again = await request(`${base}/SIGNING_SECRET`, { method: 'PUT', headers, json: { value: `${secret}-2`, version: 2 } });
  assert.equal(again.status, 200);
  const [[enc2]] = await sql(`SELECT HEX(value_enc) FROM app_server_vars WHERE app_id = ${app} AND name = 'SIGNING_SECRET'`);
  assert.notEqual(enc2.slice(0, 24), enc.slice(0, 24), 'a fresh IV for every value');
});

test('values of the largest length, in four-byte characters, are kept whole, secret or not', async () => {
  const { headers, app, base } = await setup();
  const value = '\u{1F511}'.repeat(4096); // 4096 characters, 16 KiB of UTF-8
  for (const [name, isSecret] of [['WIDE_PLAIN', false], ['WIDE_SECRET', true]]) {
    const d = await request(base, { method: 'POST', headers, json: { name, is_secret: isSecret } });
    assert.equal(d.status, 201, d.text);
    const set = await request(`${base}/${name}`, { method: 'PUT', headers, json: { value, version: 1 } });
    assert.equal(set.status, 200, `${name}: ${set.text}`);
    assert.equal(set.json.is_set, true);
    assert.ok(set.json.value === (isSecret ? null : value), `${name}: the value as sent, or null when secret`);
  }
  const got = await request(`${base}/WIDE_PLAIN`, { headers });
  assert.ok(got.json.value === value, 'the plain value reads back whole');
  const [[plain, enc]] = await sql(`SELECT (SELECT LENGTH(value) FROM app_server_vars WHERE app_id = ${app} AND name = 'WIDE_PLAIN'), (SELECT LENGTH(value_enc) FROM app_server_vars WHERE app_id = ${app} AND name = 'WIDE_SECRET')`);
  assert.equal(Number(plain), Buffer.byteLength(value));
  assert.equal(Number(enc), Buffer.byteLength(value) + 28, 'iv + the whole ciphertext + tag');
  const over = await request(`${base}/WIDE_SECRET`, { method: 'PUT', headers, json: { value: `${value}x`, version: 2 } });
  assert.equal(assertError(over, 400, 'invalid_request').field, 'value');
});

test('bad declarations and values are refused naming the field', async () => {
  const { headers, app, base } = await setup();
  for (const name of ['api_url', '1X', 'A-B', '', 'A'.repeat(65), 'Ä']) {
    const r = await request(base, { method: 'POST', headers, json: { name } });
    assert.equal(assertError(r, 400, 'invalid_request', name).field, 'name');
  }
  assert.equal(assertError(await request(base, { method: 'POST', headers, json: { name: 'X', is_secret: 'yes' } }), 400, 'invalid_request').field, 'is_secret');
  assert.equal((await request(base, { method: 'POST', headers, json: { name: 'TOKEN' } })).status, 201);
  assert.equal(assertError(await request(base, { method: 'POST', headers, json: { name: 'TOKEN' } }), 409, 'conflict').field, 'name');
  const long = await request(`${base}/TOKEN`, { method: 'PUT', headers, json: { value: 'x'.repeat(4097), version: 1 } });
  assert.equal(assertError(long, 400, 'invalid_request').field, 'value');
  const noVersion = await request(`${base}/TOKEN`, { method: 'PUT', headers, json: { value: 'v' } });
  assert.equal(assertError(noVersion, 400, 'invalid_request').field, 'version');
  const stale = await request(`${base}/TOKEN`, { method: 'PUT', headers, json: { value: 'v', version: 7 } });
  assertError(stale, 409, 'conflict');
  const staleIfMatch = await request(`${base}/TOKEN`, { method: 'PUT', headers: { ...headers, 'If-Match': '"7"' }, json: { value: 'v' } });
  assertError(staleIfMatch, 412, 'precondition_failed');
  const flip = await request(`${base}/TOKEN`, { method: 'PATCH', headers, json: { is_secret: true, version: 1 } });
  const flipErr = assertError(flip, 400, 'invalid_request');
  assert.equal(flipErr.field, 'body');
  assert.match(flipErr.message, /is_secret/);
  const [[n, set]] = await sql(`SELECT COUNT(*), SUM(value IS NOT NULL OR value_enc IS NOT NULL) FROM app_server_vars WHERE app_id = ${app}`);
  assert.deepEqual([n, set], ['1', '0'], 'nothing was written by the refused calls');
  assertError(await request('/api/v1/apps/999999999/server-variables', { method: 'POST', headers, json: { name: 'X' } }), 404, 'not_found');
});

test('variables list by name in pages', async () => {
  const { headers, base } = await setup();
  const names = ['ALPHA', 'BETA', 'GAMMA', 'DELTA', 'EPSILON'];
  for (const name of names) await request(base, { method: 'POST', headers, json: { name } });
  const seen = [];
  let cursor = '';
  for (let page = 0; page < 10; page++) {
    const r = await request(`${base}?limit=2${cursor ? `&cursor=${cursor}` : ''}`, { headers });
    assert.equal(r.status, 200, r.text);
    seen.push(...r.json.items.map((v) => v.name));
    if (!r.json.next_cursor) break;
    cursor = r.json.next_cursor;
  }
  assert.deepEqual(seen, [...names].sort());
  assertError(await request(`${base}?cursor=!!`, { headers }), 400, 'invalid_request');
  assertError(await request(`${base}?limit=0`, { headers }), 400, 'invalid_request');
});
