// companies.test.js - /api/v1/companies: companies (tenants), their members
// (memberships: user workspace ids) and the applications installed in them;
// validation, versions, pagination while rows are added, roles, audit.
'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const { request, assertError, sql, randomEmail, randomHex, parseXml } = require('./lib');
const { superAdmin, personWithRoles, createCompany, auditOf } = require('./registry');

const newCompany = (extra = {}) => {
  const tag = randomHex(5);
  return { name: `Company ${tag}`, slug: `co-${tag}`, ...extra };
};

// An application to install: through the applications API.
async function createApp(headers) {
  const name = `install-${randomHex(4)}`;
  const r = await request('/api/v1/apps', { method: 'POST', headers, json: { name } });
  assert.equal(r.status, 201, r.text);
  return { id: r.json.id, name };
}

// Companies whose name holds TAG, through the list.
async function companiesNamed(headers, tag) {
  const r = await request(`/api/v1/companies?name=${encodeURIComponent(tag)}`, { headers });
  assert.equal(r.status, 200, r.text);
  return r.json.items;
}

test('a company is created, read as JSON and XML, listed, updated and deleted, each change audited', async () => {
  const { headers } = await superAdmin();
  const body = newCompany();
  const r = await request('/api/v1/companies', { method: 'POST', headers, json: body });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.name, body.name);
  assert.equal(r.json.slug, body.slug);
  assert.equal(r.json.version, 1);
  assert.match(r.headers.get('location'), new RegExp(`/api/v1/companies/${r.json.id}$`));
  assert.equal(r.headers.get('etag'), '"1"');
  const id = r.json.id;

  const got = await request(`/api/v1/companies/${id}`, { headers });
  assert.equal(got.status, 200);
  assert.deepEqual(got.json, r.json);
  const xml = await request(`/api/v1/companies/${id}`, { headers: { ...headers, Accept: 'application/xml' } });
  assert.equal(xml.status, 200);
  assert.match(xml.headers.get('content-type'), /^application\/xml/);
  assert.deepEqual(parseXml(xml.text), r.json, 'XML carries the same data');

  const listed = await companiesNamed(headers, body.name);
  assert.deepEqual(listed, [r.json], 'the name filter finds it');
  assert.deepEqual(await companiesNamed(headers, `${body.name}-nothing`), []);
  const listXml = await request(`/api/v1/companies?name=${encodeURIComponent(body.name)}&format=xml`, { headers });
  assert.deepEqual(parseXml(listXml.text), { items: [r.json], next_cursor: null });

  const upd = await request(`/api/v1/companies/${id}`, {
    method: 'PATCH', headers, json: { version: 1, name: `${body.name} renamed` },
  });
  assert.equal(upd.status, 200, upd.text);
  assert.equal(upd.json.name, `${body.name} renamed`);
  assert.equal(upd.json.slug, body.slug, 'a PATCH keeps what it does not name');
  assert.equal(upd.json.version, 2);
  const put = await request(`/api/v1/companies/${id}`, {
    method: 'PUT', headers: { ...headers, 'If-Match': '"2"' }, json: { slug: `${body.slug}-x` },
  });
  assert.equal(put.status, 200, put.text);
  assert.equal(put.json.slug, `${body.slug}-x`);
  assert.equal(put.json.version, 3);

  const del = await request(`/api/v1/companies/${id}`, { method: 'DELETE', headers });
  assert.equal(del.status, 204, del.text);
  assertError(await request(`/api/v1/companies/${id}`, { headers }), 404, 'not_found', 'after delete');
  assertError(await request(`/api/v1/companies/${id}`, { method: 'DELETE', headers }), 404, 'not_found',
    'deleted twice');

  const audit = await auditOf(headers, 'company', id);
  assert.deepEqual(audit.map((e) => e.action),
    ['company.create', 'company.update', 'company.update', 'company.delete']);
  assert.deepEqual(audit[0].details, { name: body.name, slug: body.slug });
  assert.deepEqual(audit[1].details, { name: `${body.name} renamed` });
});

test('bad companies are refused naming the field, and nothing is written', async () => {
  const { headers } = await superAdmin();
  const tag = randomHex(5);
  const cases = [
    [{ slug: `s-${tag}` }, 'name'],
    [{ name: '', slug: `s-${tag}` }, 'name'],
    [{ name: 'x'.repeat(101), slug: `s-${tag}` }, 'name'],
    [{ name: 12, slug: `s-${tag}` }, 'name'],
    [{ name: `bad\u0001${tag}`, slug: `s-${tag}` }, 'name'],
    [{ name: `N ${tag}` }, 'slug'],
    [{ name: `N ${tag}`, slug: '' }, 'slug'],
    [{ name: `N ${tag}`, slug: `Upper-${tag}` }, 'slug'],
    [{ name: `N ${tag}`, slug: `-${tag}` }, 'slug'],
    [{ name: `N ${tag}`, slug: `${tag}-` }, 'slug'],
    [{ name: `N ${tag}`, slug: `a--${tag}` }, 'slug'],
    [{ name: `N ${tag}`, slug: `a_${tag}` }, 'slug'],
    [{ name: `N ${tag}`, slug: `a ${tag}` }, 'slug'],
    [{ name: `N ${tag}`, slug: 'a'.repeat(65) }, 'slug'],
    [{ name: `N ${tag}`, slug: `s-${tag}`, owner: 'me' }, 'body'],
  ];
  for (const [body, field] of cases) {
    const r = await request('/api/v1/companies', { method: 'POST', headers, json: body });
    const e = assertError(r, 400, 'invalid_request', JSON.stringify(body).slice(0, 80));
    assert.equal(e.field, field, JSON.stringify(body).slice(0, 80));
  }
  assert.deepEqual(await companiesNamed(headers, tag), [], 'no bad company was written');
  const [[n]] = await sql(`SELECT COUNT(*) FROM companies WHERE slug LIKE '%${tag}%'`);
  assert.equal(n, '0');

  // A 64-character slug is fine; the same slug again is a 409 naming slug.
  const ok = await createCompany(headers, { name: `N ${tag}`, slug: `${tag}-${'b'.repeat(53)}` });
  assert.equal(ok.slug.length, 64);
  const dup = await request('/api/v1/companies', { method: 'POST', headers, json: { name: `Other ${tag}`, slug: ok.slug } });
  assert.equal(assertError(dup, 409, 'conflict', 'duplicate slug').field, 'slug');
  assert.deepEqual((await companiesNamed(headers, tag)).map((c) => c.id), [ok.id], 'the duplicate was not written');

  // The same rules on update; nothing changes.
  const other = await createCompany(headers, { name: `M ${tag}`, slug: `m-${tag}` });
  const upd = await request(`/api/v1/companies/${other.id}`, { method: 'PATCH', headers, json: { version: 1, slug: ok.slug } });
  assert.equal(assertError(upd, 409, 'conflict', 'update to a taken slug').field, 'slug');
  for (const [body, field] of [[{ slug: 'NO' }, 'slug'], [{ name: '' }, 'name'], [{ name: null }, 'name']]) {
    const r = await request(`/api/v1/companies/${other.id}`, { method: 'PATCH', headers, json: { version: 1, ...body } });
    assert.equal(assertError(r, 400, 'invalid_request', JSON.stringify(body)).field, field);
  }
  const after = await request(`/api/v1/companies/${other.id}`, { headers });
  assert.deepEqual(after.json, other, 'refused updates changed nothing');
  assert.deepEqual((await auditOf(headers, 'company', other.id)).map((e) => e.action), ['company.create']);
});

test('an update against a stale version is refused: 409 with a body version, 412 with If-Match', async () => {
  const { headers } = await superAdmin();
  const c = await createCompany(headers);
  const first = await request(`/api/v1/companies/${c.id}`, { method: 'PATCH', headers, json: { version: 1, name: `${c.name} A` } });
  assert.equal(first.status, 200, first.text);

  const stale = await request(`/api/v1/companies/${c.id}`, { method: 'PATCH', headers, json: { version: 1, name: `${c.name} B` } });
  assert.equal(assertError(stale, 409, 'conflict', 'stale body version').field, 'version');
  const staleMatch = await request(`/api/v1/companies/${c.id}`, {
    method: 'PATCH', headers: { ...headers, 'If-Match': '"1"' }, json: { name: `${c.name} C` },
  });
  assertError(staleMatch, 412, 'precondition_failed', 'stale If-Match');
  const none = await request(`/api/v1/companies/${c.id}`, { method: 'PATCH', headers, json: { name: `${c.name} D` } });
  assert.equal(assertError(none, 400, 'invalid_request', 'no version').field, 'version');

  const now = await request(`/api/v1/companies/${c.id}`, { headers });
  assert.equal(now.json.name, `${c.name} A`, 'the first change stands');
  assert.equal(now.json.version, 2);
  assert.equal(now.headers.get('etag'), '"2"');
});

test('pages of companies (limit=2) skip and repeat nothing while companies are added between fetches', async () => {
  const { headers } = await superAdmin();
  const tag = `page${randomHex(4)}`;
  const made = [];
  for (let i = 0; i < 5; i++) made.push((await createCompany(headers, { name: `${tag} ${i}`, slug: `${tag}-${i}` })).id);

  const seen = [];
  let cursor = null;
  let pages = 0;
  do {
    const q = `/api/v1/companies?name=${tag}&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
    const r = await request(q, { headers });
    assert.equal(r.status, 200, r.text);
    assert.ok(r.json.items.length <= 2);
    seen.push(...r.json.items.map((c) => c.id));
    cursor = r.json.next_cursor;
    pages++;
    // Another administrator adds a company between two page fetches.
    if (pages <= 3) made.push((await createCompany(headers, { name: `${tag} late${pages}`, slug: `${tag}-late${pages}` })).id);
    assert.ok(pages < 20, 'the pages end');
  } while (cursor);

  assert.equal(new Set(seen).size, seen.length, 'no company is repeated');
  assert.deepEqual(seen, [...seen].sort((a, b) => a - b), 'a stable order');
  assert.deepEqual(seen, made.sort((a, b) => a - b), 'every company, including those added meanwhile, is seen');
  assert.ok(pages >= 4, `several pages (${pages})`);

  for (const bad of ['limit=0', 'limit=201', 'limit=x', 'cursor=nonsense']) {
    const r = await request(`/api/v1/companies?${bad}`, { headers });
    assert.equal(assertError(r, 400, 'invalid_request', bad).field, bad.split('=')[0]);
  }
});

test('members: a person is found by email (any case) or created, listed, read and removed', async () => {
  const { headers } = await superAdmin();
  const c = await createCompany(headers);
  const other = await createCompany(headers);
  const base = `/api/v1/companies/${c.id}/members`;
  const email = randomEmail('member');

  const added = await request(base, { method: 'POST', headers, json: { email, first_name: 'Grace', last_name: 'Hopper' } });
  assert.equal(added.status, 201, added.text);
  const m = added.json;
  assert.deepEqual(Object.keys(m).sort(), ['company_id', 'created_at', 'email', 'first_name', 'id', 'last_name', 'user_id']);
  assert.equal(m.company_id, c.id);
  assert.equal(m.email, email);
  assert.equal(m.first_name, 'Grace');
  assert.match(added.headers.get('location'), new RegExp(`${base}/${m.id}$`));
  const [[pw]] = await sql(`SELECT COALESCE(password_hash, 'none') FROM users WHERE id = ${m.user_id}`);
  assert.equal(pw, 'none', 'a person made for a membership has no password');

  // The same person joins another company, named in upper case: no new person.
  const again = await request(`/api/v1/companies/${other.id}/members`, {
    method: 'POST', headers, json: { email: email.toUpperCase(), first_name: 'Someone', last_name: 'Else' },
  });
  assert.equal(again.status, 201, again.text);
  assert.equal(again.json.user_id, m.user_id, 'found case-insensitively');
  assert.equal(again.json.first_name, 'Grace', 'an existing person keeps their name');
  assert.notEqual(again.json.id, m.id, 'each membership has its own id');

  const dup = await request(base, { method: 'POST', headers, json: { email } });
  assert.equal(assertError(dup, 409, 'conflict', 'member twice').field, 'email');

  const got = await request(`${base}/${m.id}`, { headers });
  assert.deepEqual(got.json, m);
  const xml = await request(`${base}/${m.id}?format=xml`, { headers });
  assert.deepEqual(parseXml(xml.text), m, 'XML carries the same data');
  assertError(await request(`/api/v1/companies/${other.id}/members/${m.id}`, { headers }), 404, 'not_found',
    'a membership read through another company');
  assertError(await request(`/api/v1/companies/${other.id}/members/${m.id}`, { method: 'DELETE', headers }),
    404, 'not_found', 'a membership removed through another company');

  const list = await request(base, { headers });
  assert.deepEqual(list.json, { items: [m], next_cursor: null });

  const del = await request(`${base}/${m.id}`, { method: 'DELETE', headers });
  assert.equal(del.status, 204, del.text);
  assertError(await request(`${base}/${m.id}`, { headers }), 404, 'not_found', 'after removal');
  assertError(await request(`${base}/${m.id}`, { method: 'DELETE', headers }), 404, 'not_found', 'removed twice');
  assert.deepEqual((await request(base, { headers })).json.items, []);
  const person = await request(`/api/v1/users/${m.user_id}`, { headers });
  assert.equal(person.status, 200, 'the person stays when the membership goes');

  const audit = await auditOf(headers, 'membership', m.id);
  assert.deepEqual(audit.map((e) => e.action), ['membership.create', 'membership.delete']);
  assert.deepEqual(audit[0].details, { company_id: c.id, user_id: m.user_id, email });
  assert.deepEqual((await auditOf(headers, 'user', m.user_id)).map((e) => e.action), ['user.create']);
  assert.deepEqual((await auditOf(headers, 'membership', again.json.id)).map((e) => e.action), ['membership.create']);
});

test('members: bad input is refused naming the field, a missing company is a 404, and nothing is written', async () => {
  const { headers } = await superAdmin();
  const c = await createCompany(headers);
  const base = `/api/v1/companies/${c.id}/members`;
  const email = randomEmail('badmember');
  for (const [body, field] of [
    [{}, 'email'],
    [{ email: 'not-an-email' }, 'email'],
    [{ email: 42 }, 'email'],
    [{ email, first_name: 'x'.repeat(101) }, 'first_name'],
    [{ email, last_name: 'x'.repeat(101) }, 'last_name'],
    [{ email, role: 'boss' }, 'body'],
  ]) {
    const r = await request(base, { method: 'POST', headers, json: body });
    assert.equal(assertError(r, 400, 'invalid_request', JSON.stringify(body).slice(0, 60)).field, field);
  }
  assertError(await request('/api/v1/companies/999999999/members', { method: 'POST', headers, json: { email } }),
    404, 'not_found', 'no such company');
  assertError(await request('/api/v1/companies/999999999/members', { headers }), 404, 'not_found', 'list of no company');
  const [[n]] = await sql(`SELECT COUNT(*) FROM users WHERE email = '${email}'`);
  assert.equal(n, '0', 'no person was created');
  assert.deepEqual((await request(base, { headers })).json.items, []);
});

test('members: pages of limit=2 across a company with five members', async () => {
  const { headers } = await superAdmin();
  const c = await createCompany(headers);
  const base = `/api/v1/companies/${c.id}/members`;
  const ids = [];
  for (let i = 0; i < 5; i++) {
    const r = await request(base, { method: 'POST', headers, json: { email: randomEmail('pm') } });
    assert.equal(r.status, 201, r.text);
    ids.push(r.json.id);
  }
  const seen = [];
  let cursor = null;
  do {
    const r = await request(`${base}?limit=2${cursor ? `&cursor=${cursor}` : ''}`, { headers });
    assert.equal(r.status, 200, r.text);
    seen.push(...r.json.items.map((x) => x.id));
    cursor = r.json.next_cursor;
  } while (cursor);
  assert.deepEqual(seen, ids);
});

test('installations: an application is installed, listed and uninstalled; refusals are 404 and 409', async () => {
  const { headers } = await superAdmin();
  const c = await createCompany(headers);
  const app = await createApp(headers);
  const base = `/api/v1/companies/${c.id}/apps`;

  const ins = await request(`${base}/${app.id}`, { method: 'POST', headers });
  assert.equal(ins.status, 201, ins.text);
  assert.equal(ins.json.id, app.id);
  assert.equal(ins.json.name, app.name);
  assert.match(ins.json.installed_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assertError(await request(`${base}/${app.id}`, { method: 'POST', headers }), 409, 'conflict', 'installed twice');
  assertError(await request(`${base}/999999999`, { method: 'POST', headers }), 404, 'not_found', 'no such app');
  assertError(await request(`/api/v1/companies/999999999/apps/${app.id}`, { method: 'POST', headers }), 404,
    'not_found', 'no such company');
  assertError(await request('/api/v1/companies/999999999/apps', { headers }), 404, 'not_found', 'list of no company');

  const list = await request(base, { headers });
  assert.deepEqual(list.json, { items: [ins.json], next_cursor: null });
  const xml = await request(`${base}?format=xml`, { headers });
  assert.deepEqual(parseXml(xml.text), list.json, 'XML carries the same data');

  const del = await request(`${base}/${app.id}`, { method: 'DELETE', headers });
  assert.equal(del.status, 204, del.text);
  assertError(await request(`${base}/${app.id}`, { method: 'DELETE', headers }), 404, 'not_found', 'not installed');
  assert.deepEqual((await request(base, { headers })).json.items, []);

  const audit = await auditOf(headers, 'company', c.id);
  assert.deepEqual(audit.map((e) => e.action), ['company.create', 'app.install', 'app.uninstall']);
  assert.equal(audit[1].details.app_id, app.id);
});

test('an AUDITOR reads companies, members and installations but changes nothing (403)', async () => {
  const admin = await superAdmin();
  const auditor = await personWithRoles(admin.headers, ['AUDITOR']);
  const c = await createCompany(admin.headers);
  const app = await createApp(admin.headers);
  const h = auditor.headers;

  assert.equal((await request(`/api/v1/companies/${c.id}`, { headers: h })).status, 200);
  assert.equal((await request('/api/v1/companies', { headers: h })).status, 200);
  assert.equal((await request(`/api/v1/companies/${c.id}/members`, { headers: h })).status, 200);
  assert.equal((await request(`/api/v1/companies/${c.id}/apps`, { headers: h })).status, 200);
  const m = await request(`/api/v1/companies/${c.id}/members`, { method: 'POST', headers: admin.headers, json: { email: randomEmail('am') } });
  assert.equal(m.status, 201);

  for (const [method, path, json] of [
    ['POST', '/api/v1/companies', newCompany()],
    ['PATCH', `/api/v1/companies/${c.id}`, { version: 1, name: 'Auditor was here' }],
    ['DELETE', `/api/v1/companies/${c.id}`],
    ['POST', `/api/v1/companies/${c.id}/members`, { email: randomEmail('am') }],
    ['DELETE', `/api/v1/companies/${c.id}/members/${m.json.id}`],
    ['POST', `/api/v1/companies/${c.id}/apps/${app.id}`],
    ['DELETE', `/api/v1/companies/${c.id}/apps/${app.id}`],
  ]) {
    assertError(await request(path, { method, headers: h, json }), 403, 'forbidden', `${method} ${path}`);
  }
  const now = await request(`/api/v1/companies/${c.id}`, { headers: h });
  assert.equal(now.json.version, 1, 'unchanged');
  assert.equal((await request(`/api/v1/companies/${c.id}/members`, { headers: h })).json.items.length, 1);
  assert.deepEqual((await request(`/api/v1/companies/${c.id}/apps`, { headers: h })).json.items, []);
  const audit = await auditOf(admin.headers, 'company', c.id);
  assert.deepEqual(audit.map((e) => e.action), ['company.create']);
});
