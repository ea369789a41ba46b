// console_registry.test.js - console-only behaviour of the registry pages
// (admin/resource.c, admin/apps.c): CSRF on their forms, a field refused
// next to the field with nothing written, the stale-version page, a refused
// delete saying why, unchecked boxes, and the application key shown once;
// run by scripts/test (node --test).
'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const {
  request,
  locationPath,
  assertCommonHeaders,
  pageText,
  sql,
  randomHex,
  randomEmail,
  createAdmin,
  signIn,
} = require('./lib');

let session;
// One signed-in administrator for the whole file.
async function admin() {
  session ??= (async () => {
    const { email, password } = await createAdmin();
    return signIn(email, password);
  })();
  return session;
}

// POSTs FORM to PATH as the administrator (csrf added unless given).
async function post(path, form) {
  const { jar, csrf } = await admin();
  return request(path, { method: 'POST', jar, form: { csrf, ...form } });
}

async function get(path) {
  const { jar } = await admin();
  return request(path, { jar });
}

const versionOf = (html) => {
  const m = /name="version" value="(\d+)"/.exec(html);
  assert.ok(m, 'the form carries its version');
  return m[1];
};

// Creates a suite through the console; resolves with its console path.
async function newSuite(name = `Suite ${randomHex(4)}`) {
  const r = await post('/admin/suites', { name, description: 'by console_registry' });
  assert.equal(r.status, 303, pageText(r.text).slice(0, 300));
  const path = locationPath(r);
  assert.match(path, /^\/admin\/suites\/\d+$/);
  return { path, id: path.split('/').pop(), name };
}

async function suiteRows(name) {
  return sql(`SELECT id, description FROM suites WHERE name = '${name}'`);
}

test('registry forms without the session csrf token are refused with 403 and write nothing', async () => {
  const { jar } = await admin();
  const name = `Csrf ${randomHex(4)}`;
  for (const csrf of [undefined, 'x'.repeat(43)]) {
    const form = { name, description: 'no token' };
    if (csrf) form.csrf = csrf;
    const r = await request('/admin/suites', { method: 'POST', jar, form });
    assert.equal(r.status, 403, `csrf ${csrf}: ${r.status}`);
    assertCommonHeaders(r, 'POST /admin/suites without csrf');
  }
  assert.deepEqual(await suiteRows(name), [], 'no suite was created');

  const suite = await newSuite();
  const page = await get(suite.path);
  const version = versionOf(page.text);
  let r = await request(suite.path, { method: 'POST', jar, form: { version, name: 'changed', description: '' } });
  assert.equal(r.status, 403);
  r = await request(`${suite.path}/delete`, { method: 'POST', jar, form: {} });
  assert.equal(r.status, 403);
  assert.deepEqual(await suiteRows(suite.name), [[suite.id, 'by console_registry']], 'unchanged, not deleted');
});

test('a bad field is shown next to the field with the values typed, status 400, nothing written', async () => {
  const description = `kept ${randomHex(4)}`;
  const r = await post('/admin/suites', { name: '', description });
  assert.equal(r.status, 400);
  assert.match(r.text, /<div class="field">\s*<label for="f-name">Name<\/label>[\s\S]*?<p class="field-error" role="alert">name is required<\/p>/);
  assert.ok(r.text.includes(`>${description}</textarea>`), 'the description typed is kept');
  assert.deepEqual(await sql(`SELECT id FROM suites WHERE description = '${description.replace(' ', ' ')}'`), []);

  const suite = await newSuite();
  const page = await get(suite.path);
  const bad = await post(suite.path, { version: versionOf(page.text), name: 'x'.repeat(101), description: 'nope' });
  assert.equal(bad.status, 400);
  assert.match(pageText(bad.text), /name must be 1 to 100 characters long/);
  assert.deepEqual(await suiteRows(suite.name), [[suite.id, 'by console_registry']]);
});

test('an update made against a stale version gets 409, says so and shows the current values', async () => {
  const suite = await newSuite();
  const opened = await get(suite.path);
  const version = versionOf(opened.text);
  const newer = `Newer ${randomHex(4)}`;
  // Another administrator saves first.
  const first = await post(suite.path, { version, name: newer, description: 'first' });
  assert.equal(first.status, 303);
  assert.equal(locationPath(first), `${suite.path}?saved=1`);
  // The form opened before that is refused.
  const stale = await post(suite.path, { version, name: 'Overwrite', description: 'second' });
  assert.equal(stale.status, 409);
  assert.match(pageText(stale.text), /Someone else changed this suite since you opened it/);
  assert.ok(stale.text.includes(`value="${newer}"`), 'the current name is in the form');
  assert.equal(versionOf(stale.text), String(Number(version) + 1), 'with the current version');
  assert.deepEqual(await sql(`SELECT name, description FROM suites WHERE id = ${suite.id}`), [[newer, 'first']]);
  // A form without its version is refused too.
  const none = await post(suite.path, { name: 'No version', description: '' });
  assert.equal(none.status, 400);
  assert.deepEqual(await sql(`SELECT name FROM suites WHERE id = ${suite.id}`), [[newer]]);
});

test('a refused delete is a 409 page saying why; the suite stays', async () => {
  const suite = await newSuite();
  const p = await post(`${suite.path}/projects`, { name: `P ${randomHex(3)}`, description: '' });
  assert.equal(p.status, 303);
  assert.equal(locationPath(p), `${suite.path}?saved=1`, 'back to the suite page');
  const r = await post(`${suite.path}/delete`, {});
  assert.equal(r.status, 409);
  assert.match(pageText(r.text), /This suite still has projects or applications: remove them first/);
  assert.equal((await suiteRows(suite.name)).length, 1);
});

test('an unchecked box is sent as false: a person is disabled from the console', async () => {
  const email = randomEmail('person');
  let r = await post('/admin/people', { email, first_name: 'Pat', last_name: 'Doe', password: '', enabled: 'true' });
  assert.equal(r.status, 303, pageText(r.text).slice(0, 400));
  const path = locationPath(r);
  const page = await get(path);
  assert.match(page.text, /<input type="checkbox" value="true" id="f-enabled" name="enabled" checked>/);
  // The roles are boxes too, one per role.
  assert.match(page.text, /id="f-roles-AUDITOR" name="roles" value="AUDITOR"/);
  r = await post(path, { version: versionOf(page.text), email, first_name: 'Pat', last_name: 'Doe', password: '' });
  assert.equal(r.status, 303, pageText(r.text).slice(0, 400));
  assert.deepEqual(await sql(`SELECT enabled FROM users WHERE email = '${email}'`), [['0']]);
});

test('the private API key is shown on the page that creates or rotates it, and never again', async () => {
  const name = `Key app ${randomHex(4)}`;
  const r = await post('/admin/apps', { name, access_token_ttl: '3600', refresh_token_ttl: '7200',
    authenticator: 'authorization_code_pkce' });
  assert.equal(r.status, 201, pageText(r.text).slice(0, 600));
  const key = /Private API key<\/dt><dd><code class="token">([A-Za-z0-9_-]{43})<\/code>/.exec(r.text)?.[1];
  assert.ok(key, 'the key is on the page');
  const path = /<form class="record" method="post" action="(\/admin\/apps\/\d+)">/.exec(r.text)[1];
  const again = await get(path);
  assert.equal(again.status, 200);
  assert.ok(!again.text.includes(key), 'not on the page any more');

  // the rotate form carries the application's version
  const version = /action="\/admin\/apps\/\d+\/rotate">\s*<input type="hidden" name="csrf" value="[^"]*">\s*<input type="hidden" name="version" value="(\d+)">/.exec(again.text)?.[1];
  assert.ok(version, 'the rotate form sends the version');
  const bad = await post(`${path}/rotate`, { grace_seconds: '-1', version });
  assert.equal(bad.status, 400);
  assert.match(pageText(bad.text), /grace_seconds/);
  const rotated = await post(`${path}/rotate`, { grace_seconds: '60', version });
  assert.equal(rotated.status, 200);
  const key2 = /Private API key<\/dt><dd><code class="token">([A-Za-z0-9_-]{43})<\/code>/.exec(rotated.text)?.[1];
  assert.ok(key2 && key2 !== key, 'a new key, shown once');
  assert.match(pageText(rotated.text), /The previous key stays valid until/);
  assert.ok(!(await get(path)).text.includes(key2));
});

test('a secret server variable shows only "set" once filled, never its value', async () => {
  const r = await post('/admin/apps', { name: `Vars app ${randomHex(4)}`, access_token_ttl: '3600',
    refresh_token_ttl: '7200', authenticator: 'authorization_code_pkce' });
  assert.equal(r.status, 201);
  const path = /<form class="record" method="post" action="(\/admin\/apps\/\d+)">/.exec(r.text)[1];
  let d = await post(`${path}/server-variables`, { name: 'API_TOKEN', description: 'the token', is_secret: 'true' });
  assert.equal(d.status, 303, pageText(d.text).slice(0, 400));
  d = await post(`${path}/server-variables`, { name: 'bad name', description: '' });
  assert.equal(d.status, 400);
  assert.match(pageText(d.text), /name must start with A-Z/);
  let page = await get(path);
  assert.match(pageText(page.text), /API_TOKEN the token optional not set/);
  const version = /server-variables\/API_TOKEN\/value">[\s\S]*?name="version" value="(\d+)"/.exec(page.text)[1];
  const value = `s3cret-${randomHex(8)}`;
  const set = await post(`${path}/server-variables/API_TOKEN/value`, { version, value });
  assert.equal(set.status, 303, pageText(set.text).slice(0, 400));
  page = await get(path);
  assert.match(pageText(page.text), /API_TOKEN the token optional set/);
  assert.ok(!page.text.includes(value), 'the secret value is never shown');
});

test('a list page filters, and its "Next page" links walk every row once', async () => {
  const tag = randomHex(4);
  const names = [];
  for (let i = 0; i < 5; i++) names.push((await newSuite(`Paged ${tag} ${i}`)).name);
  await newSuite(`Other ${tag}`);
  const seen = [];
  let path = `/admin/suites?name=${encodeURIComponent(`Paged ${tag}`)}&limit=2`;
  for (let pages = 0; path && pages < 10; pages++) {
    const r = await get(path);
    assert.equal(r.status, 200);
    for (const m of r.text.matchAll(/<a href="\/admin\/suites\/\d+">([^<]*)<\/a>/g)) seen.push(m[1]);
    const next = /<a rel="next" href="([^"]*)">Next page<\/a>/.exec(r.text);
    path = next ? next[1].replaceAll('&amp;', '&') : null;
  }
  assert.deepEqual(seen, names, 'every matching suite once, in order, and no other');
  const bad = await get('/admin/suites?cursor=nonsense');
  assert.equal(bad.status, 400);
});

test('company members are added by email and removed; applications installed and uninstalled', async () => {
  const slug = `co-${randomHex(4)}`;
  let r = await post('/admin/companies', { name: `Co ${slug}`, slug });
  assert.equal(r.status, 303);
  const company = locationPath(r);
  const id = company.split('/').pop();
  r = await post(`${company}/members`, { email: 'not-an-email', first_name: '', last_name: '' });
  assert.equal(r.status, 400);
  assert.match(r.text, /<label for="members-email">Email<\/label>[\s\S]*?<p class="field-error" role="alert">[^<]+<\/p>/);
  assert.deepEqual(await sql(`SELECT id FROM memberships WHERE company_id = ${id}`), []);
  const email = randomEmail('member');
  r = await post(`${company}/members`, { email, first_name: 'Mo', last_name: 'Member' });
  assert.equal(r.status, 303);
  let page = await get(company);
  assert.ok(page.text.includes(email));
  const membership = /members\/(\d+)\/remove/.exec(page.text)[1];

  r = await post('/admin/apps', { name: `Installed ${slug}` });
  assert.equal(r.status, 201);
  const app = /<form class="record" method="post" action="\/admin\/apps\/(\d+)">/.exec(r.text)[1];
  r = await post(`${company}/apps`, { app_id: app });
  assert.equal(r.status, 303);
  r = await post(`${company}/apps`, { app_id: app });
  assert.equal(r.status, 409, 'installed already');
  r = await get(`/admin/apps?company_id=${id}`);
  assert.match(r.text, new RegExp(`>Installed ${slug}<`), 'the list filters by company');

  r = await post(`${company}/members/${membership}/remove`, {});
  assert.equal(r.status, 303);
  r = await post(`${company}/apps/${app}/uninstall`, {});
  assert.equal(r.status, 303);
  assert.deepEqual(await sql(`SELECT id FROM memberships WHERE company_id = ${id}`), []);
  assert.deepEqual(await sql(`SELECT app_id FROM app_installs WHERE company_id = ${id}`), []);
  const audit = await sql(`SELECT action FROM audit_log WHERE (object_type = 'company' AND ` +
    `object_id = '${id}') OR (object_type = 'membership' AND object_id = '${membership}') ORDER BY id`);
  assert.deepEqual(audit.map((row) => row[0]),
    ['company.create', 'membership.create', 'app.install', 'membership.delete', 'app.uninstall']);
});

test('members and application users with the longest names, in four-byte characters, are listed with their whole names', async () => {
  const first = '\u{1F9D1}'.repeat(100);
  const last = '\u{1F46A}'.repeat(100);
  const slug = `co-${randomHex(4)}`;
  let r = await post('/admin/companies', { name: `Co ${slug}`, slug });
  assert.equal(r.status, 303);
  const company = locationPath(r);
  const member = randomEmail('wide-member');
  r = await post(`${company}/members`, { email: member, first_name: first, last_name: last });
  assert.equal(r.status, 303, pageText(r.text).slice(0, 300));
  let page = await get(company);
  assert.ok(page.text.includes(member), 'the member is listed');
  assert.ok(page.text.includes(`${first} ${last}`), 'with the whole name');

  r = await post('/admin/apps', { name: `Wide users ${randomHex(4)}` });
  assert.equal(r.status, 201);
  const app = /<form class="record" method="post" action="(\/admin\/apps\/\d+)">/.exec(r.text)[1];
  const user = randomEmail('wide-user');
  const password = `pw ${randomHex(8)} long enough`;
  r = await post(`${app}/users`, { email: user, first_name: first, last_name: last, password,
    password_confirmation: password });
  assert.equal(r.status, 303, pageText(r.text).slice(0, 300));
  page = await get(app);
  assert.ok(page.text.includes(user), 'the application user is listed');
  assert.ok(page.text.includes(`${first} ${last}`), 'with the whole name');
});
