// apps_fixtures.js - what the application tests share: administrators
// with tokens (writer or auditor), an application with every field, suites
// and projects, RSA
// keys and certificates made with openssl, the audit rows of an
// application, and the HMAC a stored key hash must equal.
'use strict';

const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const {
  request, sql, sqlString, createAdmin, createToken, randomHex, configValue,
} = require('./lib');

// A new administrator (SUPER_ADMINISTRATOR, or ROLE) with a bearer token:
// { email, headers, userId }.
async function admin(role = 'SUPER_ADMINISTRATOR') {
  const a = await createAdmin();
  const [[id]] = await sql(`SELECT id FROM users WHERE email = ${sqlString(a.email)}`);
  if (role !== 'SUPER_ADMINISTRATOR') {
    await sql(`UPDATE users SET roles = ${sqlString(role)} WHERE id = ${Number(id)}`);
  }
  const token = await createToken(a.email);
  return { email: a.email, token, userId: Number(id), headers: { Authorization: `Bearer ${token}` } };
}

// Runs openssl with ARGS in DIR; returns stdout.
function openssl(dir, ...args) {
  return execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] }).toString();
}

// RSA 2048 and 1024 public keys, an EC public key, and self-signed
// certificates over RSA 2048 and 1024, as PEM texts; made once per file.
function makeKeys() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ostium-apps-'));
  try {
    const keys = {};
    for (const bits of [2048, 1024]) {
      openssl(dir, 'genpkey', '-algorithm', 'RSA', '-pkeyopt', `rsa_keygen_bits:${bits}`, '-out', `k${bits}.pem`);
      keys[`rsa${bits}`] = openssl(dir, 'pkey', '-in', `k${bits}.pem`, '-pubout');
      keys[`cert${bits}`] = openssl(dir, 'req', '-x509', '-new', '-key', `k${bits}.pem`,
        '-subj', '/CN=ostium-test', '-days', '2');
    }
    openssl(dir, 'genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', 'ec.pem');
    keys.ec = openssl(dir, 'pkey', '-in', 'ec.pem', '-pubout');
    for (const k of Object.values(keys)) assert.match(k, /^-----BEGIN /);
    return keys;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// A complete identity sheet with a unique name (and app group id).
function fullSheet(keys, extra = {}) {
  const tag = randomHex(5);
  return {
    name: `full-${tag}`,
    description: 'An application with every field\non two lines',
    icon_url: 'https://cdn.example.org/icons/app.png',
    app_group_id: `group.${tag}-x_1`,
    events_url: 'https://hooks.example.org/ostium/events',
    allowed_ips: ['192.0.2.10', '198.51.100.0/24', '2001:db8::1', '2001:db8:1::/48'],
    permissions: ['SEND_MESSAGES', 'GET_USER_CONNECTIONS', 'TRUST_APP', 'CUSTOM_PERMISSION_1'],
    capabilities: { read: ['connections', 'users', 'companies'], write: ['connections'] },
    display: { chat_button: true, app_list_entry: false, configuration_entry: true, label: 'Chat with us' },
    domain: 'https://app.example.org',
    allowed_origins: ['https://app.example.org', 'https://admin.example.org:8443', '*'],
    redirect_uris: ['https://app.example.org/callback?x=1', 'http://127.0.0.1:8765/cb', 'http://[::1]/cb',
      'http://localhost:3000/cb'],
    authenticator: 'authorization_code',
    access_token_ttl: 900,
    refresh_token_ttl: 86400 * 7,
    public_key_current: keys.rsa2048,
    public_key_previous: keys.rsa2048,
    certificate: null,
    properties: { theme: { color: '#336699', compact: true }, 'not an xml name': [1, 'two', null] },
    ...extra,
  };
}

// POSTs SHEET as ADMIN; asserts 201; resolves with the created application.
async function createApp(adm, sheet) {
  const r = await request('/api/v1/apps', { method: 'POST', headers: adm.headers, json: sheet });
  assert.equal(r.status, 201, r.text);
  return r.json;
}

// A new suite made by ADMIN; resolves with its id.
async function newSuite(adm, name = `suite-${randomHex(5)}`) {
  const r = await request('/api/v1/suites', { method: 'POST', headers: adm.headers, json: { name } });
  assert.equal(r.status, 201, r.text);
  return r.json.id;
}

// A new project of SUITE made by ADMIN; resolves with its id.
async function newProject(adm, suite) {
  const r = await request(`/api/v1/suites/${suite}/projects`, {
    method: 'POST', headers: adm.headers, json: { name: `project-${randomHex(5)}` },
  });
  assert.equal(r.status, 201, r.text);
  return r.json.id;
}

// The audit rows [action, details, actor] of application ID, oldest first.
async function auditRows(id) {
  return sql(`SELECT action, details, actor FROM audit_log WHERE object_type = 'app' AND object_id = '${Number(id)}' ORDER BY id`);
}

// The number of applications named NAME.
async function countNamed(name) {
  const [[n]] = await sql(`SELECT COUNT(*) FROM apps WHERE name = ${sqlString(name)}`);
  return Number(n);
}

// HMAC-SHA256(pepper, KEY) in upper-case hex: what key_hash must hold.
function keyHash(key) {
  const line = fs.readFileSync(configValue('pepper_file'), 'utf8').trim().split('\n').pop().trim();
  const pepper = Buffer.from(line.split(' ').pop(), 'hex');
  assert.equal(pepper.length, 32, 'the pepper is 32 bytes');
  return crypto.createHmac('sha256', pepper).update(key).digest('hex').toUpperCase();
}

module.exports = {
  admin, makeKeys, fullSheet, createApp, newSuite, newProject, auditRows, countNamed, keyHash,
};
