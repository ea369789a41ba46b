// broker_connect.test.js - the connect flow (issue 11) over HTTP: members
// sign in to a view of their own; "Add connection" sends them to a real
// provider (oidc-provider, which takes form bodies) or to the JSON stub,
// with a state bound to their session and a PKCE challenge; the callback
// exchanges the code with either content type and either client
// authentication, and every failure (a bad, replayed or foreign state, a
// refused consent, a token endpoint's error, silence or redirect) ends on
// a clear page with nothing stored. No token or secret is kept in clear.
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { request, pageText, signIn, randomHex } = require('./lib');
const b = require('./broker_lib');

let oidc;
let stub;
before(async () => { [oidc, stub] = await Promise.all([b.startUpstream('oidc'), b.startUpstream('stub')]); });
after(async () => { await Promise.all([oidc.stop(), stub.stop()]); });

// The connections of W's company, as the database holds them.
async function stored(w) {
  return b.sql(`SELECT id, visibility, name FROM connections WHERE company_id = ${w.company.id} ORDER BY id`);
}

// Asserts R is the clear page of a connection not made, saying WORDS.
function assertNotMade(r, words, what) {
  assert.equal(r.status, 400, `${what}: ${pageText(r.text).slice(0, 300)}`);
  assert.match(r.headers.get('content-type'), /^text\/html/, what);
  const text = pageText(r.text);
  assert.match(text, /The connection was not made/, what);
  assert.match(text, /nothing was stored/, what);
  assert.match(text, words, what);
}

test('a member signs in to a view of their companies, the applications installed there, their own and the shared connections, and nothing else', async () => {
  const w = await b.world();
  const p = await b.provider(w, stub);
  const [alice, bob] = [await b.member(w.headers, w.company), await b.member(w.headers, w.company)];
  const other = await b.world(); // a company alice is not in
  const sa = await b.signInAs(alice);
  assert.match(pageText(sa.home.text), new RegExp(`Your workspaces.*${w.company.name}.*${w.app.name}`));
  assert.doesNotMatch(sa.home.text, new RegExp(other.company.name), 'not another company');
  assert.doesNotMatch(sa.home.text, /href="\/admin\/apps"/, 'no administrator menu');
  for (const page of ['/admin/apps', '/admin/companies', '/admin/people', '/admin/audit', `/admin/apps/${w.app.id}`]) {
    assert.equal((await request(page, { jar: sa.jar })).status, 403, page);
  }
  assert.equal((await request(`/admin/my/companies/${other.company.id}/apps/${other.app.id}`, { jar: sa.jar })).status, 404,
    'another company\'s page');

  const own = b.connectedId(await b.connect(w, sa, p.name, { visibility: 'user' }));
  const shared = b.connectedId(await b.connect(w, sa, p.name, { visibility: 'workspace' }));
  const sb = await b.signInAs(bob);
  const bobPage = await request(`/admin/my/companies/${w.company.id}/apps/${w.app.id}`, { jar: sb.jar });
  const rows = [...bobPage.text.matchAll(/\/admin\/my\/connections\/(\d+)\/rename|<span class="connection-name">([^<]*)<\/span>/g)];
  const names = rows.filter((m) => m[2] !== undefined).map((m) => m[2]);
  assert.equal(names.length, 1, `bob sees one connection: ${names}`);
  assert.match(pageText(bobPage.text), /Workspace shared/);
  assert.doesNotMatch(bobPage.text, /\/rename"/, 'and may not change alice\'s');
  const refused = await request(`/admin/my/connections/${shared}/disconnect`, { method: 'POST', jar: sb.jar, form: { csrf: sb.csrf } });
  assert.equal(refused.status, 403, 'bob cannot disconnect the shared one alice made');
  assert.equal((await request(`/admin/my/connections/${own}/disconnect`, { method: 'POST', jar: sb.jar, form: { csrf: sb.csrf } })).status, 404,
    'nor see alice\'s own');
  assert.equal((await stored(w)).length, 2);
});

test('connect at oidc-provider: a form-urlencoded token request, client_secret_post, PKCE S256 sent and checked, name and handle from the id_token', async () => {
  const w = await b.world();
  const p = await b.provider(w, oidc, { client: 'post' });
  const m = await b.member(w.headers, w.company);
  const s = await b.signInAs(m);
  await oidc.set({ account: 'carol', requirePkce: 1 });
  const r = await b.connect(w, s, p.name, { visibility: 'workspace' });
  const id = b.connectedId(r);
  const st = await oidc.stats();
  assert.match(st.lastChallenge || '', /^[A-Za-z0-9_-]{43}$/, 'an S256 challenge');
  assert.equal(st.lastChallengeMethod, 'S256');
  assert.equal(st.lastVerifier, 'present', 'the verifier came with the code');
  assert.equal(st.lastClientAuth, 'post');
  assert.match(st.lastContentType, /^application\/x-www-form-urlencoded/);
  assert.equal(st.lastClientId, oidc.clients.post.client_id);
  const [[name, handle, vis, scopes]] = await b.sql(`SELECT name, handle, visibility, scopes FROM connections WHERE id = ${id}`);
  assert.deepEqual([name, handle, vis], ['Person carol', 'carol', 'workspace']);
  assert.deepEqual(JSON.parse(scopes).sort(), ['email', 'offline_access', 'openid', 'profile']);
  const page = await request(`/admin/my/companies/${w.company.id}/apps/${w.app.id}?connected=${id}`, { jar: s.jar });
  assert.match(pageText(page.text), /The connection was added\..*Person carol carol/);
  const audit = await b.sql(`SELECT action, actor FROM audit_log WHERE object_type = 'connection' AND object_id = '${id}'`);
  assert.deepEqual(audit, [['connection.create', m.email]]);
  await oidc.set({ requirePkce: 0, account: 'alice' });
});

test('connect with client_secret_basic and without PKCE: Basic authentication at the token endpoint, no challenge sent', async () => {
  const w = await b.world();
  const p = await b.provider(w, oidc, { client: 'basic', oauth: { use_pkce: false } });
  const s = await b.signInAs(await b.member(w.headers, w.company));
  const id = b.connectedId(await b.connect(w, s, p.name));
  const st = await oidc.stats();
  assert.equal(st.lastChallenge, null, 'no code_challenge');
  assert.equal(st.lastVerifier, null, 'no code_verifier');
  assert.equal(st.lastClientAuth, 'basic');
  assert.equal(st.lastClientId, oidc.clients.basic.client_id);
  assert.ok(id > 0);
});

test('connect through the JSON stub: the token request is JSON, with client_secret_basic too, name and handle from userinfo', async () => {
  const w = await b.world();
  const p = await b.provider(w, stub);
  const s = await b.signInAs(await b.member(w.headers, w.company));
  const id = b.connectedId(await b.connect(w, s, p.name));
  let st = await stub.stats();
  assert.equal(st.lastContentType, 'application/json');
  assert.equal(st.lastClientAuth, 'post');
  assert.equal(st.lastVerifier, 'present');
  const [[name, handle]] = await b.sql(`SELECT name, handle FROM connections WHERE id = ${id}`);
  assert.deepEqual([name, handle], ['Stub Person', 'stubby']);
  const basic = await b.provider(w, stub, { oauth: { token_endpoint_auth_method: 'client_secret_basic' } });
  b.connectedId(await b.connect(w, s, basic.name));
  st = await stub.stats();
  assert.equal(st.lastClientAuth, 'basic');
  assert.equal(st.lastContentType, 'application/json');
});

test('a bad state, and a state used twice, end on a clear page and store nothing', async () => {
  const w = await b.world();
  const p = await b.provider(w, stub);
  const s = await b.signInAs(await b.member(w.headers, w.company));
  assertNotMade(await request('/apps/oauth/callback?code=abc', { jar: s.jar }), /without the state/, 'no state');
  assertNotMade(await request(`/apps/oauth/callback?code=abc&state=${randomHex(16)}`, { jar: s.jar }), /used already, or is not one Ostium asked for/, 'an unknown state');
  const back = await b.throughProvider(await b.startConnect(w, s, p.name));
  b.connectedId(await request(back, { jar: s.jar }));
  const before = await stored(w);
  assertNotMade(await request(back, { jar: s.jar }), /used already/, 'the same state again');
  assert.deepEqual(await stored(w), before, 'the replay stored nothing');
});

test('a state from another member\'s session, or from no session, stores nothing: an attacker cannot plant an account', async () => {
  const w = await b.world();
  const p = await b.provider(w, stub);
  const [mallory, victim] = [await b.member(w.headers, w.company), await b.member(w.headers, w.company)];
  const sm = await b.signInAs(mallory);
  const sv = await b.signInAs(victim);
  // Mallory starts a flow and sends the callback URL to the victim.
  const back = await b.throughProvider(await b.startConnect(w, sm, p.name, { visibility: 'workspace' }));
  assertNotMade(await request(back, { jar: sv.jar }), /started in another session/, 'the victim\'s session');
  assert.deepEqual(await stored(w), [], 'nothing planted');
  assertNotMade(await request(back, { jar: sm.jar }), /used already/, 'and the state is spent');
  const again = await b.throughProvider(await b.startConnect(w, sm, p.name));
  assertNotMade(await request(again), /started in another session/, 'no session at all');
  // the same person signed in again has another session: refused too
  const sm2 = await b.signInAs(mallory);
  const third = await b.throughProvider(await b.startConnect(w, sm, p.name));
  assertNotMade(await request(third, { jar: sm2.jar }), /another session/, 'another session of the same person');
  assert.deepEqual(await stored(w), []);
});

test('consent refused at the provider ends on a clear page and stores nothing', async () => {
  const w = await b.world();
  const p = await b.provider(w, oidc);
  const s = await b.signInAs(await b.member(w.headers, w.company));
  await oidc.set({ deny: 1 });
  try {
    assertNotMade(await b.connect(w, s, p.name), /did not grant access \(access_denied/, 'denied');
  } finally {
    await oidc.set({ deny: 0 });
  }
  assert.deepEqual(await stored(w), []);
});

test('errors of the token endpoint end on a clear page and store nothing: an OAuth error, a 5xx, silence cut off by the time-out', async () => {
  const w = await b.world();
  const p = await b.provider(w, stub);
  const s = await b.signInAs(await b.member(w.headers, w.company));
  const cases = [
    [{ mode: 'error', status: 400, error: 'invalid_grant' }, /answered 400 invalid_grant/],
    [{ mode: 'error', status: 401, error: 'invalid_client' }, /answered 401 invalid_client/],
    [{ mode: 'error', status: 503, error: 'temporarily_unavailable' }, /answered 503/],
    [{ mode: 'silent' }, /no answer within 3000 ms/],
  ];
  try {
    for (const [settings, words] of cases) {
      await stub.set(settings);
      assertNotMade(await b.connect(w, s, p.name), words, JSON.stringify(settings));
    }
  } finally {
    await stub.set({ mode: 'ok' });
  }
  assert.deepEqual(await stored(w), []);
});

test('a redirect from the token endpoint is not followed: the client secret goes nowhere else and nothing is stored', async () => {
  const w = await b.world();
  const p = await b.provider(w, stub);
  const s = await b.signInAs(await b.member(w.headers, w.company));
  const before = (await stub.stats()).redirectHits;
  await stub.set({ mode: 'redirect' });
  try {
    assertNotMade(await b.connect(w, s, p.name), /redirect \(307\), which Ostium does not follow/, 'a 307');
  } finally {
    await stub.set({ mode: 'ok' });
  }
  assert.equal((await stub.stats()).redirectHits, before, 'the redirect target saw nothing');
  assert.deepEqual(await stored(w), []);
});

test('no provider token, client secret or PKCE verifier is kept in clear text in the database', async () => {
  // the audit entries of this test only: the log holds every other test's too
  const [[since]] = await b.sql('SELECT COALESCE(MAX(id), 0) FROM audit_log');
  const w = await b.world();
  const p = await b.provider(w, oidc);
  const m = await b.member(w.headers, w.company);
  const s = await b.signInAs(m);
  const authorize = await b.startConnect(w, s, p.name);
  const pending = await b.sql('SELECT HEX(hash), HEX(verifier_enc), key_id FROM connect_states');
  assert.ok(pending.length > 0);
  for (const [, verifier, keyId] of pending) {
    if (verifier !== 'NULL') assert.ok(Number(keyId) > 0, 'the verifier is sealed with a key id');
  }
  const id = b.connectedId(await request(await b.throughProvider(authorize), { jar: s.jar }));
  const read = await b.appCall(w, `/api/v1/app/connections/${id}`, { onBehalfOf: m.membership });
  assert.equal(read.status, 200, read.text);
  const access = read.json.access_token;
  assert.match(access, /^[A-Za-z0-9_-]{20,}$/);
  const dump = (await b.sql(`SELECT * FROM connections WHERE id = ${id}`)).flat().join('\t');
  const hexDump = (await b.sql(`SELECT HEX(access_enc), HEX(refresh_enc), key_id FROM connections WHERE id = ${id}`))[0];
  assert.ok(!dump.includes(access), 'the access token is not in the row');
  assert.ok(!hexDump[0].includes(Buffer.from(access).toString('hex').toUpperCase()), 'not even as bytes');
  assert.ok(hexDump[1] !== 'NULL', 'a refresh token is kept, sealed');
  assert.ok(Number(hexDump[2]) > 0, 'with its key id');
  const secret = oidc.clients.post.client_secret;
  const vars = (await b.sql(`SELECT name, value, HEX(value_enc) FROM app_server_vars WHERE app_id = ${w.app.id}`)).flat().join('\t');
  assert.ok(!vars.includes(secret), 'the client secret is not in clear');
  assert.ok(!vars.includes(Buffer.from(secret).toString('hex').toUpperCase()), 'nor its bytes');
  const audit = (await b.sql(`SELECT details FROM audit_log WHERE id > ${Number(since)} AND object_type IN ('connection', 'connection_provider', 'app')`)).flat().join('\n');
  for (const s2 of [access, secret]) assert.ok(!audit.includes(s2), 'nor in the audit log');
});

test('Add connection needs a signed-in member of the company where the application is installed', async () => {
  const w = await b.world();
  const p = await b.provider(w, stub);
  const outsider = await b.world();
  const o = await b.member(outsider.headers, outsider.company);
  const so = await b.signInAs(o);
  const r = await request(`/admin/my/companies/${w.company.id}/apps/${w.app.id}/connect/${p.name}`, { method: 'POST', jar: so.jar,
    form: { csrf: so.csrf, visibility: 'user' } });
  assert.equal(r.status, 404, pageText(r.text).slice(0, 200));
  assert.match(pageText(r.text), /not a member of this company/);
  const anon = await request(`/admin/my/companies/${w.company.id}/apps/${w.app.id}`);
  assert.equal(anon.status, 303, 'signed out: to the sign-in page');
  // an administrator who is a member may connect too
  const { jar, csrf } = await signIn(w.admin.email, w.admin.password);
  await b.api(w.headers, `/api/v1/companies/${w.company.id}/members`, { method: 'POST', json: { email: w.admin.email } });
  const ok = await request(`/admin/my/companies/${w.company.id}/apps/${w.app.id}/connect/${p.name}`, { method: 'POST', jar,
    form: { csrf, visibility: 'user' } });
  assert.equal(ok.status, 200, pageText(ok.text).slice(0, 200));
});
