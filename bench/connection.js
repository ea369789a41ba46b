// connection.js - sets up what the "connections" target of bench/run reads:
// an application with read:connections installed in a company, a provider
// at the test stub (tests/upstream/stub.js, started and stopped here), and
// one workspace connection made through the real connect flow (a member
// signs in, Add connection, the stub consents, the callback), with a token
// that stays fresh for an hour, so that the benchmark measures reads, not
// refreshes.
//
// usage: node bench/connection.js URL TOKEN
// URL: Ostium's base URL; TOKEN: a super administrator's personal API token.
// Prints one line: APP_BASIC GROUP PROVIDER.
'use strict';

const { spawn } = require('node:child_process');
const crypto = require('node:crypto');
const path = require('node:path');

const [url, token] = process.argv.slice(2);
if (!url || !token) {
  process.stderr.write('usage: node bench/connection.js URL TOKEN\n');
  process.exit(2);
}
const tag = crypto.randomBytes(4).toString('hex');
const cookies = new Map();

async function call(p, { method = 'GET', json, form, auth = true, absolute = false } = {}) {
  const headers = { Accept: auth ? 'application/json' : 'text/html' };
  if (auth) headers.Authorization = `Bearer ${token}`;
  let body;
  if (json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(json);
  }
  if (form !== undefined) {
    headers['Content-Type'] = 'application/x-www-form-urlencoded';
    headers.Accept = 'text/html';
    body = new URLSearchParams(form).toString();
  }
  if (!absolute) headers.Cookie = [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const r = await fetch(absolute ? p : url + p, { method, headers, body, redirect: 'manual', signal: AbortSignal.timeout(15_000) });
  if (!absolute) {
    for (const line of r.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair.indexOf('=');
      cookies.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
  }
  const text = await r.text();
  return { status: r.status, text, location: r.headers.get('location'), json: () => JSON.parse(text) };
}

async function must(what, promise, status) {
  const r = await promise;
  if (r.status !== status) throw new Error(`${what}: ${r.status} ${r.text.slice(0, 300)}`);
  return r;
}

const csrf = (html) => /name="csrf" value="([^"]*)"/.exec(html)[1];

async function main(stub) {
  const app = (await must('app', call('/api/v1/apps', { method: 'POST',
    json: { name: `bench connections ${tag}`, capabilities: { read: ['connections'], write: [] } } }), 201)).json();
  const company = (await must('company', call('/api/v1/companies', { method: 'POST',
    json: { name: `Bench ${tag}`, slug: `bench-${tag}` } }), 201)).json();
  await must('install', call(`/api/v1/companies/${company.id}/apps/${app.id}`, { method: 'POST' }), 201);
  for (const [name, isSecret, value] of [['CLIENT_ID', false, stub.client_id], ['CLIENT_SECRET', true, stub.client_secret]]) {
    await must(name, call(`/api/v1/apps/${app.id}/server-variables`, { method: 'POST', json: { name, is_secret: isSecret } }), 201);
    await must(name, call(`/api/v1/apps/${app.id}/server-variables/${name}`, { method: 'PUT', json: { value, version: 1 } }), 200);
  }
  const provider = `bench-${tag}`;
  await must('provider', call(`/api/v1/apps/${app.id}/connection-providers`, { method: 'POST', json: { name: provider,
    display_name: 'Bench', oauth: { authorization_endpoint: `${stub.base}/authorize`, token_endpoint: `${stub.base}/token`,
      client_id_variable: 'CLIENT_ID', client_secret_variable: 'CLIENT_SECRET', scopes: ['read'],
      userinfo_endpoint: `${stub.base}/userinfo` } } }), 201);
  const email = `bench-member-${tag}@example.org`;
  const password = crypto.randomBytes(16).toString('hex');
  await must('person', call('/api/v1/users', { method: 'POST', json: { email, password } }), 201);
  await must('member', call(`/api/v1/companies/${company.id}/members`, { method: 'POST', json: { email } }), 201);

  const login = await must('sign-in page', call('/admin/login', { auth: false }), 200);
  await must('sign in', call('/admin/login', { method: 'POST', auth: false, form: { csrf: csrf(login.text), email, password } }), 303);
  const home = await must('home', call('/admin/', { auth: false }), 200);
  const start = await must('connect', call(`/admin/my/companies/${company.id}/apps/${app.id}/connect/${provider}`, {
    method: 'POST', auth: false, form: { csrf: csrf(home.text), visibility: 'workspace' } }), 200);
  const authorize = /id="continue" href="([^"]+)"/.exec(start.text)[1].replace(/&amp;/g, '&');
  const consent = await must('consent', call(authorize, { absolute: true, auth: false }), 302);
  const back = new URL(consent.location);
  await must('callback', call(back.pathname + back.search, { auth: false }), 303);
  const basic = Buffer.from(`${app.public_id}:${app.private_api_key}`).toString('base64');
  process.stdout.write(`${basic} ${company.id} ${provider}\n`);
}

const stub = spawn(process.execPath, [path.join(__dirname, '../tests/upstream/stub.js')], { stdio: ['ignore', 'pipe', 'inherit'] });
stub.stdout.once('data', async (line) => {
  let rc = 0;
  try {
    await main(JSON.parse(String(line).split('\n')[0]));
  } catch (err) {
    process.stderr.write(`bench/connection.js: ${err.message}\n`);
    rc = 1;
  }
  stub.once('exit', () => process.exit(rc));
  process.kill(stub.pid, 'SIGTERM');
});
