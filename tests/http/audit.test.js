// audit.test.js - GET /api/v1/audit: the audit log, newest first, in pages
// with an opaque cursor, filtered by object, action and actor; readable by
// every console role; never a secret.
'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const {
  request, assertError, createToken, randomEmail, randomHex, parseXml, sql, hasPoolMaster,
  NO_POOL_MASTER, configValue, waitFor, csrfField, createAdmin, signIn, sqlString,
} = require('./lib');
const { checkResponse } = require('./openapi');
const { bearer, superAdmin, createCompany } = require('./registry');

// Renames company C N times (version by version).
async function renames(headers, c, n) {
  for (let v = c.version; v < c.version + n; v++) {
    const r = await request(`/api/v1/companies/${c.id}`, { method: 'PATCH', headers, json: { version: v, name: `${c.name} v${v + 1}` } });
    assert.equal(r.status, 200, r.text);
  }
  c.version += n;
}

test('entries come newest first, in pages that skip and repeat nothing while entries are added', async () => {
  const { headers, id: adminId, email } = await superAdmin();
  const c = await createCompany(headers);
  await renames(headers, c, 4);
  const q = `/api/v1/audit?object_type=company&object_id=${c.id}&limit=2`;

  const seen = [];
  let cursor = null;
  let pages = 0;
  do {
    const r = await request(cursor ? `${q}&cursor=${cursor}` : q, { headers });
    assert.equal(r.status, 200, r.text);
    assert.ok(r.json.items.length <= 2);
    seen.push(...r.json.items);
    cursor = r.json.next_cursor;
    // New entries arrive meanwhile: they are newer than the first page,
    // so later pages neither show them nor shift because of them.
    if (++pages <= 2) await renames(headers, c, 1);
  } while (cursor && pages < 20);

  const ids = seen.map((e) => e.id);
  assert.equal(new Set(ids).size, ids.length, 'nothing repeated');
  assert.deepEqual(ids, [...ids].sort((a, b) => b - a), 'newest first');
  assert.deepEqual(seen.map((e) => e.action), ['company.update', 'company.update', 'company.update', 'company.update', 'company.create'],
    'every entry that existed at the first page, nothing skipped');
  assert.equal(pages, 3);
  const e = seen[seen.length - 1];
  assert.equal(e.actor_type, 'admin');
  assert.equal(e.actor_id, adminId);
  assert.equal(e.actor, email);
  assert.equal(e.object_type, 'company');
  assert.equal(e.object_id, String(c.id));
  assert.match(e.at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.match(e.request_id, /^[0-9a-f]{32}$/);
  assert.ok(e.address.length > 0);
  assert.deepEqual(e.details, { name: c.name, slug: c.slug });

  // The two renames made while paging are there now, on top.
  const all = await request(`/api/v1/audit?object_type=company&object_id=${c.id}`, { headers });
  assert.equal(all.json.items.length, 7);
  assert.equal(all.json.next_cursor, null);
  assert.ok(all.json.items[0].id > ids[0]);
});

test('filters: action, actor_id, object_type and object_id; JSON and XML alike', async () => {
  const a = await superAdmin();
  const b = await superAdmin();
  const ca = await createCompany(a.headers);
  const cb = await createCompany(b.headers);
  await renames(b.headers, ca, 1);

  const byActor = await request(`/api/v1/audit?actor_id=${b.id}`, { headers: a.headers });
  assert.equal(byActor.status, 200, byActor.text);
  assert.ok(byActor.json.items.length >= 2);
  assert.ok(byActor.json.items.every((e) => e.actor_id === b.id), 'only that actor');
  assert.deepEqual(byActor.json.items.slice(0, 2).map((e) => [e.action, e.object_id]),
    [['company.update', String(ca.id)], ['company.create', String(cb.id)]]);

  const byAction = await request(`/api/v1/audit?action=company.update&object_id=${ca.id}&object_type=company`, { headers: a.headers });
  assert.deepEqual(byAction.json.items.map((e) => [e.action, e.actor_id]), [['company.update', b.id]]);
  const none = await request(`/api/v1/audit?object_type=suite&object_id=${ca.id}&action=company.update`, { headers: a.headers });
  assert.deepEqual(none.json.items.filter((e) => e.object_type !== 'suite'), [], 'object_type filters');

  const xml = await request(`/api/v1/audit?object_type=company&object_id=${ca.id}`, { headers: { ...a.headers, Accept: 'application/xml' } });
  const json = await request(`/api/v1/audit?object_type=company&object_id=${ca.id}`, { headers: a.headers });
  assert.equal(xml.status, 200);
  assert.deepEqual(parseXml(xml.text), json.json, 'XML carries the same data');
});

test('bad paging and filter values are refused naming the parameter', async () => {
  const { headers } = await superAdmin();
  for (const [query, field] of [
    ['limit=0', 'limit'],
    ['limit=201', 'limit'],
    ['limit=ten', 'limit'],
    ['cursor=not-a-cursor', 'cursor'],
    ['actor_id=abc', 'actor_id'],
    ['actor_id=-1', 'actor_id'],
    ['actor_id=0', 'actor_id'],
    [`object_type=${'t'.repeat(33)}`, 'object_type'],
    [`object_id=${'1'.repeat(65)}`, 'object_id'],
    [`action=${'a'.repeat(65)}`, 'action'],
  ]) {
    const r = await request(`/api/v1/audit?${query}`, { headers });
    assert.equal(assertError(r, 400, 'invalid_request', query).field, field, query);
  }
});

test('every console role reads the audit log; nobody writes it through the API', async () => {
  const admin = await superAdmin();
  const c = await createCompany(admin.headers);
  for (const role of ['AUDITOR', 'USER_PROVISIONING']) {
    const email = randomEmail(role.toLowerCase());
    const u = await request('/api/v1/users', { method: 'POST', headers: admin.headers, json: { email, roles: [role] } });
    assert.equal(u.status, 201, u.text);
    const headers = bearer(await createToken(email));
    const r = await request(`/api/v1/audit?object_type=company&object_id=${c.id}`, { headers });
    assert.equal(r.status, 200, `${role}: ${r.text}`);
    assert.deepEqual(r.json.items.map((e) => e.action), ['company.create']);
    assertError(await request('/api/v1/audit', { method: 'POST', headers, json: {} }), 405, 'method_not_allowed', role);
  }
  const anonymous = await request('/api/v1/audit');
  assertError(anonymous, 401, 'unauthorized', 'no token');
});

test('passwords set through the API never reach the audit log', async () => {
  const { headers } = await superAdmin();
  const pw = `secret ${randomHex(12)}`;
  const pw2 = `secret ${randomHex(12)}`;
  const email = randomEmail('secret');
  const u = await request('/api/v1/users', { method: 'POST', headers, json: { email, password: pw } });
  assert.equal(u.status, 201, u.text);
  const p = await request(`/api/v1/users/${u.json.id}`, { method: 'PATCH', headers, json: { version: 1, password: pw2 } });
  assert.equal(p.status, 200, p.text);
  // Also a refused one: the message must not echo it.
  const bad = await request('/api/v1/users', { method: 'POST', headers, json: { email: 'bad', password: pw } });
  assert.equal(bad.status, 400);
  assert.ok(!bad.text.includes(pw));

  const r = await request('/api/v1/audit?limit=200', { headers });
  assert.equal(r.status, 200);
  assert.ok(r.json.items.some((e) => e.object_type === 'user' && e.object_id === String(u.json.id)), 'the changes are there');
  for (const secret of [pw, pw2, pw.split(' ')[1], pw2.split(' ')[1]]) {
    assert.ok(!r.text.includes(secret), 'no password in the audit log');
  }
  assert.ok(!r.text.includes('$argon2'), 'no password hash in the audit log');
});

// One request to lighttpd on the unix socket SOCKET: { status, headers,
// text }, checked against the OpenAPI document like lib.js's request().
function viaSocket(socket, method, urlPath, headers = {}, body = undefined) {
  return new Promise((resolve, reject) => {
    const req = http.request({ socketPath: socket, method, path: urlPath, headers: { Host: 'localhost', ...headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { text += d; });
      res.on('end', () => {
        const answer = { status: res.statusCode, headers: res.headers, text };
        checkResponse({ method, url: `http://localhost${urlPath}`, ...answer }).then(() => resolve(answer), reject);
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

test('changes and sign-ins through a web server on a unix socket keep its address, the socket path', { skip: !hasPoolMaster && NO_POOL_MASTER }, async () => {
  // lighttpd listening on a unix socket (behind a front proxy) gives that
  // socket's path as REMOTE_ADDR: up to 107 characters.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ostium-unix-'));
  const stem = path.join(dir, 'front-proxy-to-lighttpd-');
  const socket = `${stem}${'s'.repeat(107 - stem.length - 5)}.sock`;
  assert.equal(socket.length, 107);
  const pool = configValue('listen', '').replace(/^unix:/, '');
  fs.writeFileSync(path.join(dir, 'lighttpd.conf'), [
    'server.modules = ("mod_fastcgi")',
    `server.bind = "${socket}"`,
    `server.document-root = "${dir}"`,
    `server.errorlog = "${dir}/error.log"`,
    `fastcgi.server = ("/" => (("socket" => "${pool}", "check-local" => "disable", "fix-root-scriptname" => "enable")))`,
    '',
  ].join('\n'));
  const lighttpd = spawn('lighttpd', ['-D', '-f', path.join(dir, 'lighttpd.conf')], { stdio: 'ignore' });
  try {
    assert.ok(await waitFor(() => fs.existsSync(socket), 10_000, 50), 'lighttpd listens on the socket');
    const { email, password } = await createAdmin();
    const token = await createToken(email);
    const made = await viaSocket(socket, 'POST', '/api/v1/suites',
      { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, JSON.stringify({ name: `Unix ${randomHex(4)}` }));
    assert.equal(made.status, 201, made.text);
    const id = JSON.parse(made.text).id;
    const [[address]] = await sql(`SELECT address FROM audit_log WHERE object_type = 'suite' AND object_id = '${Number(id)}'`);
    assert.equal(address, socket, 'the audit entry keeps the whole address');

    const form = await viaSocket(socket, 'GET', '/admin/login');
    assert.equal(form.status, 200);
    const cookie = form.headers['set-cookie'].map((c) => c.split(';')[0]).join('; ');
    const body = new URLSearchParams({ csrf: csrfField(form.text), email, password }).toString();
    const signed = await viaSocket(socket, 'POST', '/admin/login',
      { Cookie: cookie, 'Content-Type': 'application/x-www-form-urlencoded' }, body);
    assert.equal(signed.status, 303, signed.text.slice(0, 300));
    const [[kept]] = await sql(`SELECT s.address FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.email = '${email}'`);
    assert.equal(kept, socket, 'the session keeps the whole address');
  } finally {
    lighttpd.kill();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('personal tokens made and revoked, through the API, the console and ostiumctl, are audited without the token', async () => {
  const { email, password, headers, id: adminId } = await superAdmin();
  const made = await request('/api/v1/tokens', { method: 'POST', headers, json: { name: `api-${randomHex(4)}` } });
  assert.equal(made.status, 201, made.text);
  const revoked = await request(`/api/v1/tokens/${made.json.id}`, { method: 'DELETE', headers });
  assert.equal(revoked.status, 204, revoked.text);

  const { jar, csrf } = await signIn(email, password);
  const page = await request('/admin/tokens', { method: 'POST', jar, form: { csrf, name: 'console' } });
  assert.equal(page.status, 201, page.text.slice(0, 300));
  const shown = page.text.match(/[A-Za-z0-9_-]{43}/g) || [];
  const consoleRow = (await sql(`SELECT id FROM api_tokens WHERE user_id = ${adminId} AND name = 'console'`))[0][0];
  const back = await request(`/admin/tokens/${consoleRow}/revoke`, { method: 'POST', jar, form: { csrf } });
  assert.equal(back.status, 303, back.text.slice(0, 300));

  for (const format of ['json', 'xml']) {
    const r = await request(`/api/v1/audit?object_type=token&actor_id=${adminId}&limit=20&format=${format}`, { headers });
    assert.equal(r.status, 200, r.text);
    for (const secret of [made.json.token, ...shown]) {
      assert.ok(!r.text.includes(secret), `${format}: the token itself is never in the audit log`);
    }
    if (format === 'xml') continue;
    const entries = r.json.items.map((e) => [e.action, e.object_id, e.actor]);
    assert.deepEqual(entries, [
      ['token.revoke', String(consoleRow), email],
      ['token.create', String(consoleRow), email],
      ['token.revoke', String(made.json.id), email],
      ['token.create', String(made.json.id), email],
    ]);
    assert.equal(r.json.items[3].details.name, made.json.name);
  }
  const fromCtl = await sql(`SELECT COUNT(*) FROM audit_log WHERE action = 'token.create' AND actor = 'ostiumctl' AND JSON_EXTRACT(details, '$.user_id') = ${adminId}`);
  assert.equal(fromCtl[0][0], '1', 'the token superAdmin made with ostiumctl is audited too');
});
