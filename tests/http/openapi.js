// openapi.js - holds every JSON answer of the server under test to the
// OpenAPI 3.1 document it serves (GET /api/v1/openapi.json): the operation
// and the status must be documented, and the body must fit the schema of
// that status (ajv's JSON Schema 2020-12 validator, so a closed schema
// refuses an undocumented field). lib.js calls checkResponse for every
// answer it reads; OSTIUM_OPENAPI_CHECK=0 turns the checking off.
'use strict';

const assert = require('node:assert/strict');
const Ajv2020 = require('ajv/dist/2020');
const addFormats = require('ajv-formats');
const SwaggerParser = require('@apidevtools/swagger-parser');

// Where the server serves its description, under its base URL.
const DOCUMENT_PATH = '/api/v1/openapi.json';
// The document's id inside ajv: every schema is compiled as a JSON pointer
// into it, so that its own "#/components/..." references resolve.
const DOCUMENT_ID = 'urn:ostium:openapi';
// The schema of a refusal given before any operation was chosen (an unknown
// path, a method the path does not have, a path that cannot be decoded).
const ERROR_SCHEMA = ['components', 'schemas', 'Error'];
// The console's pages and the static files: not API answers.
const UNCHECKED = /^\/(admin|static)(\/|$)/;
const REQUEST_TIMEOUT_MS = 20_000;
// At most this many validation errors are listed in one failure.
const MAX_ERRORS = 20;

// True unless OSTIUM_OPENAPI_CHECK is "0" (read at each answer).
function enabled() {
  return process.env.OSTIUM_OPENAPI_CHECK !== '0';
}

// True when CONTENT_TYPE (a header value) is JSON: application/json or a
// +json type, whatever its parameters.
function isJson(contentType) {
  const essence = String(contentType || '').split(';')[0].trim().toLowerCase();
  return /^application\/([\w.-]+\+)?json$/.test(essence);
}

// ['paths', '/a/{b}'] -> "/paths/~1a~1%7Bb%7D": a JSON pointer, escaped for
// the fragment of a URI.
function pointer(parts) {
  return parts.map((p) => '/' + encodeURIComponent(String(p).replace(/~/g, '~0').replace(/\//g, '~1'))).join('');
}

// "#/components/responses/NotFound" -> ['components', 'responses', 'NotFound'].
function pointerParts(ref) {
  if (typeof ref !== 'string' || !ref.startsWith('#/')) {
    assert.fail(`only references within the document are followed, not ${ref}`);
  }
  return ref.slice(2).split('/').map((p) => decodeURIComponent(p).replace(/~1/g, '/').replace(/~0/g, '~'));
}

// A template's parameter as the server reads it, once matched:
// percent-decoded when it can be.
function decodeSegment(segment) {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function escapeRegExp(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// The path templates of PATHS (the document's paths object), each split
// into segments: { literal } or { pattern } where {name} stands for one
// non-empty segment.
function pathTemplates(paths) {
  return Object.keys(paths || {}).map((template) => ({
    template,
    segments: template.split('/').slice(1).map((seg) => {
      if (!seg.includes('{')) return { literal: seg };
      const source = seg.split(/(\{[^}/]*\})/).map((piece, i) => (i % 2 ? '[^/]+' : escapeRegExp(piece)));
      return { pattern: new RegExp(`^${source.join('')}$`) };
    }),
  }));
}

// The template of TEMPLATES that PATH matches as the server routes it: a
// literal segment is the very text of the path (an escape of it is another
// path), a templated one is matched decoded; literal segments preferred
// over templated ones from the left (/apps/new before /apps/{app_id});
// undefined when none does.
function matchTemplate(templates, path) {
  const segments = path.split('/').slice(1);
  let best;
  let bestRank;
  for (const t of templates) {
    if (t.segments.length !== segments.length) continue;
    const rank = [];
    const fits = t.segments.every((s, i) => {
      rank.push(s.literal === undefined ? 1 : 0);
      return s.literal !== undefined ? s.literal === segments[i]
        : s.pattern.test(decodeSegment(segments[i]));
    });
    if (!fits) continue;
    if (!best || rank.join('') < bestRank) {
      best = t.template;
      bestRank = rank.join('');
    }
  }
  return best;
}

// One line per ajv error: where in the body, and what is wrong there.
function describeErrors(errors) {
  const lines = [];
  for (const e of errors || []) {
    const at = e.instancePath || '/';
    let what;
    if (e.keyword === 'additionalProperties') what = `undocumented field "${e.params.additionalProperty}"`;
    else if (e.keyword === 'unevaluatedProperties') what = `undocumented field "${e.params.unevaluatedProperty}"`;
    else if (e.keyword === 'required') what = `missing field "${e.params.missingProperty}"`;
    else if (e.keyword === 'enum') what = `${e.message}: ${e.params.allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
    else what = e.message;
    const line = `${at}: ${what} (schema ${e.schemaPath})`;
    if (!lines.includes(line)) lines.push(line);
  }
  const more = lines.length > MAX_ERRORS ? [`... and ${lines.length - MAX_ERRORS} more`] : [];
  return [...lines.slice(0, MAX_ERRORS), ...more];
}

// BODY (JSON text or a value) as a last line of a failure, cut at 600
// characters; nothing when there is no body.
function shown(body) {
  if (body === undefined || body === '') return '';
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return `\n  body: ${text.length > 600 ? `${text.slice(0, 600)}...` : text}`;
}

// A validated OpenAPI document, ready to check answers against.
class Description {
  // DOCUMENT: the parsed document (kept, not copied); URL: where it was
  // served from, against which a relative servers[0].url is resolved.
  constructor(document, url) {
    this.document = document;
    this.url = url;
    const server = document.servers?.[0]?.url ?? '/';
    this.basePath = new URL(server, url).pathname.replace(/\/+$/, '');
    this.templates = pathTemplates(document.paths);
    this.ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(this.ajv);
    this.ajv.addSchema(document, DOCUMENT_ID);
    this.validators = new Map();
  }

  // The node at PARTS, following the $ref of what is found there (a path
  // item or a response may be a reference): { node, parts } of the target.
  locate(parts) {
    const seen = new Set();
    for (;;) {
      let node = this.document;
      for (const p of parts) node = node?.[p];
      if (!node || typeof node !== 'object' || typeof node.$ref !== 'string') return { node, parts };
      if (seen.has(node.$ref)) assert.fail(`a reference loop at ${node.$ref}`);
      seen.add(node.$ref);
      parts = pointerParts(node.$ref);
    }
  }

  // The ajv validator of the schema at PARTS, compiled once.
  validator(parts) {
    const key = pointer(parts);
    let v = this.validators.get(key);
    if (!v) {
      v = this.ajv.getSchema(`${DOCUMENT_ID}#${key}`);
      if (!v) assert.fail(`no schema at #${key}`);
      this.validators.set(key, v);
    }
    return v;
  }

  // The operation for METHOD (HEAD: its own, else GET's) on LOCAL (a path
  // relative to the base path): { template, method, parts, label }, or
  // { template } when the path is documented but not the method, or
  // undefined.
  operation(method, local) {
    const template = matchTemplate(this.templates, local);
    if (template === undefined) return undefined;
    const item = this.locate(['paths', template]);
    let m = method.toLowerCase();
    if (m === 'head' && !item.node.head) m = 'get';
    if (!item.node[m]) return { template };
    const label = `${method.toUpperCase()}${m === method.toLowerCase() ? '' : ` (as ${m.toUpperCase()})`} ${template}`;
    return { template, method: m, parts: [...item.parts, m], label };
  }

  // LOCAL: PATH (with query) without the query and the base path.
  localPath(path) {
    const pathname = path.replace(/[?#].*$/s, '');
    if (!this.basePath) return pathname;
    if (pathname === this.basePath) return '/';
    if (pathname.startsWith(`${this.basePath}/`)) return pathname.slice(this.basePath.length);
    return assert.fail(`an answer from Ostium to ${pathname}, outside the document's server URL path ${this.basePath}`);
  }

  // Checks one answer (see checkAnswer); throws an AssertionError that
  // says what does not fit.
  check({ method = 'GET', path, status, contentType, body }) {
    if (!isJson(contentType)) return;
    const local = this.localPath(path);
    const op = this.operation(method, local);
    const where = `the answer to ${method.toUpperCase()} ${path} (${status})`;
    if (!op?.method) {
      if (UNCHECKED.test(local)) return;
      // What no operation answers can only be a refusal in the error shape
      // (404 for an unknown path, 405 for an unknown method, 400 for a
      // path that cannot be decoded, ...).
      if (status < 400) {
        assert.fail(`undocumented operation ${method.toUpperCase()} ${op ? op.template : local}: ${where}${shown(body)}`);
      }
      if (!this.locate(ERROR_SCHEMA).node) {
        assert.fail(`${where}: the document has no #${pointer(ERROR_SCHEMA)} for a refusal outside its operations`);
      }
      if (body === undefined || body === '') return;
      this.validateBody(ERROR_SCHEMA, body,
        `${where}, a refusal outside the document's operations, does not fit #${pointer(ERROR_SCHEMA)}:`);
      return;
    }
    const responses = this.locate([...op.parts, 'responses']);
    const code = String(status);
    const key = [code, `${code[0]}XX`, `${code[0]}xx`, 'default'].find((k) => responses.node?.[k]);
    if (key === undefined) assert.fail(`undocumented status ${status} for ${op.label}: ${where}${shown(body)}`);
    const response = this.locate([...responses.parts, key]);
    if (body === undefined || body === '') return; // HEAD, or an empty body: the status is all there is
    const content = response.node.content || {};
    const type = String(contentType).split(';')[0].trim().toLowerCase();
    const mediaKey = Object.keys(content).find((k) => k.split(';')[0].trim().toLowerCase() === type) ??
      Object.keys(content).find((k) => k === `${type.split('/')[0]}/*` || k === '*/*');
    if (mediaKey === undefined) {
      assert.fail(`undocumented content type ${type} for status ${key} of ${op.label}: ${where}`);
    }
    if (content[mediaKey].schema === undefined) return;
    this.validateBody([...response.parts, 'content', mediaKey, 'schema'], body,
      `${where} does not fit status ${key} of ${op.label}:`);
  }

  // Validates BODY (JSON text or a parsed value) against the schema at
  // PARTS; fails with the line WHAT, the errors and the body.
  validateBody(parts, body, what) {
    let value = body;
    if (typeof body === 'string') {
      try {
        value = JSON.parse(body);
      } catch (e) {
        assert.fail(`${what}\n  the body is not JSON: ${e.message}`);
      }
    }
    const v = this.validator(parts);
    if (v(value)) return;
    assert.fail([what, ...describeErrors(v.errors).map((l) => `  ${l}`)].join('\n') + shown(value));
  }
}

// Validates DOCUMENT (an OpenAPI object) with swagger-parser, on a copy
// (it dereferences what it is given), and resolves with a Description of
// another copy; URL: where the document was served from. Rejects with an
// AssertionError when swagger-parser refuses the document.
async function describe(document, url) {
  try {
    await SwaggerParser.validate(structuredClone(document));
  } catch (e) {
    assert.fail(`the OpenAPI document of ${url} is not valid: ${e.message}`);
  }
  return new Description(structuredClone(document), url);
}

// The URL of the server's document: OSTIUM_BASE_URL (else OSTIUM_URL)
// followed by DOCUMENT_PATH.
function documentUrl() {
  const base = (process.env.OSTIUM_BASE_URL || process.env.OSTIUM_URL || '').replace(/\/+$/, '');
  if (!base) throw new Error('OSTIUM_BASE_URL is not set: run the tests with scripts/test');
  return base + DOCUMENT_PATH;
}

async function fetchDescription() {
  const url = documentUrl();
  const res = await fetch(url, {
    headers: { Accept: 'application/json' },
    redirect: 'manual',
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const text = await res.text();
  if (res.status === 404) {
    assert.fail(`no API description served: GET ${url} answered 404 (OSTIUM_OPENAPI_CHECK=0 runs the tests without it)`);
  }
  if (res.status !== 200 || !isJson(res.headers.get('content-type'))) {
    assert.fail(`GET ${url} answered ${res.status} ${res.headers.get('content-type')}: ${text.slice(0, 300)}`);
  }
  let document;
  try {
    document = JSON.parse(text);
  } catch (e) {
    assert.fail(`GET ${url}: the document is not JSON: ${e.message}`);
  }
  return describe(document, url);
}

// The server's Description, loaded once per process; a failed load is
// tried again at the next call.
let loading;
function serverDescription() {
  loading ??= fetchDescription().catch((e) => {
    loading = undefined;
    throw e;
  });
  return loading;
}

// Checks one answer of the server under test against the document it
// serves: METHOD, PATH (as requested: base path and query included),
// STATUS, CONTENT_TYPE (the header) and BODY (JSON text or a parsed value;
// undefined or '' for none). Only JSON answers are checked; the console's
// pages and the static files are left alone unless documented. Rejects
// with an AssertionError naming the undocumented operation, status,
// content type or field; also when the server serves no document.
async function checkAnswer(answer) {
  if (!isJson(answer.contentType)) return;
  (await serverDescription()).check(answer);
}

// The hook of lib.js and of the tests that talk to the server by other
// means: checks the answer to METHOD URL (absolute) with STATUS, HEADERS
// (a fetch Headers or node's plain object of lower-case names) and TEXT,
// when checking is on and Ostium gave it (its X-Request-Id; the web
// server's own answers carry none).
async function checkResponse({ method, url, status, headers, text }) {
  if (!enabled()) return;
  const header = (name) => (typeof headers.get === 'function' ? headers.get(name) : headers[name]);
  if (!header('x-request-id')) return;
  const u = new URL(url);
  await checkAnswer({ method, path: u.pathname + u.search, status, contentType: header('content-type'), body: text });
}

module.exports = {
  DOCUMENT_PATH,
  enabled,
  isJson,
  describe,
  serverDescription,
  checkAnswer,
  checkResponse,
};
