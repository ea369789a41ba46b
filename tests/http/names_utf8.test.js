// names_utf8.test.js - names at their limit in characters beyond ASCII: a
// suite (with a project), a company, a person and an application named with
// 100 characters of two-, three- or four-byte UTF-8, or of letters with
// combining marks, come back whole from every API answer (JSON and XML) and
// every console page that shows them; one character more is refused naming
// the field; run by scripts/test (node --test).
'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const {
  CookieJar,
  request,
  assertError,
  pageText,
  parseXml,
  randomHex,
  randomEmail,
  createAdmin,
  createToken,
  signIn,
  postLogin,
  locationPath,
} = require('./lib');
const { bearer } = require('./registry');

// The limit of every name here, in characters, which the server counts as
// code points: suites and projects (src/api/suites.c), companies
// (src/api/companies.c), people's first_name and last_name (src/api/users.c),
// applications (src/api/apps.c).
const NAME_MAX = 100;

// What a name is made of, and the bytes of its longest spelling.
const KINDS = [
  { what: 'two-byte characters', unit: '\u00E9', bytes: 200 },
  { what: 'three-byte characters', unit: '\u20AC', bytes: 300 },
  { what: 'four-byte characters', unit: '\u{1F600}', bytes: 400 },
  // e and COMBINING ACUTE ACCENT: one letter on screen, two characters as
  // the server counts them, so 50 letters fill the limit.
  { what: 'letters with combining marks', unit: 'e\u0301', bytes: 150 },
];

// The longest name made of KIND's unit, and that name with one character
// (code point) more.
function namesOf(kind) {
  const perUnit = [...kind.unit].length;
  const name = kind.unit.repeat(NAME_MAX / perUnit);
  assert.equal([...name].length, NAME_MAX);
  assert.equal(Buffer.byteLength(name), kind.bytes);
  return { name, tooLong: name + [...kind.unit].at(-1) };
}

let session;
// One super administrator for the whole file: { email, headers, jar }.
async function admin() {
  session ??= (async () => {
    const a = await createAdmin();
    const headers = bearer(await createToken(a.email));
    const { jar } = await signIn(a.email, a.password);
    return { email: a.email, headers, jar };
  })();
  return session;
}

async function post(path, json) {
  const { headers } = await admin();
  const r = await request(path, { method: 'POST', headers, json });
  assert.equal(r.status, 201, `POST ${path}: ${r.text.slice(0, 300)}`);
  return r.json;
}

async function del(path) {
  const { headers } = await admin();
  const r = await request(path, { method: 'DELETE', headers });
  assert.equal(r.status, 204, `DELETE ${path}: ${r.text.slice(0, 300)}`);
}

// PATH for a message: decoded, and short.
function shown(path) {
  const chars = [...decodeURIComponent(path)];
  return chars.length > 60 ? `${chars.slice(0, 60).join('')}…` : chars.join('');
}

// GETs the API's PATH as JSON, as XML asked by ?format=xml and as XML asked
// by Accept; asserts that each answers 200 and that PICK(value) equals
// EXPECTED in each.
async function apiShows(path, pick, expected) {
  const { headers } = await admin();
  const sep = path.includes('?') ? '&' : '?';
  const answers = [
    ['JSON', await request(path, { headers })],
    ['XML by ?format=xml', await request(`${path}${sep}format=xml`, { headers })],
    ['XML by Accept', await request(path, { headers: { ...headers, Accept: 'application/xml' } })],
  ];
  for (const [how, r] of answers) {
    assert.equal(r.status, 200, `GET ${shown(path)} (${how}): ${r.text.slice(0, 300)}`);
    const value = how === 'JSON' ? r.json : parseXml(r.text);
    assert.deepEqual(pick(value), expected, `GET ${shown(path)} (${how})`);
  }
}

// The entry of a list answer with id ID.
const itemOf = (id) => (v) => v.items.find((e) => e.id === id);

// Asserts that the console page PATH answers 200 and holds each of TEXTS
// whole, as UTF-8 in its markup; resolves with the page.
async function pageShows(path, ...texts) {
  const { jar } = await admin();
  const r = await request(path, { jar });
  assert.equal(r.status, 200, `GET ${shown(path)}: ${r.status} ${pageText(r.text).slice(0, 300)}`);
  for (const text of texts) {
    assert.ok(r.text.includes(text), `GET ${shown(path)} shows ${[...text].slice(0, 40).join('')}… whole`);
  }
  return r;
}

// Asserts that the audit log, in the console and in the API, has the entry
// ACTION about OBJECT_TYPE ID whose details hold DETAILS.
async function audited(objectType, id, action, details) {
  const query = `object_type=${objectType}&object_id=${id}&action=${action}`;
  const r = await pageShows(`/admin/audit?${query}`);
  const cell = /<code class="details">([^<]*)<\/code>/.exec(r.text);
  assert.ok(cell, `/admin/audit?${query} lists the entry`);
  const logged = JSON.parse(cell[1].replace(/&quot;/g, '"').replace(/&amp;/g, '&'));
  for (const [key, value] of Object.entries(details)) {
    assert.equal(logged[key], value, `/admin/audit?${query}: ${key} in the details`);
  }
  const pick = (v) => Object.fromEntries(Object.keys(details).map((k) => [k, v.items[0]?.details[k]]));
  await apiShows(`/api/v1/audit?${query}`, pick, details);
}

// Asserts that creating at PATH with BODY is refused with 400 naming FIELD.
async function refused(path, body, field) {
  const { headers } = await admin();
  const r = await request(path, { method: 'POST', headers, json: body });
  const e = assertError(r, 400, 'invalid_request', `POST ${path} with ${NAME_MAX + 1} characters of ${field}`);
  assert.equal(e.field, field);
}

for (const kind of KINDS) {
  const { name, tooLong } = namesOf(kind);

  test(`a suite and its project named with ${NAME_MAX} ${kind.what} are shown whole everywhere`, async () => {
    const suite = await post('/api/v1/suites', { name, description: kind.what });
    let project;
    let app;
    try {
      assert.equal(suite.name, name, 'the answer to the creation');
      project = await post(`/api/v1/suites/${suite.id}/projects`, { name });
      assert.equal(project.name, name);
      app = await post('/api/v1/apps', { name: `In suite ${randomHex(5)}`, suite_id: suite.id, project_id: project.id });

      const byName = `name=${encodeURIComponent(name)}`;
      await apiShows(`/api/v1/suites/${suite.id}`, (v) => v.name, name);
      await apiShows(`/api/v1/suites?${byName}`, (v) => itemOf(suite.id)(v)?.name, name);
      await apiShows(`/api/v1/projects/${project.id}`, (v) => v.name, name);
      await apiShows(`/api/v1/suites/${suite.id}/projects`, (v) => itemOf(project.id)(v)?.name, name);

      await pageShows(`/admin/suites?${byName}`, `>${name}</a>`);
      await pageShows(`/admin/suites/${suite.id}`, `<h1>Suite ${name}</h1>`, `value="${name}"`,
        `>${name}</a>`); // its project, in the Projects panel
      await pageShows(`/admin/projects/${project.id}`, `<h1>Project ${name}</h1>`, `value="${name}"`);
      // The application's page and the list of the suite's applications name both.
      await pageShows(`/admin/apps/${app.id}`, `>${name}</option>`);
      await pageShows(`/admin/apps?suite_id=${suite.id}`, `<span>${name}</span>`);

      await audited('suite', suite.id, 'suite.create', { name });
      await audited('project', project.id, 'project.create', { name });
      await refused('/api/v1/suites', { name: tooLong }, 'name');
      await refused(`/api/v1/suites/${suite.id}/projects`, { name: tooLong }, 'name');
    } finally {
      // Suite names are unique: leave none behind.
      if (app) await del(`/api/v1/apps/${app.id}`);
      if (project) await del(`/api/v1/projects/${project.id}`);
      await del(`/api/v1/suites/${suite.id}`);
    }
  });

  test(`a company named with ${NAME_MAX} ${kind.what} is shown whole everywhere`, async () => {
    const company = await post('/api/v1/companies', { name, slug: `co-${randomHex(6)}` });
    assert.equal(company.name, name, 'the answer to the creation');
    const byName = `name=${encodeURIComponent(name)}`;
    await apiShows(`/api/v1/companies/${company.id}`, (v) => v.name, name);
    await apiShows(`/api/v1/companies?${byName}`, (v) => itemOf(company.id)(v)?.name, name);
    await pageShows(`/admin/companies?${byName}`, `>${name}</a>`);
    await pageShows(`/admin/companies/${company.id}`, `<h1>Company ${name}</h1>`, `value="${name}"`);
    await audited('company', company.id, 'company.create', { name });
    await refused('/api/v1/companies', { name: tooLong, slug: `co-${randomHex(6)}` }, 'name');
  });

  test(`a person named with ${NAME_MAX} ${kind.what} is shown whole everywhere, to others and to themselves`, async () => {
    const email = randomEmail('utf8-person');
    const password = `pw ${randomHex(8)} long enough`;
    const person = await post('/api/v1/users', { email, first_name: name, last_name: name, password,
      roles: ['AUDITOR'] });
    assert.deepEqual([person.first_name, person.last_name], [name, name], 'the answer to the creation');
    const company = await post('/api/v1/companies', { name: `Employer ${randomHex(5)}`, slug: `co-${randomHex(6)}` });
    const member = await post(`/api/v1/companies/${company.id}/members`, { email });

    const names = (v) => v && [v.first_name, v.last_name];
    await apiShows(`/api/v1/users/${person.id}`, names, [name, name]);
    await apiShows(`/api/v1/users?email=${encodeURIComponent(email)}`, (v) => names(itemOf(person.id)(v)), [name, name]);
    await apiShows(`/api/v1/users?name=${encodeURIComponent(name)}`, (v) => names(itemOf(person.id)(v)), [name, name]);
    await apiShows(`/api/v1/companies/${company.id}/members`, (v) => names(itemOf(member.id)(v)), [name, name]);
    await apiShows(`/api/v1/companies/${company.id}/members/${member.id}`, names, [name, name]);

    await pageShows(`/admin/people?email=${encodeURIComponent(email)}`, `<span>${name}</span>`);
    await pageShows(`/admin/people/${person.id}`, `<h1>Person ${email}</h1>`, `value="${name}"`);
    await pageShows(`/admin/companies/${company.id}`, `${name} ${name}`); // the Members panel
    await audited('user', person.id, 'user.create', { first_name: name, last_name: name });

    // The person's own view: the console once signed in, and /api/v1/me.
    const jar = new CookieJar();
    const login = await postLogin(jar, email, password);
    assert.equal(login.status, 303, `sign-in: ${login.status} ${pageText(login.text).slice(0, 300)}`);
    assert.equal(locationPath(login), '/admin/');
    const dashboard = await request('/admin/', { jar });
    assert.equal(dashboard.status, 200, pageText(dashboard.text).slice(0, 300));
    assert.match(pageText(dashboard.text), new RegExp(`Signed in as ${email.replace(/[.+]/g, '\\$&')}`));
    assert.ok(dashboard.text.includes('Sign out'), 'the page knows who is signed in');
    const own = bearer(await createToken(email));
    for (const [how, headers] of [['JSON', own], ['XML', { ...own, Accept: 'application/xml' }]]) {
      const me = await request('/api/v1/me', { headers });
      assert.equal(me.status, 200, `GET /api/v1/me (${how}): ${me.text.slice(0, 300)}`);
      assert.deepEqual(names(how === 'JSON' ? me.json : parseXml(me.text)), [name, name], `GET /api/v1/me (${how})`);
    }

    for (const field of ['first_name', 'last_name']) {
      await refused('/api/v1/users', { email: randomEmail('utf8-long'), [field]: tooLong }, field);
      await refused(`/api/v1/companies/${company.id}/members`, { email: randomEmail('utf8-long'), [field]: tooLong }, field);
    }
  });

  test(`an application named with ${NAME_MAX} ${kind.what} is shown whole everywhere`, async () => {
    const app = await post('/api/v1/apps', { name });
    assert.equal(app.name, name, 'the answer to the creation');
    const company = await post('/api/v1/companies', { name: `Client ${randomHex(5)}`, slug: `co-${randomHex(6)}` });
    const { headers } = await admin();
    const install = await request(`/api/v1/companies/${company.id}/apps/${app.id}`, { method: 'POST', headers });
    assert.equal(install.status, 201, install.text);
    assert.equal(install.json.name, name);

    const byName = `name=${encodeURIComponent(name)}`;
    await apiShows(`/api/v1/apps/${app.id}`, (v) => v.name, name);
    await apiShows(`/api/v1/apps?${byName}`, (v) => itemOf(app.id)(v)?.name, name);
    await apiShows(`/api/v1/companies/${company.id}/apps`, (v) => itemOf(app.id)(v)?.name, name);

    await pageShows(`/admin/apps?${byName}`, `>${name}</a>`);
    await pageShows(`/admin/apps/${app.id}`, `<h1>Application ${name}</h1>`, `value="${name}"`);
    await pageShows(`/admin/companies/${company.id}`, `>${name}</a>`); // Installed applications
    await audited('app', app.id, 'app.create', { name });
    await audited('company', company.id, 'app.install', { name });
    await refused('/api/v1/apps', { name: tooLong }, 'name');
  });
}

test('a person whose email is 254 bytes of four-byte characters has pages that show it whole', async () => {
  // 254 bytes, the longest email address: a person's page is titled with
  // it, as the pages of the others are with their names.
  const email = `${randomHex(6)}${'\u{1F4E7}'.repeat(57)}xx@example.org`;
  assert.equal(Buffer.byteLength(email), 254);
  const person = await post('/api/v1/users', { email, first_name: 'Wide', last_name: 'Mail' });
  await apiShows(`/api/v1/users/${person.id}`, (v) => v.email, email);
  await pageShows(`/admin/people/${person.id}`, `<h1>Person ${email}</h1>`, `value="${email}"`);
  await pageShows(`/admin/people?email=${encodeURIComponent(email.slice(0, 20))}`, `>${email}</a>`);
});
