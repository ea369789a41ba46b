// large.js - makes every Ostium worker of bench/run serve the largest
// answers the limits allow, so that the proportional set size read after
// it shows what a worker keeps after them: an application whose identity
// sheet is at its largest (GET /api/v1/app/me), changed often with every
// list and text at its largest so that a page of 200 audit entries is as
// large as an answer may be (GET /api/v1/audit in JSON and XML).
//
// usage: node bench/large.js URL TOKEN GROUP WORKERS
// URL: Ostium's base URL (development mode: answers name their worker);
// TOKEN: a super administrator's personal API token; GROUP: a company to
// install the application in; WORKERS: how many workers the pool has.
// Prints one line per answer kind: its size and the workers that gave it.
'use strict';

const { largeFields } = require('../tests/http/large_fields');

const [url, token, group, workersArg] = process.argv.slice(2);
const workers = Number(workersArg);
if (!url || !token || !group || !(workers > 0)) {
  process.stderr.write('usage: node bench/large.js URL TOKEN GROUP WORKERS\n');
  process.exit(2);
}
const UPDATES = 110; // a page of 200 entries of these passes the 8 MiB an answer may be
const TRIES = 50 * workers;

async function call(path, { method = 'GET', json, headers = {} } = {}) {
  const h = { Accept: 'application/json', Authorization: `Bearer ${token}`, ...headers };
  let body;
  if (json !== undefined) {
    h['Content-Type'] = 'application/json';
    body = JSON.stringify(json);
  }
  const r = await fetch(url + path, { method, headers: h, body, signal: AbortSignal.timeout(60_000) });
  const text = await r.text();
  if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${text.slice(0, 300)}`);
  return { text, json: text && r.headers.get('content-type')?.startsWith('application/json') ? JSON.parse(text) : null, worker: r.headers.get('x-ostium-worker') };
}

// The fields of change I, each within its limit (tests/http/large_fields.js),
// with the icon at its longest and loopback among the allowed addresses: the
// bench calls from there.
function largeChange(i) {
  const f = largeFields(i);
  return { ...f, icon_url: `https://cdn.example.org/${'i'.repeat(2000)}.png`, allowed_ips: ['127.0.0.1', ...f.allowed_ips.slice(1)] };
}

// Asks PATH (with HEADERS) until every worker has answered it; resolves
// with the size of the answer.
async function everyWorker(path, headers = {}) {
  const seen = new Set();
  let size = 0;
  for (let i = 0; i < TRIES && seen.size < workers; i++) {
    const r = await call(path, { headers });
    seen.add(r.worker);
    size = Buffer.byteLength(r.text);
  }
  if (seen.size < workers) throw new Error(`${path}: only ${seen.size} of ${workers} workers answered`);
  return size;
}

(async () => {
  const created = await call('/api/v1/apps', { method: 'POST', json: { name: `bench large ${Date.now()}`, ...largeChange(0) } });
  const app = created.json;
  await call(`/api/v1/companies/${group}/apps/${app.id}`, { method: 'POST' });
  let version = app.version;
  for (let i = 1; i <= UPDATES; i++) {
    const r = await call(`/api/v1/apps/${app.id}`, { method: 'PATCH', json: { version, ...largeChange(i) } });
    version = r.json.version;
  }
  const basic = Buffer.from(`${app.public_id}:${app.private_api_key}`).toString('base64');
  const sheet = await everyWorker('/api/v1/app/me', { Authorization: `Basic ${basic}`, 'X-Group-Id': String(group) });
  const json = await everyWorker('/api/v1/audit?limit=200');
  const xml = await everyWorker('/api/v1/audit?limit=200&format=xml', { Accept: 'application/xml' });
  process.stdout.write(`identity sheet ${sheet} bytes; audit page of 200 ${json} bytes (JSON), ${xml} bytes (XML); each from all ${workers} workers\n`);
})().catch((e) => {
  process.stderr.write(`${e.stack || e}\n`);
  process.exit(1);
});
