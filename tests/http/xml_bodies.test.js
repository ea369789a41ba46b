// xml_bodies.test.js - request bodies in XML (issue 13, item 5): the same
// fields as JSON, written as the API writes its answers, so that an answer's
// XML sent back is the same tree; parsed without network, entities or
// DOCTYPE, within a depth bound. Until then an XML body was answered 415.
'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const http = require('node:http');
const { request, assertError, parseXml, parseXmlElements, randomHex } = require('./lib');
const { superAdmin } = require('./registry');

const XML = { 'Content-Type': 'application/xml' };

// The fields of an application a body may write.
const WRITABLE = ['name', 'description', 'icon_url', 'app_group_id', 'suite_id', 'project_id',
  'events_url', 'allowed_ips', 'permissions', 'capabilities', 'display', 'domain', 'allowed_origins',
  'redirect_uris', 'authenticator', 'access_token_ttl', 'refresh_token_ttl', 'public_key_current',
  'public_key_previous', 'certificate', 'properties'];

// Properties with everything the XML mapping has to carry back: lists,
// nested objects, keys that are no XML names, unicode, numbers, booleans,
// null, empty values and strings that look like other types.
function richProperties() {
  return {
    theme: { color: '#336699', compact: true, sizes: [1, 2.5, -3, 0, 1e-7, 12345678901234] },
    'not an xml name': [1, 'two', null, { k: [] }, {}],
    '1st': 'digit first', 'x:y': 'colon', '': 'empty key', 'a\tb': 'tab in a key', '<&">': 'markup',
    entry: { key: 'an entry that is a key', item: ['an item that is a key'] },
    type: 'a key named type',
    'é日本😀': 'Ünïcödé 😀 <b>&amp;</b> "q" \'a\'',
    looks: ['true', '1', 'null', '', '{}', '   ', 'two\nlines\r\nand\ttab'],
    empty: {}, none: [], nothing: null, yes: true, no: false,
  };
}

// The XML of the answer R's fields in FIELDS, as one document: what a client
// that read the XML answer sends back. NAME, when given, replaces the name.
function bodyFrom(r, fields, extra = '') {
  const root = parseXmlElements(r.text);
  assert.equal(root.name, 'response');
  const parts = root.children.filter((c) => fields.includes(c.name)).map((c) => r.text.slice(c.start, c.end));
  assert.equal(parts.length, fields.length, `every field is in the answer: ${fields}`);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<app>${extra}${parts.join('')}</app>`;
}

const pick = (o, keys) => Object.fromEntries(keys.map((k) => [k, o[k]]));

test('an application is created and updated with XML bodies that are its own XML answers sent back (an XML body was 415)', async () => {
  const { headers } = await superAdmin();
  const tag = randomHex(5);
  const sheet = {
    name: `xml-source-${tag}`,
    description: 'Written in JSON\nread back from XML',
    app_group_id: `xml.${tag}`,
    allowed_ips: ['192.0.2.10', '2001:db8::/32'],
    permissions: ['SEND_MESSAGES', 'CUSTOM_XML_1'],
    capabilities: { read: ['users', 'companies'], write: [] },
    display: { chat_button: true, app_list_entry: false, label: 'Chat <& "here"' },
    domain: 'https://xml.example.org',
    allowed_origins: ['https://xml.example.org', '*'],
    redirect_uris: ['https://xml.example.org/cb?a=1&b=2'],
    authenticator: 'authorization_code',
    access_token_ttl: 900,
    properties: richProperties(),
  };
  const source = await request('/api/v1/apps', { method: 'POST', headers, json: sheet });
  assert.equal(source.status, 201, source.text);
  const xml = await request(`/api/v1/apps/${source.json.id}`, { headers: { ...headers, Accept: 'application/xml' } });
  assert.equal(xml.status, 200, xml.text);
  const json = await request(`/api/v1/apps/${source.json.id}`, { headers });
  assert.deepEqual(parseXml(xml.text), json.json, 'the XML answer carries the JSON tree');

  // every writable field but the unique name and group id, sent back as XML
  const copied = WRITABLE.filter((f) => f !== 'name' && f !== 'app_group_id');
  const created = await request('/api/v1/apps', {
    method: 'POST',
    headers: { ...headers, ...XML },
    body: bodyFrom(xml, copied, `<name>xml-copy-${tag}</name>`),
  });
  assert.equal(created.status, 201, created.text);
  const copy = await request(`/api/v1/apps/${created.json.id}`, { headers });
  assert.equal(copy.json.name, `xml-copy-${tag}`);
  assert.deepEqual(pick(copy.json, copied), pick(json.json, copied), 'the same tree as the JSON body gave');
  assert.deepEqual(copy.json.properties, sheet.properties);

  // an update in text/xml: the version, a new description and other
  // properties, taken from another application's XML answer
  const other = await request('/api/v1/apps', {
    method: 'POST',
    headers,
    json: { name: `xml-other-${tag}`, properties: { list: [[1, [2, [3]]], { deep: { er: 'x' } }], n: -0.5 } },
  });
  assert.equal(other.status, 201, other.text);
  const otherXml = await request(`/api/v1/apps/${other.json.id}?format=xml`, { headers });
  const updated = await request(`/api/v1/apps/${created.json.id}`, {
    method: 'PATCH',
    headers: { ...headers, 'Content-Type': 'text/xml; charset=utf-8' },
    body: bodyFrom(otherXml, ['properties'],
      `<version type="number">${copy.json.version}</version><description>line one&#13;\nline 2 &amp; &lt;3&gt;</description>` +
      '<icon_url type="null"/><allowed_ips type="array"/>'),
  });
  assert.equal(updated.status, 200, updated.text);
  assert.deepEqual(updated.json.properties, other.json.properties);
  assert.equal(updated.json.description, 'line one\r\nline 2 & <3>');
  assert.deepEqual(updated.json.allowed_ips, []);
  assert.equal(updated.json.version, copy.json.version + 1);

  // the same field rules as JSON: a refused value names its field
  const bad = await request(`/api/v1/apps/${created.json.id}`, {
    method: 'PATCH',
    headers: { ...headers, ...XML },
    body: `<app><version type="number">${updated.json.version}</version><access_token_ttl>900</access_token_ttl></app>`,
  });
  assert.equal(assertError(bad, 400, 'invalid_request', 'a number written as text').field, 'access_token_ttl');
});

// A loopback HTTP server that counts the requests it gets; { url, hits, close }.
async function listener() {
  const hits = [];
  const server = http.createServer((req, res) => {
    hits.push(req.url);
    res.writeHead(200, { 'Content-Type': 'application/xml-dtd' });
    res.end('<!ENTITY leak "fetched">');
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}`, hits, close: () => new Promise((r) => server.close(r)) };
}

test('an XML body with a DOCTYPE (XXE: external entities, a file or a URL) is refused 400 and nothing is read or fetched', async () => {
  const { headers } = await superAdmin();
  const srv = await listener();
  try {
    const tag = randomHex(5);
    const bodies = [
      `<?xml version="1.0"?><!DOCTYPE app [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><app><name>xxe-${tag}&xxe;</name></app>`,
      `<!DOCTYPE app [<!ENTITY xxe SYSTEM "${srv.url}/entity">]><app><name>xxe-${tag}&xxe;</name></app>`,
      `<!DOCTYPE app SYSTEM "${srv.url}/external.dtd"><app><name>xxe-${tag}&leak;</name></app>`,
      `<!DOCTYPE app [<!ENTITY % p SYSTEM "${srv.url}/parameter"> %p;]><app><name>xxe-${tag}</name></app>`,
      `<!DOCTYPE app><app><name>xxe-${tag}</name></app>`,
    ];
    for (const body of bodies) {
      const r = await request('/api/v1/apps', { method: 'POST', headers: { ...headers, ...XML }, body });
      const e = assertError(r, 400, 'malformed_request', body);
      assert.equal(e.field, 'body');
      assert.match(e.message, /DOCTYPE/);
      assert.ok(!r.text.includes('root:'), 'no file content in the answer');
    }
    assert.deepEqual(srv.hits, [], 'nothing fetched');
    const list = await request(`/api/v1/apps?name=xxe-${tag}`, { headers });
    assert.deepEqual(list.json.items, [], 'nothing created');
  } finally {
    await srv.close();
  }
});

test('an XML body with a billion laughs is refused 400 at its DOCTYPE, nothing expanded', async () => {
  const { headers } = await superAdmin();
  const defs = ['<!ENTITY lol "lol">'];
  for (let i = 1; i <= 9; i++) defs.push(`<!ENTITY lol${i} "${`&lol${i === 1 ? '' : i - 1};`.repeat(10)}">`);
  const body = `<?xml version="1.0"?>\n<!DOCTYPE app [\n${defs.join('\n')}\n]>\n<app><name>&lol9;</name></app>`;
  const r = await request('/api/v1/apps', { method: 'POST', headers: { ...headers, ...XML }, body });
  const e = assertError(r, 400, 'malformed_request', 'billion laughs');
  assert.equal(e.field, 'body');
  assert.match(e.message, /DOCTYPE/);
  assert.ok(r.text.length < 1000, 'a short refusal, no expansion in it');
});

test('an XML body nested too deep is refused 400; a deep but bounded one reaches the field rules', async () => {
  const { headers } = await superAdmin();
  const open = (n) => '<a>'.repeat(n);
  const close = (n) => '</a>'.repeat(n);
  for (const n of [200, 100000]) {
    const body = `<app><name>deep</name><properties>${open(n)}x${close(n)}</properties></app>`;
    const r = await request('/api/v1/apps', { method: 'POST', headers: { ...headers, ...XML }, body });
    const e = assertError(r, 400, 'malformed_request', `${n} levels`);
    assert.equal(e.field, 'body');
    assert.match(e.message, /too deep/);
  }
  const body = `<app><name>deep</name><properties>${open(70)}x${close(70)}</properties></app>`;
  const r = await request('/api/v1/apps', { method: 'POST', headers: { ...headers, ...XML }, body });
  assert.equal(assertError(r, 400, 'invalid_request', '70 levels').field, 'properties');
});

test('malformed XML bodies are 400 naming the body; other media types are still 415', async () => {
  const { headers } = await superAdmin();
  for (const body of ['<app><name>x</app>', '<app><name>a</name><name>b</name></app>', '<app xmlns="urn:x"/>',
    '<app><n type="number">one</n></app>', '<app type="array"><item>1</item></app>', '']) {
    const r = await request('/api/v1/apps', { method: 'POST', headers: { ...headers, ...XML }, body });
    if (body === '') {
      // no body at all: the fields are checked as for an empty JSON body
      assert.equal(assertError(r, 400, 'invalid_request', 'empty').field, 'name');
      continue;
    }
    assert.equal(assertError(r, 400, 'malformed_request', body).field, 'body');
  }
  const r = await request('/api/v1/apps', { method: 'POST', headers: { ...headers, 'Content-Type': 'application/yaml' }, body: 'name: x' });
  const e = assertError(r, 415, 'unsupported_media_type', 'yaml');
  assert.match(e.message, /application\/xml/);
});
