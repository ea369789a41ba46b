// app_users.test.js - /api/v1/apps/{id}/users: people attached to an
// application, added (new or existing), enabled, disabled, removed, audited.
'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const {
  request, assertError, assertNoSecrets, sql, sqlString, createAdmin, createToken,
  randomEmail, randomHex, parseXml,
} = require('./lib');

async function setup() {
  const admin = await createAdmin();
  const headers = { Authorization: `Bearer ${await createToken(admin.email)}` };
  const r = await request('/api/v1/apps', { method: 'POST', headers, json: { name: `users-${randomHex(4)}` } });
  assert.equal(r.status, 201, r.text);
  return { admin, headers, app: r.json.id, base: `/api/v1/apps/${r.json.id}/users` };
}

const newPerson = (extra = {}) => ({
  email: randomEmail('appuser'),
  first_name: 'Ada',
  last_name: 'Lovelace',
  password: `pw-${randomHex(8)}`,
  ...extra,
});

async function auditActions(app) {
  const rows = await sql(`SELECT action, details FROM audit_log WHERE object_type = 'app' AND object_id = '${app}' ORDER BY id`);
  return rows;
}

test('a new person is created and attached; the password never comes back', async () => {
  const { headers, app, base } = await setup();
  const p = newPerson();
  const r = await request(base, { method: 'POST', headers, json: { ...p, password_confirmation: p.password } });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.email, p.email);
  assert.equal(r.json.enabled, true);
  assert.equal(r.json.version, 1);
  assertNoSecrets(r, [p.password], 'add');
  const [[hash]] = await sql(`SELECT password_hash FROM users WHERE email = ${sqlString(p.email)}`);
  assert.match(hash, /^\$argon2id\$/, 'the password is kept as Argon2id');
  const got = await request(`${base}/${r.json.id}`, { headers });
  assert.deepEqual(got.json, r.json);
  const xml = await request(`${base}/${r.json.id}?format=xml`, { headers });
  assert.deepEqual(parseXml(xml.text), r.json, 'XML carries the same data');
  const audit = await auditActions(app);
  assert.ok(audit.some(([a]) => a === 'app.user_add'));
  assert.ok(audit.every(([, d]) => !d.includes(p.password)), 'no secret in the audit log');
});

test('bad additions are refused naming the field, and nothing is written', async () => {
  const { headers, base } = await setup();
  const cases = [
    [{ ...newPerson(), password_confirmation: 'something-else-entirely' }, 'password_confirmation'],
    [newPerson({ password: undefined }), 'password'],
    [{ ...newPerson({ password: 'short' }), password_confirmation: 'short' }, 'password'],
    [{ ...newPerson({ email: 'not-an-email' }), password_confirmation: 'x' }, 'email'],
    [{ ...newPerson({ first_name: '' }) }, 'first_name'],
    [{ ...newPerson({ first_name: 'x'.repeat(101) }) }, 'first_name'],
    [{ ...newPerson(), enabled: false }, 'body'],
  ];
  for (const [body, field] of cases) {
    if (body.password && body.password_confirmation === undefined) body.password_confirmation = body.password;
    const r = await request(base, { method: 'POST', headers, json: body });
    const e = assertError(r, 400, 'invalid_request', `field ${field}`);
    assert.equal(e.field, field, JSON.stringify(e));
    const [[n]] = await sql(`SELECT COUNT(*) FROM users WHERE email = ${sqlString(body.email || 'x@x.x')}`);
    assert.equal(n, body.email === 'not-an-email' ? '0' : '0', `nothing written for ${field}`);
  }
  const list = await request(base, { headers });
  assert.deepEqual(list.json.items, []);
});

test('an existing person is attached without a password; twice is a conflict', async () => {
  const { headers, base } = await setup();
  const other = await createAdmin();
  const r = await request(base, { method: 'POST', headers, json: { email: other.email.toUpperCase(), first_name: 'Other' } });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.email, other.email, 'found case-insensitively');
  const again = await request(base, { method: 'POST', headers, json: { email: other.email, first_name: 'Other' } });
  assert.equal(assertError(again, 409, 'conflict').field, 'email');
  const missing = await request('/api/v1/apps/999999999/users', { method: 'POST', headers, json: { email: other.email, first_name: 'O' } });
  assertError(missing, 404, 'not_found');
});

test('enable and disable carry the version; stale versions are refused', async () => {
  const { headers, app, base } = await setup();
  const p = newPerson();
  const add = await request(base, { method: 'POST', headers, json: { ...p, password_confirmation: p.password } });
  const item = `${base}/${add.json.id}`;
  const off = await request(item, { method: 'PATCH', headers, json: { enabled: false, version: 1 } });
  assert.equal(off.status, 200, off.text);
  assert.equal(off.json.enabled, false);
  assert.equal(off.json.version, 2);
  const stale = await request(item, { method: 'PATCH', headers, json: { enabled: true, version: 1 } });
  assert.equal(assertError(stale, 409, 'conflict').field, 'version');
  const staleIfMatch = await request(item, { method: 'PATCH', headers: { ...headers, 'If-Match': '"1"' }, json: { enabled: true } });
  assertError(staleIfMatch, 412, 'precondition_failed');
  const noVersion = await request(item, { method: 'PATCH', headers, json: { enabled: true } });
  assert.equal(assertError(noVersion, 400, 'invalid_request').field, 'version');
  const notBool = await request(item, { method: 'PATCH', headers, json: { enabled: 'yes', version: 2 } });
  assert.equal(assertError(notBool, 400, 'invalid_request').field, 'enabled');
  const now = await request(item, { headers });
  assert.equal(now.json.enabled, false, 'the refused changes wrote nothing');
  assert.equal(now.json.version, 2);
  const on = await request(item, { method: 'PATCH', headers: { ...headers, 'If-Match': '"2"' }, json: { enabled: true } });
  assert.equal(on.json.enabled, true);
  const actions = (await auditActions(app)).map(([a]) => a);
  assert.ok(actions.includes('app.user_disable') && actions.includes('app.user_enable'));
});

test('lists filter and page; removal detaches', async () => {
  const { headers, app, base } = await setup();
  const ids = [];
  for (let i = 0; i < 3; i++) {
    const p = newPerson({ email: randomEmail(i === 0 ? 'findme' : 'other') });
    const r = await request(base, { method: 'POST', headers, json: { ...p, password_confirmation: p.password } });
    ids.push(r.json.id);
  }
  await request(`${base}/${ids[1]}`, { method: 'PATCH', headers, json: { enabled: false, version: 1 } });
  const disabled = await request(`${base}?enabled=false`, { headers });
  assert.deepEqual(disabled.json.items.map((u) => u.id), [ids[1]]);
  const found = await request(`${base}?email=findme`, { headers });
  assert.deepEqual(found.json.items.map((u) => u.id), [ids[0]]);
  assert.equal(assertError(await request(`${base}?enabled=maybe`, { headers }), 400, 'invalid_request').field, 'enabled');
  const seen = [];
  let cursor = '';
  for (let page = 0; page < 5; page++) {
    const r = await request(`${base}?limit=2${cursor ? `&cursor=${cursor}` : ''}`, { headers });
    seen.push(...r.json.items.map((u) => u.id));
    if (!r.json.next_cursor) break;
    cursor = r.json.next_cursor;
  }
  assert.deepEqual(seen, ids, 'every user once, in order');
  const del = await request(`${base}/${ids[2]}`, { method: 'DELETE', headers });
  assert.equal(del.status, 204);
  assertError(await request(`${base}/${ids[2]}`, { method: 'DELETE', headers }), 404, 'not_found');
  const [[still]] = await sql(`SELECT COUNT(*) FROM users WHERE id = ${ids[2]}`);
  assert.equal(still, '1', 'removing an application user keeps the person');
  assert.ok((await auditActions(app)).some(([a]) => a === 'app.user_remove'));
});
