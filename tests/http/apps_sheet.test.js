// apps_sheet.test.js - the identity sheet as its users write it (issue 13,
// items 1 to 3): a domain given as a host name (and the CORS origins it
// allows, on calls and preflights), the certificate field holding an RSA
// public key or an X.509 certificate and saying which, a previous public
// key refused without a current one, and an application given only a
// project stored with that project's suite.
'use strict';

const { test, before } = require('node:test');
const assert = require('node:assert/strict');
const {
  request, assertError, configValue, parseXml, randomAddress, randomHex,
} = require('./lib');
const fixtures = require('./apps_fixtures');

const { admin, makeKeys, createApp, auditRows, countNamed } = fixtures;

let keys;
let writer;
before(async () => {
  keys = makeKeys();
  writer = await admin();
});

const development = () => ['1', 'yes', 'true', 'on'].includes(String(configValue('development', '0')).toLowerCase());

// PATCHes application APP (at its VERSION) with JSON.
const patch = (app, version, json) =>
  request(`/api/v1/apps/${app.id}`, { method: 'PATCH', headers: writer.headers, json: { version, ...json } });

const get = (app) => request(`/api/v1/apps/${app.id}`, { headers: writer.headers });

// ---- 1. Domain: a host name or an origin ---------------------------------

test('a host-name domain (mydomain.com) is accepted and shown as domain_kind "host", an origin as "origin" (was refused: "must be an origin")', async () => {
  const host = `mydomain-${randomHex(4)}.com`;
  const a = await createApp(writer, { name: `host-${randomHex(5)}`, domain: host });
  assert.equal(a.domain, host, 'kept as written');
  assert.equal(a.domain_kind, 'host');
  const got = await get(a);
  assert.equal(got.status, 200, got.text);
  assert.equal(got.json.domain_kind, 'host');
  const xml = await request(`/api/v1/apps/${a.id}`, { headers: { ...writer.headers, Accept: 'application/xml' } });
  assert.equal(parseXml(xml.text).domain_kind, 'host', 'XML says it too');

  const b = await createApp(writer, { name: `origin-${randomHex(5)}`, domain: 'https://app.example.org:8443' });
  assert.equal(b.domain_kind, 'origin');
  const none = await createApp(writer, { name: `nodomain-${randomHex(5)}` });
  assert.equal(none.domain_kind, null, 'no domain, no kind');

  // the kind follows the domain on update
  let r = await patch(a, 1, { domain: 'https://app.example.org' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.domain_kind, 'origin');
  r = await patch(a, 2, { domain: null });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.domain_kind, null);
  r = await patch(a, 3, { domain: host });
  assert.equal(r.json.domain_kind, 'host');

  // read-only, and what is neither a host name nor an origin is still refused
  const ro = await patch(a, 4, { domain_kind: 'origin' });
  assert.equal(assertError(ro, 400, 'invalid_request').field, 'body');
  for (const bad of [`${host}/path`, `${host}:8443`, `user@${host}`, `*.${host}`, `${host}.`, 'ftp://app.example.org']) {
    const name = `baddomain-${randomHex(6)}`;
    const e = assertError(await request('/api/v1/apps', { method: 'POST', headers: writer.headers, json: { name, domain: bad } }),
      400, 'invalid_request', bad);
    assert.equal(e.field, 'domain', bad);
    assert.match(e.message, /host name/, bad);
    assert.equal(await countNamed(name), 0);
  }
});

// The application API as a browser page of ORIGIN would call it.
const basic = (app) => `Basic ${Buffer.from(`${app.public_id}:${app.private_api_key}`).toString('base64')}`;
const appMe = (app, company, origin) =>
  request(`/api/v1/app/me?group_id=${company}`, {
    headers: { Authorization: basic(app), Accept: 'application/json', 'X-Forwarded-Proto': 'https', Origin: origin },
    address: randomAddress(),
  });
const preflight = (origin) =>
  request('/api/v1/app/me', {
    method: 'OPTIONS',
    headers: { Origin: origin, 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'authorization' },
  });

test('CORS for a host-name domain: https:// that host (and http:// in development) gets Access-Control-Allow-Origin on calls and preflights, other origins none', async () => {
  const host = `cors-host-${randomHex(5)}.example.org`;
  const app = await createApp(writer, { name: `cors-${randomHex(5)}`, domain: host });
  const co = await request('/api/v1/companies', {
    method: 'POST', headers: writer.headers, json: { name: `Co ${host}`, slug: `co-${randomHex(6)}` },
  });
  assert.equal(co.status, 201, co.text);
  const inst = await request(`/api/v1/companies/${co.json.id}/apps/${app.id}`, { method: 'POST', headers: writer.headers });
  assert.equal(inst.status, 201, inst.text);

  const allowed = [`https://${host}`, `https://${host.toUpperCase()}`];
  const refused = [`https://${host}:8443`, `https://evil.${host}`, `https://${host}.evil.example`, host, 'null'];
  (development() ? allowed : refused).push(`http://${host}`);
  for (const origin of allowed) {
    const r = await appMe(app, co.json.id, origin);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.headers.get('access-control-allow-origin'), origin, `call from ${origin}`);
    assert.match(r.headers.get('vary') || '', /Origin/);
    const p = await preflight(origin);
    assert.equal(p.status, 204);
    assert.equal(p.headers.get('access-control-allow-origin'), origin, `preflight from ${origin}`);
    assert.match(p.headers.get('access-control-allow-methods') || '', /\bGET\b/);
  }
  for (const origin of refused) {
    const r = await appMe(app, co.json.id, origin);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.headers.get('access-control-allow-origin'), null, `call from ${origin}`);
  }
  // the identity sheet the application reads shows its domain as written
  const me = await appMe(app, co.json.id, allowed[0]);
  assert.equal(me.json.domain, host);
});

// ---- 2. Certificate or public key ----------------------------------------

test('the certificate field takes an RSA public key PEM as well as an X.509 certificate, and certificate_kind says which (a key was refused: "not a PEM X.509 certificate")', async () => {
  const k = await createApp(writer, { name: `certkey-${randomHex(5)}`, certificate: keys.rsa2048 });
  assert.equal(k.certificate, keys.rsa2048, 'kept as sent');
  assert.equal(k.certificate_kind, 'public_key');
  const c = await createApp(writer, { name: `certx509-${randomHex(5)}`, certificate: keys.cert2048 });
  assert.equal(c.certificate_kind, 'certificate');
  const none = await createApp(writer, { name: `nocert-${randomHex(5)}` });
  assert.equal(none.certificate_kind, null);
  const got = await get(k);
  assert.equal(got.json.certificate_kind, 'public_key');

  let r = await patch(k, 1, { certificate: keys.cert2048 });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.certificate_kind, 'certificate');
  r = await patch(k, 2, { certificate: null });
  assert.equal(r.json.certificate_kind, null);

  for (const [what, certificate, message] of [
    ['a 1024-bit key', keys.rsa1024, /1024-bit/],
    ['a 1024-bit certificate', keys.cert1024, /1024-bit/],
    ['an EC key', keys.ec, /not RSA/],
    ['not PEM', 'hello', /certificate.*public key/],
  ]) {
    const name = `badcert-${randomHex(6)}`;
    const e = assertError(await request('/api/v1/apps', { method: 'POST', headers: writer.headers, json: { name, certificate } }),
      400, 'invalid_request', what);
    assert.equal(e.field, 'certificate', what);
    assert.match(e.message, message, `${what}: ${e.message}`);
    assert.equal(await countNamed(name), 0);
  }
  // a public key in the certificate field is still the key pair's alternative
  const both = await request('/api/v1/apps', {
    method: 'POST', headers: writer.headers,
    json: { name: `both-${randomHex(5)}`, certificate: keys.rsa2048, public_key_current: keys.rsa2048 },
  });
  assert.match(assertError(both, 400, 'invalid_request').message, /not both/);
  const ro = await patch(c, 1, { certificate_kind: 'public_key' });
  assert.equal(assertError(ro, 400, 'invalid_request').field, 'body', 'certificate_kind is read-only');
});

test('public_key_previous without public_key_current is refused naming public_key_previous (was accepted alone)', async () => {
  const name = `prevonly-${randomHex(5)}`;
  const r = await request('/api/v1/apps', {
    method: 'POST', headers: writer.headers, json: { name, public_key_previous: keys.rsa2048 },
  });
  const e = assertError(r, 400, 'invalid_request');
  assert.equal(e.field, 'public_key_previous', e.message);
  assert.match(e.message, /public_key_current/);
  assert.equal(await countNamed(name), 0, 'nothing written');

  // on update, the merged sheet is checked: the current key cannot go alone
  const app = await createApp(writer, { name: `pair-${randomHex(5)}`, public_key_current: keys.rsa2048, public_key_previous: keys.rsa2048 });
  const drop = await patch(app, 1, { public_key_current: null });
  assert.equal(assertError(drop, 400, 'invalid_request').field, 'public_key_previous');
  assert.equal((await get(app)).json.public_key_current, keys.rsa2048, 'nothing written');
  const both = await patch(app, 1, { public_key_current: null, public_key_previous: null });
  assert.equal(both.status, 200, both.text);
  const alone = await patch(app, 2, { public_key_previous: keys.rsa2048 });
  assert.equal(assertError(alone, 400, 'invalid_request').field, 'public_key_previous');
});

// ---- 3. Suite and project ------------------------------------------------

const newSuite = () => fixtures.newSuite(writer);
const newProject = (suite) => fixtures.newProject(writer, suite);

test('an application given only project_id is stored with the project\'s suite (was suite_id null); a suite of another project is still refused', async () => {
  const suite = await newSuite();
  const project = await newProject(suite);
  const app = await createApp(writer, { name: `projonly-${randomHex(5)}`, project_id: project });
  assert.equal(app.suite_id, suite, 'the project\'s suite');
  assert.equal(app.project_id, project);
  assert.equal((await get(app)).json.suite_id, suite, 'stored so');
  const [[, details]] = await auditRows(app.id);
  assert.equal(JSON.parse(details).suite_id, suite, 'the audit entry says what was stored');
  const listed = await request(`/api/v1/apps?suite_id=${suite}`, { headers: writer.headers });
  assert.deepEqual(listed.json.items.map((a) => a.id), [app.id], 'found by its suite');

  // an update naming only a project takes its suite too
  const suiteB = await newSuite();
  const projectB = await newProject(suiteB);
  const bare = await createApp(writer, { name: `later-${randomHex(5)}` });
  let r = await patch(bare, 1, { project_id: projectB });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.suite_id, suiteB);
  // moving to a project of another suite moves to that suite
  r = await patch(bare, 2, { project_id: project });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.suite_id, suite);
  // a null suite with a project is the project's suite
  r = await patch(bare, 3, { suite_id: null });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.suite_id, suite);

  // a suite given with a project of another suite is refused, as before
  const mixed = `mixed-${randomHex(5)}`;
  const bad = await request('/api/v1/apps', {
    method: 'POST', headers: writer.headers, json: { name: mixed, suite_id: suiteB, project_id: project },
  });
  assert.equal(assertError(bad, 400, 'invalid_request').field, 'project_id');
  assert.equal(await countNamed(mixed), 0);
  const badPatch = await patch(bare, 4, { suite_id: suiteB });
  assert.equal(assertError(badPatch, 400, 'invalid_request').field, 'project_id');
  const badBoth = await patch(bare, 4, { suite_id: suiteB, project_id: project });
  assert.equal(assertError(badBoth, 400, 'invalid_request').field, 'project_id');
  assert.equal((await get(bare)).json.suite_id, suite, 'nothing written');
  const noProject = await request('/api/v1/apps', {
    method: 'POST', headers: writer.headers, json: { name: `noproj-${randomHex(5)}`, project_id: 999999999 },
  });
  assert.equal(assertError(noProject, 400, 'invalid_request').field, 'project_id');
});
