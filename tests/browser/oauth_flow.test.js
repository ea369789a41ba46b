// oauth_flow.test.js - Ostium as an authorization server for an
// independent, standard OAuth client library (oauth4webapi, from npm;
// issue 10, done-when 2): the library discovers the endpoints from the
// metadata document (RFC 8414), the user signs in and consents through
// the HTML pages in headless Chromium (authorization code + PKCE, a public
// client, redirected to a callback served on loopback by this test), and
// the same library then validates the authorization response (state, iss),
// redeems the code, refreshes, introspects, reads userinfo, revokes, and
// runs client_credentials with client_secret_basic.
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const http = require('node:http');
const { env, launch, pathOf } = require('./lib');
const { newAdmin, newApp, newUser } = require('../http/oauth_lib');

const issuer = (process.env.OSTIUM_BASE_URL || env('OSTIUM_URL')).replace(/\/+$/, '');
let oauth;
let browser;
let callback;      // the loopback server the browser is sent back to
let callbackUrl;   // its /cb URL
let landed;        // resolves with the URL of the next request to /cb
let admin;

// Serves /cb on 127.0.0.1 (a port of its own) and remembers each request.
function startCallback() {
  let resolveNext;
  landed = new Promise((resolve) => { resolveNext = resolve; });
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, callbackUrl);
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end('<!DOCTYPE html><title>Callback</title><p>Back in the application.</p>');
    if (url.pathname === '/cb') {
      resolveNext(url);
      landed = new Promise((resolve) => { resolveNext = resolve; });
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

before(async () => {
  oauth = await import('oauth4webapi');
  callback = await startCallback();
  callbackUrl = `http://127.0.0.1:${callback.address().port}/cb`;
  browser = await launch();
  admin = await newAdmin();
});

after(async () => {
  if (browser) await browser.close();
  if (callback) await new Promise((resolve) => callback.close(resolve));
});

// oauth4webapi refuses http:// unless told: the test server is loopback http.
const insecure = () => ({ [oauth.allowInsecureRequests]: true });

test('oauth4webapi: discovery, authorization code + PKCE through the pages in Chromium, refresh, introspection, userinfo, revocation, client_credentials', async () => {
  const app = await newApp(admin, {
    authenticator: 'authorization_code_pkce', redirect_uris: [callbackUrl], permissions: ['SEND_MESSAGES', 'GET_PRESENCE'],
    access_token_ttl: 600, refresh_token_ttl: 3600,
  });
  const user = await newUser(admin, app, { firstName: 'Grace' });

  // Discovery (RFC 8414)
  const issuerUrl = new URL(issuer);
  const as = await oauth.processDiscoveryResponse(issuerUrl,
    await oauth.discoveryRequest(issuerUrl, { algorithm: 'oauth2', ...insecure() }));
  assert.equal(as.issuer, issuer);
  assert.deepEqual(as.code_challenge_methods_supported, ['S256']);
  const client = { client_id: app.clientId };
  const publicAuth = oauth.None();
  const secretAuth = oauth.ClientSecretBasic(app.secret);

  // Authorization code + PKCE, the user in the browser
  const verifier = oauth.generateRandomCodeVerifier();
  const challenge = await oauth.calculatePKCECodeChallenge(verifier);
  const state = oauth.generateRandomState();
  const authorizationUrl = new URL(as.authorization_endpoint);
  for (const [k, v] of Object.entries({
    client_id: client.client_id, redirect_uri: callbackUrl, response_type: 'code', scope: 'SEND_MESSAGES',
    code_challenge: challenge, code_challenge_method: 'S256', state,
  })) authorizationUrl.searchParams.set(k, v);

  const page = await browser.context.newPage();
  let returned;
  try {
    await page.goto(authorizationUrl.href);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.getByLabel('Email').fill(user.email);
    await page.getByLabel('Password').fill(user.password);
    await Promise.all([page.waitForURL((u) => pathOf(u.href) === '/oauth/authorize'), page.getByRole('button', { name: 'Sign in' }).click()]);
    await page.getByRole('heading', { name: 'Allow access' }).waitFor();
    await page.getByText(app.row.name).first().waitFor();
    await page.getByText('Send messages for you').waitFor();
    const back = landed;
    // the form's redirect goes to the application: the page's CSP must allow it
    await Promise.all([page.waitForURL((u) => u.href.startsWith(callbackUrl)), page.getByRole('button', { name: 'Allow' }).click()]);
    returned = await back;
    await page.getByText('Back in the application.').waitFor();
  } finally {
    await page.close();
  }

  const params = oauth.validateAuthResponse(as, client, returned, state);
  const codeResponse = await oauth.authorizationCodeGrantRequest(as, client, publicAuth, params, callbackUrl, verifier, insecure());
  const tokens = await oauth.processAuthorizationCodeResponse(as, client, codeResponse);
  assert.equal(tokens.token_type, 'bearer');
  assert.equal(tokens.expires_in, 600);
  assert.equal(tokens.scope, 'SEND_MESSAGES');
  assert.ok(tokens.refresh_token);

  // Introspection (the application authenticates with its secret)
  let info = await oauth.processIntrospectionResponse(as, client,
    await oauth.introspectionRequest(as, client, secretAuth, tokens.access_token, insecure()));
  assert.equal(info.active, true);
  assert.equal(info.client_id, app.clientId);
  assert.equal(info.username, user.email);
  assert.equal(info.scope, 'SEND_MESSAGES');

  // Userinfo
  const me = await oauth.processUserInfoResponse(as, client, oauth.skipSubjectCheck,
    await oauth.userInfoRequest(as, client, tokens.access_token, insecure()));
  assert.equal(me.email, user.email);
  assert.equal(me.given_name, 'Grace');
  assert.equal(me.sub, info.sub);

  // Refresh: rotated
  const refreshed = await oauth.processRefreshTokenResponse(as, client,
    await oauth.refreshTokenGrantRequest(as, client, publicAuth, tokens.refresh_token, insecure()));
  assert.notEqual(refreshed.refresh_token, tokens.refresh_token);
  assert.notEqual(refreshed.access_token, tokens.access_token);
  await assert.rejects(
    async () => oauth.processRefreshTokenResponse(as, client,
      await oauth.refreshTokenGrantRequest(as, client, publicAuth, tokens.refresh_token, insecure())),
    (e) => e instanceof oauth.ResponseBodyError && e.error === 'invalid_grant',
    'the rotated-out refresh token is refused (and its family revoked)');
  info = await oauth.processIntrospectionResponse(as, client,
    await oauth.introspectionRequest(as, client, secretAuth, refreshed.access_token, insecure()));
  assert.equal(info.active, false, 'the family was revoked by the reuse');

  // Revocation, then introspection
  const cc = await oauth.processClientCredentialsResponse(as, client,
    await oauth.clientCredentialsGrantRequest(as, client, secretAuth, new URLSearchParams({ scope: 'GET_PRESENCE' }), insecure()));
  assert.equal(cc.scope, 'GET_PRESENCE');
  assert.equal(cc.refresh_token, undefined);
  info = await oauth.processIntrospectionResponse(as, client,
    await oauth.introspectionRequest(as, client, secretAuth, cc.access_token, insecure()));
  assert.equal(info.active, true);
  assert.equal(info.sub, app.clientId);
  await oauth.processRevocationResponse(await oauth.revocationRequest(as, client, secretAuth, cc.access_token, insecure()));
  info = await oauth.processIntrospectionResponse(as, client,
    await oauth.introspectionRequest(as, client, secretAuth, cc.access_token, insecure()));
  assert.equal(info.active, false);
});

test('oauth4webapi: an authorization denied in the browser comes back as access_denied', async () => {
  const app = await newApp(admin, { authenticator: 'authorization_code_pkce', redirect_uris: [callbackUrl] });
  const user = await newUser(admin, app);
  const issuerUrl = new URL(issuer);
  const as = await oauth.processDiscoveryResponse(issuerUrl,
    await oauth.discoveryRequest(issuerUrl, { algorithm: 'oauth2', ...insecure() }));
  const client = { client_id: app.clientId };
  const state = oauth.generateRandomState();
  const url = new URL(as.authorization_endpoint);
  for (const [k, v] of Object.entries({
    client_id: client.client_id, redirect_uri: callbackUrl, response_type: 'code', state,
    code_challenge: await oauth.calculatePKCECodeChallenge(oauth.generateRandomCodeVerifier()), code_challenge_method: 'S256',
  })) url.searchParams.set(k, v);
  const page = await browser.context.newPage();
  let returned;
  try {
    await page.goto(url.href);
    await page.getByLabel('Email').fill(user.email);
    await page.getByLabel('Password').fill(user.password);
    await Promise.all([page.waitForURL((u) => pathOf(u.href) === '/oauth/authorize'), page.getByRole('button', { name: 'Sign in' }).click()]);
    const back = landed;
    await Promise.all([page.waitForURL((u) => u.href.startsWith(callbackUrl)), page.getByRole('button', { name: 'Deny' }).click()]);
    returned = await back;
  } finally {
    await page.close();
  }
  assert.throws(() => oauth.validateAuthResponse(as, client, returned, state),
    (e) => e instanceof oauth.AuthorizationResponseError && e.error === 'access_denied');
});
