/* event.c - events to applications on the wire: the body, the Standard
 * Webhooks signature, the signing secret, the retry schedule, and the
 * outbox every change writes its events to */
#include "events/events.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/crypto.h"
#include "store/event.h"

/* The AAD binding a sealed secret to its application. */
static void
secret_aad(long long app, char *aad, size_t n)
{
	snprintf(aad, n, "ostium:events-secret:%lld", app);
}

enum ost_err
events_secret_new(const struct keyring *ring, long long app, struct events_secret *s)
{
	uint8_t raw[EVENTS_SECRET_BYTES];
	char aad[64], b64[48];
	enum ost_err err;

	crypto_random(raw, sizeof(raw));
	secret_aad(app, aad, sizeof(aad));
	err = crypto_b64_encode(raw, sizeof(raw), b64, sizeof(b64));
	if (!err)
		snprintf(s->text, sizeof(s->text), "whsec_%.44s", b64);
	if (!err)
		err = crypto_seal(ring, raw, sizeof(raw), aad, strlen(aad), s->sealed, &s->key_id);
	crypto_wipe(raw, sizeof(raw));
	crypto_wipe(b64, sizeof(b64));
	return err;
}

enum ost_err
events_secret_open(const struct keyring *ring, long long app, unsigned key_id, const char *hex,
    uint8_t key[EVENTS_SECRET_BYTES])
{
	uint8_t sealed[EVENTS_SEALED_LEN];
	size_t n = 0;
	char aad[64];

	if (!hex || crypto_hex_decode(hex, strlen(hex), sealed, sizeof(sealed), &n) ||
	    n != sizeof(sealed))
		return OST_ERR_CRYPTO;
	secret_aad(app, aad, sizeof(aad));
	return crypto_open(ring, key_id, sealed, n, aad, strlen(aad), key);
}

enum ost_err
events_signature(const uint8_t *key, size_t klen, const char *id, long long ts, const char *body,
    size_t blen, char out[EVENTS_SIGNATURE_TEXT])
{
	uint8_t mac[CRYPTO_SHA256_LEN];
	char head[128], b64[48];
	size_t hlen = (size_t)snprintf(head, sizeof(head), "%s.%lld.", id, ts);
	char *msg;
	enum ost_err err;

	if (hlen >= sizeof(head) || !(msg = malloc(hlen + blen + 1)))
		return hlen >= sizeof(head) ? OST_ERR_INVALID : OST_ERR_NOMEM;
	memcpy(msg, head, hlen);
	memcpy(msg + hlen, body, blen);
	err = crypto_hmac_sha256(key, klen, msg, hlen + blen, mac);
	free(msg);
	if (!err)
		err = crypto_b64_encode(mac, sizeof(mac), b64, sizeof(b64));
	if (!err)
		snprintf(out, EVENTS_SIGNATURE_TEXT, "v1,%.44s", b64);
	return err;
}

/* The JSON value of the text at KEY of ROW; null when absent or not JSON. */
static json_t *
json_at(const json_t *row, const char *key)
{
	const char *text = json_string_value(json_object_get(row, key));
	json_t *v = text ? json_loads(text, JSON_DECODE_ANY, NULL) : NULL;

	return v ? v : json_null();
}

char *
events_body(const json_t *row)
{
	json_t *body = json_pack("{s:O, s:O, s:O, s:o, s:o}", "id", json_object_get(row, "webhook_id"),
	    "type", json_object_get(row, "type"), "timestamp", json_object_get(row, "created_at"),
	    "company", json_at(row, "company"), "data", json_at(row, "data"));
	char *text = body ? json_dumps(body, JSON_COMPACT) : NULL;

	json_decref(body);
	return text;
}

void
events_new_id(char out[EVENTS_ID_TEXT])
{
	uint8_t raw[13];
	char hex[27];

	crypto_random(raw, sizeof(raw));
	if (crypto_hex_encode(raw, sizeof(raw), hex, sizeof(hex)))
		hex[0] = '\0'; /* cannot happen: the buffer fits */
	snprintf(out, EVENTS_ID_TEXT, "evt_%s", hex);
}

/* The JSON text {id, name, slug} of company ID into *TEXT (free it). */
static OST_MUST_CHECK enum ost_err
company_text(long long id, char **text)
{
	json_t *row = NULL, *c;
	enum ost_err err = store_event_company(id, &row);

	*text = NULL;
	if (err)
		return err;
	c = json_pack("{s:O, s:O, s:O}", "id", json_object_get(row, "id"), "name",
	    json_object_get(row, "name"), "slug", json_object_get(row, "slug"));
	if (c && !(*text = json_dumps(c, JSON_COMPACT)))
		err = OST_ERR_NOMEM;
	json_decref(c);
	json_decref(row);
	return c ? err : OST_ERR_NOMEM;
}

enum ost_err
events_outbox_add(long long app, const char *type, long long company, const json_t *data,
    long long *id)
{
	char webhook_id[EVENTS_ID_TEXT], *ctext = NULL, *dtext = NULL;
	json_t *target = NULL;
	long long new_id = 0;
	enum ost_err err = store_event_target(app, &target);

	if (id)
		*id = 0;
	if (err == OST_ERR_NOT_FOUND) /* the change removed the application */
		return OST_OK;
	if (err || !json_is_string(json_object_get(target, "events_url")) ||
	    !json_is_true(json_object_get(target, "has_secret")) ||
	    !json_is_null(json_object_get(target, "disabled_at"))) {
		json_decref(target);
		return err; /* nowhere to deliver it */
	}
	json_decref(target);
	if (company > 0 && (err = company_text(company, &ctext)))
		return err == OST_ERR_NOT_FOUND ? OST_OK : err;
	if (!(dtext = json_dumps(data, JSON_COMPACT)))
		err = OST_ERR_NOMEM;
	events_new_id(webhook_id);
	if (!err)
		err = store_event_insert(app, webhook_id, type, company, ctext, dtext, &new_id);
	if (!err && id)
		*id = new_id;
	free(ctext);
	free(dtext);
	return err;
}

unsigned long long
events_retry_ms(const unsigned *schedule, size_t n, unsigned done, unsigned jitter)
{
	unsigned long long base;

	if (done >= n)
		return 0;
	base = (unsigned long long)schedule[done] * 1000;
	/* up to a fifth more, so that retries of many events spread out */
	return base + base * (jitter & 0xffff) / 0xffff / 5;
}

/* Is NAME one of a secret's? */
static int
secret_name(const char *name)
{
	static const char *const parts[] = {"token", "secret", "password", "verifier", "code"};
	size_t i, n = strlen(name);

	for (i = 0; i < sizeof(parts) / sizeof(parts[0]); i++)
		if (strstr(name, parts[i]))
			return 1;
	return (n >= 4 && strcmp(name + n - 4, "_enc") == 0) ||
	    (n >= 5 && strcmp(name + n - 5, "_hash") == 0);
}

json_t *
events_public_copy(const json_t *v)
{
	json_t *out, *item, *copy;
	const char *key;
	size_t i;

	if (json_is_object(v)) {
		if (!(out = json_object()))
			return NULL;
		json_object_foreach((json_t *)v, key, item) {
			if (secret_name(key))
				continue;
			if (!(copy = events_public_copy(item)) || json_object_set_new(out, key, copy)) {
				json_decref(out);
				return NULL;
			}
		}
		return out;
	}
	if (json_is_array(v)) {
		if (!(out = json_array()))
			return NULL;
		json_array_foreach(v, i, item)
			if (!(copy = events_public_copy(item)) || json_array_append_new(out, copy)) {
				json_decref(out);
				return NULL;
			}
		return out;
	}
	return json_deep_copy(v);
}
