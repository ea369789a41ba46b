/* sessions.c - signing in to and out of the console, each an audited
 * change, and the audit entry of a sign-in that was refused */
#include "registry/sessions.h"

#include "registry/change.h"
#include "registry/people.h"
#include "store/session.h"
#include "valid/valid.h"

#define EMAIL_CHARS 254 /* what audit_log.actor holds */

enum ost_err
reg_sign_in(const struct op *op, long long user_id, const char *user_agent,
    char text[CRYPTO_TOKEN_TEXT])
{
	uint8_t hash[CRYPTO_SHA256_LEN];
	struct op me = *op;
	struct change ch;
	json_t *person = NULL;
	enum ost_err err = store_resource_get(&reg_people, user_id, &person);

	text[0] = '\0';
	if (err)
		return err;
	/* the person who signed in is who acts */
	me.actor_type = "admin";
	me.actor_id = user_id;
	me.actor = json_string_value(json_object_get(person, "email"));
	crypto_token_new(text, hash);
	if (!(err = change_begin(&ch, &me))) {
		change_invalidates(&ch, 0); /* a session is not cached */
		err = store_session_create(hash, user_id, op->app->cfg.session_ttl,
		    op->address ? op->address : "", user_agent ? user_agent : "");
		if (!err)
			err = change_audit(&ch, "user.sign_in", "user", user_id, NULL);
		err = change_end(&ch, err);
	}
	if (err)
		crypto_wipe(text, CRYPTO_TOKEN_TEXT);
	crypto_wipe(hash, sizeof(hash));
	json_decref(person);
	return err;
}

enum ost_err
reg_sign_out(const struct op *op, const unsigned char *hash)
{
	struct change ch;
	enum ost_err err = change_begin(&ch, op);

	if (err)
		return err;
	change_invalidates(&ch, 0);
	err = store_session_delete(hash);
	if (!err)
		err = change_audit(&ch, "user.sign_out", "user", op->actor_id, NULL);
	return change_end(&ch, err);
}

enum ost_err
reg_sign_in_refused(const struct op *op, const char *email, long long named, int throttled)
{
	char given[4 * EMAIL_CHARS + 1];
	struct op who = *op;
	struct change ch;
	json_t *details;
	enum ost_err err;

	/* nobody was authenticated: the actor is the email given, without id */
	valid_utf8_fit(email ? email : "", EMAIL_CHARS, given, sizeof(given));
	who.actor_type = "admin";
	who.actor_id = 0;
	who.actor = given;
	if (!(details = json_pack("{s:s, s:s}", "email", given, "reason",
	          throttled ? "throttled" : "wrong email or password")))
		return OST_ERR_NOMEM;
	if (!(err = change_begin(&ch, &who))) {
		change_invalidates(&ch, 0);
		err = change_audit(&ch, "user.sign_in_failed", "user", named, details);
		err = change_end(&ch, err);
	}
	json_decref(details);
	return err;
}
