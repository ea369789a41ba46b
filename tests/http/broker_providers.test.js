// broker_providers.test.js - connection providers (issue 11): declared,
// read, changed and removed through /api/v1/apps/{id}/connection-providers,
// each rule of their fields, only a SUPER_ADMINISTRATOR changing them,
// every change audited, and "needs server admin" (Add connection disabled,
// in the API's view and in the member's console) until both server
// variables have a value.
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { request, assertError, pageText, randomHex } = require('./lib');
const b = require('./broker_lib');

let up;
before(async () => { up = await b.startUpstream('stub'); });
after(async () => { await up.stop(); });

const providers = (w) => `/api/v1/apps/${w.app.id}/connection-providers`;

test('a provider is declared, read, listed, changed and removed by a super administrator, each change audited', async () => {
  const w = await b.world();
  const name = `linear-${randomHex(3)}`;
  const made = await b.api(w.headers, providers(w), { method: 'POST', json: { name, display_name: 'Linear',
    icon: 'https://cdn.example.org/linear.png', oauth: b.oauthOf(up) } });
  assert.equal(made.status, 201, made.text);
  assert.match(made.headers.get('location'), new RegExp(`/connection-providers/${name}$`));
  const p = made.json;
  assert.equal(p.name, name);
  assert.equal(p.type, 'oauth', 'oauth is the type by default');
  assert.equal(p.oauth.token_endpoint_auth_method, 'client_secret_post', 'the default method');
  assert.equal(p.oauth.use_pkce, true, 'PKCE by default');
  assert.deepEqual(p.oauth.authorization_params, {});
  assert.equal(p.callback_url, b.callbackUrl(), 'the callback URL to register at the provider');
  const got = await b.api(w.headers, `${providers(w)}/${name}`);
  assert.deepEqual(got.json, p);
  const list = await b.api(w.headers, providers(w));
  assert.deepEqual(list.json.items.map((x) => x.name), [name]);

  const changed = await b.api(w.headers, `${providers(w)}/${name}`, { method: 'PATCH', json: { version: 1,
    display_name: 'Linear (EU)', oauth: { token_request_content_type: 'form-urlencoded', scopes: ['read'] } } });
  assert.equal(changed.status, 200, changed.text);
  assert.equal(changed.json.display_name, 'Linear (EU)');
  assert.equal(changed.json.oauth.token_request_content_type, 'form-urlencoded');
  assert.deepEqual(changed.json.oauth.scopes, ['read']);
  assert.equal(changed.json.oauth.token_endpoint, p.oauth.token_endpoint, 'the other settings stay');
  assert.equal(changed.json.version, 2);
  const stale = await b.api(w.headers, `${providers(w)}/${name}`, { method: 'PATCH', json: { version: 1, display_name: 'x' } });
  assertError(stale, 409, 'conflict', 'a stale version');

  const del = await b.api(w.headers, `${providers(w)}/${name}`, { method: 'DELETE' });
  assert.equal(del.status, 204, del.text);
  assertError(await b.api(w.headers, `${providers(w)}/${name}`), 404, 'not_found', 'gone');

  const audit = await b.sql(`SELECT action, actor FROM audit_log WHERE object_type = 'connection_provider' AND object_id = '${p.id}' ORDER BY id`);
  assert.deepEqual(audit, [
    ['connection_provider.create', w.admin.email],
    ['connection_provider.update', w.admin.email],
    ['connection_provider.delete', w.admin.email],
  ]);
});

// Each rule: a body (over a good one) and the words its refusal holds.
function rules(w) {
  const good = () => ({ name: `p-${randomHex(3)}`, display_name: 'P', oauth: b.oauthOf(up) });
  const oauth = (o) => ({ ...good(), oauth: { ...b.oauthOf(up), ...o } });
  return [
    ['a name with capitals', { ...good(), name: 'Linear' }, 'name', /name must start with a-z/],
    ['a name starting with a digit', { ...good(), name: '1linear' }, 'name', /name must start/],
    ['a name with a space', { ...good(), name: 'lin ear' }, 'name', /name must start/],
    ['a name of 65 characters', { ...good(), name: 'a'.repeat(65) }, 'name', /1 to 64/],
    ['no name', { display_name: 'P', oauth: b.oauthOf(up) }, 'name', /required/],
    ['no display name', { name: 'p-x', oauth: b.oauthOf(up) }, 'display_name', /required/],
    ['an icon over http', { ...good(), icon: 'http://cdn.example.org/i.png' }, 'icon', /https/],
    ['a type that is not oauth', { ...good(), type: 'api_key' }, 'type', /listed values/],
    ['no oauth settings', { name: 'p-y', display_name: 'P' }, 'oauth', /required/],
    ['oauth not an object', { ...good(), oauth: 'x' }, 'oauth', /object/],
    ['a token endpoint over http to another host', oauth({ token_endpoint: 'http://example.org/token' }), 'oauth', /token_endpoint must use https/],
    ['an authorization endpoint that is no URL', oauth({ authorization_endpoint: 'example.org/auth' }), 'oauth', /authorization_endpoint must be an absolute URL/],
    ['an endpoint with a password', oauth({ token_endpoint: 'https://u:p@example.org/token' }), 'oauth', /user name or a password/],
    ['an endpoint with a fragment', oauth({ revoke_endpoint: 'https://example.org/revoke#x' }), 'oauth', /fragment/],
    ['a revoke endpoint over ftp', oauth({ revoke_endpoint: 'ftp://example.org/revoke' }), 'oauth', /revoke_endpoint/],
    ['a userinfo endpoint over http', oauth({ userinfo_endpoint: 'http://example.org/me' }), 'oauth', /userinfo_endpoint must use https/],
    ['a scope with a space', oauth({ scopes: ['read write'] }), 'oauth', /is not a scope/],
    ['scopes not a list', oauth({ scopes: 'read' }), 'oauth', /list/],
    ['a variable name in lower case', oauth({ client_id_variable: 'client_id' }), 'oauth', /server variable's name/],
    ['an undeclared client id variable', oauth({ client_id_variable: 'NOPE' }), 'oauth', /client_id_variable names no server variable/],
    ['an undeclared client secret variable', oauth({ client_secret_variable: 'NOPE' }), 'oauth', /client_secret_variable names no server variable/],
    ['a client secret in a variable that is not secret', oauth({ client_secret_variable: 'CLIENT_ID', client_id_variable: 'CLIENT_SECRET' }), 'oauth', /must name a secret server variable/],
    ['one variable for both', oauth({ client_secret_variable: 'CLIENT_ID' }), 'oauth', /two different server variables/],
    ['a content type that is neither json nor form', oauth({ token_request_content_type: 'xml' }), 'oauth', /token_request_content_type/],
    ['an unknown client authentication', oauth({ token_endpoint_auth_method: 'private_key_jwt' }), 'oauth', /token_endpoint_auth_method/],
    ['use_pkce not a boolean', oauth({ use_pkce: 'yes' }), 'oauth', /use_pkce must be true or false/],
    ['an authorize parameter Ostium sets', oauth({ authorization_params: { state: 'x' } }), 'oauth', /state is set by Ostium/],
    ['an authorize parameter that is not text', oauth({ authorization_params: { prompt: 1 } }), 'oauth', /prompt must be a text/],
    ['an unknown setting', oauth({ client_secret: 'inline' }), 'oauth', /client_secret is not a field/],
    ['an unknown field', { ...good(), secret: 'x' }, 'body', /secret is not a field/],
  ].map(([what, body, field, message]) => ({ what, body, field, message, w }));
}

test('each rule of a provider refuses a bad value with a 400 naming the field', async () => {
  const w = await b.world();
  for (const r of rules(w)) {
    const res = await b.api(w.headers, providers(w), { method: 'POST', json: r.body });
    const e = assertError(res, 400, 'invalid_request', r.what);
    assert.equal(e.field, r.field, r.what);
    assert.match(e.message, r.message, r.what);
  }
  const list = await b.api(w.headers, providers(w));
  assert.deepEqual(list.json.items, [], 'nothing refused was stored');
  // a name is unique per application
  const name = `p-${randomHex(3)}`;
  const one = await b.api(w.headers, providers(w), { method: 'POST', json: { name, display_name: 'P', oauth: b.oauthOf(up) } });
  assert.equal(one.status, 201, one.text);
  const two = await b.api(w.headers, providers(w), { method: 'POST', json: { name, display_name: 'Q', oauth: b.oauthOf(up) } });
  assert.equal(assertError(two, 409, 'conflict', 'the same name twice').field, 'name');
  const loopback = await b.api(w.headers, providers(w), { method: 'POST', json: { name: `p-${randomHex(3)}`, display_name: 'P',
    oauth: b.oauthOf(up, { token_endpoint: 'http://localhost:9/token' }) } });
  assert.equal(loopback.status, 201, 'http to a loopback host is taken in development mode');
});

test('only a SUPER_ADMINISTRATOR declares, changes or removes a provider: whoever changes its endpoints could collect its tokens', async () => {
  const w = await b.world();
  const name = `p-${randomHex(3)}`;
  const made = await b.api(w.headers, providers(w), { method: 'POST', json: { name, display_name: 'P', oauth: b.oauthOf(up) } });
  assert.equal(made.status, 201, made.text);
  for (const role of ['USER_PROVISIONING', 'AUDITOR']) {
    const other = await b.admin(role);
    assertError(await b.api(other.headers, providers(w), { method: 'POST', json: { name: 'p-z', display_name: 'P', oauth: b.oauthOf(up) } }), 403, 'forbidden', `${role} creates`);
    assertError(await b.api(other.headers, `${providers(w)}/${name}`, { method: 'PATCH', json: { version: 1, oauth: { token_endpoint: 'https://evil.example.org/token' } } }), 403, 'forbidden', `${role} changes the endpoint`);
    assertError(await b.api(other.headers, `${providers(w)}/${name}`, { method: 'DELETE' }), 403, 'forbidden', `${role} deletes`);
    const read = await b.api(other.headers, `${providers(w)}/${name}`);
    assert.equal(read.status, 200, `${role} reads`);
    assert.equal(read.json.oauth.token_endpoint, made.json.oauth.token_endpoint, 'unchanged');
  }
});

test('a provider needs a server admin, and Add connection stays disabled, until both server variables have a value', async () => {
  const w = await b.world();
  const name = `p-${randomHex(3)}`;
  const made = await b.api(w.headers, providers(w), { method: 'POST', json: { name, display_name: 'Stubby', oauth: b.oauthOf(up) } });
  assert.equal(made.status, 201, made.text);
  const m = await b.member(w.headers, w.company);
  const s = await b.signInAs(m);
  const page = `/admin/my/companies/${w.company.id}/apps/${w.app.id}`;
  const connectLink = new RegExp(`href="[^"]*/connect/${name}"`);
  const state = async () => (await b.api(w.headers, `${providers(w)}/${name}`)).json;

  assert.equal(made.json.status, 'needs_server_admin');
  assert.equal(made.json.can_connect, false);
  let html = (await request(page, { jar: s.jar })).text;
  assert.doesNotMatch(html, connectLink, 'no Add connection link');
  assert.match(html, /<button type="button" disabled>Add connection<\/button>/, 'a disabled button');
  assert.match(pageText(html), /needs server admin/);
  const early = await request(`${page}/connect/${name}`, { method: 'POST', jar: s.jar, form: { csrf: s.csrf, visibility: 'user' } });
  assert.equal(early.status, 409, 'the connect flow refuses to start');
  assert.match(pageText(early.text), /needs a server administrator/);

  await b.setVariable(w, 'CLIENT_ID', up.client_id);
  assert.equal((await state()).status, 'needs_server_admin', 'one of two is not enough');
  await b.setVariable(w, 'CLIENT_SECRET', up.client_secret);
  const ready = await state();
  assert.equal(ready.status, 'ready');
  assert.equal(ready.can_connect, true);
  html = (await request(page, { jar: s.jar })).text;
  assert.match(html, connectLink, 'Add connection is a link now');
  assert.match(pageText(html), /ready/);

  await b.api(w.headers, `/api/v1/apps/${w.app.id}/server-variables/CLIENT_SECRET`, { method: 'PUT',
    json: { value: null, version: (await b.api(w.headers, `/api/v1/apps/${w.app.id}/server-variables/CLIENT_SECRET`)).json.version } });
  assert.equal((await state()).status, 'needs_server_admin', 'a cleared secret takes it back');
});

test('the console declares a provider in the application page and shows its callback URL', async () => {
  const w = await b.world();
  const { signIn, csrfField } = require('./lib');
  const s = await signIn(w.admin.email, w.admin.password);
  const page = `/admin/apps/${w.app.id}`;
  const name = `con-${randomHex(3)}`;
  const r = await request(`${page}/connection-providers`, { method: 'POST', jar: s.jar, form: {
    csrf: s.csrf, name, display_name: 'From the console', authorization_endpoint: up.url('/authorize'),
    token_endpoint: up.url('/token'), scopes: 'read\nwrite', client_id_variable: 'CLIENT_ID',
    client_secret_variable: 'CLIENT_SECRET', token_request_content_type: 'json',
    token_endpoint_auth_method: 'client_secret_basic', use_pkce: 'true', authorization_params: '{"prompt":"consent"}',
    revoke_endpoint: '', userinfo_endpoint: '' } });
  assert.equal(r.status, 303, pageText(r.text).slice(0, 400));
  const got = await b.api(w.headers, `${providers(w)}/${name}`);
  assert.equal(got.status, 200, got.text);
  assert.deepEqual(got.json.oauth.scopes, ['read', 'write']);
  assert.equal(got.json.oauth.token_endpoint_auth_method, 'client_secret_basic');
  assert.deepEqual(got.json.oauth.authorization_params, { prompt: 'consent' });
  assert.equal(got.json.oauth.revoke_endpoint, null);
  const shown = await request(page, { jar: s.jar });
  assert.match(pageText(shown.text), new RegExp(`${name} From the console needs server admin ${b.callbackUrl().replace(/[.]/g, '\\.')}`));
  const bad = await request(`${page}/connection-providers`, { method: 'POST', jar: s.jar, form: {
    csrf: csrfField(shown.text), name: 'Bad Name', display_name: 'x', authorization_endpoint: up.url('/authorize'),
    token_endpoint: up.url('/token'), client_id_variable: 'CLIENT_ID', client_secret_variable: 'CLIENT_SECRET' } });
  assert.equal(bad.status, 400);
  assert.match(pageText(bad.text), /name must start with a-z/);
});
