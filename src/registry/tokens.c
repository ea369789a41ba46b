/* tokens.c - administrators' personal API tokens: made (shown once, with
 * an optional expiry) and revoked, each an audited change */
#include "registry/tokens.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "crypto/crypto.h"
#include "core/gen.h"
#include "registry/change.h"
#include "store/token.h"

#define TOKEN_DAYS_MAX 3650 /* the furthest expiry: ten years */

/* The digits of S at [FROM, FROM + N) as a number; -1 when one is not a digit. */
static int
digits(const char *s, size_t from, size_t n)
{
	int v = 0;
	size_t i;

	for (i = from; i < from + n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* The time of S, "YYYY-MM-DDTHH:MM:SSZ" (UTC, as answers write times),
 * into *T; -1 when S is not one, or names no real instant. */
static int
utc_time(const char *s, time_t *t)
{
	static const char shape[] = "dddd-dd-ddTdd:dd:ddZ";
	struct tm tm = {0}, back;
	size_t i;

	if (strlen(s) != sizeof(shape) - 1)
		return -1;
	for (i = 0; shape[i]; i++)
		if (shape[i] != 'd' && s[i] != shape[i])
			return -1;
	tm.tm_year = digits(s, 0, 4) - 1900;
	tm.tm_mon = digits(s, 5, 2) - 1;
	tm.tm_mday = digits(s, 8, 2);
	tm.tm_hour = digits(s, 11, 2);
	tm.tm_min = digits(s, 14, 2);
	tm.tm_sec = digits(s, 17, 2);
	if (tm.tm_year < 0 || tm.tm_mon < 0 || tm.tm_mday < 1 || tm.tm_hour < 0 ||
	    tm.tm_min < 0 || tm.tm_sec < 0)
		return -1;
	back = tm;
	*t = timegm(&back);
	/* timegm carries an out-of-range field over (February 30th): refuse it */
	if (*t == (time_t)-1 || back.tm_year != tm.tm_year || back.tm_mon != tm.tm_mon ||
	    back.tm_mday != tm.tm_mday || back.tm_hour != tm.tm_hour || back.tm_min != tm.tm_min ||
	    back.tm_sec != tm.tm_sec)
		return -1;
	return 0;
}

/* expires_at: a UTC time in the future, at most TOKEN_DAYS_MAX days ahead. */
static const char *
check_expires_at(const struct field_ctx *fc, const json_t *value, char *msg, size_t msgsz)
{
	time_t t, now = time(NULL);

	(void)fc;
	if (utc_time(json_string_value(value), &t))
		snprintf(msg, msgsz, "expires_at must be a UTC time as YYYY-MM-DDTHH:MM:SSZ");
	else if (t <= now)
		snprintf(msg, msgsz, "expires_at must be in the future");
	else if (t - now > (time_t)TOKEN_DAYS_MAX * 86400)
		snprintf(msg, msgsz, "expires_at must be at most %d days ahead", TOKEN_DAYS_MAX);
	else
		return NULL;
	return msg;
}

static const struct field token_fields[] = {
	{.name = "name", .label = "Name", .kind = FIELD_STRING, .min = 1, .max = 100,
	    .flags = FIELD_REQUIRED},
	{.name = "expires_in_days", .label = "Expires in (days)", .kind = FIELD_INT, .min = 1,
	    .max = TOKEN_DAYS_MAX, .flags = FIELD_NULLABLE,
	    .help = "The token stops working so many days from now (or give expires_at; "
	            "neither: it never expires)"},
	{.name = "expires_at", .label = "Expires at", .kind = FIELD_STRING, .min = 20, .max = 20,
	    .flags = FIELD_NULLABLE, .check = check_expires_at,
	    .help = "The UTC time (YYYY-MM-DDTHH:MM:SSZ) the token stops working, in the "
	            "future (or give expires_in_days)"},
};
const struct field_table reg_token_body = FIELD_TABLE("TokenNew", token_fields);

/* What reg_token_create answers. */
static const struct field created_fields[] = {
	{.name = "id", .kind = FIELD_ID},
	{.name = "name", .kind = FIELD_STRING},
	{.name = "expires_at", .kind = FIELD_TIME, .flags = FIELD_NULLABLE,
	    .help = "When the token stops working; null: never"},
	{.name = "token", .kind = FIELD_STRING,
	    .help = "The bearer token, shown this once"},
};
const struct field_table reg_token_created = FIELD_TABLE("TokenCreated", created_fields);

/* The expiry IN asks for: *DAYS from now, or *AT ("YYYY-MM-DD HH:MM:SS",
 * AT_SZ bytes, "" for none); OST_ERR_INVALID with WHY when it asks both. */
static OST_MUST_CHECK enum ost_err
expiry_of(const json_t *in, long long *days, char *at, size_t at_sz, struct field_error *why)
{
	const char *when = json_string_value(json_object_get(in, "expires_at"));

	*days = json_integer_value(json_object_get(in, "expires_in_days"));
	at[0] = '\0';
	if (*days > 0 && when)
		return op_refuse(why, OST_ERR_INVALID, "expires_at",
		    "give expires_in_days or expires_at, not both");
	/* validated as YYYY-MM-DDTHH:MM:SSZ: the database's DATETIME text */
	if (when)
		snprintf(at, at_sz, "%.10s %.8s", when, when + 11);
	return OST_OK;
}

/* The expires_at of token ID of USER_ID as rows hold it (null: never);
 * NULL on failure. */
static json_t *
expires_of(long long user_id, long long id)
{
	json_t *row = NULL, *at;

	if (store_token_get(user_id, id, &row))
		return NULL;
	at = json_incref(json_object_get(row, "expires_at"));
	json_decref(row);
	return at;
}

enum ost_err
reg_token_create(const struct op *op, long long user_id, const json_t *in, json_t **tree,
    struct field_error *why)
{
	const char *name = json_string_value(json_object_get(in, "name"));
	char text[CRYPTO_TOKEN_TEXT], at[24];
	uint8_t hash[CRYPTO_SHA256_LEN];
	json_t *details = NULL, *expires;
	long long id = 0, days = 0;
	struct change ch;
	enum ost_err err = name ? expiry_of(in, &days, at, sizeof(at), why) : OST_ERR_INVALID;

	*tree = NULL;
	if (err)
		return err;
	crypto_token_new(text, hash);
	if (!(details = json_pack("{s:s, s:I}", "name", name, "user_id", (json_int_t)user_id)))
		err = OST_ERR_NOMEM;
	if (!err && !(err = change_begin(&ch, op))) {
		change_invalidates(&ch, 0); /* issuing a token changes no check */
		err = store_token_create(user_id, name, hash, days, at[0] ? at : NULL, &id);
		/* the expiry the database computed, in the audit entry and the answer */
		if (!err && (!(expires = expires_of(user_id, id)) ||
		                json_object_set_new(details, "expires_at", expires)))
			err = OST_ERR_DB;
		if (!err)
			err = change_audit(&ch, "token.create", "token", id, details);
		err = change_end(&ch, err);
	}
	if (!err && !(*tree = json_pack("{s:I, s:s, s:O, s:s}", "id", (json_int_t)id, "name", name,
	                  "expires_at", json_object_get(details, "expires_at"), "token", text)))
		err = OST_ERR_NOMEM;
	crypto_wipe(text, sizeof(text));
	crypto_wipe(hash, sizeof(hash));
	json_decref(details);
	return err;
}

enum ost_err
reg_token_revoke(const struct op *op, long long user_id, long long id)
{
	json_t *details = json_pack("{s:I}", "user_id", (json_int_t)user_id);
	struct change ch;
	enum ost_err err = details ? change_begin(&ch, op) : OST_ERR_NOMEM;

	if (err) {
		json_decref(details);
		return err;
	}
	change_invalidates(&ch, GEN_BIT(GEN_TOKENS));
	err = store_token_revoke(user_id, id);
	if (!err)
		err = change_audit(&ch, "token.revoke", "token", id, details);
	json_decref(details);
	return change_end(&ch, err);
}
