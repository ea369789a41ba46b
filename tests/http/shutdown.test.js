// shutdown.test.js - SIGTERM stops the pool gracefully: a request in flight
// (its body half sent) is answered in full before the worker leaves. Talks
// FastCGI straight to the pool's socket, so that the request is in the
// worker's hands, not the web server's, when the signal comes; then starts
// the pool again for the files that follow.
'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const net = require('node:net');
const path = require('node:path');
const {
  env, baseUrl, sleep, testctl, createAdmin, createToken, request, waitFor, hasPoolMaster, NO_POOL_MASTER,
} = require('./lib');
const { checkResponse } = require('./openapi');

// One FastCGI record (version 1) of TYPE for request 1.
function record(type, content = Buffer.alloc(0)) {
  const pad = (8 - (content.length % 8)) % 8;
  const head = Buffer.from([1, type, 0, 1, content.length >> 8, content.length & 0xff, pad, 0]);
  return Buffer.concat([head, content, Buffer.alloc(pad)]);
}

// FastCGI name-value pairs (every length here is under 128).
function params(pairs) {
  return Buffer.concat(Object.entries(pairs).map(([k, v]) => {
    assert.ok(k.length < 128 && v.length < 128);
    return Buffer.concat([Buffer.from([k.length, v.length]), Buffer.from(k + v)]);
  }));
}

const BEGIN = 1, END = 3, PARAMS = 4, STDIN = 5, STDOUT = 6;

// Reads records from SOCKET until END_REQUEST; resolves with the STDOUT text.
function response(socket) {
  return new Promise((resolve, reject) => {
    let data = Buffer.alloc(0);
    let out = '';
    const timer = setTimeout(() => reject(new Error('no FastCGI answer within 20 s')), 20_000);
    socket.on('data', (chunk) => {
      data = Buffer.concat([data, chunk]);
      while (data.length >= 8) {
        const len = data.readUInt16BE(4), pad = data[6];
        if (data.length < 8 + len + pad) break;
        if (data[1] === STDOUT) out += data.subarray(8, 8 + len).toString();
        if (data[1] === END) {
          clearTimeout(timer);
          resolve(out);
          return;
        }
        data = data.subarray(8 + len + pad);
      }
    });
    socket.on('error', (e) => { clearTimeout(timer); reject(e); });
  });
}

// Under apache-fcgid there is no pool (nor its socket): mod_fcgid stops the
// processes it spawned.
test('a request in flight when the pool is told to stop is answered in full',
  { skip: hasPoolMaster ? false : NO_POOL_MASTER }, async () => {
  const admin = await createAdmin();
  const token = await createToken(admin.email);
  const body = Buffer.from(JSON.stringify({ name: 'made while stopping' }));
  const socket = net.createConnection(path.join(env('OSTIUM_TEST_DIR'), 'ostium.sock'));
  await new Promise((resolve, reject) => { socket.once('connect', resolve); socket.once('error', reject); });
  const answer = response(socket);
  socket.write(Buffer.concat([
    record(BEGIN, Buffer.from([0, 1, 0, 0, 0, 0, 0, 0])), // responder, no keep-alive
    record(PARAMS, params({
      REQUEST_METHOD: 'POST', REQUEST_URI: '/api/v1/tokens', REMOTE_ADDR: '127.0.0.1',
      CONTENT_TYPE: 'application/json', CONTENT_LENGTH: String(body.length),
      HTTP_AUTHORIZATION: `Bearer ${token}`, HTTP_ACCEPT: 'application/json',
    })),
    record(PARAMS),
    record(STDIN, body.subarray(0, 5)),
  ]));
  await sleep(300); // a worker has taken the request and waits for the rest of its body
  const master = Number((await testctl('pool-pid')).trim());
  process.kill(master, 'SIGTERM');
  await sleep(700); // the master repeats SIGTERM meanwhile: the busy worker must hold it back
  socket.write(Buffer.concat([record(STDIN, body.subarray(5)), record(STDIN)]));
  const out = await answer;
  socket.destroy();
  assert.match(out, /^Status: 201 /, out.slice(0, 200));
  assert.match(out, /"name":"made while stopping"/);
  assert.ok(await waitFor(async () => {
    try { process.kill(master, 0); return false; } catch { return true; }
  }, 10_000), 'the master stops once the request is done');
  await testctl('pool-start');
  const h = await request('/healthz');
  assert.equal(h.status, 200, 'the pool serves again after a restart');
  // The answer taken straight from the pool is held to the API description too.
  await checkResponse({ method: 'POST', url: `${baseUrl}/api/v1/tokens`, ...cgiAnswer(out) });
});

// The FastCGI output OUT as an answer: { status, headers (lower-case
// names), text }.
function cgiAnswer(out) {
  const end = /\r?\n\r?\n/.exec(out);
  const head = end ? out.slice(0, end.index) : out;
  const headers = {};
  for (const line of head.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const status = Number(/^\d{3}/.exec(headers.status || '200')[0]);
  return { status, headers, text: end ? out.slice(end.index + end[0].length) : '' };
}
