// deep_objects.test.js - stored data that broke rendering (issue 13, item
// 8): a free-form object (properties, display, capabilities) nests at most
// 16 levels, refused 400 naming the field; and what is already stored deeper
// still renders everywhere: the XML API, the application API in XML, XML
// audit pages, the console's page and its audit pages. Properties 70 levels
// deep were accepted and then answered 500 in XML; 2046 levels made the
// console answer 500.
'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const {
  request, assertError, parseXml, randomHex, randomAddress, sql, signIn, pageText,
} = require('./lib');
const { superAdmin, createCompany } = require('./registry');

// JSON text of N nested objects {"a":{"a":...{"leaf":"end"}}}.
function nestedText(n) {
  return '{"a":'.repeat(n - 1) + '{"leaf":"end"}' + '}'.repeat(n - 1);
}

// N nested values, objects and lists in turn, an object outermost (N >= 1).
function nested(n) {
  let v = { leaf: 'end' };
  for (let i = 1; i < n; i++) v = i % 2 === (n - 1) % 2 ? { a: v } : [v];
  return v;
}

// Asserts A and B are the same tree (deepEqual recurses past node's stack
// at 2046 levels; JSON.stringify does not).
function sameTree(a, b, what) {
  assert.equal(JSON.stringify(a), JSON.stringify(b), what);
}

// How deep V's objects and lists nest (a scalar: 0).
function depth(v) {
  if (v === null || typeof v !== 'object') return 0;
  return 1 + Math.max(0, ...Object.values(v).map(depth));
}

test('free-form objects nested 17, 70 or 2046 levels are refused 400 naming the field (they were stored)', async () => {
  const { headers } = await superAdmin();
  const ok = await request('/api/v1/apps', {
    method: 'POST', headers, json: { name: `deep-ok-${randomHex(4)}`, properties: nested(16) },
  });
  assert.equal(ok.status, 201, ok.text);
  assert.equal(depth(ok.json.properties), 16);

  for (const n of [17, 70, 2046]) {
    const create = await request('/api/v1/apps', {
      method: 'POST', headers, json: { name: `deep-${n}-${randomHex(4)}`, properties: nested(n) },
    });
    const e = assertError(create, 400, 'invalid_request', `create, properties ${n} levels`);
    assert.equal(e.field, 'properties');
    assert.match(e.message, /16 levels/);
    const update = await request(`/api/v1/apps/${ok.json.id}`, {
      method: 'PATCH', headers, json: { version: ok.json.version, properties: nested(n) },
    });
    assert.equal(assertError(update, 400, 'invalid_request', `update, ${n} levels`).field, 'properties');
  }
  for (const field of ['display', 'capabilities']) {
    const r = await request(`/api/v1/apps/${ok.json.id}`, {
      method: 'PATCH', headers, json: { version: ok.json.version, [field]: { label: nested(70) } },
    });
    assert.equal(assertError(r, 400, 'invalid_request', field).field, field);
  }
  const [[kept]] = await sql(`SELECT properties FROM apps WHERE id = ${ok.json.id}`);
  assert.equal(depth(JSON.parse(kept)), 16, 'nothing stored by the refused changes');
});

test('the console refuses a properties text nested 70 levels, showing the message by the field', async () => {
  const admin = await superAdmin();
  const { jar, csrf } = await signIn(admin.email, admin.password);
  const name = `deep-console-${randomHex(4)}`;
  const r = await request('/admin/apps', { method: 'POST', jar, form: { csrf, name, properties: nestedText(70) } });
  assert.equal(r.status, 400, r.text.slice(0, 300));
  assert.match(pageText(r.text), /properties must not nest objects and lists deeper than 16 levels/);
  const [[count]] = await sql(`SELECT COUNT(*) FROM apps WHERE name = '${name}'`);
  assert.equal(count, '0');
});

// An installed application whose properties, and one audit entry about it,
// hold N levels written straight into the database: what data stored
// before the limit looks like. Resolves with { headers, admin, app, company }.
async function storedDeep(n) {
  const admin = await superAdmin();
  const { headers } = admin;
  const created = await request('/api/v1/apps', {
    method: 'POST', headers, json: { name: `stored-${n}-${randomHex(4)}`, capabilities: { read: ['companies'], write: [] } },
  });
  assert.equal(created.status, 201, created.text);
  const app = created.json;
  const company = await createCompany(headers);
  const installed = await request(`/api/v1/companies/${company.id}/apps/${app.id}`, { method: 'POST', headers });
  assert.equal(installed.status, 201, installed.text);
  const text = nestedText(n);
  assert.match(text, /^[{}":a-z]+$/, 'plain characters only in the SQL text');
  await sql(`UPDATE apps SET properties = '${text}' WHERE id = ${app.id}`);
  await sql(`INSERT INTO audit_log (actor_type, action, object_type, object_id, details) ` +
    `VALUES ('system', 'app.update', 'app', '${app.id}', '{"properties":${text}}')`);
  return { headers, admin, app, company };
}

const basic = (app) => `Basic ${Buffer.from(`${app.public_id}:${app.private_api_key}`).toString('base64')}`;

for (const n of [70, 2046]) {
  test(`properties stored ${n} levels deep still render: XML API, application API in XML, XML audit pages, console pages (were 500)`, async () => {
    const { headers, admin, app, company } = await storedDeep(n);
    const xmlHeaders = { ...headers, Accept: 'application/xml' };

    const json = await request(`/api/v1/apps/${app.id}`, { headers });
    assert.equal(json.status, 200, json.text.slice(0, 300));
    assert.equal(depth(json.json.properties), n);
    const xml = await request(`/api/v1/apps/${app.id}`, { headers: xmlHeaders });
    assert.equal(xml.status, 200, xml.text.slice(0, 300));
    sameTree(parseXml(xml.text), json.json, 'the application in XML');

    const list = await request(`/api/v1/apps?name=${encodeURIComponent(app.name)}`, { headers: xmlHeaders });
    assert.equal(list.status, 200, list.text.slice(0, 300));
    assert.equal(depth(parseXml(list.text).items[0].properties), n, 'the list in XML');

    const me = await request(`/api/v1/app/me?group_id=${company.id}`, {
      headers: { Authorization: basic(app), Accept: 'application/xml', 'X-Forwarded-Proto': 'https' },
      address: randomAddress(),
    });
    assert.equal(me.status, 200, me.text.slice(0, 300));
    assert.equal(depth(parseXml(me.text).properties), n, 'the application API in XML');

    const q = `/api/v1/audit?object_type=app&object_id=${app.id}`;
    const auditJson = await request(q, { headers });
    assert.equal(auditJson.status, 200, auditJson.text.slice(0, 300));
    const auditXml = await request(q, { headers: xmlHeaders });
    assert.equal(auditXml.status, 200, auditXml.text.slice(0, 300));
    sameTree(parseXml(auditXml.text), auditJson.json, 'the audit page in XML');
    assert.equal(depth(auditJson.json.items[0].details.properties), n);

    const { jar } = await signIn(admin.email, admin.password);
    const page = await request(`/admin/apps/${app.id}`, { jar });
    assert.equal(page.status, 200, page.text.slice(0, 300));
    assert.ok(page.text.includes('{&quot;a&quot;:{&quot;a&quot;:') || page.text.includes('{"a":{"a":'),
      'the properties shown as JSON');
    assert.ok(page.text.length < 1024 * 1024, 'compact, not indented 2 spaces a level');
    const audit = await request(`/admin/audit?object_type=app&object_id=${app.id}`, { jar });
    assert.equal(audit.status, 200, audit.text.slice(0, 300));
    assert.match(audit.text, /leaf/);
  });
}
