/* app_tokens.c - "Generate access token" on an application's page, in its
 * Application Users tab: what an administrator needs to try the
 * application out, per its authenticator, each step running the real
 * grant (the code of /oauth/token), the tokens shown once. User
 * Credentials: an enabled user's email gives tokens, an act of the
 * administrator, audited; Authorization Flow: email and password give a
 * code, which Submit exchanges; Authorization PKCE Flow: the same with a
 * code challenge and method, then the code verifier. */
#include "admin/app_tokens.h"
#include "admin/handlers.h"

#include <stdio.h>
#include <string.h>

#include "auth/password.h"
#include "oauth/grant.h"
#include "registry/apps.h"
#include "store/oauth_client.h"

static const char *const methods[] = {"S256", "plain", NULL};

static const struct field user_fields[] = {
	{.name = "email", .label = "Email", .kind = FIELD_EMAIL, .flags = FIELD_REQUIRED},
};
static const struct field code_fields[] = {
	{.name = "email", .label = "Email", .kind = FIELD_EMAIL, .flags = FIELD_REQUIRED},
	{.name = "password", .label = "Password", .kind = FIELD_STRING, .min = 1, .max = PASSWORD_MAX,
	    .flags = FIELD_REQUIRED | FIELD_SECRET},
	{.name = "code_challenge", .label = "Code challenge", .kind = FIELD_STRING, .max = 128,
	    .flags = FIELD_NULLABLE},
	{.name = "code_challenge_method", .label = "Code challenge method", .kind = FIELD_ENUM,
	    .choices = methods, .dflt = "\"S256\""},
};
static const struct field exchange_fields[] = {
	{.name = "code", .label = "Code", .kind = FIELD_STRING, .min = 1, .max = 64,
	    .flags = FIELD_REQUIRED},
	{.name = "code_verifier", .label = "Code verifier", .kind = FIELD_STRING, .max = 128,
	    .flags = FIELD_NULLABLE},
};
const struct field_table admin_token_user_body = FIELD_TABLE("GenerateToken", user_fields);
const struct field_table admin_token_code_body = FIELD_TABLE("GenerateCode", code_fields);
const struct field_table admin_token_exchange_body = FIELD_TABLE("ExchangeCode", exchange_fields);

/* The fields each authenticator's forms show. */
static const char *const code_only[] = {"email", "password", NULL};
static const char *const code_pkce[] = {"email", "password", "code_challenge",
    "code_challenge_method", NULL};
static const char *const exchange_only[] = {"code", NULL};

static int
is(const char *authenticator, const char *want)
{
	return authenticator && strcmp(authenticator, want) == 0;
}

/* One form of the block: to ACTION (stolen) with FIELDS (stolen), SUBMIT. */
static json_t *
form(json_t *action, json_t *fields, const char *submit)
{
	return json_pack("{s:o, s:o, s:s}", "action", action, "fields", fields, "submit", submit);
}

/* The fields NAMES of TABLE for the form of PANEL: what was typed and the
 * refusal when the page answers that form's refusal, else VALUES. */
static json_t *
fields_of(const struct ctx *c, const json_t *tree, const char *panel, const struct field_table *t,
    const char *const *names, const json_t *values)
{
	const json_t *failed = json_object_get(tree, "panel_failed");
	const char *id = json_string_value(json_object_get(failed, "id"));
	const char *field = json_string_value(json_object_get(failed, "field"));
	const struct field *f = field ? fields_find(t->fields, t->n, field) : NULL;
	struct field_error err = {.field = f ? f->name : NULL};
	int mine = id && strcmp(id, panel) == 0;
	char prefix[32];

	snprintf(prefix, sizeof(prefix), "%s-", panel);
	snprintf(err.message, sizeof(err.message), "%s",
	    mine ? json_string_value(json_object_get(failed, "message")) : "");
	return admin_fields(t->fields, t->n, names, mine ? c->req->body : values,
	    mine ? &err : NULL, prefix, NULL, 0, 1);
}

json_t *
admin_app_generate(struct ctx *c, const json_t *row, const json_t *tree)
{
	long long id = json_integer_value(json_object_get(row, "id"));
	const char *auth = json_string_value(json_object_get(row, "authenticator"));
	const json_t *generated = json_object_get(tree, "generated");
	json_t *block = json_pack("{s:s, s:O, s:[]}", "title", "Generate access token", "result",
	    generated ? generated : json_null(), "forms"), *forms = json_object_get(block, "forms");
	int pkce = is(auth, "authorization_code_pkce");

	if (is(auth, "user_credentials")) {
		json_object_set_new(block, "note", json_string("Tokens for an enabled user of the "
		    "application, without their password: recorded in the audit log as your act."));
		json_array_append_new(forms, form(admin_href(c, "/admin/apps/%lld/generate-token", id),
		    fields_of(c, tree, "generate", &admin_token_user_body, NULL, NULL),
		    "Generate access token"));
		return block;
	}
	json_object_set_new(block, "note", json_string(pkce
	    ? "Sign in as a user with a code challenge (S256) to get a code, then exchange it "
	      "with the code verifier."
	    : "Sign in as a user to get a code, then exchange it."));
	json_array_append_new(forms, form(admin_href(c, "/admin/apps/%lld/generate-code", id),
	    fields_of(c, tree, "generate", &admin_token_code_body, pkce ? code_pkce : code_only, NULL),
	    "Get a code"));
	json_array_append_new(forms, form(admin_href(c, "/admin/apps/%lld/exchange-code", id),
	    fields_of(c, tree, "exchange", &admin_token_exchange_body, pkce ? NULL : exchange_only,
	        json_object_get(generated, "values")),
	    "Submit"));
	return block;
}

/* ---- the steps ---- */

/* The page of application ID again: with GENERATED (stolen) shown, or with
 * the refusal WHY of the form of PANEL. */
static OST_MUST_CHECK enum ost_err
answer(struct ctx *c, struct oauth_client *cl, json_t *generated, const char *panel,
    const struct field_error *why, int status)
{
	json_t *row = NULL;
	enum ost_err err = store_resource_get(&reg_apps, cl->id, &row);

	oauth_client_free(cl);
	if (err) {
		json_decref(generated);
		return err;
	}
	if (why)
		err = admin_panel_refused(c, admin_apps_view(), row, panel, why, status);
	else
		err = admin_item_page(c, admin_apps_view(), 200, row, NULL, NULL, NULL,
		    json_pack("{s:o}", "generated", generated));
	json_decref(row);
	return err;
}

/* The same with a refusal of FIELD saying MESSAGE. */
static OST_MUST_CHECK enum ost_err
refuse(struct ctx *c, struct oauth_client *cl, const char *panel, int status, const char *field,
    const char *message)
{
	struct field_error why = {.field = field};

	snprintf(why.message, sizeof(why.message), "%s", message);
	return answer(c, cl, NULL, panel, &why, status);
}

/* What tokens IS holds, for the page (shown this once). */
static json_t *
tokens_shown(const struct oauth_issue *is)
{
	return json_pack("{s:s, s:[{s:s, s:s}, {s:s, s:s}, {s:s, s:I}, {s:s, s:s}]}", "message",
	    "Copy the tokens now: they will not be shown again.", "items", "label", "Access token",
	    "value", is->access, "label", "Refresh token", "value", is->refresh, "label",
	    "Expires in (seconds)", "value", (json_int_t)is->access_ttl, "label", "Scope", "value",
	    is->scope);
}

/* The start of every step: the application of the route into CL, then
 * its page again when the step (of PANEL) is not for its authenticator
 * (one of WANT) or the form was refused. *DONE is set when the answer is
 * made, or an error returned (OST_ERR_NOT_FOUND: no application). */
static OST_MUST_CHECK enum ost_err
step_begin(struct ctx *c, struct oauth_client *cl, unsigned want, const char *panel, int *done)
{
	enum ost_err err = oauth_client_load(NULL, ctx_param_id(c, 0), cl);

	*done = 1;
	if (err)
		return err;
	if (!(oauth_authenticator_bit(cl->authenticator) & want))
		return refuse(c, cl, panel, 409, NULL,
		    "This step is not for the application's authenticator.");
	if (c->input_refused)
		return answer(c, cl, NULL, panel, &c->input_error, 400);
	*done = 0;
	return OST_OK;
}

enum ost_err
admin_app_token_user(struct ctx *c)
{
	struct oauth_client cl;
	struct oauth_issue is = {0};
	struct oauth_fail f = {0};
	char scope[OAUTH_SCOPE_MAX];
	json_t *user = NULL;
	struct op op;
	int done = 0;
	enum ost_err err = step_begin(c, &cl, GRANT_FOR_USER_CREDENTIALS, "generate", &done);

	if (done)
		return err;
	err = store_oauth_user_by_email(cl.id, json_string_value(json_object_get(c->input, "email")),
	    &user);
	if (err == OST_ERR_NOT_FOUND)
		return refuse(c, &cl, "generate", 400, "email", "No person has this email.");
	if (!err)
		err = oauth_scope_resolve(NULL, json_object_get(cl.row, "permissions"), scope,
		    sizeof(scope), &f);
	ctx_op(c, &op);
	if (!err)
		err = oauth_user_token(&op, &cl, json_integer_value(json_object_get(user, "id")), scope,
		    &is, &f);
	json_decref(user);
	if (err == OST_ERR_INVALID)
		err = refuse(c, &cl, "generate", 400, "email", f.description);
	else if (!err)
		err = answer(c, &cl, tokens_shown(&is), NULL, NULL, 200);
	else
		oauth_client_free(&cl);
	oauth_issue_wipe(&is);
	return err;
}

/* The code challenge of IN for CL: OST_OK with *CHALLENGE (NULL: none), or
 * a refusal of the form. */
static OST_MUST_CHECK enum ost_err
challenge_of(const struct oauth_client *cl, const json_t *in, const char **challenge,
    struct field_error *why)
{
	const char *ch = json_string_value(json_object_get(in, "code_challenge"));
	const char *method = json_string_value(json_object_get(in, "code_challenge_method"));

	*challenge = ch;
	if (!ch && is(cl->authenticator, "authorization_code_pkce"))
		return op_refuse(why, OST_ERR_INVALID, "code_challenge",
		    "An Authorization PKCE Flow application needs a code challenge.");
	if (ch && (!method || strcmp(method, "S256") != 0))
		return op_refuse(why, OST_ERR_INVALID, "code_challenge_method",
		    "Only S256 is accepted: plain is refused.");
	if (ch && !oauth_pkce_well_formed(ch))
		return op_refuse(why, OST_ERR_INVALID, "code_challenge",
		    "A code challenge is 43 to 128 characters of A-Z, a-z, 0-9, '-', '.', '_', '~'.");
	return OST_OK;
}

/* Sign EMAIL in with PASSWORD as a user of CL: *USER_ID, or a refusal. */
static OST_MUST_CHECK enum ost_err
user_signin(struct ctx *c, const struct oauth_client *cl, long long *user_id,
    struct field_error *why)
{
	const char *email = json_string_value(json_object_get(c->input, "email"));
	const char *password = json_string_value(json_object_get(c->input, "password"));
	struct oauth_fail f = {0};
	unsigned retry = 0;
	enum ost_err err = auth_password_app_user(c->app, email, password, c->req->remote_addr,
	    user_id, &retry);

	if (err == OST_ERR_THROTTLED)
		return op_refuse(why, OST_ERR_FORBIDDEN, "password",
		    "Too many failed attempts. Try again later.");
	if (err == OST_ERR_UNAUTHORIZED)
		return op_refuse(why, OST_ERR_INVALID, "password", "Wrong email or password.");
	if (!err && (err = oauth_user_eligible(cl->id, *user_id, NULL, &f)) == OST_ERR_INVALID)
		return op_refuse(why, OST_ERR_INVALID, "email", f.description);
	return err;
}

enum ost_err
admin_app_token_code(struct ctx *c)
{
	struct oauth_client cl;
	struct field_error why = {0};
	struct oauth_fail f = {0};
	struct oauth_code_req r = {0};
	char code[CRYPTO_TOKEN_TEXT], scope[OAUTH_SCOPE_MAX];
	json_t *shown;
	int done = 0;
	enum ost_err err = step_begin(c, &cl, GRANT_FOR_CODE | GRANT_FOR_PKCE, "generate", &done);

	if (done)
		return err;
	err = challenge_of(&cl, c->input, &r.code_challenge, &why);
	if (!err)
		err = user_signin(c, &cl, &r.user_id, &why);
	if (!err)
		err = oauth_scope_resolve(NULL, json_object_get(cl.row, "permissions"), scope,
		    sizeof(scope), &f);
	r.redirect_uri = "";
	r.scope = scope;
	if (!err)
		err = oauth_code_issue(&cl, &r, code);
	if (err == OST_ERR_INVALID || err == OST_ERR_FORBIDDEN)
		return answer(c, &cl, NULL, "generate", &why, err == OST_ERR_FORBIDDEN ? 429 : 400);
	if (err) {
		oauth_client_free(&cl);
		return err;
	}
	shown = json_pack("{s:s, s:[{s:s, s:s}], s:{s:s}}", "message", "A code for the user: "
	    "exchange it below within a minute.", "items", "label", "Code", "value", code, "values",
	    "code", code);
	crypto_wipe(code, sizeof(code));
	return answer(c, &cl, shown, NULL, NULL, 200);
}

enum ost_err
admin_app_token_exchange(struct ctx *c)
{
	struct oauth_client cl;
	struct oauth_issue is = {0};
	struct oauth_fail f = {0};
	const char *verifier;
	int done = 0;
	enum ost_err err = step_begin(c, &cl, GRANT_FOR_CODE | GRANT_FOR_PKCE, "exchange", &done);

	if (done)
		return err;
	verifier = json_string_value(json_object_get(c->input, "code_verifier"));
	err = oauth_code_redeem(&cl, json_string_value(json_object_get(c->input, "code")), "",
	    verifier, &is, &f);
	if (err == OST_ERR_INVALID)
		err = refuse(c, &cl, "exchange", 400, strstr(f.description, "verifier") ? "code_verifier"
		    : "code", f.description);
	else if (!err)
		err = answer(c, &cl, tokens_shown(&is), NULL, NULL, 200);
	else
		oauth_client_free(&cl);
	oauth_issue_wipe(&is);
	return err;
}
