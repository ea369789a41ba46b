// events_lib.js - what the events tests share: a receiver of events on
// loopback that records every delivery and answers as a test tells it
// (a status, a delay, or no listener at all), an application whose events
// go to it, the Standard Webhooks verification of a delivery by the
// independent `standardwebhooks` library, and finding the processes that
// deliver events (named ostium-events).
'use strict';

const assert = require('node:assert/strict');
const http = require('node:http');
const { Webhook } = require('standardwebhooks');
const { request, createAdmin, createToken, waitFor, randomHex, sleep, liveProcesses } = require('./lib');

// A receiver of events on 127.0.0.1. Each delivery is recorded as
// { id, headers, body, at }; answer(delivery, n) (n: its number, from 1)
// resolves with { status, delayMs } (default 200 at once).
class Receiver {
  constructor(answer) {
    this.answer = answer || (() => ({ status: 200 }));
    this.deliveries = [];
    this.sockets = new Set();
    this.server = null;
    this.port = 0;
  }

  async start(port = 0) {
    this.server = http.createServer((req, res) => {
      const chunks = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', async () => {
        const d = {
          id: req.headers['webhook-id'],
          headers: req.headers,
          method: req.method,
          path: req.url,
          body: Buffer.concat(chunks).toString('utf8'),
          at: Date.now(),
        };
        this.deliveries.push(d);
        const { status = 200, delayMs = 0, text = 'ok' } = (await this.answer(d, this.deliveries.length)) || {};
        if (delayMs) await sleep(delayMs);
        try {
          res.writeHead(status, { 'Content-Type': 'text/plain' });
          res.end(text);
        } catch {
          // the dispatcher gave up on this one
        }
      });
    });
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', resolve);
    });
    this.port = this.server.address().port;
    return this;
  }

  url(path = '/hook') {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  // Stops listening (new connections are refused) and drops open ones.
  async stop() {
    if (!this.server) return;
    const server = this.server;
    this.server = null;
    for (const s of this.sockets) s.destroy();
    await new Promise((resolve) => server.close(() => resolve()));
  }

  // The deliveries of event ID (its webhook-id).
  of(id) {
    return this.deliveries.filter((d) => d.id === id);
  }

  // Resolves with the first delivery matching FN, waiting up to LIMIT ms.
  async waitFor(fn, limit = 30_000) {
    const found = await waitFor(() => this.deliveries.find(fn), limit, 50);
    assert.ok(found, `no such delivery came within ${limit} ms; got ${this.deliveries.map((d) => d.id).join(', ')}`);
    return found;
  }
}

// Verifies delivery D with SECRET by the standardwebhooks library; resolves
// with the parsed body (throws what the library throws).
function verify(secret, d, body = d.body) {
  return new Webhook(secret).verify(body, {
    'webhook-id': d.headers['webhook-id'],
    'webhook-timestamp': d.headers['webhook-timestamp'],
    'webhook-signature': d.headers['webhook-signature'],
  });
}

// An administrator's bearer headers.
async function adminHeaders() {
  const { email } = await createAdmin();
  return { Authorization: `Bearer ${await createToken(email)}` };
}

// Creates an application whose events go to URL (null: none); resolves with
// its row (events_secret included, shown this once).
async function createApp(headers, url, extra = {}) {
  const r = await request('/api/v1/apps', {
    method: 'POST',
    headers,
    json: { name: `events-${randomHex(5)}`, events_url: url, ...extra },
  });
  assert.equal(r.status, 201, r.text);
  return r.json;
}

// The application's events (newest first) as the API lists them.
async function listEvents(headers, appId, query = '') {
  const r = await request(`/api/v1/apps/${appId}/events${query}`, { headers });
  assert.equal(r.status, 200, r.text);
  return r.json.items;
}

// One event with its attempts.
async function getEvent(headers, appId, id) {
  const r = await request(`/api/v1/apps/${appId}/events/${id}`, { headers });
  assert.equal(r.status, 200, r.text);
  return r.json;
}

// Queues a test event; resolves with its row.
async function ping(headers, appId) {
  const r = await request(`/api/v1/apps/${appId}/events/ping`, { method: 'POST', headers });
  assert.equal(r.status, 201, r.text);
  return r.json;
}

// The pids of the processes named ostium-events whose parent is PPID (any
// parent when PPID is 0).
function dispatcherPids(ppid = 0) {
  return liveProcesses(ppid).filter((p) => p.name === 'ostium-events').map((p) => p.pid);
}

// The pid in a leased_by / dispatcher text "HOST pid N".
function pidOf(text) {
  const m = / pid (\d+)$/.exec(text || '');
  assert.ok(m, `no pid in ${text}`);
  return Number(m[1]);
}

module.exports = {
  Receiver,
  verify,
  adminHeaders,
  createApp,
  listEvents,
  getEvent,
  ping,
  dispatcherPids,
  pidOf,
};
