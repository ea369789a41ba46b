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

/* The throttle bucket names of EMAIL and ADDRESS. The account's is named
 * by what the email column compares equal by (store_email_fold), so that no
 * other spelling of an email that finds the same person (capitals, accents,
 * trailing spaces) starts a count of its own. */
static OST_MUST_CHECK enum ost_err
buckets(const char *email, const char *address, char *acct, size_t acctsz, char *addr,
    size_t addrsz)
{
	char fold[65];
	enum ost_err err = store_email_fold(email, fold);

	if (err)
		return err;
	snprintf(acct, acctsz, "account:%s", fold);
	snprintf(addr, addrsz, "address:%s", address);
	return OST_OK;
}

/* OST_ERR_THROTTLED when BUCKET has reached LIMIT failures in the window. */
static OST_MUST_CHECK enum ost_err
check_bucket(const struct app *app, const char *bucket, unsigned limit, unsigned *retry_after)
{
	unsigned failures, retry;
	enum ost_err err = store_throttle_count(bucket, app->cfg.throttle_window, &failures, &retry);

	if (err)
		return err;
	if (failures >= limit) {
		*retry_after = retry;
		return OST_ERR_THROTTLED;
	}
	return OST_OK;
}

/* Verify PASSWORD against the person ROW (NULL: unknown, spend the time anyway). */
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

/* May the person ROW sign in to the console: an administrator (a role), or
 * a member of a company (their view of it)? */
static OST_MUST_CHECK enum ost_err
may_sign_in(const json_t *row, int *may)
{
	*may = auth_roles_parse(json_string_value(json_object_get(row, "roles"))) != 0;
	return *may ? OST_OK
	            : store_person_is_member(json_integer_value(json_object_get(row, "id")), may);
}

enum ost_err
auth_password_login(const struct app *app, const char *email, const char *password,
    const char *address, long long *user_id, unsigned *retry_after)
{
	char acct[sizeof("account:") + 64], addr[sizeof("address:") + REQUEST_ADDR_MAX];
	json_t *row = NULL;
	enum ost_err err;
	int ok;

	*retry_after = 0;
	/* a password is text of at most PASSWORD_MAX characters, as the field
	 * that sets it checks (1024 four-byte characters are 4 KiB): no other
	 * can match */
	if (strlen(email) > EMAIL_MAX || valid_text(password, 0, PASSWORD_MAX))
		return OST_ERR_UNAUTHORIZED;
	if ((err = buckets(email, address, acct, sizeof(acct), addr, sizeof(addr))) ||
	    (err = check_bucket(app, acct, app->cfg.throttle_account, retry_after)) ||
	    (err = check_bucket(app, addr, app->cfg.throttle_address, retry_after)))
		return err;
	err = store_user_by_email(email, &row);
	if (err && err != OST_ERR_NOT_FOUND)
		return err;
	ok = verify(app, row, password);
	if (ok && (err = may_sign_in(row, &ok))) {
		json_decref(row);
		return err;
	}
	if (ok) {
		*user_id = json_integer_value(json_object_get(row, "id"));
		err = store_throttle_clear(acct);
	} else {
		err = store_throttle_fail(acct, app->cfg.throttle_window);
		if (!err)
			err = store_throttle_fail(addr, app->cfg.throttle_window);
		if (!err)
			err = OST_ERR_UNAUTHORIZED;
	}
	json_decref(row);
	return err;
}
