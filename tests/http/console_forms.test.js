// console_forms.test.js - console forms as a browser sends them: the CSRF
// token is taken from the body only (never from the query string), and the
// application form offers the suite an application holds even when it is
// not among the first 200, so that saving the form as shown keeps it. Run
// by scripts/test (node --test).
'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const {
  CookieJar,
  request,
  locationPath,
  csrfField,
  pageText,
  sql,
  randomHex,
  randomAddress,
  createAdmin,
  createToken,
  signIn,
  loginForm,
} = require('./lib');

const decode = (s) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<')
  .replace(/&gt;/g, '>').replace(/&amp;/g, '&');

// The attributes of a tag's text ATTRS: name -> value (true when bare).
function attributes(attrs) {
  const out = {};
  for (const m of attrs.matchAll(/([A-Za-z_:][-\w:.]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g)) {
    const value = m[2] ?? m[3] ?? m[4];
    out[m[1].toLowerCase()] = value === undefined ? true : decode(value);
  }
  return out;
}

// The [name, value] pairs a browser submits for the form of HTML whose
// action is ACTION: text inputs and hidden fields, checked boxes, textareas,
// and for each select its selected option, or its first when none is (what
// a browser shows and sends).
function formPairs(html, action) {
  const forms = [...html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)];
  const form = forms.find((f) => attributes(f[1]).action === action);
  assert.ok(form, `no form posting to ${action}`);
  const body = form[2];
  const pairs = [];
  for (const m of body.matchAll(/<input\b([^>]*)>/g)) {
    const a = attributes(m[1]);
    if (!a.name || ((a.type === 'checkbox' || a.type === 'radio') && !a.checked)) continue;
    pairs.push([a.name, a.value === true || a.value === undefined ? (a.type === 'checkbox' ? 'on' : '') : a.value]);
  }
  for (const m of body.matchAll(/<textarea\b([^>]*)>([\s\S]*?)<\/textarea>/g)) {
    const a = attributes(m[1]);
    if (a.name) pairs.push([a.name, decode(m[2])]);
  }
  for (const m of body.matchAll(/<select\b([^>]*)>([\s\S]*?)<\/select>/g)) {
    const a = attributes(m[1]);
    const options = [...m[2].matchAll(/<option\b([^>]*)>/g)].map((o) => attributes(o[1]));
    const chosen = options.find((o) => o.selected) ?? options[0];
    if (a.name && chosen) pairs.push([a.name, chosen.value === true ? '' : chosen.value ?? '']);
  }
  return pairs;
}

test('a console form with its CSRF token in the query string, not the body, is refused with 403 and writes nothing', async () => {
  const { email, password } = await createAdmin();
  const { jar, csrf } = await signIn(email, password);
  const name = `Query csrf ${randomHex(4)}`;
  const r = await request(`/admin/suites?csrf=${encodeURIComponent(csrf)}`, {
    method: 'POST', jar, form: { name, description: 'token in the URL' },
  });
  assert.equal(r.status, 403, `a token in the query: ${r.status} ${pageText(r.text).slice(0, 200)}`);
  assert.deepEqual(await sql(`SELECT id FROM suites WHERE name = '${name}'`), [], 'no suite was created');
  // Sign-out likewise: the session stays.
  const out = await request(`/admin/logout?csrf=${encodeURIComponent(csrf)}`, { method: 'POST', jar, form: {} });
  assert.equal(out.status, 403, `sign-out with the token in the query: ${out.status}`);
  assert.equal((await request('/admin/', { jar })).status, 200, 'the session stays');
  // The same token in the body does.
  const ok = await request('/admin/suites', { method: 'POST', jar, form: { csrf, name, description: 'in the body' } });
  assert.equal(ok.status, 303, pageText(ok.text).slice(0, 200));
  assert.equal((await sql(`SELECT id FROM suites WHERE name = '${name}'`)).length, 1);
});

test('the sign-in form with its CSRF token, email or password in the query string is refused and opens no session', async () => {
  const { email, password } = await createAdmin();
  const address = randomAddress();
  let jar = new CookieJar();
  let csrf = await loginForm(jar, address);
  const q = (o) => new URLSearchParams(o).toString();
  let r = await request(`/admin/login?${q({ csrf })}`, { method: 'POST', jar, address, form: { email, password } });
  assert.equal(r.status, 403, `the token in the query: ${r.status} ${pageText(r.text).slice(0, 200)}`);
  assert.equal(jar.get('ostium_session'), undefined);
  // Email and password in the URL (where logs keep them) are not read either.
  jar = new CookieJar();
  csrf = await loginForm(jar, address);
  r = await request(`/admin/login?${q({ email, password })}`, { method: 'POST', jar, address, form: { csrf } });
  assert.equal(r.status, 400, `the email and password in the query: ${r.status} ${pageText(r.text).slice(0, 200)}`);
  assert.equal(jar.get('ostium_session'), undefined);
  // All in the body: signed in.
  jar = new CookieJar();
  csrf = await loginForm(jar, address);
  r = await request('/admin/login', { method: 'POST', jar, address, form: { csrf, email, password } });
  assert.equal(r.status, 303);
  assert.equal(locationPath(r), '/admin/');
});

test('saving the application form no longer clears a suite that is not among the first 200 suites: the form offers it, selected', async (t) => {
  const { email, password } = await createAdmin();
  const headers = { Authorization: `Bearer ${await createToken(email)}` };
  // Make sure at least 200 suites come before the one the application
  // holds; they are removed again after the test, so that the console of
  // the tests that follow lists every suite.
  const [[count]] = await sql('SELECT COUNT(*) FROM suites');
  const fillers = [];
  t.after(async () => {
    if (fillers.length) await sql(`DELETE FROM suites WHERE id IN (${fillers.join(',')})`);
  });
  for (let i = Number(count); i < 201; i++) {
    const r = await request('/api/v1/suites', { method: 'POST', headers, json: { name: `Filler ${randomHex(6)}` } });
    assert.equal(r.status, 201, r.text);
    fillers.push(Number(r.json.id));
  }
  const suiteName = `Late suite ${randomHex(4)}`;
  const suite = await request('/api/v1/suites', { method: 'POST', headers, json: { name: suiteName } });
  assert.equal(suite.status, 201, suite.text);
  const [[before]] = await sql(`SELECT COUNT(*) FROM suites WHERE id < ${Number(suite.json.id)}`);
  assert.ok(Number(before) >= 200, `${before} suites before it`);
  const app = await request('/api/v1/apps', {
    method: 'POST', headers, json: { name: `late-${randomHex(5)}`, suite_id: suite.json.id },
  });
  assert.equal(app.status, 201, app.text);
  assert.equal(app.json.suite_id, suite.json.id);

  const { jar } = await signIn(email, password);
  const page = await request(`/admin/apps/${app.json.id}`, { jar });
  assert.equal(page.status, 200);
  const pairs = formPairs(page.text, `/admin/apps/${app.json.id}`);
  assert.ok(pairs.some(([n, v]) => n === 'csrf' && v === csrfField(page.text)));
  // Saved as shown, as a browser sends it: the suite stays.
  const r = await request(`/admin/apps/${app.json.id}`, { method: 'POST', jar, form: pairs });
  assert.equal(r.status, 303, `save: ${r.status} ${pageText(r.text).slice(0, 300)}`);
  const after = await request(`/api/v1/apps/${app.json.id}`, { headers });
  assert.equal(after.json.suite_id, suite.json.id, 'the suite is kept');
  // For the form offers it, selected, by its name.
  const sent = Object.fromEntries(pairs.filter(([n]) => n === 'suite_id'));
  assert.equal(sent.suite_id, String(suite.json.id), 'the form offers the suite the application holds, selected');
  assert.ok(pageText(page.text).includes(suiteName), 'by its name');
});
