// large_fields.js - the fields of an application change with every list and
// text at its largest, each within its own limit: about 80 KB of JSON, so
// that a page of 200 audit entries of such changes passes the 8 MiB an
// answer may be. Shared by tests/http/audit_pages.test.js and bench/large.js.
'use strict';

// The fields of change I (distinct from those of every other I).
function largeFields(i) {
  const label = (k) => `${String.fromCharCode(97 + (k % 26))}${'x'.repeat(61)}`;
  const host = (k) => [label(k), label(k + 1), label(k + 2), `h${k}-${i}`, 'example', 'org'].join('.');
  const hex = (k) => (k + 1).toString(16);
  return {
    description: '😀'.repeat(1000),
    redirect_uris: Array.from({ length: 20 }, (_, k) => `https://app.example.org/cb/${i}/${k}/${'p'.repeat(1990)}`),
    allowed_origins: Array.from({ length: 50 }, (_, k) => `https://${host(k)}:8443`),
    allowed_ips: Array.from({ length: 100 }, (_, k) => `2001:db8:${hex(i)}:${hex(k)}:1234:5678:9abc:def0`),
    permissions: Array.from({ length: 64 }, (_, k) => `CUSTOM_${i}_${k}_${'P'.repeat(50)}`.slice(0, 64)),
    properties: { update: i, blob: 'v'.repeat(16000) },
  };
}

module.exports = { largeFields };
