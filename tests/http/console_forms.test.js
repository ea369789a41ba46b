// console_forms.test.js - console forms as a browser sends them: the CSRF
// token is taken from the body only (never from the query string). Run by
// scripts/test (node --test).
'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const {
  CookieJar,
  request,
  locationPath,
  pageText,
  sql,
  randomHex,
  randomAddress,
  createAdmin,
  signIn,
  loginForm,
} = require('./lib');

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
