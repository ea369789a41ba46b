/* people.c - people: the console roles they hold, their passwords, and the
 * rules of who may change whom */
#include "registry/people.h"

#include <stdio.h>
#include <string.h>

#include "auth/auth.h"
#include "auth/password.h"
#include "crypto/crypto.h"
#include "broker/connections.h"
#include "core/gen.h"
#include "registry/change.h"
#include "registry/resource.h"
#include "store/oauth_token.h"
#include "store/people.h"
#include "store/session.h"
#include "store/token.h"
#include "store/user.h"

static const char *const role_names[] = {"SUPER_ADMINISTRATOR", "USER_PROVISIONING", "AUDITOR",
    NULL};

/* Each entry a console role, none twice. */
static const char *
roles_check(const struct field_ctx *fc, const json_t *value, char *msg, size_t msgsz)
{
	unsigned seen = 0, bit;
	const json_t *e;
	size_t i, k;

	(void)fc;
	json_array_foreach(value, i, e) {
		for (k = 0; role_names[k] && strcmp(role_names[k], json_string_value(e)); k++)
			;
		bit = 1u << k;
		if (!role_names[k] || (seen & bit)) {
			snprintf(msg, msgsz, "entry %zu must be one of SUPER_ADMINISTRATOR, "
			                     "USER_PROVISIONING, AUDITOR, each at most once", i + 1);
			return msg;
		}
		seen |= bit;
	}
	return NULL;
}

/* Written in this order: the password and the current one last, so that
 * the tables below are runs of this one. */
static const struct field person_fields[] = {
	{.name = "email", .label = "Email", .kind = FIELD_EMAIL, .flags = FIELD_REQUIRED},
	{.name = "first_name", .label = "First name", .kind = FIELD_STRING, .min = 0, .max = 100},
	{.name = "last_name", .label = "Last name", .kind = FIELD_STRING, .min = 0, .max = 100},
	{.name = "enabled", .label = "Enabled", .kind = FIELD_BOOL, .dflt = "true"},
	{.name = "roles", .label = "Roles", .kind = FIELD_STRINGS, .min = 0, .max = 3,
	    .choices = role_names, .check = roles_check, .dflt = "[]"},
	{.name = "password", .label = "Password", .kind = FIELD_STRING, .min = 12,
	    .max = PASSWORD_MAX, .flags = FIELD_SECRET | FIELD_NULLABLE},
	{.name = "current_password", .label = "Your current password", .kind = FIELD_STRING,
	    .min = 1, .max = PASSWORD_MAX, .flags = FIELD_SECRET | FIELD_NULLABLE,
	    .help = "Your own current password: required when you change your own password"},
};
#define NFIELDS (sizeof(person_fields) / sizeof(person_fields[0]))
#define NPERSON (NFIELDS - 1) /* a person's own fields, without current_password */
static const char *const person_insert[] = {"email", "first_name", "last_name",
    "password_hash", "enabled", NULL};
static const char *const person_update[] = {"email", "first_name", "last_name", "enabled",
    NULL};
static const struct resource_filter person_filters[] = {
	{"email", FILTER_CONTAINS}, {"name", FILTER_CONTAINS}, {"enabled", FILTER_BOOL}};

const struct field_table reg_person_body = {"Person", person_fields, NPERSON};
const struct field_table reg_person_change_body = {"PersonChange", person_fields, NFIELDS};
const struct field_table reg_password_change_body = {"PasswordChange",
    person_fields + NFIELDS - 2, 2};

/* What a row holds besides its fields, the password left out (STMT_PERSON_GET). */
static const struct field_table person_out = {"Person", reg_row_fields, REG_ROW_NFIELDS};

const struct resource reg_people = {
	.type = "user",
	.fields = person_fields,
	.nfields = NPERSON,
	.out = &person_out,
	.insert_cols = person_insert,
	.update_cols = person_update,
	.filters = person_filters,
	.nfilters = 3,
	.list = STMT_PERSON_LIST,
	.get = STMT_PERSON_GET,
	.insert = STMT_PERSON_INSERT,
	.update = STMT_PERSON_UPDATE,
	.del = STMT_PERSON_DELETE,
	.unique = "email",
	.invalidates = GEN_BIT(GEN_PEOPLE) | GEN_BIT(GEN_TOKENS), /* enabled, roles, names */
};

/* The role bits of the list ROLES. */
static unsigned
role_bits(const json_t *roles)
{
	unsigned bits = 0;
	const json_t *e;
	size_t i;

	json_array_foreach(roles, i, e)
		bits |= auth_roles_parse(json_string_value(e));
	return bits;
}

/* The Argon2id hash of the password in VALUES into HASH (CRYPTO_PHC_MAX
 * bytes); *GIVEN 0 when there is none. */
static OST_MUST_CHECK enum ost_err
hash_password(const struct op *op, const json_t *values, char *hash, int *given)
{
	const char *pw = json_string_value(json_object_get(values, "password"));

	*given = pw != NULL;
	return pw ? auth_password_hash(&op->app->cfg, pw, hash, CRYPTO_PHC_MAX) : OST_OK;
}

/* Insert the person of VALUES (its password hash HASH, or NULL) and its
 * roles, audited with DETAILS; *ROW gets the person. */
static OST_MUST_CHECK enum ost_err
insert_person(const struct op *op, json_t *values, const char *hash, const json_t *details,
    json_t **row, struct field_error *why)
{
	long long id = 0;
	struct change ch;
	enum ost_err err;

	if (hash && json_object_set_new(values, "password_hash", json_string(hash)))
		return OST_ERR_NOMEM;
	if ((err = change_begin(&ch, op)))
		return err;
	err = store_resource_insert(&reg_people, values, &id);
	if (err == OST_ERR_CONFLICT)
		err = op_refuse(why, err, "email", "A person with this email exists already");
	if (!err)
		err = store_person_set_roles(id, json_object_get(values, "roles"));
	if (!err)
		err = change_audit(&ch, "user.create", "user", id, details);
	if (!err)
		err = store_resource_get(&reg_people, id, row);
	return change_end(&ch, err);
}

enum ost_err
reg_person_create(const struct op *op, const json_t *in, json_t **row, struct field_error *why)
{
	char hash[CRYPTO_PHC_MAX];
	json_t *values = json_deep_copy(in), *details = NULL;
	int given = 0;
	enum ost_err err = values ? OST_OK : OST_ERR_NOMEM;

	*row = NULL;
	if (!err && json_array_size(json_object_get(values, "roles")) && !op_is_super(op))
		err = op_refuse(why, OST_ERR_FORBIDDEN, "roles",
		    "Only a super administrator may give roles");
	if (!err && !(details = op_without_secrets(person_fields, NFIELDS, values)))
		err = OST_ERR_NOMEM;
	if (!err)
		err = hash_password(op, values, hash, &given);
	if (!err)
		err = insert_person(op, values, given ? hash : NULL, details, row, why);
	crypto_wipe(hash, sizeof(hash));
	json_decref(details);
	json_decref(values);
	return err;
}

/* What an update of a person changes: the values of INPUT that differ
 * from CURRENT's (a console form sends back every field). */
struct person_change {
	int password, email, enabled, names, roles;
};

/* INPUT gives KEY, with another value than CURRENT's. */
static int
differs(const json_t *current, const json_t *input, const char *key)
{
	const json_t *v = json_object_get(input, key);

	return v && !json_equal(v, json_object_get(current, key));
}

static struct person_change
change_of(const json_t *current, const json_t *input)
{
	const json_t *roles = json_object_get(input, "roles");

	return (struct person_change){
	    .password = json_is_string(json_object_get(input, "password")),
	    .email = differs(current, input, "email"),
	    .enabled = differs(current, input, "enabled"),
	    .names = differs(current, input, "first_name") || differs(current, input, "last_name"),
	    .roles = roles && role_bits(roles) != role_bits(json_object_get(current, "roles")),
	};
}

/* The actor may write people (not only read them). */
static int
op_is_writer(const struct op *op)
{
	return (op->fields.roles & (ROLE_SUPER_ADMINISTRATOR | ROLE_USER_PROVISIONING)) != 0;
}

/* The role rules and the version check of changing CURRENT (person ID)
 * with INPUT. */
static OST_MUST_CHECK enum ost_err
update_allowed(const struct op *op, long long id, long long version, const json_t *current,
    const json_t *input, struct field_error *why)
{
	unsigned have = role_bits(json_object_get(current, "roles"));
	const json_t *roles = json_object_get(input, "roles");
	unsigned want = roles ? role_bits(roles) : have;
	struct person_change ch = change_of(current, input);
	int self = id == op->actor_id;

	if (!op_is_writer(op) && !(self && !ch.email && !ch.enabled && !ch.names && !ch.roles))
		return op_refuse(why, OST_ERR_FORBIDDEN, NULL,
		    "Your roles let you change only your own password");
	if (json_integer_value(json_object_get(current, "version")) != version)
		return op_refuse(why, OST_ERR_CONFLICT, "version",
		    "Someone changed this since you read it: read it again and retry");
	if (ch.roles && !op_is_super(op))
		return op_refuse(why, OST_ERR_FORBIDDEN, "roles",
		    "Only a super administrator may change roles");
	if ((have & ROLE_SUPER_ADMINISTRATOR) && !op_is_super(op))
		return op_refuse(why, OST_ERR_FORBIDDEN, NULL,
		    "Only a super administrator may change a super administrator");
	/* another console role holder's credentials, email and state are a
	 * super administrator's to change: else one administrator could take
	 * over another */
	if (!self && have && !op_is_super(op) && (ch.password || ch.email || ch.enabled))
		return op_refuse(why, OST_ERR_FORBIDDEN,
		    ch.password ? "password" : ch.email ? "email" : "enabled",
		    "Only a super administrator may change the password, email or state of "
		    "someone who holds a console role");
	if (self && (have & ROLE_SUPER_ADMINISTRATOR) && !(want & ROLE_SUPER_ADMINISTRATOR))
		return op_refuse(why, OST_ERR_CONFLICT, "roles",
		    "You cannot remove your own SUPER_ADMINISTRATOR role");
	return OST_OK;
}

/* A person changing their own password (IN) proves the current one,
 * current_password, as a sign-in would (throttled alike). */
static OST_MUST_CHECK enum ost_err
current_password_ok(const struct op *op, long long id, const json_t *in,
    struct field_error *why)
{
	const char *given = json_string_value(json_object_get(in, "current_password"));
	const char *email;
	long long uid = 0, named = 0;
	unsigned retry = 0;
	json_t *row = NULL;
	enum ost_err err;

	if (id != op->actor_id || !json_is_string(json_object_get(in, "password")))
		return OST_OK;
	if (!given)
		return op_refuse(why, OST_ERR_INVALID, "current_password",
		    "To change your own password, give your current one as current_password");
	if ((err = store_resource_get(&reg_people, id, &row)))
		return err;
	email = json_string_value(json_object_get(row, "email"));
	err = auth_password_login(op->app, email ? email : "", given,
	    op->address ? op->address : "", &uid, &named, &retry);
	json_decref(row);
	if (err == OST_ERR_THROTTLED)
		return op_refuse(why, err, "current_password",
		    "Too many failed attempts: try again later");
	if (err == OST_ERR_UNAUTHORIZED || (!err && uid != id))
		return op_refuse(why, OST_ERR_FORBIDDEN, "current_password",
		    "current_password is not your current password");
	return err;
}

/* A new password or email ends the person's other sessions (all of them
 * when someone else set it, or they act with a token) and their remembered
 * OAuth sign-ins, and a password an administrator set revokes the person's
 * API tokens and OAuth grants: what was opened with the old credentials
 * stops with them. Counts go into DETAILS. */
static OST_MUST_CHECK enum ost_err
end_old_credentials(struct change *chg, long long id, const struct person_change *ch,
    json_t *details)
{
	const struct op *op = chg->op;
	int self = id == op->actor_id;
	unsigned long long ended = 0, revoked = 0, oauth = 0;
	enum ost_err err;

	if (!ch->password && !ch->email)
		return OST_OK;
	if ((err = store_session_end_others(id, self ? op->session_hash : NULL, &ended)) ||
	    (err = store_oauth_signins_end(id, NULL)))
		return err;
	if (json_object_set_new(details, "sessions_ended", json_integer((json_int_t)ended)))
		return OST_ERR_NOMEM;
	if (!ch->password || self)
		return OST_OK;
	if ((err = store_token_revoke_all(id, &revoked)) ||
	    (err = store_oauth_user_revoke(id, &oauth)))
		return err;
	change_invalidates(chg, GEN_BIT(GEN_OAUTH)); /* the workers' OAuth token checks */
	if (json_object_set_new(details, "tokens_revoked", json_integer((json_int_t)revoked)) ||
	    json_object_set_new(details, "oauth_tokens_revoked", json_integer((json_int_t)oauth)))
		return OST_ERR_NOMEM;
	return OST_OK;
}

/* Write INPUT (password hash HASH, or NULL) over person ID, which is
 * CURRENT, and audit it. */
static OST_MUST_CHECK enum ost_err
write_person(struct change *ch, long long id, long long version, const json_t *current,
    const json_t *input, const char *hash, struct field_error *why)
{
	json_t *next = json_deep_copy(current), *details;
	const json_t *roles = json_object_get(input, "roles");
	struct person_change what = change_of(current, input);
	enum ost_err err = next ? OST_OK : OST_ERR_NOMEM;

	if (!err && json_object_update(next, (json_t *)input))
		err = OST_ERR_NOMEM;
	if (!err && (err = store_resource_update(&reg_people, id, version, next)) ==
	                OST_ERR_CONFLICT)
		err = op_refuse(why, err, "email", "A person with this email exists already");
	if (!err && hash)
		err = store_person_set_password(id, hash);
	if (!err && roles)
		err = store_person_set_roles(id, roles);
	details = err ? NULL : op_without_secrets(person_fields, NFIELDS, input);
	if (details && hash && json_object_set_new(details, "password_changed", json_true()))
		err = OST_ERR_NOMEM;
	if (!err && details)
		err = end_old_credentials(ch, id, &what, details);
	if (!err)
		err = details ? change_audit(ch, "user.update", "user", id, details) : OST_ERR_NOMEM;
	json_decref(details);
	json_decref(next);
	return err;
}

enum ost_err
reg_person_update(const struct op *op, long long id, long long version, const json_t *in,
    json_t **row, struct field_error *why)
{
	char hash[CRYPTO_PHC_MAX];
	json_t *current = NULL, *taken = NULL;
	int given = 0;
	struct change ch;
	enum ost_err err = hash_password(op, in, hash, &given);

	*row = NULL;
	/* before the change: a wrong current password is counted, never rolled back */
	if (!err)
		err = current_password_ok(op, id, in, why);
	if (err || (err = change_begin(&ch, op))) {
		crypto_wipe(hash, sizeof(hash));
		return err;
	}
	change_invalidates(&ch, reg_people.invalidates);
	err = store_resource_get(&reg_people, id, &current);
	if (!err)
		err = update_allowed(op, id, version, current, in, why);
	if (err == OST_ERR_CONFLICT && why->field && !strcmp(why->field, "version"))
		*row = json_incref(current);
	if (!err)
		err = write_person(&ch, id, version, current, in, given ? hash : NULL, why);
	/* a person disabled takes their own connections away, revoked once this commits */
	if (!err && json_is_false(json_object_get(in, "enabled")))
		err = broker_take(&ch, CONN_OF_USER, id, 0, "person disabled", &taken);
	if (!err)
		err = store_resource_get(&reg_people, id, row);
	crypto_wipe(hash, sizeof(hash));
	json_decref(current);
	if (!(err = change_end(&ch, err)))
		broker_revoke_taken(op->app, taken);
	broker_taken_free(taken);
	return err;
}

enum ost_err
reg_person_delete(const struct op *op, long long id, struct field_error *why)
{
	json_t *row = NULL, *taken = NULL;
	unsigned roles;
	struct change ch;
	enum ost_err err;

	if (id == op->actor_id)
		return op_refuse(why, OST_ERR_CONFLICT, NULL, "You cannot delete yourself");
	if ((err = store_resource_get(&reg_people, id, &row)))
		return err;
	roles = role_bits(json_object_get(row, "roles"));
	json_decref(row);
	if (roles && !op_is_super(op))
		return op_refuse(why, OST_ERR_FORBIDDEN, NULL,
		    "Only a super administrator may delete someone who holds a console role");
	if ((err = change_begin(&ch, op)))
		return err;
	change_invalidates(&ch, reg_people.invalidates);
	err = broker_take(&ch, CONN_OF_USER, id, 0, "person deleted", &taken);
	if (!err)
		err = store_resource_delete(&reg_people, id);
	if (err == OST_ERR_CONFLICT)
		err = op_refuse(why, err, NULL,
		    "Other objects still refer to this person; remove them first");
	if (!err)
		err = change_audit(&ch, "user.delete", "user", id, NULL);
	if (!(err = change_end(&ch, err)))
		broker_revoke_taken(op->app, taken);
	broker_taken_free(taken);
	return err;
}

enum ost_err
reg_admin_create(const struct op *op, const char *email, const char *phc, long long *id)
{
	json_t *details = json_pack("{s:s, s:[s]}", "email", email, "roles",
	    "SUPER_ADMINISTRATOR");
	struct change ch;
	enum ost_err err = details ? change_begin(&ch, op) : OST_ERR_NOMEM;

	if (err) {
		json_decref(details);
		return err;
	}
	err = store_user_insert(email, "", "", phc, id);
	if (!err)
		err = store_person_set_roles(*id, json_object_get(details, "roles"));
	if (!err)
		err = change_audit(&ch, "user.create", "user", *id, details);
	json_decref(details);
	return change_end(&ch, err);
}

const struct reg_ops reg_person_ops = {reg_person_create, reg_person_update, reg_person_delete};
