// openapi.test.js - GET /api/v1/openapi.json: an OpenAPI 3.1 document that
// swagger-parser accepts, served from the base URL, whose path parameters
// are named, whose operations all say how they are authenticated and answer
// their refusals in the error shape, and whose schemas are closed; a real
// answer fits it and the same answer with one more field does not. Run by
// scripts/test (node --test).
'use strict';

const { test, before } = require('node:test');
const assert = require('node:assert/strict');
const { env, request, createAdmin, createToken } = require('./lib');
const openapi = require('./openapi');

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
// Paths whose refusals follow RFC 6749 ({"error": "invalid_grant", ...}),
// not Ostium's error shape.
const OAUTH = /^\/(oauth|\.well-known)(\/|$)/;

let served; // the answer to GET /api/v1/openapi.json
let doc; // the document it carries

// Every test needs the document: without it, each fails with this reason.
before(async () => {
  served = await request(openapi.DOCUMENT_PATH);
  assert.equal(served.status, 200, `GET ${openapi.DOCUMENT_PATH} answered ${served.status}: ${served.text.slice(0, 300)}`);
  doc = served.json;
  assert.ok(isObject(doc) && isObject(doc.paths), `GET ${openapi.DOCUMENT_PATH}: no paths object`);
});

// Every operation of DOC: { path, method, op, item }.
function operations() {
  const out = [];
  for (const [path, item] of Object.entries(doc.paths || {})) {
    for (const method of METHODS) {
      if (item[method]) out.push({ path, method, op: item[method], item });
    }
  }
  return out;
}

// The object a local $ref of NODE leads to (followed to the end), else NODE.
function deref(node) {
  const seen = new Set();
  while (node && typeof node.$ref === 'string' && node.$ref.startsWith('#/') && !seen.has(node.$ref)) {
    seen.add(node.$ref);
    node = node.$ref.slice(2).split('/')
      .map((p) => decodeURIComponent(p).replace(/~1/g, '/').replace(/~0/g, '~'))
      .reduce((n, p) => n?.[p], doc);
  }
  return node;
}

const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

// Calls VISIT(schema, where, inClosed) for every schema object under SCHEMA
// (WHERE: its location, for messages); IN_CLOSED: an enclosing schema
// composes it (allOf, anyOf, oneOf, if/then/else) under
// unevaluatedProperties: false.
function walkSchema(schema, where, visit, inClosed = false) {
  if (!isObject(schema)) return;
  visit(schema, where, inClosed);
  const closes = inClosed || schema.unevaluatedProperties === false;
  const maps = ['properties', 'patternProperties', 'dependentSchemas', '$defs'];
  const single = ['additionalProperties', 'unevaluatedProperties', 'items', 'contains', 'not',
    'propertyNames', 'unevaluatedItems'];
  for (const key of maps) {
    for (const [name, sub] of Object.entries(schema[key] || {})) walkSchema(sub, `${where}/${key}/${name}`, visit);
  }
  for (const key of single) walkSchema(schema[key], `${where}/${key}`, visit);
  (schema.prefixItems || []).forEach((sub, i) => walkSchema(sub, `${where}/prefixItems/${i}`, visit));
  for (const key of ['allOf', 'anyOf', 'oneOf']) {
    (schema[key] || []).forEach((sub, i) => walkSchema(sub, `${where}/${key}/${i}`, visit, closes));
  }
  for (const key of ['if', 'then', 'else']) walkSchema(schema[key], `${where}/${key}`, visit, closes);
}

// Every schema the document holds: [schema, where], from its components
// and from its operations' parameters, bodies and answers.
function schemas() {
  const out = [];
  const content = (c, where) => {
    for (const [type, media] of Object.entries(c || {})) {
      if (media.schema) out.push([media.schema, `${where}/content/${type}/schema`]);
    }
  };
  const params = (list, where) => (list || []).forEach((p, i) => {
    if (p.schema) out.push([p.schema, `${where}/parameters/${i}/schema`]);
  });
  const c = doc.components || {};
  for (const [name, s] of Object.entries(c.schemas || {})) out.push([s, `#/components/schemas/${name}`]);
  for (const [name, p] of Object.entries(c.parameters || {})) {
    if (p.schema) out.push([p.schema, `#/components/parameters/${name}/schema`]);
  }
  for (const [name, b] of Object.entries(c.requestBodies || {})) content(b.content, `#/components/requestBodies/${name}`);
  for (const [name, r] of Object.entries(c.responses || {})) content(r.content, `#/components/responses/${name}`);
  for (const [path, item] of Object.entries(doc.paths || {})) params(item.parameters, `${path}`);
  for (const { path, method, op } of operations()) {
    const at = `${method.toUpperCase()} ${path}`;
    params(op.parameters, at);
    if (op.requestBody) content(op.requestBody.content, `${at} requestBody`);
    for (const [status, r] of Object.entries(op.responses || {})) content(r.content, `${at} ${status}`);
  }
  return out;
}

// The problems with SCHEMA as the error shape
// {"error": {"code", "message", "field"?}}, closed at both levels.
function errorShapeProblems(schema) {
  const problems = [];
  const s = deref(schema);
  const closed = (x) => x.additionalProperties === false || x.unevaluatedProperties === false;
  if (!isObject(s) || s.type !== 'object' || !closed(s)) problems.push('not a closed object');
  if (JSON.stringify(Object.keys(s?.properties || {})) !== '["error"]') problems.push('properties other than "error"');
  if (!(s?.required || []).includes('error')) problems.push('"error" not required');
  const e = deref(s?.properties?.error);
  if (!isObject(e) || e.type !== 'object' || !closed(e)) return [...problems, '"error" is not a closed object'];
  const keys = Object.keys(e.properties || {});
  for (const k of ['code', 'message']) {
    if (!keys.includes(k)) problems.push(`no "error.${k}"`);
    if (!(e.required || []).includes(k)) problems.push(`"error.${k}" not required`);
  }
  for (const k of keys) {
    if (!['code', 'message', 'field'].includes(k)) problems.push(`"error.${k}" beyond code, message, field`);
    else if (deref(e.properties[k])?.type !== 'string') problems.push(`"error.${k}" not a string`);
  }
  if ((e.required || []).includes('field')) problems.push('"error.field" required');
  return problems;
}

test('GET /api/v1/openapi.json answers an OpenAPI 3.1 document in JSON that swagger-parser accepts', async () => {
  assert.equal(served.status, 200, served.text.slice(0, 300));
  assert.match(served.headers.get('content-type') || '', /^application\/json/);
  assert.ok(isObject(doc), 'a JSON object');
  assert.match(String(doc.openapi), /^3\.1\.\d+$/, 'OpenAPI 3.1.x');
  const d = await openapi.describe(doc, served.res.url);
  assert.ok(d, 'swagger-parser validates it');
  assert.ok(isObject(doc.paths) && Object.keys(doc.paths).length > 0, 'paths');
});

test('the document is served from the base URL and its paths are relative to it', () => {
  assert.equal(doc.servers?.[0]?.url, env('OSTIUM_BASE_URL').replace(/\/+$/, ''), 'servers[0].url is base_url');
  const basePath = new URL(doc.servers[0].url).pathname.replace(/\/+$/, '');
  for (const path of Object.keys(doc.paths)) {
    assert.match(path, /^\/[^?#]*$/, `${path}: a path from the base URL, without query`);
    if (basePath) assert.ok(!path.startsWith(`${basePath}/`), `${path}: repeats the base path ${basePath}`);
  }
  assert.ok(doc.paths['/api/v1/me']?.get, 'GET /api/v1/me is described');
  assert.ok(doc.paths[openapi.DOCUMENT_PATH]?.get, 'the document describes itself');
});

test('every path parameter has a name of its own, declared in the path', () => {
  for (const { path, method, op, item } of operations()) {
    const names = [...path.matchAll(/\{([^}]*)\}/g)].map((m) => m[1]);
    assert.equal(new Set(names).size, names.length, `${path}: a parameter name used twice`);
    const declared = [...(item.parameters || []), ...(op.parameters || [])].map(deref)
      .filter((p) => p.in === 'path');
    for (const name of names) {
      assert.match(name, /^[a-z][a-z0-9_]*$/, `${path}: {${name}}`);
      const p = declared.find((d) => d.name === name);
      assert.ok(p, `${method.toUpperCase()} ${path}: {${name}} is not declared as a path parameter`);
      assert.equal(p.required, true, `${method.toUpperCase()} ${path}: {${name}} is required`);
    }
    for (const p of declared) {
      assert.ok(names.includes(p.name), `${method.toUpperCase()} ${path}: path parameter ${p.name} is not in the path`);
    }
  }
});

test('every operation says how it is authenticated, or that it is open (security: [])', () => {
  const schemes = Object.keys(doc.components?.securitySchemes || {});
  for (const { path, method, op } of operations()) {
    const what = `${method.toUpperCase()} ${path}`;
    const security = op.security ?? doc.security;
    assert.ok(Array.isArray(security), `${what}: no security, neither its own nor the document's`);
    for (const requirement of security) {
      for (const name of Object.keys(requirement)) {
        assert.ok(schemes.includes(name), `${what}: security scheme ${name} is not in components.securitySchemes`);
      }
    }
  }
});

test('every object schema is closed: an undocumented field cannot fit', () => {
  // The document's own answer is the one open object.
  const own = doc.paths[openapi.DOCUMENT_PATH]?.get?.responses?.['200']?.content?.['application/json']?.schema;
  const open = [];
  for (const [root, where] of schemas()) {
    if (root === own) continue;
    walkSchema(root, where, (s, at, inClosed) => {
      const types = [].concat(s.type ?? []);
      if (!s.properties && !types.includes('object')) return;
      const closed = s.additionalProperties === false || s.unevaluatedProperties === false || inClosed ||
        (!s.properties && isObject(s.additionalProperties) && Object.keys(s.additionalProperties).length > 0);
      if (!closed) open.push(at);
    });
  }
  assert.deepEqual(open, [], 'schemas that let an undocumented field through');
});

test('every operation answers its refusals in the error shape {"error": {"code", "message", "field"?}}', () => {
  assert.deepEqual(errorShapeProblems({ $ref: '#/components/schemas/Error' }), [],
    '#/components/schemas/Error (what answers outside the operations are held to)');
  const wrong = [];
  for (const { path, method, op } of operations()) {
    const what = `${method.toUpperCase()} ${path}`;
    const statuses = Object.keys(op.responses || {});
    assert.ok(statuses.some((s) => /^4/.test(s)), `${what}: documents no refusal (4xx)`);
    assert.ok(!statuses.includes('default'), `${what}: a "default" answer would document every status`);
    if ((op.security ?? doc.security ?? []).some((r) => Object.keys(r).length > 0)) {
      assert.ok(statuses.includes('401'), `${what}: needs credentials but documents no 401`);
    }
    if (OAUTH.test(path)) continue;
    for (const status of statuses.filter((s) => /^[45]/.test(s))) {
      const media = deref(op.responses[status])?.content?.['application/json'];
      if (!media) {
        wrong.push(`${what} ${status}: no application/json answer`);
        continue;
      }
      for (const p of errorShapeProblems(media.schema)) wrong.push(`${what} ${status}: ${p}`);
    }
  }
  assert.deepEqual(wrong, [], 'refusals not in the error shape');
});

test('a real answer fits the document, and the same answer with one extra field is refused', async () => {
  const admin = await createAdmin();
  const headers = { Authorization: `Bearer ${await createToken(admin.email)}` };
  // request() has checked it already; checked here again by hand.
  const r = await request('/api/v1/me', { headers });
  assert.equal(r.status, 200, r.text);
  const base = new URL(env('OSTIUM_BASE_URL')).pathname.replace(/\/+$/, '');
  const answer = { method: 'GET', path: `${base}/api/v1/me`, status: 200, contentType: r.headers.get('content-type') };
  await openapi.checkAnswer({ ...answer, body: r.text });
  await assert.rejects(openapi.checkAnswer({ ...answer, body: { ...r.json, nickname: 'extra' } }), (e) => {
    assert.ok(e instanceof assert.AssertionError, String(e));
    assert.match(e.message, /does not fit status 200 of GET \/api\/v1\/me/);
    assert.match(e.message, /\/: undocumented field "nickname"/);
    return true;
  });
  await assert.rejects(openapi.checkAnswer({ ...answer, status: 418, body: r.text }),
    /undocumented status 418 for GET \/api\/v1\/me/);
});
