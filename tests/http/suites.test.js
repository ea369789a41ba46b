// suites.test.js - /api/v1/suites and their projects: create, read (JSON and
// XML), list with filters, update with the version, delete; bad values;
// roles; the audit log.
'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const { request, assertError, randomHex, parseXml } = require('./lib');
const { superAdmin, personWithRoles, auditOf } = require('./registry');

const newSuite = (extra = {}) => ({ name: `Suite ${randomHex(5)}`, description: 'Chat tools', ...extra });

async function createSuite(headers, body = newSuite()) {
  const r = await request('/api/v1/suites', { method: 'POST', headers, json: body });
  assert.equal(r.status, 201, r.text);
  return r.json;
}

test('a suite is created, read as JSON and XML, listed, updated, deleted, and audited', async () => {
  const { headers } = await superAdmin();
  const body = newSuite();
  const r = await request('/api/v1/suites', { method: 'POST', headers, json: body });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.name, body.name);
  assert.equal(r.json.description, body.description);
  assert.equal(r.json.version, 1);
  assert.equal(r.headers.get('etag'), '"1"');
  assert.match(r.headers.get('location'), new RegExp(`/api/v1/suites/${r.json.id}$`));
  const id = r.json.id;
  const got = await request(`/api/v1/suites/${id}`, { headers });
  assert.deepEqual(got.json, r.json);
  const xml = await request(`/api/v1/suites/${id}?format=xml`, { headers });
  assert.deepEqual(parseXml(xml.text), r.json, 'XML carries the same data');
  const list = await request(`/api/v1/suites?name=${encodeURIComponent(body.name)}`, { headers });
  assert.deepEqual(list.json, { items: [r.json], next_cursor: null });
  const none = await request(`/api/v1/suites?name=${encodeURIComponent(`${body.name}%`)}`, { headers });
  assert.deepEqual(none.json.items, [], 'LIKE characters in a filter match themselves');
  const put = await request(`/api/v1/suites/${id}`, { method: 'PUT', headers, json: { description: 'new', version: 1 } });
  assert.equal(put.status, 200, put.text);
  assert.equal(put.json.description, 'new');
  assert.equal(put.json.name, body.name, 'fields not sent keep their values');
  assert.equal(put.json.version, 2);
  const del = await request(`/api/v1/suites/${id}`, { method: 'DELETE', headers });
  assert.equal(del.status, 204);
  assertError(await request(`/api/v1/suites/${id}`, { headers }), 404, 'not_found');
  assertError(await request(`/api/v1/suites/${id}`, { method: 'DELETE', headers }), 404, 'not_found');
  const actions = (await auditOf(headers, 'suite', id)).map((e) => e.action);
  assert.deepEqual(actions, ['suite.create', 'suite.update', 'suite.delete']);
});

test('bad suites are refused naming the field, and nothing is written', async () => {
  const { headers } = await superAdmin();
  const tag = randomHex(5);
  const cases = [
    [{}, 'name'],
    [{ name: '' }, 'name'],
    [{ name: 'x'.repeat(101) }, 'name'],
    [{ name: 42 }, 'name'],
    [{ name: `bad\u0007${tag}` }, 'name'],
    [{ name: `S ${tag}`, description: 'd'.repeat(1001) }, 'description'],
    [{ name: `S ${tag}`, colour: 'red' }, 'body'],
  ];
  for (const [body, field] of cases) {
    const r = await request('/api/v1/suites', { method: 'POST', headers, json: body });
    assert.equal(assertError(r, 400, 'invalid_request', JSON.stringify(body)).field, field);
  }
  const list = await request(`/api/v1/suites?name=${tag}`, { headers });
  assert.deepEqual(list.json.items, [], 'nothing was written');
  const taken = await createSuite(headers);
  const dup = await request('/api/v1/suites', { method: 'POST', headers, json: { name: taken.name } });
  assertError(dup, 409, 'conflict');
  const form = await request('/api/v1/suites', { method: 'POST', headers, form: { name: `Form ${tag}` } });
  assert.equal(form.status, 201, 'a form body works like JSON');
  const stale = await request(`/api/v1/suites/${taken.id}`, { method: 'PATCH', headers, json: { name: 'x', version: 9 } });
  assert.equal(assertError(stale, 409, 'conflict').field, 'version');
  const staleIfMatch = await request(`/api/v1/suites/${taken.id}`, { method: 'PATCH', headers: { ...headers, 'If-Match': '"9"' }, json: { name: 'x' } });
  assertError(staleIfMatch, 412, 'precondition_failed');
  const noVersion = await request(`/api/v1/suites/${taken.id}`, { method: 'PATCH', headers, json: { name: 'x' } });
  assert.equal(assertError(noVersion, 400, 'invalid_request').field, 'version');
  const emptyName = await request(`/api/v1/suites/${taken.id}`, { method: 'PATCH', headers, json: { name: '', version: 1 } });
  assert.equal(assertError(emptyName, 400, 'invalid_request').field, 'name');
  const now = await request(`/api/v1/suites/${taken.id}`, { headers });
  assert.deepEqual(now.json, taken, 'the refused updates wrote nothing');
  for (const q of ['limit=0', 'limit=201', 'limit=x', 'cursor=nope']) {
    assertError(await request(`/api/v1/suites?${q}`, { headers }), 400, 'invalid_request', q);
  }
});

test('projects live in their suite; a suite with projects cannot be deleted', async () => {
  const { headers } = await superAdmin();
  const suite = await createSuite(headers);
  const other = await createSuite(headers);
  const p = await request(`/api/v1/suites/${suite.id}/projects`, { method: 'POST', headers, json: { name: 'Bots' } });
  assert.equal(p.status, 201, p.text);
  assert.equal(p.json.suite_id, suite.id);
  await request(`/api/v1/suites/${other.id}/projects`, { method: 'POST', headers, json: { name: 'Bots' } });
  const same = await request(`/api/v1/suites/${suite.id}/projects`, { method: 'POST', headers, json: { name: 'Bots' } });
  assertError(same, 409, 'conflict', 'a name is unique within its suite');
  const listed = await request(`/api/v1/suites/${suite.id}/projects`, { headers });
  assert.deepEqual(listed.json.items.map((x) => x.id), [p.json.id], 'only this suite\'s projects');
  const xml = await request(`/api/v1/projects/${p.json.id}`, { headers: { ...headers, Accept: 'application/xml' } });
  assert.deepEqual(parseXml(xml.text), p.json);
  const bad = await request(`/api/v1/suites/${suite.id}/projects`, { method: 'POST', headers, json: { name: '' } });
  assert.equal(assertError(bad, 400, 'invalid_request').field, 'name');
  const moved = await request(`/api/v1/projects/${p.json.id}`, { method: 'PATCH', headers, json: { suite_id: other.id, version: 1 } });
  assert.equal(assertError(moved, 400, 'invalid_request').field, 'body', 'a project does not change suites');
  assertError(await request('/api/v1/suites/999999999/projects', { method: 'POST', headers, json: { name: 'x' } }), 404, 'not_found');
  const blocked = await request(`/api/v1/suites/${suite.id}`, { method: 'DELETE', headers });
  assertError(blocked, 409, 'conflict');
  assert.equal((await request(`/api/v1/projects/${p.json.id}`, { method: 'DELETE', headers })).status, 204);
  assert.equal((await request(`/api/v1/suites/${suite.id}`, { method: 'DELETE', headers })).status, 204);
  const actions = (await auditOf(headers, 'project', p.json.id)).map((e) => e.action);
  assert.deepEqual(actions, ['project.create', 'project.delete']);
});

test('auditors read suites; only SUPER_ADMINISTRATOR and USER_PROVISIONING write them', async () => {
  const { headers } = await superAdmin();
  const suite = await createSuite(headers);
  const auditor = await personWithRoles(headers, ['AUDITOR']);
  const provisioner = await personWithRoles(headers, ['USER_PROVISIONING']);
  assert.equal((await request(`/api/v1/suites/${suite.id}`, { headers: auditor.headers })).status, 200);
  assertError(await request('/api/v1/suites', { method: 'POST', headers: auditor.headers, json: newSuite() }), 403, 'forbidden');
  assertError(await request(`/api/v1/suites/${suite.id}`, { method: 'DELETE', headers: auditor.headers }), 403, 'forbidden');
  assert.equal((await request('/api/v1/suites', { method: 'POST', headers: provisioner.headers, json: newSuite() })).status, 201);
});
