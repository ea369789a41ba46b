// registry.js - helpers the registry HTTP tests share: administrators with
// API tokens, people with roles, companies, and reading the audit log.
'use strict';

const assert = require('node:assert/strict');
const { request, createAdmin, createToken, randomEmail, randomHex } = require('./lib');

const bearer = (token) => ({ Authorization: `Bearer ${token}` });

// A new super administrator: { id, email, password, headers (a bearer token) }.
async function superAdmin() {
  const admin = await createAdmin();
  const headers = bearer(await createToken(admin.email));
  const me = await request('/api/v1/me', { headers });
  assert.equal(me.status, 200, me.text);
  return { ...admin, id: me.json.id, headers };
}

// A person with ROLES made through the users API by HEADERS, with a token:
// { id, email, headers }.
async function personWithRoles(headers, roles) {
  const email = randomEmail('role');
  const r = await request('/api/v1/users', { method: 'POST', headers, json: { email, roles } });
  assert.equal(r.status, 201, r.text);
  return { id: r.json.id, email, headers: bearer(await createToken(email)) };
}

// A new company (unique name and slug, or BODY) made by HEADERS.
async function createCompany(headers, body) {
  const tag = randomHex(5);
  const json = body || { name: `Company ${tag}`, slug: `co-${tag}` };
  const r = await request('/api/v1/companies', { method: 'POST', headers, json });
  assert.equal(r.status, 201, r.text);
  return r.json;
}

// The audit entries about OBJECT_TYPE OBJECT_ID, oldest first.
async function auditOf(headers, objectType, objectId) {
  const r = await request(`/api/v1/audit?object_type=${objectType}&object_id=${objectId}&limit=200`,
    { headers });
  assert.equal(r.status, 200, r.text);
  return r.json.items.reverse();
}

module.exports = { bearer, superAdmin, personWithRoles, createCompany, auditOf };
