// openapi_check.test.js - the checker of tests/http/openapi.js against a
// small OpenAPI document of its own, and lib.js's request() against a fake
// server that serves it: what fits passes, an undocumented field, status,
// operation or content type fails the request that met it. Needs no Ostium;
// run by scripts/test before the servers start (node --test).
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const http = require('node:http');
const openapi = require('../http/openapi');

const BASE = 'http://127.0.0.1:9/ostium';
const DOC_URL = `${BASE}/api/v1/openapi.json`;

const ref = (name) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema) => ({ description: 'an answer', content: { 'application/json': { schema } } });
const refusal = { $ref: '#/components/responses/Refusal' };
const pathParam = (name) => ({ name, in: 'path', required: true, schema: { type: 'integer' } });

// The fixture: a few operations shaped like Ostium's, their schemas closed
// and shared through components; served from SERVER (servers[0].url).
function fixture(server = BASE) {
  return {
    openapi: '3.1.0',
    info: { title: 'fixture', version: '1.0.0' },
    servers: [{ url: server }],
    security: [{ bearer: [] }],
    paths: {
      '/healthz': {
        get: { security: [], responses: { 200: json(ref('Health')), 400: refusal } },
      },
      '/api/v1/me': {
        get: { responses: { 200: json(ref('Me')), 401: refusal } },
      },
      '/api/v1/apps': {
        get: { responses: { 200: json(ref('AppList')), 401: refusal } },
      },
      // Listed before its literal sibling /api/v1/apps/new, which must win anyway.
      '/api/v1/apps/{app_id}': {
        parameters: [pathParam('app_id')],
        get: { responses: { 200: json(ref('App')), 404: refusal } },
        delete: { responses: { 204: { description: 'gone' }, 404: refusal } },
      },
      '/api/v1/apps/new': {
        get: { responses: { 200: json(ref('AppTemplate')) } },
      },
      '/api/v1/companies/{company_id}/members/{member_id}': {
        parameters: [pathParam('company_id'), pathParam('member_id')],
        get: { responses: { 200: json(ref('Member')) } },
      },
      '/api/v1/openapi.json': {
        get: { security: [], responses: { 200: json({ type: 'object' }) } },
      },
    },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      responses: { Refusal: json(ref('Error')) },
      schemas: {
        Health: {
          type: 'object',
          properties: { status: { type: 'string' } },
          required: ['status'],
          additionalProperties: false,
        },
        Role: { type: 'string', enum: ['SUPER_ADMINISTRATOR', 'AUDITOR'] },
        Me: {
          type: 'object',
          properties: {
            id: { type: 'integer' },
            email: { type: 'string', format: 'email' },
            roles: { type: 'array', items: ref('Role') },
          },
          required: ['id', 'email', 'roles'],
          additionalProperties: false,
        },
        App: {
          type: 'object',
          properties: { id: { type: 'integer' }, name: { type: 'string' } },
          required: ['id', 'name'],
          unevaluatedProperties: false,
        },
        AppList: {
          type: 'object',
          properties: { items: { type: 'array', items: ref('App') }, next_cursor: { type: ['string', 'null'] } },
          required: ['items', 'next_cursor'],
          additionalProperties: false,
        },
        AppTemplate: {
          type: 'object',
          properties: { template: { const: true } },
          required: ['template'],
          additionalProperties: false,
        },
        Member: {
          type: 'object',
          properties: { id: { type: 'integer' }, company_id: { type: 'integer' } },
          required: ['id', 'company_id'],
          additionalProperties: false,
        },
        Error: {
          type: 'object',
          properties: {
            error: {
              type: 'object',
              properties: { code: { type: 'string' }, message: { type: 'string' }, field: { type: 'string' } },
              required: ['code', 'message'],
              additionalProperties: false,
            },
          },
          required: ['error'],
          additionalProperties: false,
        },
      },
    },
  };
}

const JSON_TYPE = 'application/json; charset=utf-8';
const me = { id: 7, email: 'ada@example.org', roles: ['AUDITOR'] };
const notFound = { error: { code: 'not_found', message: 'Nothing here' } };

let d;
before(async () => {
  d = await openapi.describe(fixture(), DOC_URL);
});

// Asserts that checking ANSWER fails with a message matching each of RES.
function refused(answer, ...res) {
  assert.throws(() => d.check({ contentType: JSON_TYPE, ...answer }), (e) => {
    assert.ok(e instanceof assert.AssertionError, `an assertion error, not ${e}`);
    for (const re of res) assert.match(e.message, re);
    return true;
  });
}

const passes = (answer) => d.check({ contentType: JSON_TYPE, ...answer });

test('swagger-parser accepts the fixture and refuses a broken document', async () => {
  const broken = fixture();
  delete broken.info;
  await assert.rejects(openapi.describe(broken, DOC_URL), /is not valid/);
  const badRef = fixture();
  badRef.paths['/api/v1/me'].get.responses[200] = json(ref('Nobody'));
  await assert.rejects(openapi.describe(badRef, DOC_URL), /is not valid.*Nobody|Nobody/s);
});

test('an answer that fits its operation and status passes, with the base path and query stripped', () => {
  passes({ method: 'GET', path: '/ostium/api/v1/me', status: 200, body: JSON.stringify(me) });
  passes({ method: 'GET', path: '/ostium/api/v1/me?format=json', status: 200, body: me });
  passes({ method: 'GET', path: '/ostium/healthz', status: 200, body: '{"status":"ok"}' });
  passes({ method: 'GET', path: '/ostium/api/v1/apps', status: 200, body: { items: [{ id: 1, name: 'a' }], next_cursor: null } });
});

test('an answer with one extra field is refused, naming the field and where it is', () => {
  refused({ method: 'GET', path: '/ostium/api/v1/me', status: 200, body: { ...me, extra: 1 } },
    /does not fit status 200 of GET \/api\/v1\/me/, /^ {2}\/: undocumented field "extra"/m);
  // Deeper down, through a $ref'd item schema closed with unevaluatedProperties.
  refused({ method: 'GET', path: '/ostium/api/v1/apps', status: 200,
    body: { items: [{ id: 1, name: 'a' }, { id: 2, name: 'b', secret: 'x' }], next_cursor: null } },
  /\/items\/1: undocumented field "secret"/);
});

test('a $ref\'d component resolves, and what breaks it is named readably', () => {
  refused({ method: 'GET', path: '/ostium/api/v1/me', status: 200, body: { ...me, roles: ['ROOT'] } },
    /\/roles\/0: must be equal to one of the allowed values: "SUPER_ADMINISTRATOR", "AUDITOR"/);
  refused({ method: 'GET', path: '/ostium/api/v1/me', status: 200, body: { ...me, id: '7' } }, /\/id: must be integer/);
  refused({ method: 'GET', path: '/ostium/api/v1/me', status: 200, body: { id: 7, roles: [] } }, /missing field "email"/);
  refused({ method: 'GET', path: '/ostium/api/v1/me', status: 200, body: { ...me, email: 'not an address' } },
    /\/email: must match format "email"/);
  // A response given as a $ref to components/responses.
  passes({ method: 'GET', path: '/ostium/api/v1/me', status: 401, body: { error: { code: 'unauthorized', message: 'No' } } });
  refused({ method: 'GET', path: '/ostium/api/v1/me', status: 401, body: { error: { code: 'unauthorized', message: 'No', hint: 1 } } },
    /status 401/, /\/error: undocumented field "hint"/);
});

test('an undocumented status is refused', () => {
  refused({ method: 'GET', path: '/ostium/api/v1/me', status: 418, body: notFound },
    /undocumented status 418 for GET \/api\/v1\/me/);
  refused({ method: 'GET', path: '/ostium/api/v1/apps/new', status: 404, body: notFound },
    /undocumented status 404 for GET \/api\/v1\/apps\/new/);
});

test('an undocumented operation is refused; outside the operations only a refusal in the error shape passes', () => {
  refused({ method: 'GET', path: '/ostium/api/v1/nope', status: 200, body: {} }, /undocumented operation GET \/api\/v1\/nope/);
  refused({ method: 'POST', path: '/ostium/api/v1/me', status: 201, body: me }, /undocumented operation POST \/api\/v1\/me/);
  // What the router answers before any operation: an unknown path (404), a
  // method the path has not (405), a path it cannot decode (400).
  passes({ method: 'GET', path: '/ostium/api/v1/nope', status: 404, body: notFound });
  passes({ method: 'PUT', path: '/ostium/api/v1/me', status: 405, body: { error: { code: 'method_not_allowed', message: 'No' } } });
  passes({ method: 'GET', path: '/ostium/api/v1/%zz', status: 400, body: { error: { code: 'malformed_request', message: 'No', field: 'path' } } });
  refused({ method: 'GET', path: '/ostium/api/v1/nope', status: 404, body: { error: 'not_found' } },
    /a refusal outside the document's operations, does not fit #\/components\/schemas\/Error/, /\/error: must be object/);
});

test('a literal path is preferred over a templated sibling; templates match one segment each', () => {
  passes({ method: 'GET', path: '/ostium/api/v1/apps/new', status: 200, body: { template: true } });
  refused({ method: 'GET', path: '/ostium/api/v1/apps/new', status: 200, body: { id: 1, name: 'a' } },
    /GET \/api\/v1\/apps\/new:/);
  passes({ method: 'GET', path: '/ostium/api/v1/apps/42', status: 200, body: { id: 42, name: 'a' } });
  refused({ method: 'GET', path: '/ostium/api/v1/apps/42', status: 200, body: { template: true } },
    /GET \/api\/v1\/apps\/\{app_id\}/);
  passes({ method: 'GET', path: '/ostium/api/v1/companies/3/members/9', status: 200, body: { id: 9, company_id: 3 } });
  // A template segment never spans a slash, nor matches an empty segment.
  refused({ method: 'GET', path: '/ostium/api/v1/apps/42/x', status: 200, body: {} }, /undocumented operation/);
  refused({ method: 'GET', path: '/ostium/api/v1/companies/3/members/', status: 200, body: {} }, /undocumented operation/);
  // Paths are matched as the server routes them: a literal segment as sent
  // (an escape of it names no operation), a templated one decoded.
  refused({ method: 'GET', path: '/ostium/%68ealthz', status: 200, body: { status: 'ok' } },
    /undocumented operation GET \/%68ealthz/);
  passes({ method: 'GET', path: '/ostium/%68ealthz', status: 404, body: notFound });
  passes({ method: 'GET', path: '/ostium/api/v1/apps/%34%32', status: 200, body: { id: 42, name: 'a' } });
});

test('HEAD is checked as GET: its status must be documented, its empty body passes', () => {
  passes({ method: 'HEAD', path: '/ostium/api/v1/me', status: 200, body: '' });
  refused({ method: 'HEAD', path: '/ostium/api/v1/me', status: 418, body: '' },
    /undocumented status 418 for HEAD \(as GET\) \/api\/v1\/me/);
});

test('only JSON answers of the API are checked', () => {
  passes({ method: 'GET', path: '/ostium/api/v1/me', status: 418, contentType: 'application/xml', body: '<response/>' });
  passes({ method: 'GET', path: '/ostium/admin/', status: 200, body: { anything: true } });
  passes({ method: 'GET', path: '/ostium/static/x.json', status: 200, body: [] });
  refused({ method: 'GET', path: '/ostium/api/v1/me', status: 200, contentType: 'application/problem+json', body: me },
    /undocumented content type application\/problem\+json/);
  refused({ method: 'DELETE', path: '/ostium/api/v1/apps/4', status: 204, body: '{}' },
    /undocumented content type application\/json for status 204/);
  refused({ method: 'GET', path: '/api/v1/me', status: 200, body: me }, /outside the document's server URL path \/ostium/);
});

// ---------------------------------------------------------------------
// lib.js's request() against a fake server

// The fake server's answers: path -> [status, headers, body]; the document
// is served once `serveDocument` is set.
const fake = { server: undefined, serveDocument: false, answers: new Map() };

before(async () => {
  fake.server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    if (url.pathname === '/ostium/api/v1/openapi.json') {
      if (!fake.serveDocument) {
        res.writeHead(404, { 'Content-Type': 'application/json', 'X-Request-Id': '0'.repeat(32) });
        res.end(JSON.stringify(notFound));
        return;
      }
      res.writeHead(200, { 'Content-Type': 'application/json', 'X-Request-Id': '1'.repeat(32) });
      res.end(JSON.stringify(fixture(process.env.OSTIUM_BASE_URL)));
      return;
    }
    const [status, headers, body] = fake.answers.get(url.pathname) || [404, {}, ''];
    res.writeHead(status, headers);
    res.end(body);
  });
  await new Promise((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
  const root = `http://127.0.0.1:${fake.server.address().port}`;
  process.env.OSTIUM_URL = root;
  process.env.OSTIUM_BASE_URL = `${root}/ostium`;
});

after(() => fake.server?.close());

test('lib.js checks every answer it reads: a request that meets an undocumented field fails', async () => {
  const { request } = require('../http/lib');
  const ostium = { 'Content-Type': JSON_TYPE, 'X-Request-Id': 'a'.repeat(32) };
  fake.answers.set('/ostium/api/v1/me', [200, ostium, JSON.stringify({ ...me, extra: true })]);
  fake.answers.set('/ostium/healthz', [200, ostium, JSON.stringify({ status: 'ok' })]);
  fake.answers.set('/ostium/api/v1/apps', [200, { 'Content-Type': JSON_TYPE }, JSON.stringify({ made: 'by the web server' })]);
  const saved = process.env.OSTIUM_OPENAPI_CHECK;
  try {
    delete process.env.OSTIUM_OPENAPI_CHECK;
    // No document served: checking is on, so the request fails.
    await assert.rejects(request('/ostium/healthz'), /no API description served: GET .*\/ostium\/api\/v1\/openapi\.json answered 404/);
    fake.serveDocument = true;
    const ok = await request('/ostium/healthz');
    assert.deepEqual(ok.json, { status: 'ok' });
    await assert.rejects(request('/ostium/api/v1/me'), (e) => {
      assert.ok(e instanceof assert.AssertionError);
      assert.match(e.message, /GET \/ostium\/api\/v1\/me \(200\) does not fit status 200 of GET \/api\/v1\/me/);
      assert.match(e.message, /\/: undocumented field "extra"/);
      return true;
    });
    // An answer of the web server itself (no X-Request-Id) is not Ostium's.
    assert.equal((await request('/ostium/api/v1/apps')).status, 200);
    // OSTIUM_OPENAPI_CHECK=0 turns the checking off.
    process.env.OSTIUM_OPENAPI_CHECK = '0';
    assert.equal((await request('/ostium/api/v1/me')).json.extra, true);
  } finally {
    if (saved === undefined) delete process.env.OSTIUM_OPENAPI_CHECK;
    else process.env.OSTIUM_OPENAPI_CHECK = saved;
  }
});
