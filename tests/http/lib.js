// lib.js - shared helpers of the HTTP tests: requests to the server under
// test (OSTIUM_URL only), each JSON answer checked against the server's
// OpenAPI document (openapi.js), a cookie jar, console sign-in,
// scripts/testctl, and a small parser of Ostium's XML rendering for
// comparing it with JSON.
'use strict';

const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const { execFile } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { checkResponse } = require('./openapi');

// Seconds one HTTP request may take before the test fails.
const REQUEST_TIMEOUT_MS = 20_000;
// Seconds one testctl command may take (db-start waits for MariaDB).
const TESTCTL_TIMEOUT_MS = 150_000;

function env(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the tests with scripts/test`);
  return value;
}

const baseUrl = env('OSTIUM_URL').replace(/\/+$/, '');
if (!/^http:\/\/(127\.0\.0\.1|localhost|\[::1\]):\d+$/.test(baseUrl)) {
  throw new Error(`OSTIUM_URL must be a loopback http://ADDRESS:PORT, not ${baseUrl}`);
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// The web server in front of Ostium (scripts/test --server), and whether
// Ostium runs as its own pool (a master the tests may signal) or is spawned
// by the web server (apache-fcgid: mod_fcgid starts and replaces the ostium
// processes, and there is no pool socket).
const webServer = process.env.OSTIUM_WEB_SERVER || 'lighttpd';
const hasPoolMaster = (process.env.OSTIUM_POOL || 'master') === 'master';
const NO_POOL_MASTER = 'no pool master: the web server spawns the ostium processes (mod_fcgid)';

// The file ostium logs to: its own log, or the web server's error log when
// the web server spawned it.
function ostiumLogFile() {
  return process.env.OSTIUM_LOG || path.join(env('OSTIUM_TEST_DIR'), 'ostium.log');
}

// True when R is a refusal by Apache or nginx themselves, with one of
// STATUSES, before Ostium saw the request: for what is the web server's job
// (such as decoding the path it routes by). Every Ostium answer carries an
// X-Request-Id; the web server's own error pages do not. lighttpd hands
// such requests to Ostium, so under lighttpd this is never true.
function refusedByWebServer(r, ...statuses) {
  return webServer !== 'lighttpd' && statuses.includes(r.status) && !r.headers.get('x-request-id');
}

// ---------------------------------------------------------------------
// Cookies

// A cookie jar for one client: name -> value, plus the attributes each
// cookie was last set with (for checks such as HttpOnly).
class CookieJar {
  constructor() {
    this.values = new Map();
    this.attributes = new Map();
  }

  // Takes in the Set-Cookie headers of RES; an empty value or Max-Age=0
  // removes the cookie.
  update(res) {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';').map((s) => s.trim());
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      const parsed = parseCookieAttributes(attrs);
      if (value === '' || parsed['max-age'] === '0') {
        this.values.delete(name);
      } else {
        this.values.set(name, value);
      }
      this.attributes.set(name, parsed);
    }
  }

  get(name) {
    return this.values.get(name);
  }

  set(name, value) {
    this.values.set(name, value);
  }

  delete(name) {
    this.values.delete(name);
  }

  header() {
    return [...this.values].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

// ["Path=/", "HttpOnly"] -> { path: "/", httponly: true } (names lower-cased).
function parseCookieAttributes(attrs) {
  const out = {};
  for (const a of attrs) {
    if (!a) continue;
    const eq = a.indexOf('=');
    if (eq < 0) out[a.toLowerCase()] = true;
    else out[a.slice(0, eq).trim().toLowerCase()] = a.slice(eq + 1).trim();
  }
  return out;
}

// ---------------------------------------------------------------------
// Requests

// Sends one request to OSTIUM_URL + PATH and reads the whole answer.
// OPTIONS: method, headers, jar (CookieJar: sent and updated), form (an
// object or [name, value] pairs, sent form-urlencoded), json (any value,
// sent as JSON), body (a string or Buffer, sent as is), address (sent as
// X-Forwarded-For). Redirects are not followed. A JSON answer of Ostium
// that the server's OpenAPI document does not describe (operation, status,
// field) rejects with an AssertionError: the test that met it fails
// (openapi.js; OSTIUM_OPENAPI_CHECK=0 turns this off).
// Result: { status, headers, text, json (parsed when JSON, else undefined), res }.
async function request(pathAndQuery, options = {}) {
  const { method = 'GET', jar, form, json, address } = options;
  const headers = { ...(options.headers || {}) };
  let body = options.body;
  if (form !== undefined) {
    body = new URLSearchParams(form).toString();
    headers['Content-Type'] ??= 'application/x-www-form-urlencoded';
  } else if (json !== undefined) {
    body = JSON.stringify(json);
    headers['Content-Type'] ??= 'application/json';
  }
  if (jar && jar.values.size && headers.Cookie === undefined) headers.Cookie = jar.header();
  if (address) headers['X-Forwarded-For'] = address;
  if (!pathAndQuery.startsWith('/')) throw new Error(`not a path: ${pathAndQuery}`);
  const url = baseUrl + pathAndQuery;
  const res = await fetch(url, {
    method,
    headers,
    body,
    redirect: 'manual',
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const text = await res.text();
  if (jar) jar.update(res);
  let parsed;
  if ((res.headers.get('content-type') || '').startsWith('application/json') && text) {
    parsed = JSON.parse(text);
  }
  await checkResponse({ method, url, status: res.status, headers: res.headers, text });
  return { status: res.status, headers: res.headers, text, json: parsed, res };
}

// The path of a Location header (absolute or relative), with its query.
function locationPath(r) {
  const loc = r.headers.get('location');
  assert.ok(loc, `status ${r.status} without a Location header`);
  const u = new URL(loc, baseUrl);
  return u.pathname + u.search;
}

// Asserts that R is the error shape with STATUS and CODE; returns the error.
function assertError(r, status, code, what = '') {
  const where = `${what ? what + ': ' : ''}${r.status} ${r.text.slice(0, 300)}`;
  assert.equal(r.status, status, where);
  assert.match(r.headers.get('content-type') || '', /^application\/json/, where);
  assert.ok(r.json && typeof r.json === 'object', where);
  assert.deepEqual(Object.keys(r.json), ['error'], where);
  const e = r.json.error;
  assert.equal(e.code, code, where);
  assert.equal(typeof e.message, 'string', where);
  assert.ok(e.message.length > 0, where);
  for (const key of Object.keys(e)) {
    assert.ok(['code', 'message', 'field'].includes(key), `${where}: unexpected key ${key}`);
  }
  if ('field' in e) assert.equal(typeof e.field, 'string', where);
  return e;
}

// Asserts the headers every response carries.
function assertCommonHeaders(r, what = '') {
  const h = r.headers;
  const where = `${what} (${r.status})`;
  assert.match(h.get('x-request-id') || '', /^[0-9a-f]{32}$/, `${where}: X-Request-Id`);
  assert.ok(h.get('content-security-policy'), `${where}: Content-Security-Policy`);
  assert.equal(h.get('x-content-type-options'), 'nosniff', `${where}: X-Content-Type-Options`);
  assert.equal(h.get('x-frame-options'), 'DENY', `${where}: X-Frame-Options`);
  assert.equal(h.get('cache-control'), 'no-store', `${where}: Cache-Control`);
}

// Asserts that none of SECRETS appears in R's body or in any header.
function assertNoSecrets(r, secrets, what = '') {
  for (const secret of secrets) {
    if (!secret) continue;
    assert.ok(!r.text.includes(secret), `${what}: the body holds a secret`);
    for (const [name, value] of r.headers) {
      assert.ok(!value.includes(secret), `${what}: header ${name} holds a secret`);
    }
  }
}

// ---------------------------------------------------------------------
// HTML scraping (the pages are generated from fixed templates)

// The value of the hidden csrf field of the first form in HTML.
function csrfField(html) {
  const m = /<input type="hidden" name="csrf" value="([^"]*)">/.exec(html);
  assert.ok(m, `no csrf field in the page:\n${html.slice(0, 800)}`);
  return m[1];
}

// Every hidden csrf field of HTML.
function csrfFields(html) {
  return [...html.matchAll(/<input type="hidden" name="csrf" value="([^"]*)">/g)].map((m) => m[1]);
}

// HTML text with tags removed, entities decoded, spaces folded.
function pageText(html) {
  return decodeEntities(html.replace(/<[^>]*>/g, ' ')).replace(/\s+/g, ' ').trim();
}

// ---------------------------------------------------------------------
// testctl

// Runs scripts/testctl ARGS; resolves with its stdout, rejects with its
// stderr when it fails.
function testctl(...args) {
  const bin = env('OSTIUM_TESTCTL');
  return new Promise((resolve, reject) => {
    execFile(bin, args, { timeout: TESTCTL_TIMEOUT_MS, maxBuffer: 1 << 20 }, (err, stdout, stderr) => {
      if (err) {
        err.message += `\ntestctl ${args[0]} failed: ${stderr}`;
        reject(err);
      } else {
        resolve(stdout);
      }
    });
  });
}

// Runs STATEMENT in database ostium; resolves with rows of columns.
async function sql(statement) {
  const out = await testctl('sql', statement);
  return out.split('\n').filter((l) => l !== '').map((l) => l.split('\t'));
}

// A quoted SQL string literal for the plain values the tests make up.
function sqlString(s) {
  assert.match(s, /^[A-Za-z0-9@._+:-]*$/, 'only plain values go into test SQL');
  return `'${s}'`;
}

function randomHex(n) {
  return crypto.randomBytes(n).toString('hex');
}

function randomEmail(prefix = 'http') {
  return `${prefix}-${randomHex(6)}@example.org`;
}

// A client address of its own (IPv6 documentation prefix), for
// X-Forwarded-For, so that one test's failed sign-ins throttle no other.
function randomAddress() {
  const w = () => crypto.randomBytes(2).readUInt16BE(0).toString(16);
  return `2001:db8:${w()}:${w()}::${w()}`;
}

// Creates an administrator with ostiumctl; resolves with { email, password }.
async function createAdmin(email = randomEmail()) {
  const out = await testctl('ctl', 'create-admin', email);
  const m = /^password: (.+)$/m.exec(out);
  assert.ok(m, `create-admin printed no password: ${out}`);
  assert.match(out, new RegExp(`^email: ${email.replace(/[.+]/g, '\\$&')}$`, 'm'));
  return { email, password: m[1] };
}

// A new personal API token of EMAIL, made with ostiumctl.
async function createToken(email) {
  const out = await testctl('ctl', 'create-token', email);
  const m = /^token: (\S+)$/m.exec(out);
  assert.ok(m, `create-token printed no token: ${out}`);
  return m[1];
}

// A value of the test server's configuration file (DEFAULT when unset).
function configValue(key, fallback) {
  const dir = env('OSTIUM_TEST_DIR');
  let conf;
  try {
    const state = fs.readFileSync(path.join(dir, 'state'), 'utf8');
    conf = /^OST_CONF=(.*)$/m.exec(state)?.[1];
  } catch {
    conf = undefined;
  }
  conf ||= path.join(dir, 'ostium.conf');
  const text = fs.readFileSync(conf, 'utf8');
  const m = new RegExp(`^\\s*${key}\\s*=\\s*(.*?)\\s*$`, 'm').exec(text);
  return m && m[1] !== '' ? m[1] : fallback;
}

// ---------------------------------------------------------------------
// Console

// Opens the sign-in page with JAR; resolves with its csrf field.
async function loginForm(jar, address) {
  const r = await request('/admin/login', { jar, address });
  assert.equal(r.status, 200, r.text.slice(0, 300));
  const csrf = csrfField(r.text);
  assert.equal(jar.get('ostium_login'), csrf, 'the form csrf is the login cookie');
  return csrf;
}

// Posts the sign-in form with a fresh login csrf; resolves with the answer.
async function postLogin(jar, email, password, address) {
  const csrf = await loginForm(jar, address);
  return request('/admin/login', { method: 'POST', jar, address, form: { csrf, email, password } });
}

// Signs in (asserting success); resolves with { jar, csrf } where csrf is
// the session's token from the dashboard.
async function signIn(email, password, address = randomAddress()) {
  const jar = new CookieJar();
  const r = await postLogin(jar, email, password, address);
  assert.equal(r.status, 303, `sign-in: ${r.status} ${pageText(r.text).slice(0, 300)}`);
  assert.equal(locationPath(r), '/admin/');
  assert.ok(jar.get('ostium_session'), 'sign-in sets the session cookie');
  const csrf = await sessionCsrf(jar);
  return { jar, csrf, address };
}

// The session's csrf token, read from the dashboard.
async function sessionCsrf(jar) {
  const r = await request('/admin/', { jar });
  assert.equal(r.status, 200, `dashboard: ${r.status}`);
  return csrfField(r.text);
}

// ---------------------------------------------------------------------
// XML

function decodeEntities(s) {
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|lt|gt|amp|quot|apos);/g, (all, e) => {
    switch (e) {
      case 'lt': return '<';
      case 'gt': return '>';
      case 'amp': return '&';
      case 'quot': return '"';
      case 'apos': return "'";
      default:
        return String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
    }
  });
}

// Parses the XML Ostium writes (a declaration, elements, attributes, text;
// no comments, CDATA, or mixed content) into { name, attrs, children, text,
// start, end } (start and end: where the element's markup begins and ends
// in XML, for sending a part of an answer back as a body).
function parseXmlElements(xml) {
  let i = 0;
  const fail = (why) => {
    throw new Error(`XML: ${why} at ${i}: ${xml.slice(i, i + 60)}`);
  };
  const skipSpace = () => {
    while (i < xml.length && /\s/.test(xml[i])) i++;
  };
  skipSpace();
  if (xml.startsWith('<?xml', i)) {
    const end = xml.indexOf('?>', i);
    if (end < 0) fail('unterminated declaration');
    i = end + 2;
    skipSpace();
  }
  const element = () => {
    if (xml[i] !== '<') fail('expected an element');
    const m = /^<([A-Za-z_\u00C0-\uFFFF][\w.\-\u00B7-\uFFFF]*)/.exec(xml.slice(i));
    if (!m) fail('bad element name');
    const node = { name: m[1], attrs: {}, children: [], text: '', start: i };
    i += m[0].length;
    for (;;) {
      skipSpace();
      if (xml.startsWith('/>', i)) {
        i += 2;
        node.end = i;
        return node;
      }
      if (xml[i] === '>') {
        i++;
        break;
      }
      const a = /^([A-Za-z_][\w.-]*)\s*=\s*("([^"]*)"|'([^']*)')/.exec(xml.slice(i));
      if (!a) fail('bad attribute');
      node.attrs[a[1]] = decodeEntities(a[3] ?? a[4]);
      i += a[0].length;
    }
    for (;;) {
      if (i >= xml.length) fail(`unterminated <${node.name}>`);
      if (xml.startsWith('</', i)) {
        const close = `</${node.name}>`;
        if (!xml.startsWith(close, i)) fail(`expected ${close}`);
        i += close.length;
        node.end = i;
        return node;
      }
      if (xml[i] === '<') {
        node.children.push(element());
      } else {
        const end = xml.indexOf('<', i);
        if (end < 0) fail('text runs to the end');
        node.text += decodeEntities(xml.slice(i, end));
        i = end;
      }
    }
  };
  const root = element();
  skipSpace();
  if (i !== xml.length) fail('content after the document element');
  return root;
}

// The value an element stands for, under Ostium's mapping: type="array"
// -> its <item> children; number/boolean/null by type; child elements (or
// type="object", which an empty object carries) -> an object (<entry
// key="K"> for keys that are no XML names); else text.
function xmlValue(node) {
  const type = node.attrs.type;
  const elements = node.children;
  if (type === 'array') {
    if (node.text.trim() !== '') throw new Error(`text in array <${node.name}>`);
    return elements.map((c) => {
      if (c.name !== 'item') throw new Error(`<${c.name}> in array <${node.name}>`);
      return xmlValue(c);
    });
  }
  if (type === 'number') return Number(node.text);
  if (type === 'boolean') {
    if (node.text !== 'true' && node.text !== 'false') throw new Error(`bad boolean ${node.text}`);
    return node.text === 'true';
  }
  if (type === 'null') {
    if (node.text !== '' || elements.length) throw new Error(`content in null <${node.name}>`);
    return null;
  }
  if (type !== undefined && type !== 'object') throw new Error(`unknown type="${type}"`);
  if (elements.length || type === 'object') {
    if (node.text.trim() !== '') throw new Error(`mixed content in <${node.name}>`);
    const obj = {};
    for (const c of elements) {
      const key = c.name === 'entry' && 'key' in c.attrs ? c.attrs.key : c.name;
      if (Object.hasOwn(obj, key)) throw new Error(`key ${key} twice in <${node.name}>`);
      obj[key] = xmlValue(c);
    }
    return obj;
  }
  return node.text;
}

// Parses an XML response body into the tree it stands for; asserts the
// document element is <response>.
function parseXml(xml) {
  assert.match(xml, /^<\?xml version="1\.0" encoding="UTF-8"\?>/, 'XML declaration');
  const root = parseXmlElements(xml);
  assert.equal(root.name, 'response', 'document element');
  return xmlValue(root);
}

// The live (not zombie) processes whose parent is PPID (any parent when
// PPID is 0), from /proc: [{ pid, name }], NAME being the command name
// (the events dispatchers are named ostium-events), sorted by pid.
function liveProcesses(ppid = 0) {
  const out = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat;
    try {
      stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue;
    }
    // Fields after the command (which may hold spaces): state ppid ...
    const close = stat.lastIndexOf(')');
    const [state, parent] = stat.slice(close + 2).split(' ');
    if (state === 'Z' || state === 'X' || (ppid && Number(parent) !== ppid)) continue;
    out.push({ pid: Number(entry), name: stat.slice(stat.indexOf('(') + 1, close) });
  }
  return out.sort((a, b) => a.pid - b.pid);
}

// Polls FN (async, truthy when done) every STEP ms for at most LIMIT ms;
// resolves with its last value (falsy on timeout).
async function waitFor(fn, limit = 30_000, step = 200) {
  const end = Date.now() + limit;
  let value;
  for (;;) {
    value = await fn();
    if (value || Date.now() >= end) return value;
    await sleep(step);
  }
}

module.exports = {
  baseUrl,
  env,
  webServer,
  hasPoolMaster,
  NO_POOL_MASTER,
  ostiumLogFile,
  refusedByWebServer,
  sleep,
  CookieJar,
  request,
  locationPath,
  assertError,
  assertCommonHeaders,
  assertNoSecrets,
  csrfField,
  csrfFields,
  pageText,
  testctl,
  sql,
  sqlString,
  randomHex,
  randomEmail,
  randomAddress,
  createAdmin,
  createToken,
  configValue,
  loginForm,
  postLogin,
  signIn,
  sessionCsrf,
  parseXml,
  parseXmlElements,
  waitFor,
  liveProcesses,
};
