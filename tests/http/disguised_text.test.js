// disguised_text.test.js - names, emails and other text fields refuse the
// characters that disguise text on screen: the bidirectional embeddings,
// overrides and isolates (U+202A to U+202E, U+2066 to U+2069), the zero
// width space U+200B and U+FEFF, each refusal naming its field, in the API
// and the console alike; the joiners U+200C and U+200D that Persian, Indic
// scripts and emoji need are kept. Run by scripts/test (node --test).
'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const {
  request,
  assertError,
  pageText,
  sql,
  randomHex,
  randomEmail,
  createAdmin,
  createToken,
  signIn,
} = require('./lib');

const DISGUISES = ['\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068',
  '\u2069', '\u200B', '\uFEFF'];
const hex = (c) => `U+${c.codePointAt(0).toString(16).toUpperCase()}`;

let session;
// One administrator for the whole file: { email, password, headers }.
async function admin() {
  session ??= (async () => {
    const a = await createAdmin();
    return { ...a, headers: { Authorization: `Bearer ${await createToken(a.email)}` } };
  })();
  return session;
}

// What each resource's POST takes, with FIELD holding TEXT.
const CASES = [
  { path: '/api/v1/suites', field: 'name', body: (t) => ({ name: t }) },
  { path: '/api/v1/suites', field: 'description', body: (t) => ({ name: `S ${randomHex(4)}`, description: t }) },
  { path: '/api/v1/companies', field: 'name', body: (t) => ({ name: t, slug: `co-${randomHex(5)}` }) },
  { path: '/api/v1/users', field: 'first_name', body: (t) => ({ email: randomEmail('bidi'), first_name: t }) },
  { path: '/api/v1/users', field: 'last_name', body: (t) => ({ email: randomEmail('bidi'), last_name: t }) },
  { path: '/api/v1/users', field: 'email', body: (t) => ({ email: `bidi-${randomHex(4)}${t}@example.org` }) },
  { path: '/api/v1/apps', field: 'name', body: (t) => ({ name: t }) },
  { path: '/api/v1/apps', field: 'description', body: (t) => ({ name: `a-${randomHex(5)}`, description: t }) },
  { path: '/api/v1/apps', field: 'redirect_uris', body: (t) => ({ name: `a-${randomHex(5)}`, redirect_uris: [`https://example.org/cb${t}`] }) },
  { path: '/api/v1/tokens', field: 'name', body: (t) => ({ name: t }) },
];

test('names, emails and text with bidirectional controls or invisible characters are no longer accepted: 400 naming the field', async () => {
  const { headers } = await admin();
  for (const c of DISGUISES) {
    for (const k of CASES) {
      // "Paypal" with the character in the middle: shown as a look-alike.
      const text = `Pay${c}pal ${randomHex(3)}`;
      const r = await request(k.path, { method: 'POST', headers, json: k.body(text) });
      const e = assertError(r, 400, 'invalid_request', `${k.path} ${k.field} with ${hex(c)}`);
      assert.equal(e.field, k.field, `${k.path} ${k.field} with ${hex(c)}`);
      if (k.field !== 'email') assert.match(e.message, /bidirectional|invisible/, e.message);
    }
  }
  // An update is refused alike.
  const suite = await request('/api/v1/suites', { method: 'POST', headers, json: { name: `Plain ${randomHex(4)}` } });
  assert.equal(suite.status, 201, suite.text);
  const r = await request(`/api/v1/suites/${suite.json.id}`, {
    method: 'PATCH', headers, json: { name: `Evil\u202Egnp.exe ${randomHex(3)}` },
  });
  assert.equal(assertError(r, 400, 'invalid_request', 'PATCH').field, 'name');
});

test('the console refuses a name with a bidirectional control next to its field, and writes nothing', async () => {
  const { email, password } = await admin();
  const { jar, csrf } = await signIn(email, password);
  const tag = randomHex(4);
  const r = await request('/admin/suites', {
    method: 'POST', jar, form: { csrf, name: `Suite\u2067${tag}`, description: '' },
  });
  assert.equal(r.status, 400, pageText(r.text).slice(0, 300));
  assert.match(pageText(r.text), /name must not hold bidirectional controls or invisible characters/);
  assert.deepEqual(await sql(`SELECT id FROM suites WHERE name LIKE '%${tag}'`), []);
});

test('the joiners U+200C and U+200D are kept: Persian words and emoji sequences come back whole', async () => {
  const { headers } = await admin();
  // "mikhaham" with a ZERO WIDTH NON-JOINER; a family emoji of ZERO WIDTH
  // JOINER sequences; Devanagari with both.
  for (const name of [`\u0645\u06CC\u200C\u062E\u0648\u0627\u0647\u0645 ${randomHex(3)}`,
    `\u{1F468}\u200D\u{1F469}\u200D\u{1F467} ${randomHex(3)}`,
    `\u0915\u094D\u200D\u0937 \u0915\u094D\u200C\u0937 ${randomHex(3)}`]) {
    const r = await request('/api/v1/suites', { method: 'POST', headers, json: { name } });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.name, name);
    const u = await request('/api/v1/users', {
      method: 'POST', headers, json: { email: randomEmail('zwj'), first_name: name, last_name: name },
    });
    assert.equal(u.status, 201, u.text);
    assert.equal(u.json.first_name, name);
  }
});
