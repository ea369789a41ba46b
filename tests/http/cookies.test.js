// cookies.test.js - cookies Ostium cannot read (set by any site of a
// sibling domain, which the browser then sends here) are left out and
// logged without their value, never a refusal: a cookie with no name, one
// whose bytes are not UTF-8, a Cookie header over 4096 bytes, and a single
// cookie too long to read; with each, /healthz, the sign-in page, a sign-in
// and the dashboard answer as without it. Run by scripts/test (node --test).
'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const {
  CookieJar,
  request,
  locationPath,
  csrfField,
  pageText,
  randomHex,
  randomAddress,
  createAdmin,
  ostiumLogFile,
  waitFor,
} = require('./lib');

// JAR's cookies with BAD (a Cookie header fragment) before and after them,
// as a browser holding a sibling domain's cookies sends them.
function cookieHeader(jar, bad) {
  // a short bad cookie on both sides of Ostium's own; a long one once, so
  // that the header stays within the 8 KiB every web server of the tests
  // passes on (Apache's LimitRequestFieldSize is 8190)
  const sides = bad && bad.length > 2048 ? [bad, jar.header()] : [bad, jar.header(), bad];
  return sides.filter((s) => s).join('; ');
}

// Resolves once the ostium log holds a line about request ID ignoring
// cookies; asserts the line does not hold MARKER (the cookie's value).
async function assertLoggedWithoutValue(id, marker) {
  const line = await waitFor(() => {
    let text = '';
    try {
      text = fs.readFileSync(ostiumLogFile(), 'latin1');
    } catch {
      return null;
    }
    return text.split('\n').find((l) => l.includes(`request ${id}: ignored`));
  }, 10_000);
  assert.ok(line, `no log line says request ${id} ignored a cookie`);
  assert.ok(!line.includes(marker), `the log line holds the cookie's value: ${line}`);
}

// With BAD sent beside every cookie: /healthz answers 200, the sign-in page
// its form, the sign-in 303 with a session, and the dashboard 200.
async function assertUsableWith(bad, marker, what) {
  const health = await request('/healthz', { headers: { Cookie: bad } });
  assert.equal(health.status, 200, `${what}: /healthz ${health.status} ${health.text.slice(0, 200)}`);
  assert.equal(health.json.status, 'ok', `${what}: /healthz`);
  await assertLoggedWithoutValue(health.headers.get('x-request-id'), marker);

  const { email, password } = await createAdmin();
  const jar = new CookieJar();
  const address = randomAddress();
  const form = await request('/admin/login', { jar, address, headers: { Cookie: bad } });
  assert.equal(form.status, 200, `${what}: the sign-in page ${form.status} ${pageText(form.text).slice(0, 200)}`);
  const csrf = csrfField(form.text);
  assert.equal(jar.get('ostium_login'), csrf);
  const r = await request('/admin/login', {
    method: 'POST', jar, address, headers: { Cookie: cookieHeader(jar, bad) },
    form: { csrf, email, password },
  });
  assert.equal(r.status, 303, `${what}: the sign-in ${r.status} ${pageText(r.text).slice(0, 200)}`);
  assert.equal(locationPath(r), '/admin/');
  assert.ok(jar.get('ostium_session'), `${what}: a session cookie`);
  const dash = await request('/admin/', { jar, address, headers: { Cookie: cookieHeader(jar, bad) } });
  assert.equal(dash.status, 200, `${what}: the dashboard ${dash.status}`);
  assert.ok(pageText(dash.text).includes(email), `${what}: the dashboard names the administrator`);
}

test('a cookie with no name no longer gets 400 on every page: it is left out, and /healthz, sign-in and the console work', async () => {
  const marker = `v${randomHex(8)}`;
  await assertUsableWith(`=${marker}`, marker, 'an empty name');
  await assertUsableWith(`${marker}`, marker, 'no "=" at all');
  await assertUsableWith(` =${marker}`, marker, 'a blank name');
});

test('a cookie whose bytes are not UTF-8 no longer gets 400 on every page: it is left out, and /healthz, sign-in and the console work', async () => {
  const marker = `v${randomHex(8)}`;
  // Header values go out as bytes 0-255: \xff and \xc3 alone are no UTF-8.
  await assertUsableWith(`theme=${marker}\xff`, marker, 'a value that is not UTF-8');
  await assertUsableWith(`th\xc3me=${marker}`, marker, 'a name that is not UTF-8');
});

test('a Cookie header over 4096 bytes no longer gets 400 on every page: its cookies are read, and /healthz, sign-in and the console work', async () => {
  // Many small cookies of another site: about 4600 bytes with Ostium's own,
  // within what every web server of the tests passes on (8 KiB).
  const many = Array.from({ length: 150 }, (_, i) => `other${i}=${randomHex(12)}`).join('; ');
  assert.ok(many.length > 4096);
  const health = await request('/healthz', { headers: { Cookie: many } });
  assert.equal(health.status, 200, `/healthz ${health.status} ${health.text.slice(0, 200)}`);

  const { email, password } = await createAdmin();
  const jar = new CookieJar();
  const address = randomAddress();
  const form = await request('/admin/login', { jar, address, headers: { Cookie: many } });
  assert.equal(form.status, 200, `the sign-in page ${form.status}`);
  const csrf = csrfField(form.text);
  const r = await request('/admin/login', {
    method: 'POST', jar, address, headers: { Cookie: cookieHeader(jar, many) },
    form: { csrf, email, password },
  });
  assert.equal(r.status, 303, `the sign-in ${r.status} ${pageText(r.text).slice(0, 200)}`);
  const dash = await request('/admin/', { jar, address, headers: { Cookie: cookieHeader(jar, many) } });
  assert.equal(dash.status, 200, `the dashboard ${dash.status}`);
});

test('one cookie longer than 4096 bytes is left out and logged without its value; the others are read', async () => {
  const marker = `v${randomHex(8)}`;
  await assertUsableWith(`huge=${marker}${'x'.repeat(4200)}`, marker, 'a 4200-byte cookie');
});
