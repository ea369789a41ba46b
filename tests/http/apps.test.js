// apps.test.js - /api/v1/apps: the identity sheet created with every
// field, read in JSON and XML, listed with filters and pages, updated with
// its version, deleted (not while it has application users), who may
// write, and every validation rule refused naming the field with nothing
// written. Keys and credentials: apps_keys.test.js.
'use strict';

const { test, before } = require('node:test');
const assert = require('node:assert/strict');
const { request, assertError, assertNoSecrets, sql, sqlString, randomHex, parseXml } = require('./lib');
const fixtures = require('./apps_fixtures');

const { admin, makeKeys, fullSheet, createApp, auditRows, countNamed } = fixtures;

let keys;
let writer;
before(async () => {
  keys = makeKeys();
  writer = await admin();
});

const WRITE_ONLY = ['private_api_key', 'events_secret'];
const strip = (o) => Object.fromEntries(Object.entries(o).filter(([k]) => !WRITE_ONLY.includes(k)));

const newSuite = (name) => fixtures.newSuite(writer, name);
const newProject = (suite) => fixtures.newProject(writer, suite);

async function newCompany() {
  const slug = `co-${randomHex(5)}`;
  const [[id]] = await sql(`INSERT INTO companies (name, slug) VALUES (${sqlString(slug)}, ${sqlString(slug)}); SELECT LAST_INSERT_ID()`);
  return Number(id);
}

test('an application created with every field reads back the same in JSON and XML', async () => {
  const suite = await newSuite();
  const project = await newProject(suite);
  const sheet = fullSheet(keys, { suite_id: suite, project_id: project });
  const r = await request('/api/v1/apps', { method: 'POST', headers: writer.headers, json: sheet });
  assert.equal(r.status, 201, r.text);
  for (const [k, v] of Object.entries(sheet)) assert.deepEqual(r.json[k], v, k);
  assert.equal(r.json.version, 1);
  assert.match(r.json.public_id, /^[0-9a-f]{26}$/);
  assert.match(r.json.private_api_key, /^[A-Za-z0-9_-]{43}$/);
  assert.equal(r.json.previous_key_expires_at, null);
  assert.match(r.json.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.equal(r.headers.get('location').replace(/^https?:\/\/[^/]+/, ''), `/api/v1/apps/${r.json.id}`);
  assert.equal(r.headers.get('etag'), '"1"');

  const got = await request(`/api/v1/apps/${r.json.id}`, { headers: writer.headers });
  assert.equal(got.status, 200, got.text);
  assert.deepEqual(got.json, strip(r.json), 'GET returns the sheet without the key');
  assert.equal(got.headers.get('etag'), '"1"');
  const xml = await request(`/api/v1/apps/${r.json.id}`, { headers: { ...writer.headers, Accept: 'application/xml' } });
  assert.equal(xml.status, 200, xml.text);
  assert.match(xml.headers.get('content-type'), /^application\/xml/);
  assert.deepEqual(parseXml(xml.text), got.json, 'XML carries the same data');
  assertNoSecrets(got, [r.json.private_api_key], 'GET');
  assertNoSecrets(xml, [r.json.private_api_key], 'GET XML');

  const audit = await auditRows(r.json.id);
  assert.deepEqual(audit.map(([a]) => a), ['app.create']);
  assert.equal(audit[0][2], writer.email);
  const details = JSON.parse(audit[0][1]);
  assert.equal(details.name, sheet.name);
  assert.equal(details.public_id, r.json.public_id);
  assert.ok(!audit[0][1].includes(r.json.private_api_key), 'no key in the audit log');
});

test('an application with every list and text at its largest is created, updated and audited whole', async () => {
  // Each field within its own limit, the whole sheet well over 64 KiB.
  const label = (c) => c.repeat(60);
  const host = (i) => `${label('a')}.${label('b')}.${label('c')}.o${String(i).padStart(2, '0')}.example.org`;
  const sheet = fullSheet(keys, {
    description: 'd'.repeat(1000),
    allowed_ips: Array.from({ length: 100 }, (_, i) => `2001:db8:${i.toString(16)}::/48`),
    allowed_origins: Array.from({ length: 50 }, (_, i) => `https://${host(i)}:8443`),
    redirect_uris: Array.from({ length: 20 }, (_, i) => `https://app.example.org/${String(i).padStart(2, '0')}/${'p'.repeat(2000)}`),
    properties: { blob: 'x'.repeat(16000) },
  });
  const r = await request('/api/v1/apps', { method: 'POST', headers: writer.headers, json: sheet });
  assert.equal(r.status, 201, r.text);
  for (const [k, v] of Object.entries(sheet)) assert.deepEqual(r.json[k], v, k);
  const [created] = await auditRows(r.json.id);
  assert.ok(created[1].length > 65535, `the audit entry holds the whole sheet (${created[1].length} bytes)`);
  assert.deepEqual(JSON.parse(created[1]).redirect_uris, sheet.redirect_uris);

  const changed = sheet.redirect_uris.map((u) => u.replace('/p', '/q'));
  const u = await request(`/api/v1/apps/${r.json.id}`, {
    method: 'PUT', headers: writer.headers, json: { ...sheet, redirect_uris: changed, version: 1 },
  });
  assert.equal(u.status, 200, u.text);
  assert.deepEqual(u.json.redirect_uris, changed);
  const audit = await auditRows(r.json.id);
  assert.deepEqual(audit.map(([a]) => a), ['app.create', 'app.update']);
  assert.deepEqual(JSON.parse(audit[1][1]).redirect_uris, changed);
});

test('an application created with only a name gets the documented defaults', async () => {
  const name = `bare-${randomHex(5)}`;
  const app = await createApp(writer, { name });
  assert.deepEqual(strip(app), {
    ...strip(app),
    name,
    description: '',
    icon_url: null,
    app_group_id: null,
    suite_id: null,
    project_id: null,
    events_url: null,
    allowed_ips: [],
    permissions: [],
    capabilities: { read: [], write: [] },
    display: {},
    domain: null,
    allowed_origins: [],
    redirect_uris: [],
    authenticator: 'authorization_code_pkce',
    access_token_ttl: 3600,
    refresh_token_ttl: 2592000,
    public_key_current: null,
    public_key_previous: null,
    certificate: null,
    properties: {},
  });
});

test('development mode allows plain http for the events URL, domain, origins and redirect URIs', async () => {
  const app = await createApp(writer, {
    name: `dev-${randomHex(5)}`,
    events_url: 'http://hooks.internal:8080/events',
    domain: 'http://app.internal:3000',
    allowed_origins: ['http://other.internal'],
    redirect_uris: ['http://app.internal:3000/cb'],
  });
  assert.equal(app.events_url, 'http://hooks.internal:8080/events');
  assert.equal(app.domain, 'http://app.internal:3000');
  // the icon stays https only, whatever the mode
  const r = await request('/api/v1/apps', {
    method: 'POST', headers: writer.headers, json: { name: `dev-${randomHex(5)}`, icon_url: 'http://cdn.example.org/i.png' },
  });
  assert.equal(assertError(r, 400, 'invalid_request').field, 'icon_url');
});

test('the list filters by name, suite, project and company, in pages', async () => {
  const tag = randomHex(5);
  const suite = await newSuite();
  const projectA = await newProject(suite);
  const projectB = await newProject(suite);
  const company = await newCompany();
  const a = await createApp(writer, { name: `list-${tag}-a`, suite_id: suite, project_id: projectA });
  const b = await createApp(writer, { name: `list-${tag}-b`, suite_id: suite, project_id: projectB });
  const c = await createApp(writer, { name: `list-${tag}-c` });
  await createApp(writer, { name: `other-${tag}` });
  await sql(`INSERT INTO app_installs (company_id, app_id) VALUES (${company}, ${a.id}), (${company}, ${c.id})`);

  const ids = async (query) => {
    const r = await request(`/api/v1/apps?${query}`, { headers: writer.headers });
    assert.equal(r.status, 200, r.text);
    for (const item of r.json.items) assert.ok(!('private_api_key' in item), 'no key in the list');
    return r.json.items.map((i) => i.id);
  };
  assert.deepEqual(await ids(`name=list-${tag}`), [a.id, b.id, c.id]);
  assert.deepEqual(await ids(`suite_id=${suite}`), [a.id, b.id]);
  assert.deepEqual(await ids(`project_id=${projectB}`), [b.id]);
  assert.deepEqual(await ids(`company_id=${company}`), [a.id, c.id]);
  assert.deepEqual(await ids(`company_id=${company}&name=list-${tag}-c`), [c.id]);
  assert.deepEqual(await ids(`suite_id=${suite}&project_id=${projectA}`), [a.id]);

  const seen = [];
  let cursor = '';
  for (let page = 0; page < 5; page++) {
    const r = await request(`/api/v1/apps?name=list-${tag}&limit=1${cursor ? `&cursor=${cursor}` : ''}`, { headers: writer.headers });
    assert.equal(r.status, 200, r.text);
    seen.push(...r.json.items.map((i) => i.id));
    if (!r.json.next_cursor) break;
    cursor = r.json.next_cursor;
  }
  assert.deepEqual(seen, [a.id, b.id, c.id], 'pages of one, nothing skipped or repeated');

  for (const [query, field] of [['suite_id=x', 'suite_id'], ['company_id=0', 'company_id'],
    ['project_id=-3', 'project_id'], ['limit=0', 'limit'], ['cursor=%21%21', 'cursor']]) {
    const r = await request(`/api/v1/apps?${query}`, { headers: writer.headers });
    assert.equal(assertError(r, 400, 'invalid_request', query).field, field, query);
  }
});

test('an update needs the version: stale ones get 409 (body) or 412 (If-Match), nothing written', async () => {
  const app = await createApp(writer, fullSheet(keys));
  const url = `/api/v1/apps/${app.id}`;
  const r = await request(url, {
    method: 'PATCH', headers: writer.headers,
    json: { version: 1, description: 'changed', permissions: ['SET_PRESENCE'], display: { label: 'x' } },
  });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.version, 2);
  assert.equal(r.json.description, 'changed');
  assert.deepEqual(r.json.permissions, ['SET_PRESENCE']);
  assert.deepEqual(r.json.display, { label: 'x' });
  assert.equal(r.json.name, app.name, 'fields not sent are kept');
  assert.equal(r.json.public_id, app.public_id);
  assert.ok(!('private_api_key' in r.json), 'an update does not show the key');

  const stale = await request(url, { method: 'PATCH', headers: writer.headers, json: { version: 1, description: 'stale' } });
  assert.equal(assertError(stale, 409, 'conflict').field, 'version');
  const staleIfMatch = await request(url, {
    method: 'PUT', headers: { ...writer.headers, 'If-Match': '"1"' }, json: { description: 'stale' },
  });
  assertError(staleIfMatch, 412, 'precondition_failed');
  const noVersion = await request(url, { method: 'PATCH', headers: writer.headers, json: { description: 'none' } });
  assert.equal(assertError(noVersion, 400, 'invalid_request').field, 'version');
  const ok = await request(url, { method: 'PUT', headers: { ...writer.headers, 'If-Match': '"2"' }, json: { name: `${app.name}-2` } });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.json.version, 3);
  const now = await request(url, { headers: writer.headers });
  assert.equal(now.json.description, 'changed', 'the stale updates wrote nothing');
  assert.deepEqual((await auditRows(app.id)).map(([a]) => a), ['app.create', 'app.update', 'app.update']);
  assertError(await request('/api/v1/apps/999999999', { method: 'PATCH', headers: writer.headers, json: { version: 1 } }),
    404, 'not_found');
});

test('delete: 204, then 404; installations go with it; refused while it has application users', async () => {
  const company = await newCompany();
  const app = await createApp(writer, { name: `del-${randomHex(5)}` });
  await sql(`INSERT INTO app_installs (company_id, app_id) VALUES (${company}, ${app.id})`);
  await sql(`INSERT INTO app_users (app_id, user_id) VALUES (${app.id}, ${writer.userId})`);
  const refused = await request(`/api/v1/apps/${app.id}`, { method: 'DELETE', headers: writer.headers });
  const e = assertError(refused, 409, 'conflict');
  assert.match(e.message, /application users/);
  assert.equal((await request(`/api/v1/apps/${app.id}`, { headers: writer.headers })).status, 200, 'still there');

  await sql(`DELETE FROM app_users WHERE app_id = ${app.id}`);
  const r = await request(`/api/v1/apps/${app.id}`, { method: 'DELETE', headers: writer.headers });
  assert.equal(r.status, 204, r.text);
  assert.equal(r.text, '');
  assertError(await request(`/api/v1/apps/${app.id}`, { headers: writer.headers }), 404, 'not_found');
  assertError(await request(`/api/v1/apps/${app.id}`, { method: 'DELETE', headers: writer.headers }), 404, 'not_found');
  const [[installs]] = await sql(`SELECT COUNT(*) FROM app_installs WHERE app_id = ${app.id}`);
  assert.equal(Number(installs), 0, 'the installation rows went with it');
  assert.deepEqual((await auditRows(app.id)).map(([a]) => a), ['app.create', 'app.delete']);
});

test('auditors read applications; only SUPER_ADMINISTRATOR and USER_PROVISIONING write them', async () => {
  const auditor = await admin('AUDITOR');
  const provisioner = await admin('USER_PROVISIONING');
  const app = await createApp(provisioner, { name: `roles-${randomHex(5)}` });
  assert.equal((await request(`/api/v1/apps/${app.id}`, { headers: auditor.headers })).status, 200);
  assert.equal((await request('/api/v1/apps', { headers: auditor.headers })).status, 200);
  const name = `auditor-${randomHex(5)}`;
  for (const [method, url, json] of [
    ['POST', '/api/v1/apps', { name }],
    ['PATCH', `/api/v1/apps/${app.id}`, { version: 1, name }],
    ['PUT', `/api/v1/apps/${app.id}`, { version: 1, name }],
    ['DELETE', `/api/v1/apps/${app.id}`, undefined],
    ['POST', `/api/v1/apps/${app.id}/rotate-key`, {}],
  ]) {
    assertError(await request(url, { method, headers: auditor.headers, json }), 403, 'forbidden', `${method} ${url}`);
  }
  const after = await request(`/api/v1/apps/${app.id}`, { headers: auditor.headers });
  assert.deepEqual(after.json, strip(app), 'the auditor changed nothing');
  assert.equal(await countNamed(name), 0);
  assertError(await request('/api/v1/apps'), 401, 'unauthorized', 'no credentials');
});

// [what, body fields, the field named, a text the message must hold]
function badSheets() {
  const long = (n, c = 'a') => c.repeat(n);
  return [
    ['no name', { name: undefined }, 'name'],
    ['empty name', { name: '' }, 'name'],
    ['name too long', { name: long(101) }, 'name'],
    ['description too long', { description: long(1001) }, 'description'],
    ['http icon', { icon_url: 'http://cdn.example.org/i.png' }, 'icon_url'],
    ['relative icon', { icon_url: '/i.png' }, 'icon_url'],
    ['icon with a user', { icon_url: 'https://user:pw@cdn.example.org/i.png' }, 'icon_url'],
    ['icon with a space', { icon_url: 'https://cdn.example.org/a b.png' }, 'icon_url'],
    ['bad app group id', { app_group_id: 'has space' }, 'app_group_id'],
    ['long app group id', { app_group_id: long(65) }, 'app_group_id'],
    ['suite id not a number', { suite_id: 'one' }, 'suite_id'],
    ['no such suite', { suite_id: 999999999 }, 'suite_id'],
    ['no such project', { project_id: 999999999 }, 'project_id'],
    ['ftp events url', { events_url: 'ftp://hooks.example.org/x' }, 'events_url'],
    ['events url without host', { events_url: 'https:///x' }, 'events_url'],
    ['bad IPv4', { allowed_ips: ['192.0.2.1', '10.0.0.300'] }, 'allowed_ips', '10.0.0.300'],
    ['IPv4 prefix over 32', { allowed_ips: ['10.0.0.0/33'] }, 'allowed_ips', '10.0.0.0/33'],
    ['IPv6 prefix over 128', { allowed_ips: ['2001:db8::/129'] }, 'allowed_ips', '2001:db8::/129'],
    ['empty prefix', { allowed_ips: ['10.0.0.0/'] }, 'allowed_ips', '10.0.0.0/'],
    ['a host name as an address', { allowed_ips: ['example.org'] }, 'allowed_ips', 'example.org'],
    ['addresses not a list', { allowed_ips: '10.0.0.1' }, 'allowed_ips'],
    ['lower-case permission', { permissions: ['SEND_MESSAGES', 'send_messages'] }, 'permissions', 'send_messages'],
    ['empty permission', { permissions: [''] }, 'permissions'],
    ['permission too long', { permissions: [long(65, 'A')] }, 'permissions', long(65, 'A')],
    ['permission with a dash', { permissions: ['MY-PERM'] }, 'permissions', 'MY-PERM'],
    ['permission twice', { permissions: ['TRUST_APP', 'TRUST_APP'] }, 'permissions', 'TRUST_APP'],
    ['unknown capability resource', { capabilities: { read: ['secrets'], write: [] } }, 'capabilities', 'secrets'],
    ['unknown capability key', { capabilities: { read: [], write: [], delete: ['users'] } }, 'capabilities', 'delete'],
    ['capabilities without write', { capabilities: { read: ['users'] } }, 'capabilities', 'write'],
    ['capabilities as a list', { capabilities: ['users'] }, 'capabilities'],
    ['capability listed twice', { capabilities: { read: ['users', 'users'], write: [] } }, 'capabilities', 'users'],
    ['unknown display key', { display: { chat_button: true, color: 'red' } }, 'display', 'color'],
    ['display flag not a boolean', { display: { chat_button: 'yes' } }, 'display', 'chat_button'],
    ['display label too long', { display: { label: long(65) } }, 'display', 'label'],
    ['domain with a path', { domain: 'https://app.example.org/path' }, 'domain'],
    ['domain host with a port', { domain: 'app.example.org:8443' }, 'domain'],
    ['ftp domain', { domain: 'ftp://app.example.org' }, 'domain'],
    ['origin with a path', { allowed_origins: ['https://a.example.org/'] }, 'allowed_origins', 'https://a.example.org/'],
    ['origin not a URL', { allowed_origins: ['*.example.org'] }, 'allowed_origins', '*.example.org'],
    ['redirect with a fragment', { redirect_uris: ['https://a.example.org/cb#top'] }, 'redirect_uris', 'https://a.example.org/cb#top'],
    ['relative redirect', { redirect_uris: ['/cb'] }, 'redirect_uris', '/cb'],
    ['custom scheme redirect', { redirect_uris: ['myapp://cb'] }, 'redirect_uris', 'myapp://cb'],
    ['21 redirect URIs', { redirect_uris: Array.from({ length: 21 }, (_, i) => `https://a.example.org/${i}`) }, 'redirect_uris'],
    ['unknown authenticator', { authenticator: 'password' }, 'authenticator'],
    ['access token ttl too short', { access_token_ttl: 59 }, 'access_token_ttl'],
    ['access token ttl too long', { access_token_ttl: 86401 }, 'access_token_ttl'],
    ['refresh token ttl over a year', { refresh_token_ttl: 31536001 }, 'refresh_token_ttl'],
    ['refresh equal to access', { access_token_ttl: 3600, refresh_token_ttl: 3600 }, 'refresh_token_ttl'],
    ['refresh shorter than access', { access_token_ttl: 7200, refresh_token_ttl: 3600 }, 'refresh_token_ttl'],
    ['properties as a list', { properties: [1, 2] }, 'properties'],
    ['properties over 16 KiB', { properties: { blob: long(16400) } }, 'properties'],
    ['an unknown field', { colour: 'blue' }, 'body', 'colour'],
  ];
}

test('every bad identity sheet is refused with 400 naming the field, and nothing is written', async () => {
  for (const [what, fields, field, text] of badSheets()) {
    const name = `bad-${randomHex(6)}`;
    const json = { name, ...fields };
    if (fields.name === undefined && 'name' in fields) delete json.name;
    const r = await request('/api/v1/apps', { method: 'POST', headers: writer.headers, json });
    const e = assertError(r, 400, 'invalid_request', what);
    assert.equal(e.field, field, `${what}: ${e.message}`);
    if (text) assert.ok(e.message.includes(text), `${what}: the message names "${text}": ${e.message}`);
    assert.equal(await countNamed(name), 0, `${what}: nothing written`);
  }
});

test('a project of another suite, and a taken app group id, are refused', async () => {
  const suiteA = await newSuite();
  const suiteB = await newSuite();
  const projectB = await newProject(suiteB);
  const name = `mix-${randomHex(5)}`;
  const r = await request('/api/v1/apps', {
    method: 'POST', headers: writer.headers, json: { name, suite_id: suiteA, project_id: projectB },
  });
  assert.equal(assertError(r, 400, 'invalid_request').field, 'project_id');
  assert.equal(await countNamed(name), 0);

  const group = `grp-${randomHex(5)}`;
  const first = await createApp(writer, { name: `${name}-1`, app_group_id: group });
  const dup = await request('/api/v1/apps', { method: 'POST', headers: writer.headers, json: { name, app_group_id: group } });
  assert.equal(assertError(dup, 409, 'conflict').field, 'app_group_id');
  assert.equal(await countNamed(name), 0);
  const other = await createApp(writer, { name: `${name}-2` });
  const upd = await request(`/api/v1/apps/${other.id}`, {
    method: 'PATCH', headers: writer.headers, json: { version: 1, app_group_id: group },
  });
  assert.equal(assertError(upd, 409, 'conflict').field, 'app_group_id');
  const same = await request(`/api/v1/apps/${first.id}`, {
    method: 'PATCH', headers: writer.headers, json: { version: 1, app_group_id: group, description: 'same group' },
  });
  assert.equal(same.status, 200, `an application keeps its own group: ${same.text}`);
});

test('updates are checked on the merged sheet, and a refused update writes nothing', async () => {
  const suite = await newSuite();
  const project = await newProject(suite);
  const app = await createApp(writer, { name: `merge-${randomHex(5)}`, suite_id: suite, project_id: project,
    access_token_ttl: 600, refresh_token_ttl: 1200 });
  const url = `/api/v1/apps/${app.id}`;
  const other = await newSuite();
  for (const [what, json, field] of [
    ['access now over refresh', { access_token_ttl: 1200 }, 'refresh_token_ttl'],
    ['suite no longer the project\'s', { suite_id: other }, 'project_id'],
    ['a bad origin', { allowed_origins: ['nope'] }, 'allowed_origins'],
    ['a null name', { name: null }, 'name'],
    ['a null list', { redirect_uris: null }, 'redirect_uris'],
    ['an unknown field', { public_id: 'aaaaaaaaaaaaaaaaaaaaaaaaaa' }, 'body'],
  ]) {
    const r = await request(url, { method: 'PATCH', headers: writer.headers, json: { version: 1, ...json } });
    assert.equal(assertError(r, 400, 'invalid_request', what).field, field, what);
  }
  const now = await request(url, { headers: writer.headers });
  assert.deepEqual(now.json, strip(app), 'nothing was written');
  const cleared = await request(url, {
    method: 'PATCH', headers: writer.headers, json: { version: 1, suite_id: null, project_id: null, access_token_ttl: 1100 },
  });
  assert.equal(cleared.status, 200, cleared.text);
  assert.equal(cleared.json.suite_id, null);
});
