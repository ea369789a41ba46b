// console.test.js - the console shell over HTTP: sign-in, sign-out, CSRF,
// session expiry, throttling of failed sign-ins, and the API tokens page;
// run by scripts/test (node --test).
'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const {
  CookieJar,
  request,
  locationPath,
  assertCommonHeaders,
  assertNoSecrets,
  csrfField,
  csrfFields,
  pageText,
  sql,
  sqlString,
  randomHex,
  randomEmail,
  randomAddress,
  createAdmin,
  configValue,
  loginForm,
  postLogin,
  signIn,
  sessionCsrf,
} = require('./lib');

const sha256Hex = (s) => crypto.createHash('sha256').update(s).digest('hex').toUpperCase();

// Is JAR's session open? (The dashboard answers 200, not a redirect.)
async function sessionWorks(jar) {
  const r = await request('/admin/', { jar });
  if (r.status === 200) return true;
  assert.equal(r.status, 303, `dashboard: unexpected ${r.status}`);
  return false;
}

test('the sign-in page is a labelled form whose csrf field matches the login cookie', async () => {
  const jar = new CookieJar();
  const r = await request('/admin/login', { jar });
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /^text\/html/);
  assertCommonHeaders(r, 'GET /admin/login');
  assert.match(r.text, /<form method="post" action="\/admin\/login">/);
  assert.match(r.text, /<label for="email">Email<\/label>/);
  assert.match(r.text, /<input id="email" name="email"/);
  assert.match(r.text, /<label for="password">Password<\/label>/);
  assert.match(r.text, /<input id="password" name="password" type="password"/);
  assert.match(r.text, /<button type="submit">Sign in<\/button>/);
  const csrf = csrfField(r.text);
  assert.match(csrf, /^[A-Za-z0-9_-]{40,}$/);
  assert.equal(jar.get('ostium_login'), csrf);
  const attrs = jar.attributes.get('ostium_login');
  assert.equal(attrs.httponly, true, 'the login cookie is HttpOnly');
  assert.equal(attrs.samesite, 'Lax');
  // Each visit gets its own token.
  const again = new CookieJar();
  await request('/admin/login', { jar: again });
  assert.notEqual(again.get('ostium_login'), csrf);
});

test('an administrator signs in: 303 to /admin/, an HttpOnly SameSite=Lax session cookie, the dashboard', async () => {
  const { email, password } = await createAdmin();
  const jar = new CookieJar();
  const address = randomAddress();
  const r = await postLogin(jar, email, password, address);
  assert.equal(r.status, 303, pageText(r.text));
  assert.equal(locationPath(r), '/admin/');
  assertCommonHeaders(r, 'POST /admin/login');
  assertNoSecrets(r, [password], 'sign-in answer');

  const session = jar.get('ostium_session');
  assert.match(session || '', /^[A-Za-z0-9_-]{40,}$/, 'session cookie');
  const attrs = jar.attributes.get('ostium_session');
  assert.equal(attrs.httponly, true, 'HttpOnly');
  assert.equal(attrs.samesite, 'Lax', 'SameSite=Lax');
  assert.equal(attrs.path, '/', 'Path=/');
  if (configValue('development', 'no') === 'yes') {
    assert.equal(attrs.secure, undefined, 'no Secure in development mode over http');
  }
  assert.equal(jar.get('ostium_login'), undefined, 'the login cookie is cleared');

  const dash = await request('/admin/', { jar });
  assert.equal(dash.status, 200);
  assertCommonHeaders(dash, 'GET /admin/');
  assertNoSecrets(dash, [password, session], 'dashboard');
  const text = pageText(dash.text);
  assert.ok(text.includes(email), 'the dashboard names the administrator');
  const health = await request('/healthz');
  const m = /Server version\s+(\S+)\s+Schema version\s+(\d+)/.exec(text);
  assert.ok(m, `versions on the dashboard: ${text}`);
  assert.equal(m[1], health.json.version);
  const [[schema]] = await sql('SELECT MAX(version) FROM schema_migrations');
  assert.ok(Number(m[2]) >= 1);
  assert.equal(m[2], schema, 'the schema version is the database\'s');
  assert.ok(csrfFields(dash.text).length >= 1, 'the sign-out form carries a csrf field');

  // Only the session id's SHA-256 is stored.
  const rows = await sql(`SELECT HEX(hash), address FROM sessions WHERE user_id = (SELECT id FROM users WHERE email = ${sqlString(email)})`);
  assert.equal(rows.length, 1);
  assert.equal(rows[0][0], sha256Hex(session));
  assert.equal(rows[0][1], address, 'the session records the forwarded client address');

  // Signed in, the sign-in page sends one to the dashboard.
  const login = await request('/admin/login', { jar });
  assert.equal(login.status, 303);
  assert.equal(locationPath(login), '/admin/');
});

test('a sign-in keeps the User-Agent as UTF-8 of at most 255 characters, whatever bytes it came in', async () => {
  const { email, password } = await createAdmin();
  // A header carries bytes: a string of code points 0-255, sent one byte each.
  const bytes = (s) => Buffer.from(s).toString('latin1');
  const wide = '\u{1F310}'.repeat(255); // 255 characters, 1020 bytes
  for (const [what, sent, kept] of [
    ['255 four-byte characters', bytes(wide), wide],
    ['more than 255 characters', bytes(`${wide}\u{1F310}tail`), wide],
    ['Latin-1', 'Mozilla/5.0 (\xe9t\xe9)', 'Mozilla/5.0 (\u{FFFD}t\u{FFFD})'],
    ['a stray continuation byte', 'agent \x80 1.0', 'agent \u{FFFD} 1.0'],
  ]) {
    const jar = new CookieJar();
    const address = randomAddress();
    const csrf = await loginForm(jar, address);
    const r = await request('/admin/login', {
      method: 'POST', jar, address, headers: { 'User-Agent': sent }, form: { csrf, email, password },
    });
    assert.equal(r.status, 303, `${what}: ${r.status} ${pageText(r.text).slice(0, 200)}`);
    const [[ua]] = await sql(`SELECT HEX(user_agent) FROM sessions WHERE hash = UNHEX(${sqlString(sha256Hex(jar.get('ostium_session')))})`);
    assert.ok(Buffer.from(ua, 'hex').toString('utf8') === kept, `${what}: the user agent kept`);
  }
});

test('the console without a session, or with an unknown one, sends to the sign-in page', async () => {
  for (const path of ['/admin/', '/admin/tokens']) {
    const r = await request(path);
    assert.equal(r.status, 303, path);
    assert.equal(locationPath(r), '/admin/login', path);
    const bogus = await request(path, { headers: { Cookie: `ostium_session=${'A'.repeat(43)}` } });
    assert.equal(bogus.status, 303, `${path} with an unknown session`);
    assert.equal(locationPath(bogus), '/admin/login');
  }
  for (const path of ['/', '/admin']) {
    const r = await request(path);
    assert.equal(r.status, 303, path);
    assert.equal(locationPath(r), '/admin/', path);
  }
});

test('a wrong password is 401 "Wrong email or password." and opens no session; so is an unknown email', async () => {
  const { email, password } = await createAdmin();
  const address = randomAddress();
  for (const [who, pw] of [[email, password + 'x'], [email, `wrong-${randomHex(8)}`], [randomEmail('nobody'), password]]) {
    const jar = new CookieJar();
    const r = await postLogin(jar, who, pw, address);
    assert.equal(r.status, 401, `${who}: ${pageText(r.text)}`);
    assert.match(r.headers.get('content-type'), /^text\/html/);
    assert.ok(pageText(r.text).includes('Wrong email or password.'));
    assert.equal(jar.get('ostium_session'), undefined, 'no session cookie');
    assertNoSecrets(r, [pw, password], 'failed sign-in page');
    // The form is shown again, with a fresh csrf token, ready for another try.
    assert.equal(csrfField(r.text), jar.get('ostium_login'));
  }
  // Failures do not lock out the right password below the limit.
  const ok = await postLogin(new CookieJar(), email, password, address);
  assert.equal(ok.status, 303);
});

test('a sign-in post without, or with a wrong, csrf token is refused with 403', async () => {
  const { email, password } = await createAdmin();
  const address = randomAddress();
  const attempt = async (form, cookie) => {
    const jar = new CookieJar();
    await loginForm(jar, address);
    if (cookie === null) jar.delete('ostium_login');
    else if (cookie !== undefined) jar.set('ostium_login', cookie);
    const r = await request('/admin/login', { method: 'POST', jar, address, form });
    assert.equal(jar.get('ostium_session'), undefined, 'no session cookie');
    return r;
  };
  const other = new CookieJar();
  const otherCsrf = await loginForm(other, address);
  const cases = [
    ['no csrf field', { email, password }, undefined],
    ['an empty csrf field', { csrf: '', email, password }, undefined],
    ['a wrong csrf field', { csrf: 'A'.repeat(43), email, password }, undefined],
    ['another visit\'s csrf', { csrf: otherCsrf, email, password }, undefined],
    ['no login cookie', { csrf: otherCsrf, email, password }, null],
  ];
  for (const [what, form, cookie] of cases) {
    const r = await attempt(form, cookie);
    assert.equal(r.status, 403, `${what}: ${pageText(r.text)}`);
    assert.match(r.headers.get('content-type'), /^text\/html/, what);
    assertNoSecrets(r, [password], what);
  }
  // The double-submit pair, even without a page visit, is what is checked.
  const jar = new CookieJar();
  jar.set('ostium_login', otherCsrf);
  const r = await request('/admin/login', { method: 'POST', jar, address, form: { csrf: otherCsrf, email, password } });
  assert.equal(r.status, 303, 'a matching cookie and field pass');
});

test('sign-out with the session csrf ends the session', async () => {
  const { email, password } = await createAdmin();
  const { jar, csrf } = await signIn(email, password);
  const session = jar.get('ostium_session');
  const r = await request('/admin/logout', { method: 'POST', jar, form: { csrf } });
  assert.equal(r.status, 303, pageText(r.text));
  assert.equal(locationPath(r), '/admin/login');
  assert.equal(jar.get('ostium_session'), undefined, 'the session cookie is cleared');
  // Even a client that kept the cookie is signed out.
  const kept = new CookieJar();
  kept.set('ostium_session', session);
  assert.equal(await sessionWorks(kept), false, 'the old session no longer opens the console');
  const api = await request('/api/v1/me', { jar: kept, headers: { 'X-CSRF-Token': csrf } });
  assert.equal(api.status, 401, 'nor the API');
  const rows = await sql(`SELECT COUNT(*) FROM sessions WHERE user_id = (SELECT id FROM users WHERE email = ${sqlString(email)})`);
  assert.equal(rows[0][0], '0', 'the session row is gone');
});

test('sign-out without, or with a wrong, csrf token is refused with 403 and the session stays', async () => {
  const { email, password } = await createAdmin();
  const { jar, csrf } = await signIn(email, password);
  // Another session's token is wrong for this one.
  const other = await signIn(email, password);
  assert.notEqual(other.csrf, csrf, 'each session has its own csrf token');
  for (const [what, form] of [
    ['no csrf', { x: '1' }],
    ['empty csrf', { csrf: '' }],
    ['wrong csrf', { csrf: csrf.slice(0, -1) + (csrf.endsWith('A') ? 'B' : 'A') }],
    ['another session\'s csrf', { csrf: other.csrf }],
  ]) {
    const r = await request('/admin/logout', { method: 'POST', jar, form });
    assert.equal(r.status, 403, `${what}: ${r.status}`);
    assert.ok(await sessionWorks(jar), `${what}: the session still works`);
  }
  // An empty post (no body at all) is refused too.
  const empty = await request('/admin/logout', { method: 'POST', jar });
  assert.equal(empty.status, 403);
  assert.ok(await sessionWorks(jar));
  assert.ok(await sessionWorks(other.jar));
});

test('an expired session sends to /admin/login?expired=1, which says so', async () => {
  const { email, password } = await createAdmin();
  const { jar } = await signIn(email, password);
  assert.ok(await sessionWorks(jar));
  await sql(`UPDATE sessions SET expires_at = UTC_TIMESTAMP() - INTERVAL 1 MINUTE WHERE user_id = (SELECT id FROM users WHERE email = ${sqlString(email)})`);
  const r = await request('/admin/', { jar });
  assert.equal(r.status, 303);
  assert.equal(locationPath(r), '/admin/login?expired=1');
  const page = await request('/admin/login?expired=1', { jar });
  assert.equal(page.status, 200);
  assert.ok(pageText(page.text).includes('Your session has expired'), pageText(page.text));
  // The plain sign-in page does not say it.
  const plain = await request('/admin/login');
  assert.ok(!pageText(plain.text).includes('Your session has expired'));
  // Nor does the expired session open the API.
  const csrf = csrfField(page.text);
  assert.equal((await request('/api/v1/me', { jar, headers: { 'X-CSRF-Token': csrf } })).status, 401);
});

test('failures from one address no longer lock the owner out by email: that address is refused the account (429, Retry-After, however the email is spelt), the owner signs in from another', async () => {
  const limit = Number(configValue('throttle_account', '5'));
  const window = Number(configValue('throttle_window', '900'));
  const { email, password } = await createAdmin();
  const bystander = await createAdmin();
  const attacker = randomAddress();
  assert.match(attacker, /^[0-9a-f:]+$/, 'the address goes into test SQL');
  // The failures come from one address, each spelling the email as the
  // database still finds it (capitals, accents, trailing spaces): the
  // account is what counts, at that address.
  const spellings = [email, email.toUpperCase(), email.replace('a', '\u00e1'),
    `${email}   `, email.replace('a', 'A\u0301'), email.replace(/a/g, '\u00c0')];
  for (let i = 0; i < limit; i++) {
    const spelling = spellings[i % spellings.length];
    const r = await postLogin(new CookieJar(), spelling, `wrong-${i}`, attacker);
    assert.equal(r.status, 401, `failure ${i + 1} of ${limit} (${JSON.stringify(spelling)})`);
  }
  const jar = new CookieJar();
  const r = await postLogin(jar, email, password, attacker);
  assert.equal(r.status, 429, `after ${limit} failures, from that address: ${pageText(r.text)}`);
  const retry = r.headers.get('retry-after');
  assert.match(retry || '', /^\d+$/, 'Retry-After in seconds');
  assert.ok(Number(retry) >= 1 && Number(retry) <= window, `Retry-After ${retry}`);
  assert.equal(jar.get('ostium_session'), undefined, 'no session while throttled');
  assertNoSecrets(r, [password], 'throttled page');
  // The account is refused to that address however the email is spelt.
  for (const spelling of spellings) {
    const again = await postLogin(new CookieJar(), spelling, password, attacker);
    assert.equal(again.status, 429, `the same account as ${JSON.stringify(spelling)}`);
  }
  // Another account from the same address is not.
  const other = await postLogin(new CookieJar(), bystander.email, bystander.password, attacker);
  assert.equal(other.status, 303, 'another account signs in from that address');
  // The owner, from an address that has not failed, signs in at once.
  const owner = await postLogin(new CookieJar(), email, password, randomAddress());
  assert.equal(owner.status, 303, `the owner from another address: ${pageText(owner.text).slice(0, 200)}`);
  // Once the window is over (moved back in the database), that address may
  // try again.
  await sql(`UPDATE throttle SET window_start = UTC_TIMESTAMP() - INTERVAL ${window + 60} SECOND WHERE bucket LIKE 'account-address:%:${attacker}'`);
  const later = await postLogin(new CookieJar(), email, password, attacker);
  assert.equal(later.status, 303, 'after the window');
});

test('failures spread over many addresses, each below the per-address limit, trip the per-account bucket: 429 from every address', async () => {
  const perAddress = Number(configValue('throttle_account', '5'));
  const total = Number(configValue('throttle_account_total', '50'));
  const totalWindow = Number(configValue('throttle_total_window', '3600'));
  const { email, password } = await createAdmin();
  const bystander = await createAdmin();
  // Each address fails fewer times than would throttle it for the account.
  const each = Math.max(1, perAddress - 1);
  let failures = 0;
  while (failures < total) {
    const address = randomAddress();
    for (let i = 0; i < each && failures < total; i++, failures++) {
      const r = await postLogin(new CookieJar(), email, `wrong-${failures}`, address);
      assert.equal(r.status, 401, `failure ${failures + 1} of ${total}`);
    }
  }
  // Now the account is refused from every address, a fresh one included.
  for (let i = 0; i < 2; i++) {
    const jar = new CookieJar();
    const r = await postLogin(jar, email, password, randomAddress());
    assert.equal(r.status, 429, `after ${total} failures from many addresses: ${pageText(r.text).slice(0, 200)}`);
    const retry = r.headers.get('retry-after');
    assert.ok(Number(retry) >= 1 && Number(retry) <= totalWindow, `Retry-After ${retry}`);
    assert.equal(jar.get('ostium_session'), undefined, 'no session while throttled');
  }
  // Another account is not.
  const other = await postLogin(new CookieJar(), bystander.email, bystander.password, randomAddress());
  assert.equal(other.status, 303, 'another account signs in');
  // Once the longer window is over (moved back in the database), the
  // account signs in.
  await sql(`UPDATE throttle SET window_start = UTC_TIMESTAMP() - INTERVAL ${totalWindow + 60} SECOND WHERE bucket LIKE 'account:%' AND failures >= ${total}`);
  const later = await postLogin(new CookieJar(), email, password, randomAddress());
  assert.equal(later.status, 303, 'after the window');
});

test('a sign-in with an email that is not UTF-8 is a wrong email, not an error', async () => {
  const jar = new CookieJar();
  const address = randomAddress();
  const csrf = await loginForm(jar, address);
  const r = await request('/admin/login', {
    method: 'POST', jar, address, headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: `csrf=${encodeURIComponent(csrf)}&email=%E1dmin%40example.org&password=x`,
  });
  assert.ok(r.status === 400 || r.status === 401, `${r.status} ${pageText(r.text).slice(0, 200)}`);
  assert.equal(jar.get('ostium_session'), undefined);
});

test('failed sign-ins are throttled per address: 429 from that address only', async () => {
  const limit = Number(configValue('throttle_address', '30'));
  const { email, password } = await createAdmin();
  const address = `198.51.100.${1 + Math.floor(Math.random() * 254)}`;
  // Clear what an earlier run may have left for this address.
  await sql(`DELETE FROM throttle WHERE bucket = ${sqlString('address:' + address)}`);
  // Each failure on an account of its own: only the address adds up.
  for (let i = 0; i < limit; i++) {
    const r = await postLogin(new CookieJar(), randomEmail('nobody'), 'wrong', address);
    assert.equal(r.status, 401, `failure ${i + 1} of ${limit}`);
  }
  const r = await postLogin(new CookieJar(), email, password, address);
  assert.equal(r.status, 429, `from the address after ${limit} failures`);
  assert.match(r.headers.get('retry-after') || '', /^\d+$/);
  const elsewhere = await postLogin(new CookieJar(), email, password, randomAddress());
  assert.equal(elsewhere.status, 303, 'the same account from another address');
  await sql(`DELETE FROM throttle WHERE bucket = ${sqlString('address:' + address)}`);
});

test('the API tokens page creates a token shown once, and revokes it', async () => {
  const { email, password } = await createAdmin();
  const { jar, csrf } = await signIn(email, password);
  const page = await request('/admin/tokens', { jar });
  assert.equal(page.status, 200);
  assert.equal(csrfField(page.text), csrf);

  const name = `console-${Date.now()}`;
  const created = await request('/admin/tokens', { method: 'POST', jar, form: { csrf, name } });
  assert.equal(created.status, 201, pageText(created.text));
  const m = /<code class="token">([^<]+)<\/code>/.exec(created.text);
  assert.ok(m, 'the token is shown');
  const token = m[1];
  assert.ok(pageText(created.text).includes(name));
  const me = await request('/api/v1/me', { headers: { Authorization: `Bearer ${token}` } });
  assert.equal(me.status, 200, 'the token opens the API');
  assert.equal(me.json.email, email);

  // Never shown again.
  const list = await request('/admin/tokens', { jar });
  assert.equal(list.status, 200);
  assert.ok(pageText(list.text).includes(name), 'listed by name');
  assertNoSecrets(list, [token], 'tokens page');
  // Every form on the page (create, revoke, sign out) carries the csrf token.
  const forms = list.text.match(/<form\b[^>]*\bmethod="post"/g) || [];
  assert.ok(forms.length >= 3, `forms on the page: ${forms.length}`);
  assert.deepEqual(csrfFields(list.text), forms.map(() => csrf), 'one csrf field per form');
  const form = new RegExp(`<form method="post" action="/admin/tokens/(\\d+)/revoke">[\\s\\S]*?aria-label="${name}"`).exec(list.text);
  assert.ok(form, 'a revoke form for the token');

  // Revoking needs the csrf token.
  const refused = await request(`/admin/tokens/${form[1]}/revoke`, { method: 'POST', jar, form: { csrf: 'x' } });
  assert.equal(refused.status, 403);
  assert.equal((await request('/api/v1/me', { headers: { Authorization: `Bearer ${token}` } })).status, 200);
  const revoked = await request(`/admin/tokens/${form[1]}/revoke`, { method: 'POST', jar, form: { csrf } });
  assert.equal(revoked.status, 303);
  assert.equal(locationPath(revoked), '/admin/tokens');
  const after = await request('/api/v1/me', { headers: { Authorization: `Bearer ${token}` } });
  assert.equal(after.status, 401, 'a revoked token is refused');
});

test('the API tokens page refuses a post without, or with a wrong, csrf token', async () => {
  const { email, password } = await createAdmin();
  const { jar, csrf } = await signIn(email, password);
  const name = `nocsrf-${Date.now()}`;
  for (const form of [{ name }, { csrf: '', name }, { csrf: csrf + 'x', name }]) {
    const r = await request('/admin/tokens', { method: 'POST', jar, form });
    assert.equal(r.status, 403, JSON.stringify(form));
    assert.ok(!/<code class="token">/.test(r.text), 'no token shown');
  }
  const rows = await sql(`SELECT COUNT(*) FROM api_tokens WHERE name = ${sqlString(name)}`);
  assert.equal(rows[0][0], '0', 'no token was made');
  // Without a session at all, the post goes to sign-in and makes nothing.
  const anon = await request('/admin/tokens', { method: 'POST', form: { csrf, name } });
  assert.ok([303, 401, 403].includes(anon.status), `anonymous post: ${anon.status}`);
  assert.equal((await sql(`SELECT COUNT(*) FROM api_tokens WHERE name = ${sqlString(name)}`))[0][0], '0');
  // The session csrf still works afterwards.
  assert.equal(await sessionCsrf(jar), csrf);
});
