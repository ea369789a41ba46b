// errors.test.js - the error shape, request limits, content negotiation, and
// JSON and XML carrying the same data; run by scripts/test (node --test).
'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const {
  request,
  assertError,
  assertCommonHeaders,
  parseXml,
  createAdmin,
  createToken,
  refusedByWebServer,
  randomHex,
} = require('./lib');

const XML = { Accept: 'application/xml' };

// A new administrator's bearer token: { headers }.
async function tokenAdmin() {
  const { email } = await createAdmin();
  return { headers: { Authorization: `Bearer ${await createToken(email)}` } };
}

// Asserts that R (an XML answer) stands for the same tree as JSON.
function assertSameAsJson(r, json, what) {
  assert.match(r.headers.get('content-type') || '', /^application\/xml/, `${what}: Content-Type`);
  assert.deepEqual(parseXml(r.text), json, `${what}: XML and JSON differ`);
}

test('GET /healthz answers 200 with the database and the version', async () => {
  const r = await request('/healthz');
  assert.equal(r.status, 200, r.text);
  assert.match(r.headers.get('content-type'), /^application\/json/);
  assert.deepEqual(r.json, { status: 'ok', database: 'ok', version: r.json.version,
    outbox_oldest_pending_seconds: r.json.outbox_oldest_pending_seconds });
  const age = r.json.outbox_oldest_pending_seconds;
  assert.ok(age === null || (Number.isInteger(age) && age >= 0), `outbox age ${age}`);
  assert.match(r.json.version, /^\d+\.\d+\.\d+/);
  assertCommonHeaders(r, 'GET /healthz');
});

test('GET /healthz as XML (Accept or ?format=xml) carries the same data as JSON', async () => {
  const json = (await request('/healthz')).json;
  const byAccept = await request('/healthz', { headers: XML });
  assert.equal(byAccept.status, 200);
  assert.match(byAccept.text, /<response><status>ok<\/status>/);
  assertSameAsJson(byAccept, json, 'Accept: application/xml');
  const byQuery = await request('/healthz?format=xml');
  assert.equal(byQuery.status, 200);
  assertSameAsJson(byQuery, json, '?format=xml');
  // The query overrides Accept, both ways.
  const jsonOverride = await request('/healthz?format=json', { headers: XML });
  assert.equal(jsonOverride.status, 200);
  assert.deepEqual(jsonOverride.json, json, '?format=json wins over Accept: application/xml');
});

test('GET /api/v1/me and /api/v1/tokens: XML carries the same data as JSON (arrays, numbers, null, escaping)', async () => {
  const { email } = await createAdmin();
  const token = await createToken(email);
  const auth = { Authorization: `Bearer ${token}` };
  // A name that needs escaping in XML, and characters beyond ASCII.
  const name = `a<b> & "c" 'd' é ✓ ${Date.now()}`;
  const created = await request('/api/v1/tokens', { method: 'POST', headers: auth, json: { name } });
  assert.equal(created.status, 201, created.text);

  const me = await request('/api/v1/me', { headers: auth });
  assert.equal(me.status, 200, me.text);
  const meXml = await request('/api/v1/me', { headers: { ...auth, ...XML } });
  assert.equal(meXml.status, 200);
  assert.match(meXml.text, /<roles type="array"><item>SUPER_ADMINISTRATOR<\/item><\/roles>/);
  assert.match(meXml.text, /<id type="number">\d+<\/id>/);
  assertSameAsJson(meXml, me.json, 'GET /api/v1/me');

  const list = await request('/api/v1/tokens', { headers: auth });
  assert.equal(list.status, 200, list.text);
  assert.ok(list.json.tokens.some((t) => t.name === name), 'the new token is listed under its name');
  assert.ok(list.json.tokens.some((t) => t.revoked_at === null), 'a null is listed');
  const listXml = await request('/api/v1/tokens?format=xml', { headers: auth });
  assert.equal(listXml.status, 200);
  assert.match(listXml.text, /<revoked_at type="null"\/>/);
  assert.ok(!listXml.text.includes(name), 'the raw name (with < and &) is escaped in XML');
  assertSameAsJson(listXml, list.json, 'GET /api/v1/tokens');
});

test('errors carry the same tree in XML as in JSON', async () => {
  const cases = [
    ['/no/such/page', 404, 'not_found'],
    ['/api/v1/me', 401, 'unauthorized'],
    ['/healthz?x=%zz', 400, 'malformed_request'],
  ];
  for (const [path, status, code] of cases) {
    const json = await request(path);
    assertError(json, status, code, path);
    const xml = await request(path, { headers: XML });
    assert.equal(xml.status, status, `${path} as XML`);
    assertSameAsJson(xml, json.json, `${path} error`);
  }
});

test('an unknown format is 406 with the error shape', async () => {
  assertError(await request('/healthz?format=yaml'), 406, 'not_acceptable', '?format=yaml');
  assertError(await request('/healthz', { headers: { Accept: 'text/plain' } }), 406, 'not_acceptable', 'Accept: text/plain');
  assertError(await request('/api/v1/me?format=html'), 406, 'not_acceptable', 'API route as HTML');
  // Quality values choose between JSON and XML.
  const prefersJson = await request('/healthz', { headers: { Accept: 'application/xml;q=0.5, application/json' } });
  assert.match(prefersJson.headers.get('content-type'), /^application\/json/);
  const refusesJson = await request('/healthz', { headers: { Accept: 'application/json;q=0, application/xml' } });
  assert.match(refusesJson.headers.get('content-type'), /^application\/xml/);
  const htmlFirst = await request('/healthz', { headers: { Accept: 'text/html, application/xml;q=0.9' } });
  assert.equal(htmlFirst.status, 200, 'an API route answers the best format it has');
  assert.match(htmlFirst.headers.get('content-type'), /^application\/xml/);
  // Wildcards and JSON are acceptable.
  assert.equal((await request('/healthz', { headers: { Accept: '*/*' } })).status, 200);
  assert.equal((await request('/healthz', { headers: { Accept: 'application/json' } })).status, 200);
});

test('a body over 1 MiB is 413 with the error shape; 1 MiB exactly is read', async () => {
  const limit = 1024 * 1024;
  const big = '{"name":"' + 'a'.repeat(limit - 10) + '"}';
  assert.equal(big.length, limit + 1);
  const r = await request('/api/v1/tokens', { method: 'POST', body: big, headers: { 'Content-Type': 'application/json' } });
  const e = assertError(r, 413, 'payload_too_large', '1 MiB + 1');
  assert.equal(e.field, 'body');
  assertCommonHeaders(r, '413');
  // One byte less is within the limit: it is parsed, then refused for lack of credentials.
  const fits = big.slice(0, 9) + big.slice(10);
  assert.equal(fits.length, limit);
  assertError(
    await request('/api/v1/tokens', { method: 'POST', body: fits, headers: { 'Content-Type': 'application/json' } }),
    401, 'unauthorized', 'exactly 1 MiB');
});

test('a malformed JSON body, or one that is not an object, is 400 with the error shape', async () => {
  for (const body of ['{bad', '{"name":', '[1,2]', '"name"', '42', 'null']) {
    const r = await request('/api/v1/tokens', { method: 'POST', body, headers: { 'Content-Type': 'application/json' } });
    const e = assertError(r, 400, 'malformed_request', `JSON body ${body}`);
    assert.equal(e.field, 'body');
  }
});

test('a JSON body nested too deep, or a form with too many fields, is 400, not a crash', async () => {
  const deep = '['.repeat(100_000) + ']'.repeat(100_000);
  const r = await request('/api/v1/tokens', { method: 'POST', body: deep, headers: { 'Content-Type': 'application/json' } });
  assertError(r, 400, 'malformed_request', 'deep JSON');
  const many = Array.from({ length: 100_000 }, (_, i) => `f${i}=1`).join('&');
  const f = await request('/api/v1/tokens', {
    method: 'POST', body: many, headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  });
  assertError(f, 400, 'malformed_request', 'many form fields');
  assert.equal((await request('/healthz')).status, 200, 'still serving');
});

test('a malformed form body is 400: the error shape on the API, an error page in the console', async () => {
  for (const body of ['name=%zz', '=x', 'name=%4', 'a=1&=2']) {
    const r = await request('/api/v1/tokens', {
      method: 'POST', body, headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    const e = assertError(r, 400, 'malformed_request', `form body ${body}`);
    assert.equal(e.field, 'body');
    const page = await request('/admin/login', {
      method: 'POST', body, headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(page.status, 400, `console form body ${body}`);
    assert.match(page.headers.get('content-type'), /^text\/html/);
    assertCommonHeaders(page, 'console 400');
  }
});

test('a body with an unsupported Content-Type is 415 with the error shape', async () => {
  const r = await request('/api/v1/tokens', { method: 'POST', body: 'name=x', headers: { 'Content-Type': 'text/plain' } });
  assertError(r, 415, 'unsupported_media_type', 'text/plain body');
});

test('a header value over 4096 bytes is 400; 4096 bytes is accepted', async () => {
  assert.equal((await request('/healthz', { headers: { 'X-Long': 'a'.repeat(4096) } })).status, 200);
  const r = await request('/healthz', { headers: { 'X-Long': 'a'.repeat(4097) } });
  const e = assertError(r, 400, 'malformed_request', 'long header');
  assert.equal(e.field, 'headers');
  const ua = await request('/healthz', { headers: { 'User-Agent': 'u'.repeat(8000) } });
  assertError(ua, 400, 'malformed_request', 'long User-Agent');
});

test('a Cookie header over 4096 bytes is read, not refused; one cookie over 4096 bytes is left out', async () => {
  const cookie = (n) => 'a=' + 'b'.repeat(n - 2);
  assert.equal((await request('/healthz', { headers: { Cookie: cookie(4096) } })).status, 200);
  // One cookie too long to read: left out (cookies.test.js), never a 400.
  assert.equal((await request('/healthz', { headers: { Cookie: cookie(4097) } })).status, 200);
  // Many small cookies add up to one long header: read.
  const many = Array.from({ length: 300 }, (_, i) => `c${i}=${'x'.repeat(12)}`).join('; ');
  const page = await request('/admin/login', { headers: { Cookie: many } });
  assert.equal(page.status, 200, `many cookies: ${page.status}`);
});

test('bad percent-encoding in the path or the query is 400 with the error shape', async () => {
  for (const path of ['/api/v1/%zz', '/healthz%', '/api/v1/%4']) {
    const r = await request(path);
    // Apache and nginx decode the path to route it, so they refuse a bad
    // percent-encoding there themselves (400) before Ostium sees it.
    if (refusedByWebServer(r, 400)) continue;
    const e = assertError(r, 400, 'malformed_request', path);
    assert.equal(e.field, 'path', path);
  }
  for (const path of ['/healthz?a=%zz', '/healthz?format=%', '/healthz?%G1=x']) {
    const e = assertError(await request(path), 400, 'malformed_request', path);
    assert.equal(e.field, 'query', path);
  }
});

test("a path is routed as sent: an escape of a route's own text (/%61pi/v1/apps/14, /api/v1/apps%2F14) reaches no handler", async () => {
  const { headers } = await tokenAdmin();
  const made = await request('/api/v1/apps', { method: 'POST', headers, json: { name: `raw-${randomHex(5)}` } });
  assert.equal(made.status, 201, made.text);
  const id = made.json.id;
  assert.equal((await request(`/api/v1/apps/${id}`, { headers })).status, 200);
  for (const path of [`/%61pi/v1/apps/${id}`, `/api/v1/apps%2F${id}`, `/api/v1/apps%2f${id}`,
    `/api/v1/%61pps/${id}`, `/api%2Fv1/apps/${id}`, '/%68ealthz', '/healthz%2F',
    `/api/v1/apps/${id}%2Fusers`]) {
    const r = await request(path, { headers });
    // Apache and nginx may refuse an encoded slash themselves (404), before
    // Ostium sees the request.
    if (refusedByWebServer(r, 400, 404)) continue;
    assertError(r, 404, 'not_found', path);
  }
  // A route's parameter is decoded once matched: %31 is 1 in an id.
  const digits = [...String(id)].map((d) => `%${d.charCodeAt(0).toString(16)}`).join('');
  const r = await request(`/api/v1/apps/${digits}`, { headers });
  if (!refusedByWebServer(r, 400, 404)) {
    assert.equal(r.status, 200, `/api/v1/apps/${digits}: ${r.text.slice(0, 200)}`);
    assert.equal(r.json.id, id);
  }
});

test('an unknown path is 404 with the error shape', async () => {
  for (const path of ['/nope', '/api/v1/nope', '/api/v2/me', '/healthz/', '/api/v1/tokens/abc']) {
    assertCommonHeaders(await request(path), path);
    assertError(await request(path), 404, 'not_found', path);
  }
});

test('a known path with a wrong method is 405 with Allow and the error shape', async () => {
  const cases = [
    ['DELETE', '/healthz', ['GET', 'HEAD']],
    ['POST', '/healthz', ['GET', 'HEAD']],
    ['PUT', '/api/v1/tokens', ['GET', 'HEAD', 'POST']],
    ['GET', '/api/v1/tokens/1', ['DELETE']],
    ['GET', '/admin/logout', ['POST']],
  ];
  for (const [method, path, allowed] of cases) {
    const r = await request(path, { method });
    if (path.startsWith('/admin/')) {
      // A console route answers with an error page.
      assert.equal(r.status, 405, `${method} ${path}`);
      assert.match(r.headers.get('content-type'), /^text\/html/);
    } else {
      assertError(r, 405, 'method_not_allowed', `${method} ${path}`);
    }
    const allow = (r.headers.get('allow') || '').split(',').map((s) => s.trim()).sort();
    assert.deepEqual(allow, [...allowed].sort(), `${method} ${path}: Allow`);
  }
});

test('HEAD /healthz answers like GET without a body', async () => {
  const r = await request('/healthz', { method: 'HEAD' });
  assert.equal(r.status, 200);
  assert.equal(r.text, '');
  assertCommonHeaders(r, 'HEAD /healthz');
});

test('every response carries its own request id and the security headers', async () => {
  const answers = [
    await request('/healthz'),
    await request('/healthz?format=xml'),
    await request('/nope'),
    await request('/api/v1/me'),
    await request('/healthz', { method: 'DELETE' }),
    await request('/admin/login'),
    await request('/admin/'),
    await request('/healthz?format=yaml'),
  ];
  const ids = new Set();
  for (const r of answers) {
    assertCommonHeaders(r, `${r.res.url}`);
    ids.add(r.headers.get('x-request-id'));
  }
  assert.equal(ids.size, answers.length, 'request ids are unique');
  const csp = answers[5].headers.get('content-security-policy');
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /frame-ancestors 'none'/);
});

test('a refusal that quotes what was sent has the error shape even when the quote is cut inside a character', async () => {
  const { email } = await createAdmin();
  const headers = { Authorization: `Bearer ${await createToken(email)}` };
  const euros = '\u20AC'.repeat(40); // 120 bytes: a quote of 64 or 100 bytes ends inside a character
  for (const [what, path, body, field] of [
    ['an unknown key', '/api/v1/suites', { name: 'Quoted', [euros]: 1 }, 'body'],
    ['an allowed origin', '/api/v1/apps', { name: 'Quoted', allowed_origins: [euros] }, 'allowed_origins'],
    ['a redirect URI', '/api/v1/apps', { name: 'Quoted', redirect_uris: [euros] }, 'redirect_uris'],
    ['an allowed address', '/api/v1/apps', { name: 'Quoted', allowed_ips: [euros] }, 'allowed_ips'],
    ['a capability', '/api/v1/apps', { name: 'Quoted', capabilities: { read: [euros], write: [] } }, 'capabilities'],
  ]) {
    const r = await request(path, { method: 'POST', headers, json: body });
    const e = assertError(r, 400, 'invalid_request', what);
    assert.equal(e.field, field, what);
    assert.ok(e.message.includes('\u20AC'.repeat(20)), `${what}: the message quotes the value: ${e.message}`);
    assert.ok(!e.message.includes('\uFFFD'), `${what}: and no broken character`);
    const xml = await request(path, { method: 'POST', headers: { ...headers, ...XML }, json: body });
    assert.equal(xml.status, 400, what);
    assertSameAsJson(xml, r.json, what);
  }
});
