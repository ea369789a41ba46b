/* password.c - signing in with an email and a password, throttled */
#include "auth/password.h"

#include <stdio.h>
#include <string.h>

#include "auth/auth.h"
#include "crypto/crypto.h"
#include "store/connection.h"
#include "store/throttle.h"
#include "store/user.h"
#include "valid/valid.h"

static struct crypto_argon2_params
params_of(const struct config *cfg)
{
	return (struct crypto_argon2_params){
	    .t_cost = cfg->argon2_t,
	    .m_cost_kib = cfg->argon2_m,
	    .parallelism = cfg->argon2_p,
	};
}

enum ost_err
auth_password_hash(const struct config *cfg, const char *password, char *out, size_t outsz)
{
	struct crypto_argon2_params p = params_of(cfg);

	return crypto_password_hash(password, strlen(password), &p, out, outsz);
}

/* The throttle buckets of a sign-in at EMAIL from ADDRESS. */
struct buckets {
	char pair[sizeof("account-address:") + 64 + 1 + REQUEST_ADDR_MAX]; /* the account from
	                                    this address: throttle_account */
	char total[sizeof("account:") + 64];     /* the account from every address:
	                                            throttle_account_total */
	char addr[sizeof("address:") + REQUEST_ADDR_MAX]; /* this address, whatever the
	                                                     account: throttle_address */
};

/* The throttle buckets of EMAIL and ADDRESS into B. The account is named by
 * what the email column compares equal by (store_email_fold), so that no
 * other spelling of an email that finds the same person (capitals, accents,
 * trailing spaces) starts a count of its own. Failures lock an account for
 * the address they came from (pair); other addresses only once every
 * address together has failed far more (total): guessing from one place
 * must not lock the owner out. */
static OST_MUST_CHECK enum ost_err
buckets(const char *email, const char *address, struct buckets *b)
{
	char fold[65];
	enum ost_err err = store_email_fold(email, fold);

	if (err)
		return err;
	snprintf(b->pair, sizeof(b->pair), "account-address:%s:%s", fold, address);
	snprintf(b->total, sizeof(b->total), "account:%s", fold);
	snprintf(b->addr, sizeof(b->addr), "address:%s", address);
	return OST_OK;
}

/* Take a failure slot of BUCKET (LIMIT per WINDOW seconds) for the attempt
 * about to be checked: OST_ERR_THROTTLED, with *RETRY_AFTER, when it is
 * full. */
static OST_MUST_CHECK enum ost_err
take_slot(const char *bucket, unsigned limit, unsigned window, unsigned *retry_after)
{
	unsigned failures = 0;
	int taken = 0;
	enum ost_err err = store_throttle_take(bucket, window, limit, &taken);

	if (err || taken)
		return err;
	if ((err = store_throttle_count(bucket, window, &failures, retry_after)))
		return err;
	if (*retry_after == 0)
		*retry_after = 1; /* the window ended just now */
	return OST_ERR_THROTTLED;
}

/* Take a slot in each of B's buckets, in order; when one is full, give
 * back those already taken (that attempt is not checked) and say so. */
static OST_MUST_CHECK enum ost_err
take_slots(const struct config *cfg, const struct buckets *b, unsigned *retry_after)
{
	const struct {
		const char *bucket;
		unsigned limit, window;
	} slots[] = {
		{b->pair, cfg->throttle_account, cfg->throttle_window},
		{b->total, cfg->throttle_account_total, cfg->throttle_total_window},
		{b->addr, cfg->throttle_address, cfg->throttle_window},
	};
	size_t i, k;
	enum ost_err err = OST_OK, back;

	for (i = 0; !err && i < sizeof(slots) / sizeof(slots[0]); i++)
		err = take_slot(slots[i].bucket, slots[i].limit, slots[i].window, retry_after);
	if (!err)
		return OST_OK;
	for (k = 0; k + 1 < i; k++)
		if ((back = store_throttle_give_back(slots[k].bucket)))
			return back;
	return err;
}

/* Verify PASSWORD against the person ROW (NULL: unknown, spend the time
 * anyway), who must be enabled. */
static int
verify(const struct app *app, const json_t *row, const char *password)
{
	const char *phc = json_string_value(json_object_get(row, "password_hash"));
	struct crypto_argon2_params p = params_of(&app->cfg);
	int ok = 0;

	if (!phc) {
		crypto_password_dummy(&p);
		return 0;
	}
	if (crypto_password_verify(password, strlen(password), phc, &ok))
		return 0;
	return ok && json_is_true(json_object_get(row, "enabled"));
}

/* May the person ROW sign in where CONSOLE says: to the console, an
 * administrator (a role) or a member of a company (their view of it); to
 * an application, anyone who holds no console role (an administrator's
 * password never signs in to an application). */
static OST_MUST_CHECK enum ost_err
may_sign_in(const json_t *row, int console, int *may)
{
	int admin = auth_roles_parse(json_string_value(json_object_get(row, "roles"))) != 0;

	*may = console ? admin : !admin;
	if (*may || !console)
		return OST_OK;
	return store_person_is_member(json_integer_value(json_object_get(row, "id")), may);
}

/* auth_password_login and auth_password_app_user: CONSOLE says which. */
static OST_MUST_CHECK enum ost_err
attempt(const struct app *app, const char *email, const char *password, const char *address,
    int console, long long *user_id, long long *named, unsigned *retry_after)
{
	struct buckets b;
	json_t *row = NULL;
	enum ost_err err;
	int ok;

	*retry_after = 0;
	*user_id = 0;
	*named = 0;
	/* a password is text of at most PASSWORD_MAX characters, as the field
	 * that sets it checks (1024 four-byte characters are 4 KiB): no other
	 * can match */
	if (strlen(email) > EMAIL_MAX || valid_text(password, 0, PASSWORD_MAX))
		return OST_ERR_UNAUTHORIZED;
	if ((err = buckets(email, address, &b)))
		return err;
	err = store_user_by_email(email, &row);
	if (err && err != OST_ERR_NOT_FOUND)
		return err;
	*named = json_integer_value(json_object_get(row, "id"));
	/* Each attempt is counted as a failure before its password is checked,
	 * and the database refuses the count past the limit: parallel attempts
	 * cannot all be checked against one count read before any was noted. */
	if ((err = take_slots(&app->cfg, &b, retry_after))) {
		json_decref(row);
		return err;
	}
	ok = verify(app, row, password);
	if (ok && (err = may_sign_in(row, console, &ok))) {
		/* the slots stay taken: the attempt was checked */
		json_decref(row);
		return err;
	}
	if (ok) {
		*user_id = *named;
		/* the attempt was no failure: its slots are given back; the
		 * account's earlier failures from elsewhere stay counted, so that
		 * a sign-in of the owner gives a guesser spread over many
		 * addresses no fresh count */
		err = store_throttle_clear(b.pair);
		if (!err)
			err = store_throttle_give_back(b.total);
		if (!err)
			err = store_throttle_give_back(b.addr);
	} else
		err = OST_ERR_UNAUTHORIZED;
	json_decref(row);
	return err;
}

enum ost_err
auth_password_login(const struct app *app, const char *email, const char *password,
    const char *address, long long *user_id, long long *named, unsigned *retry_after)
{
	return attempt(app, email, password, address, 1, user_id, named, retry_after);
}

enum ost_err
auth_password_app_user(const struct app *app, const char *email, const char *password,
    const char *address, long long *user_id, unsigned *retry_after)
{
	long long named = 0;

	return attempt(app, email, password, address, 0, user_id, &named, retry_after);
}
