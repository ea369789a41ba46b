// prefix.test.js - Ostium served under a path prefix (base_url
// http://127.0.0.1:PORT/ostium) behind each web server: every link, form
// action and script or style source of every console page reachable from the
// dashboard starts with the prefix, every redirect and every 201 Location
// starts with the base URL, the cookies' Path is the prefix, the web server
// serves the static files under it, and the API answers under it, each JSON
// answer fitting the API description served there. Run by
// scripts/test after the servers were switched to the prefix
// (ost_test_servers_prefix): OSTIUM_URL is the web server's root,
// OSTIUM_BASE_URL the base_url.
'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const {
  env,
  request,
  CookieJar,
  csrfField,
  pageText,
  createAdmin,
  createToken,
  randomHex,
  randomEmail,
} = require('../http/lib');

const baseUrl = env('OSTIUM_BASE_URL').replace(/\/+$/, '');
const prefix = new URL(baseUrl).pathname;
if (!/^(\/[A-Za-z0-9._-]+)+$/.test(prefix)) {
  throw new Error(`OSTIUM_BASE_URL must have a path prefix, not ${baseUrl}`);
}
const server = process.env.OSTIUM_WEB_SERVER || 'lighttpd';
// At most this many console pages are visited from the dashboard.
const MAX_PAGES = 80;

const at = (path) => `${prefix}${path}`;
const bearer = (token) => ({ Authorization: `Bearer ${token}` });

// Asserts that R redirects to a URL under the base URL; returns the path of
// that URL (without the prefix), with its query.
function assertRedirect(r, status, what) {
  assert.equal(r.status, status, `${what}: ${r.status} ${r.text.slice(0, 200)}`);
  const loc = r.headers.get('location') || '';
  assert.ok(loc.startsWith(`${baseUrl}/`), `${what}: Location ${loc} is not under ${baseUrl}/`);
  return loc.slice(baseUrl.length);
}

// Asserts that cookie NAME of JAR was last set with Path = the prefix.
function assertCookiePath(jar, name, what) {
  const attrs = jar.attributes.get(name);
  assert.ok(attrs, `${what}: no ${name} cookie was set`);
  assert.equal(attrs.path, prefix, `${what}: ${name} cookie Path`);
}

// Every href, src and action of HTML, entities decoded.
function urlsOf(html) {
  return [...html.matchAll(/\s(href|src|action)="([^"]*)"/g)].map((m) => [
    m[1],
    m[2].replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'"),
  ]);
}

// Asserts that every URL of page PATH (HTML) starts with the prefix and a
// slash (a fragment link such as href="#keys" stays on the page); returns the console pages it links to (GET links, without the prefix).
function checkPage(path, html) {
  const links = [];
  const urls = urlsOf(html);
  assert.ok(urls.length > 0, `${path}: no link at all`);
  for (const [attr, url] of urls) {
    if (attr === 'href' && url.startsWith('#')) continue; // within the page itself
    assert.ok(url.startsWith(`${prefix}/`), `${path}: ${attr}="${url}" does not start with ${prefix}/`);
    if (attr === 'href' && url.startsWith(at('/admin/'))) links.push(url.slice(prefix.length));
  }
  return links;
}

// A signed-in console client: { jar, csrf, address }.
async function signIn(email, password) {
  const jar = new CookieJar();
  const address = `2001:db8:${randomHex(2)}::${randomHex(2)}`;
  const form = await request(at('/admin/login'), { jar, address });
  assert.equal(form.status, 200, form.text.slice(0, 300));
  checkPage('/admin/login', form.text);
  assertCookiePath(jar, 'ostium_login', 'the sign-in form');
  const csrf = csrfField(form.text);
  const r = await request(at('/admin/login'), {
    method: 'POST', jar, address, form: { csrf, email, password },
  });
  assert.equal(assertRedirect(r, 303, 'sign-in'), '/admin/', pageText(r.text).slice(0, 200));
  assertCookiePath(jar, 'ostium_session', 'sign-in');
  const dash = await request(at('/admin/'), { jar, address });
  assert.equal(dash.status, 200, `dashboard: ${dash.status}`);
  return { jar, csrf: csrfField(dash.text), address };
}

// Creates one of everything through the API under the prefix, asserting that
// each 201 Location is under the base URL and leads to what was created.
async function seed(headers) {
  const made = {};
  // ITEMS: where the created item lives (PATH unless it is nested only for
  // creation); null for a 201 that carries no Location (application users).
  const create = async (path, json, what, items = path) => {
    const r = await request(at(path), { method: 'POST', headers, json });
    assert.equal(r.status, 201, `${what}: ${r.text.slice(0, 300)}`);
    if (items === null) return r.json;
    const loc = assertRedirect(r, 201, what);
    assert.equal(loc, `${items}/${r.json.id}`, `${what}: Location`);
    const got = await request(at(loc), { headers });
    assert.equal(got.status, 200, `${what}: GET its Location`);
    assert.equal(got.json.id, r.json.id, `${what}: the Location is what was made`);
    return r.json;
  };
  const tag = randomHex(4);
  made.suite = await create('/api/v1/suites', { name: `Prefix suite ${tag}` }, 'suite');
  made.project = await create(`/api/v1/suites/${made.suite.id}/projects`, { name: 'Bots' }, 'project',
    '/api/v1/projects');
  made.company = await create('/api/v1/companies', { name: `Prefix ${tag}`, slug: `prefix-${tag}` }, 'company');
  made.member = await create(`/api/v1/companies/${made.company.id}/members`,
    { email: randomEmail('prefix'), first_name: 'Grace', last_name: 'Hopper' }, 'member');
  made.person = await create('/api/v1/users', { email: randomEmail('prefix'), roles: ['AUDITOR'] }, 'person');
  made.app = await create('/api/v1/apps', { name: `prefix-${tag}` }, 'app');
  const password = `pw-${randomHex(8)}`;
  made.appUser = await create(`/api/v1/apps/${made.app.id}/users`, {
    email: randomEmail('prefix'), first_name: 'Ada', last_name: 'Lovelace', password,
    password_confirmation: password,
  }, 'application user', null);
  return made;
}

test(`the web server (${server}) serves the static files under ${prefix}/static/`, async () => {
  const r = await request(at('/static/ostium.css'));
  assert.equal(r.status, 200, r.text.slice(0, 200));
  assert.match(r.headers.get('content-type') || '', /^text\/css/);
  assert.equal(r.headers.get('x-request-id'), null, 'served by the web server, not by Ostium');
  assert.ok(r.text.length > 100, 'the style sheet');
});

test(`the API and /healthz answer under ${prefix}/, and not outside it`, async () => {
  const admin = await createAdmin();
  const headers = bearer(await createToken(admin.email));
  const health = await request(at('/healthz'));
  assert.equal(health.status, 200, health.text);
  assert.equal(health.json.status, 'ok');
  const me = await request(at('/api/v1/me'), { headers });
  assert.equal(me.status, 200, me.text);
  assert.equal(me.json.email, admin.email);
  const xml = await request(at('/api/v1/me?format=xml'), { headers });
  assert.equal(xml.status, 200);
  assert.match(xml.headers.get('content-type'), /^application\/xml/);
  // The web server maps only the prefix to Ostium: outside it, the web
  // server answers itself (404, or Apache's 403 for its DocumentRoot).
  const outside = await request('/api/v1/me', { headers });
  assert.ok([403, 404].includes(outside.status), `/api/v1/me outside the prefix: ${outside.status}`);
  assert.equal(outside.headers.get('x-request-id'), null, 'answered by the web server, not by Ostium');
  // An unknown path under the prefix is Ostium's 404.
  const nope = await request(at('/api/v1/nope'), { headers });
  assert.equal(nope.status, 404);
  assert.equal(nope.json.error.code, 'not_found');
});

test(`the API description under ${prefix}/ names the base URL as its server, its paths relative to it`, async () => {
  // Every JSON answer here is checked against this document (lib.js),
  // with the prefix taken off by its servers[0].url.
  const r = await request(at('/api/v1/openapi.json'));
  assert.equal(r.status, 200, r.text.slice(0, 200));
  assert.equal(r.json.servers?.[0]?.url, baseUrl, 'servers[0].url');
  const paths = Object.keys(r.json.paths || {});
  assert.ok(paths.includes('/api/v1/me'), 'GET /api/v1/me is described');
  for (const path of paths) assert.ok(!path.startsWith(`${prefix}/`), `${path}: relative to the base URL`);
});

test(`the OAuth server's metadata names the issuer ${prefix}, and is served under the prefix and where RFC 8414 section 3.1 puts it`, async () => {
  const under = await request(at('/.well-known/oauth-authorization-server'));
  assert.equal(under.status, 200, under.text.slice(0, 200));
  assert.equal(under.json.issuer, baseUrl);
  assert.equal(under.json.token_endpoint, `${baseUrl}/oauth/token`);
  assert.equal(under.json.authorization_endpoint, `${baseUrl}/oauth/authorize`);
  // outside the base URL: fetched directly (the API description's server is the base URL)
  const root = new URL(baseUrl).origin;
  const rfc = await fetch(`${root}/.well-known/oauth-authorization-server${prefix}`, { headers: { Accept: 'application/json' } });
  assert.equal(rfc.status, 200, `${server} forwards /.well-known/oauth-authorization-server${prefix}`);
  assert.deepEqual(await rfc.json(), under.json);
  const other = await fetch(`${root}/.well-known/oauth-authorization-server/not-this-one`, { headers: { Accept: 'application/json' } });
  assert.equal(other.status, 404, 'another issuer\'s is not Ostium\'s');
});

test('every 201 Location is under the base URL', async () => {
  const admin = await createAdmin();
  await seed(bearer(await createToken(admin.email)));
});

test('signed out, the console redirects to the sign-in page under the base URL', async () => {
  for (const path of ['/admin/', '/admin/apps', '/admin/tokens']) {
    const r = await request(at(path));
    assert.equal(assertRedirect(r, 303, path).replace(/\?.*$/, ''), '/admin/login', path);
  }
  const root = await request(at('/'));
  assert.ok(assertRedirect(root, 303, `${prefix}/`).startsWith('/admin'), 'the root leads to the console');
});

test(`every console page reachable from the dashboard links, loads and posts under ${prefix}/`, async (t) => {
  const admin = await createAdmin();
  const headers = bearer(await createToken(admin.email));
  const made = await seed(headers);
  const { jar, address } = await signIn(admin.email, admin.password);

  // The pages named by the issue, then whatever they link to.
  const start = ['/admin/', '/admin/tokens', '/admin/suites', '/admin/companies', '/admin/people',
    '/admin/apps', '/admin/audit', `/admin/apps/${made.app.id}`, `/admin/suites/${made.suite.id}`,
    `/admin/companies/${made.company.id}`, `/admin/people/${made.person.id}`];
  const queue = [...start];
  const seen = new Set(queue);
  const visited = [];
  while (queue.length && visited.length < MAX_PAGES) {
    const path = queue.shift();
    const r = await request(at(path), { jar, address });
    assert.equal(r.status, 200, `${path}: ${r.status} ${pageText(r.text).slice(0, 200)}`);
    assert.match(r.headers.get('content-type') || '', /^text\/html/, path);
    visited.push(path);
    for (const link of checkPage(path, r.text)) {
      // Each page once, whatever its query (list filters and cursors).
      const page = link.replace(/\?.*$/, '');
      if (!seen.has(page)) {
        seen.add(page);
        queue.push(link);
      }
    }
  }
  for (const path of start) assert.ok(visited.includes(path), `${path} was visited`);
  t.diagnostic(`${visited.length} console pages visited`);

  // A form posted under the prefix redirects under the base URL.
  const form = await request(at('/admin/suites/new'), { jar, address });
  assert.equal(form.status, 200);
  const created = await request(at('/admin/suites'), {
    method: 'POST', jar, address,
    form: { csrf: csrfField(form.text), name: `Console suite ${randomHex(4)}`, description: '' },
  });
  const suitePage = assertRedirect(created, 303, 'a suite made in the console');
  assert.match(suitePage, /^\/admin\/suites\/\d+/);
  assert.equal((await request(at(suitePage), { jar, address })).status, 200, 'the new suite page');

  // Signing out clears the session cookie on the prefix and redirects under it.
  const dash = await request(at('/admin/'), { jar, address });
  const out = await request(at('/admin/logout'), {
    method: 'POST', jar, address, form: { csrf: csrfField(dash.text) },
  });
  assert.equal(assertRedirect(out, 303, 'sign-out').replace(/\?.*$/, ''), '/admin/login');
  assertCookiePath(jar, 'ostium_session', 'sign-out');
  assert.equal(jar.get('ostium_session'), undefined, 'the session cookie is cleared');
});
