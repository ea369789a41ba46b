// users.test.js - /api/v1/users: people (email unique in any case, names,
// Argon2id password that never comes back, enabled, console roles), the
// role rules, versions, filters and pages, and the audit log without secrets.
'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const {
  request, assertError, assertNoSecrets, sql, randomEmail, randomHex, parseXml, signIn, postLogin,
  CookieJar, randomAddress,
} = require('./lib');
const { superAdmin, personWithRoles, auditOf: auditOfObject } = require('./registry');

async function createUser(headers, body) {
  const r = await request('/api/v1/users', { method: 'POST', headers, json: body });
  assert.equal(r.status, 201, r.text);
  return r.json;
}

const auditOf = (headers, id) => auditOfObject(headers, 'user', id);

async function usersByEmail(headers, email) {
  const r = await request(`/api/v1/users?email=${encodeURIComponent(email)}`, { headers });
  assert.equal(r.status, 200, r.text);
  return r.json.items;
}

const password = () => `pw ${randomHex(10)} long enough`;

test('a person is created, read as JSON and XML, listed with filters, updated and deleted; the password never comes back', async () => {
  const admin = await superAdmin();
  const { headers } = admin;
  const email = randomEmail('person');
  const pw = password();
  const tag = randomHex(4);
  const r = await request('/api/v1/users', {
    method: 'POST', headers,
    json: { email, first_name: `Ada${tag}`, last_name: 'Lovelace', password: pw, roles: ['AUDITOR'] },
  });
  assert.equal(r.status, 201, r.text);
  assertNoSecrets(r, [pw], 'create');
  const u = r.json;
  assert.deepEqual(Object.keys(u).sort(),
    ['created_at', 'email', 'enabled', 'first_name', 'id', 'last_name', 'roles', 'updated_at', 'version']);
  assert.equal(u.email, email);
  assert.equal(u.enabled, true, 'enabled by default');
  assert.deepEqual(u.roles, ['AUDITOR']);
  assert.equal(u.version, 1);
  assert.match(r.headers.get('location'), new RegExp(`/api/v1/users/${u.id}$`));
  const [[hash]] = await sql(`SELECT password_hash FROM users WHERE id = ${u.id}`);
  assert.match(hash, /^\$argon2id\$/, 'the password is kept as Argon2id');

  // The password works: the AUDITOR signs in to the console with it.
  await signIn(email, pw);

  const got = await request(`/api/v1/users/${u.id}`, { headers });
  assert.deepEqual(got.json, u);
  assert.equal(got.headers.get('etag'), '"1"');
  const xml = await request(`/api/v1/users/${u.id}`, { headers: { ...headers, Accept: 'application/xml' } });
  assert.deepEqual(parseXml(xml.text), u, 'XML carries the same data (roles as a list)');
  assert.ok(!/password/.test(xml.text + got.text), 'no password field at all');

  assert.deepEqual(await usersByEmail(headers, email), [u], 'email filter');
  assert.deepEqual(await usersByEmail(headers, email.toUpperCase().slice(0, 14)), [u], 'email filter, any case');
  const byName = await request(`/api/v1/users?name=Ada${tag}`, { headers });
  assert.deepEqual(byName.json.items, [u], 'name filter (first name)');
  const byLast = await request(`/api/v1/users?name=Lovelace&email=${encodeURIComponent(email)}`, { headers });
  assert.deepEqual(byLast.json.items, [u], 'name filter (last name)');
  const disabledOnly = await request(`/api/v1/users?email=${encodeURIComponent(email)}&enabled=false`, { headers });
  assert.deepEqual(disabledOnly.json.items, [], 'enabled filter');
  const list = await request('/api/v1/users?limit=200', { headers });
  assertNoSecrets(list, [pw], 'list');
  assert.ok(!list.text.includes('password'), 'no password hash in lists');

  const newPw = password();
  const upd = await request(`/api/v1/users/${u.id}`, {
    method: 'PATCH', headers, json: { version: 1, last_name: 'King', enabled: false, password: newPw },
  });
  assert.equal(upd.status, 200, upd.text);
  assertNoSecrets(upd, [newPw, pw], 'update');
  assert.equal(upd.json.last_name, 'King');
  assert.equal(upd.json.enabled, false);
  assert.equal(upd.json.version, 2);
  assert.deepEqual(upd.json.roles, ['AUDITOR'], 'roles stay when not named');
  const [[hash2]] = await sql(`SELECT password_hash FROM users WHERE id = ${u.id}`);
  assert.ok(hash2 !== hash && /^\$argon2id\$/.test(hash2), 'the new password is stored');
  const enabledOnly = await request(`/api/v1/users?email=${encodeURIComponent(email)}&enabled=true`, { headers });
  assert.deepEqual(enabledOnly.json.items, [], 'disabled people are filtered out');

  const again = await request(`/api/v1/users/${u.id}`, {
    method: 'PUT', headers: { ...headers, 'If-Match': '"2"' }, json: { enabled: true, password: null },
  });
  assert.equal(again.status, 200, again.text);
  const [[hash3]] = await sql(`SELECT password_hash FROM users WHERE id = ${u.id}`);
  assert.equal(hash3, hash2, 'a null password leaves it as it is');
  const jar = new CookieJar();
  const signed = await postLogin(jar, email, newPw, randomAddress());
  assert.equal(signed.status, 303, 'the new password signs in');

  const del = await request(`/api/v1/users/${u.id}`, { method: 'DELETE', headers });
  assert.equal(del.status, 204, del.text);
  assertError(await request(`/api/v1/users/${u.id}`, { headers }), 404, 'not_found', 'after delete');
  assertError(await request(`/api/v1/users/${u.id}`, { method: 'DELETE', headers }), 404, 'not_found', 'twice');

  const audit = await auditOf(headers, u.id);
  // the person's two sign-ins are audited on them too
  assert.deepEqual(audit.map((e) => e.action),
    ['user.create', 'user.sign_in', 'user.update', 'user.update', 'user.sign_in', 'user.delete']);
  assert.deepEqual(audit[0].details.roles, ['AUDITOR']);
  assert.equal(audit[0].actor_id, admin.id);
  assert.equal(audit[2].details.password_changed, true);
  const text = JSON.stringify(audit);
  assert.ok(!text.includes(pw) && !text.includes(newPw), 'no password in the audit log');
  assert.ok(!text.includes('argon2'), 'no password hash in the audit log');
  assert.ok(!/"password"/.test(text), 'no password field in the audit log');
});

test('bad people are refused naming the field, and nothing is written', async () => {
  const { headers } = await superAdmin();
  const email = randomEmail('bad');
  const cases = [
    [{}, 'email'],
    [{ email: 'no-at-sign' }, 'email'],
    [{ email: 'a@b' }, 'email'],
    [{ email: `${'x'.repeat(250)}@example.org` }, 'email'],
    [{ email: 7 }, 'email'],
    [{ email, first_name: 'x'.repeat(101) }, 'first_name'],
    [{ email, last_name: 'x'.repeat(101) }, 'last_name'],
    [{ email, first_name: 'tab\there' }, 'first_name'],
    [{ email, password: 'short-11ch' }, 'password'],
    [{ email, password: 'p'.repeat(1025) }, 'password'],
    [{ email, password: 123456789012345 }, 'password'],
    [{ email, enabled: 'yes' }, 'enabled'],
    [{ email, roles: 'AUDITOR' }, 'roles'],
    [{ email, roles: ['ROOT'] }, 'roles'],
    [{ email, roles: ['AUDITOR', 'AUDITOR'] }, 'roles'],
    [{ email, roles: ['auditor'] }, 'roles'],
    [{ email, password_hash: '$argon2id$v=19$m=1024,t=1,p=1$x$y' }, 'body'],
    [{ email, id: 5 }, 'body'],
  ];
  for (const [body, field] of cases) {
    const r = await request('/api/v1/users', { method: 'POST', headers, json: body });
    const what = JSON.stringify(body).slice(0, 80);
    assert.equal(assertError(r, 400, 'invalid_request', what).field, field, what);
    if (body.password) assertNoSecrets(r, [String(body.password)], what);
  }
  assert.deepEqual(await usersByEmail(headers, email), [], 'nothing written');

  // A 1024-character password is fine; email is unique in any case.
  const u = await createUser(headers, { email, password: 'p'.repeat(1024) });
  for (const dupEmail of [email, email.toUpperCase()]) {
    const dup = await request('/api/v1/users', { method: 'POST', headers, json: { email: dupEmail } });
    assert.equal(assertError(dup, 409, 'conflict', dupEmail).field, 'email');
  }
  const other = await createUser(headers, { email: randomEmail('other') });
  const clash = await request(`/api/v1/users/${other.id}`, { method: 'PATCH', headers, json: { version: 1, email: email.toUpperCase() } });
  assert.equal(assertError(clash, 409, 'conflict', 'update to a taken email').field, 'email');
  for (const [body, field] of [[{ email: 'nope' }, 'email'], [{ password: 'short' }, 'password'], [{ roles: ['X'] }, 'roles'], [{ enabled: null }, 'enabled']]) {
    const r = await request(`/api/v1/users/${other.id}`, { method: 'PATCH', headers, json: { version: 1, ...body } });
    assert.equal(assertError(r, 400, 'invalid_request', JSON.stringify(body)).field, field);
  }
  assert.deepEqual((await request(`/api/v1/users/${other.id}`, { headers })).json, other, 'refused updates changed nothing');
  assert.deepEqual((await usersByEmail(headers, email)).map((x) => x.id), [u.id], 'one person for that email');
  assert.deepEqual((await auditOf(headers, other.id)).map((e) => e.action), ['user.create']);
});

test('a person with every text at its largest, in four-byte characters, is kept whole and signs in with the longest password', async () => {
  const { headers } = await superAdmin();
  const name = '\u{1F464}'.repeat(100);
  const pw = '\u{1F511}'.repeat(1024); // 1024 characters, 4 KiB of UTF-8
  const email = randomEmail('wide');
  const u = await createUser(headers, { email, first_name: name, last_name: name, password: pw, roles: ['AUDITOR'] });
  assert.ok(u.first_name === name && u.last_name === name, 'the names come back whole');
  const got = await request(`/api/v1/users/${u.id}`, { headers });
  assert.ok(got.json.first_name === name && got.json.last_name === name, 'and read back whole');
  await signIn(email, pw);
  const changed = '\u{1F5DD}'.repeat(1024);
  const set = await request(`/api/v1/users/${u.id}`, { method: 'PATCH', headers, json: { version: 1, password: changed } });
  assert.equal(set.status, 200, set.text);
  await signIn(email, changed);
});

test('an update against a stale version is refused: 409 with a body version, 412 with If-Match', async () => {
  const { headers } = await superAdmin();
  const u = await createUser(headers, { email: randomEmail('stale'), first_name: 'One' });
  const ok = await request(`/api/v1/users/${u.id}`, { method: 'PATCH', headers, json: { version: 1, first_name: 'Two' } });
  assert.equal(ok.status, 200, ok.text);
  const stale = await request(`/api/v1/users/${u.id}`, { method: 'PATCH', headers, json: { version: 1, first_name: 'Three' } });
  assert.equal(assertError(stale, 409, 'conflict', 'stale body version').field, 'version');
  const staleMatch = await request(`/api/v1/users/${u.id}`, {
    method: 'PATCH', headers: { ...headers, 'If-Match': '"1"' }, json: { first_name: 'Four' },
  });
  assertError(staleMatch, 412, 'precondition_failed', 'stale If-Match');
  const none = await request(`/api/v1/users/${u.id}`, { method: 'PATCH', headers, json: { first_name: 'Five' } });
  assert.equal(assertError(none, 400, 'invalid_request', 'no version').field, 'version');
  const now = await request(`/api/v1/users/${u.id}`, { headers });
  assert.equal(now.json.first_name, 'Two');
  assert.equal(now.json.version, 2);
  assertError(await request('/api/v1/users/999999999', { method: 'PATCH', headers, json: { version: 1 } }), 404,
    'not_found', 'no such person');
});

test('roles: only a SUPER_ADMINISTRATOR gives or changes them; an AUDITOR only reads', async () => {
  const admin = await superAdmin();
  const prov = await personWithRoles(admin.headers, ['USER_PROVISIONING']);
  const auditor = await personWithRoles(admin.headers, ['AUDITOR']);

  // USER_PROVISIONING creates people, but without roles.
  const email = randomEmail('byprov');
  const refused = await request('/api/v1/users', { method: 'POST', headers: prov.headers, json: { email, roles: ['AUDITOR'] } });
  assert.equal(assertError(refused, 403, 'forbidden', 'provisioning gives a role').field, 'roles');
  assert.deepEqual(await usersByEmail(admin.headers, email), [], 'nothing written');
  const plain = await createUser(prov.headers, { email, first_name: 'Plain' });
  assert.deepEqual(plain.roles, []);
  const upd = await request(`/api/v1/users/${plain.id}`, { method: 'PATCH', headers: prov.headers, json: { version: 1, last_name: 'Person', roles: [] } });
  assert.equal(upd.status, 200, 'provisioning changes other fields (same roles)');
  const grant = await request(`/api/v1/users/${plain.id}`, { method: 'PATCH', headers: prov.headers, json: { version: 2, roles: ['SUPER_ADMINISTRATOR'] } });
  assert.equal(assertError(grant, 403, 'forbidden', 'provisioning grants a role').field, 'roles');
  const self = await request(`/api/v1/users/${prov.id}`, { method: 'PATCH', headers: prov.headers, json: { version: 1, roles: ['USER_PROVISIONING', 'SUPER_ADMINISTRATOR'] } });
  assert.equal(assertError(self, 403, 'forbidden', 'provisioning promotes itself').field, 'roles');
  // ... nor touches a super administrator.
  assertError(await request(`/api/v1/users/${admin.id}`, { method: 'PATCH', headers: prov.headers, json: { version: 1, password: password() } }),
    403, 'forbidden', 'provisioning resets a super administrator\'s password');
  assertError(await request(`/api/v1/users/${admin.id}`, { method: 'DELETE', headers: prov.headers }), 403, 'forbidden',
    'provisioning deletes a super administrator');
  assert.equal((await request(`/api/v1/users/${admin.id}`, { headers: prov.headers })).json.version, 1);

  // A super administrator grants and changes roles.
  const promoted = await request(`/api/v1/users/${plain.id}`, { method: 'PATCH', headers: admin.headers, json: { version: 2, roles: ['USER_PROVISIONING', 'AUDITOR'] } });
  assert.equal(promoted.status, 200, promoted.text);
  assert.deepEqual(promoted.json.roles, ['USER_PROVISIONING', 'AUDITOR']);

  // An AUDITOR reads and writes nothing.
  assert.equal((await request('/api/v1/users', { headers: auditor.headers })).status, 200);
  assert.equal((await request(`/api/v1/users/${plain.id}`, { headers: auditor.headers })).status, 200);
  for (const [method, path, json] of [
    ['POST', '/api/v1/users', { email: randomEmail('byaud') }],
    ['PATCH', `/api/v1/users/${plain.id}`, { version: 3, first_name: 'Auditor' }],
    ['PUT', `/api/v1/users/${plain.id}`, { version: 3, first_name: 'Auditor' }],
    ['DELETE', `/api/v1/users/${plain.id}`],
  ]) {
    assertError(await request(path, { method, headers: auditor.headers, json }), 403, 'forbidden', `${method} ${path}`);
  }
  assert.equal((await request(`/api/v1/users/${plain.id}`, { headers: admin.headers })).json.version, 3, 'unchanged');
  const actions = (await auditOf(admin.headers, plain.id)).map((e) => e.action);
  assert.deepEqual(actions, ['user.create', 'user.update', 'user.update']);
});

test('nobody removes their own SUPER_ADMINISTRATOR role or deletes themselves (409)', async () => {
  const admin = await superAdmin();
  const demote = await request(`/api/v1/users/${admin.id}`, { method: 'PATCH', headers: admin.headers, json: { version: 1, roles: ['AUDITOR'] } });
  assert.equal(assertError(demote, 409, 'conflict', 'own role removed').field, 'roles');
  assertError(await request(`/api/v1/users/${admin.id}`, { method: 'DELETE', headers: admin.headers }), 409, 'conflict',
    'self delete');
  const me = await request(`/api/v1/users/${admin.id}`, { headers: admin.headers });
  assert.deepEqual(me.json.roles, ['SUPER_ADMINISTRATOR']);
  assert.equal(me.json.version, 1);
  // Adding a role to oneself is fine; another super administrator may remove it.
  const add = await request(`/api/v1/users/${admin.id}`, { method: 'PATCH', headers: admin.headers, json: { version: 1, roles: ['SUPER_ADMINISTRATOR', 'AUDITOR'] } });
  assert.equal(add.status, 200, add.text);
  const other = await superAdmin();
  const removed = await request(`/api/v1/users/${admin.id}`, { method: 'PATCH', headers: other.headers, json: { version: 2, roles: [] } });
  assert.equal(removed.status, 200, removed.text);
  assert.deepEqual(removed.json.roles, []);
  const gone = await request(`/api/v1/users/${admin.id}`, { method: 'DELETE', headers: other.headers });
  assert.equal(gone.status, 204);
});

test('pages of people (limit=2) skip and repeat nothing while people are added between fetches', async () => {
  const { headers } = await superAdmin();
  const tag = `pg${randomHex(4)}`;
  const made = [];
  for (let i = 0; i < 4; i++) made.push((await createUser(headers, { email: `${tag}-${i}@example.org` })).id);
  const seen = [];
  let cursor = null;
  let pages = 0;
  do {
    const r = await request(`/api/v1/users?email=${tag}&limit=2${cursor ? `&cursor=${cursor}` : ''}`, { headers });
    assert.equal(r.status, 200, r.text);
    seen.push(...r.json.items.map((u) => u.id));
    cursor = r.json.next_cursor;
    if (++pages <= 2) made.push((await createUser(headers, { email: `${tag}-late${pages}@example.org` })).id);
  } while (cursor && pages < 20);
  assert.equal(new Set(seen).size, seen.length, 'nothing repeated');
  assert.deepEqual(seen, made, 'nothing skipped, in a stable order');
  for (const bad of ['enabled=maybe', 'limit=0', 'cursor=AAAA']) {
    const r = await request(`/api/v1/users?${bad}`, { headers });
    assert.equal(assertError(r, 400, 'invalid_request', bad).field, bad.split('=')[0]);
  }
});
