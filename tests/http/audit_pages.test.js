// audit_pages.test.js - pages larger than the answer limit (issue 13, item
// 9): after 110 large but valid application updates, a page of 200 audit
// entries was over the 8 MiB an answer may be, and /api/v1/audit (JSON and
// XML) and /admin/audit answered 500. A page is now cut by size as well as
// by count, with the cursor to the rest; an entry too large for a page on
// its own is shown with its largest values cut short and marked so, never
// skipped, and the walk never stands still.
'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const { request, parseXml, randomHex, sql, signIn } = require('./lib');
const { superAdmin } = require('./registry');
const { largeFields } = require('./large_fields');

const UPDATES = 110;
const MAX_PAGES = 400;

// An application changed UPDATES times with large fields; resolves with
// { headers, admin, app, entries: the ids and request ids of its audit entries }.
async function largeHistory() {
  const admin = await superAdmin();
  const { headers } = admin;
  const created = await request('/api/v1/apps', { method: 'POST', headers, json: { name: `large-${randomHex(5)}` } });
  assert.equal(created.status, 201, created.text);
  let version = created.json.version;
  for (let i = 0; i < UPDATES; i++) {
    const body = { version, ...largeFields(i) };
    assert.ok(JSON.stringify(body).length > 75_000, 'a large update');
    const r = await request(`/api/v1/apps/${created.json.id}`, { method: 'PATCH', headers, json: body });
    assert.equal(r.status, 200, r.text.slice(0, 300));
    version = r.json.version;
  }
  const rows = await sql(`SELECT id, request_id FROM audit_log WHERE object_type = 'app' AND object_id = '${created.json.id}' ORDER BY id DESC`);
  assert.equal(rows.length, UPDATES + 1);
  return { headers, admin, app: created.json, ids: rows.map(([id]) => Number(id)), requestIds: rows.map(([, rid]) => rid) };
}

// Walks the audit pages from Q (a path with a query) in FORMAT (json or
// xml); resolves with { items, pages }, asserting every page is 200 and
// every cursor new.
async function walkApi(headers, q, format) {
  const items = [];
  const cursors = new Set();
  let cursor = null;
  let pages = 0;
  do {
    const r = await request(`${q}&format=${format}${cursor ? `&cursor=${cursor}` : ''}`, { headers });
    assert.equal(r.status, 200, `${format} page ${pages + 1}: ${r.text.slice(0, 300)}`);
    assert.ok(r.text.length <= 8 * 1024 * 1024, 'the page fits in an answer');
    const page = format === 'xml' ? parseXml(r.text) : r.json;
    assert.ok(page.items.length >= 1, 'a page holds at least one entry');
    items.push(...page.items);
    cursor = page.next_cursor;
    assert.ok(cursor === null || !cursors.has(cursor), 'never the same cursor twice');
    cursors.add(cursor);
  } while (cursor && ++pages < MAX_PAGES);
  assert.equal(cursor, null, 'the walk ends');
  return { items, pages: pages + 1 };
}

test(`after ${UPDATES} large updates, audit pages of 200 fit in JSON, XML and the console, each entry once (were 500)`, async () => {
  const { headers, admin, app, ids, requestIds } = await largeHistory();
  const q = `/api/v1/audit?object_type=app&object_id=${app.id}&limit=200`;
  for (const format of ['json', 'xml']) {
    const { items, pages } = await walkApi(headers, q, format);
    assert.deepEqual(items.map((e) => e.id), ids, `${format}: every entry once, newest first`);
    assert.ok(pages > 1, `${format}: cut by size into ${pages} pages`);
    assert.ok(items.every((e) => e.shortened === false), `${format}: nothing shortened, each fits a page`);
    assert.deepEqual(items[0].details.properties, { update: UPDATES - 1, blob: 'v'.repeat(16000) });
  }

  // the whole log, unfiltered, as the issue found it
  const all = await request('/api/v1/audit?limit=200', { headers });
  assert.equal(all.status, 200, all.text.slice(0, 300));
  const allXml = await request('/api/v1/audit?limit=200&format=xml', { headers });
  assert.equal(allXml.status, 200, allXml.text.slice(0, 300));

  // the console: follow "Next page" to the end
  const { jar } = await signIn(admin.email, admin.password);
  const seen = [];
  let next = `/admin/audit?object_type=app&object_id=${app.id}&limit=200`;
  let pages = 0;
  while (next && pages++ < MAX_PAGES) {
    const r = await request(next, { jar });
    assert.equal(r.status, 200, `console page ${pages}: ${r.text.slice(0, 300)}`);
    seen.push(...[...r.text.matchAll(/<small class="muted">([0-9a-f]{32})<\/small>/g)].map((m) => m[1]));
    const link = /<a [^>]*href="([^"]*)"[^>]*>Next page<\/a>/.exec(r.text);
    const following = link ? new URL(link[1].replace(/&amp;/g, '&'), 'http://x').pathname +
      new URL(link[1].replace(/&amp;/g, '&'), 'http://x').search : null;
    assert.notEqual(following, next, 'never the same page twice');
    next = following;
  }
  assert.ok(pages > 1, 'the console pages are cut by size too');
  assert.deepEqual(seen, requestIds, 'every entry once in the console');
});

test('an audit entry too large for a page on its own is shown with its largest values cut short and marked so, once', async () => {
  const { headers } = await superAdmin();
  const objectId = `big-${randomHex(6)}`;
  // 200 000 numbers: 400 KB of JSON, some 5.6 MB as XML
  const big = (tag) => `CONCAT('{"tag":"${tag}","numbers":[', REPEAT('0,', 200000), '0],"note":"kept"}')`;
  const insert = (details) => sql(`INSERT INTO audit_log (actor_type, action, object_type, object_id, details) ` +
    `VALUES ('system', 'test.big', 'test', '${objectId}', ${details})`);
  await insert(`'{"tag":"small-1"}'`);
  await insert(big('big-1'));
  await insert(`'{"tag":"small-2"}'`);
  await insert(big('big-2'));
  const q = `/api/v1/audit?object_type=test&object_id=${objectId}&limit=200`;

  const xml = await walkApi(headers, q, 'xml');
  assert.deepEqual(xml.items.map((e) => e.details.tag), ['big-2', 'small-2', 'big-1', 'small-1'], 'each entry once, none skipped');
  for (const e of xml.items) {
    const isBig = e.details.tag.startsWith('big');
    assert.equal(e.shortened, isBig, `${e.details.tag}: marked shortened only when too large alone`);
    if (!isBig) continue;
    assert.equal(typeof e.details.numbers, 'string', 'the largest value cut short');
    assert.ok(e.details.numbers.startsWith('[0,0,0,'));
    assert.ok(e.details.numbers.endsWith('…'));
    assert.ok(e.details.numbers.length < 2000);
    assert.equal(e.details.note, 'kept', 'small values kept');
  }
  assert.ok(xml.pages >= 2, 'a too large entry takes a page of its own');

  const json = await walkApi(headers, q, 'json');
  assert.deepEqual(json.items.map((e) => e.details.tag), ['big-2', 'small-2', 'big-1', 'small-1']);
  assert.ok(json.items.every((e) => e.shortened === false), 'in JSON they fit a page whole');
  assert.equal(json.items[0].details.numbers.length, 200001);
});
