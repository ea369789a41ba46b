/* users.c - people (/api/v1/users): the field table, the role rules and the
 * API handlers */
#include "api/users.h"

#include <stdio.h>
#include <string.h>

#include "api/handlers.h"
#include "api/resource.h"
#include "auth/password.h"
#include "crypto/crypto.h"
#include "store/db.h"
#include "store/people.h"

static const char *const role_names[] = {"SUPER_ADMINISTRATOR", "USER_PROVISIONING", "AUDITOR",
    NULL};

/* Each entry a console role, none twice. */
static const char *
roles_check(const json_t *value, char *msg, size_t msgsz)
{
	unsigned seen = 0, bit;
	const json_t *e;
	size_t i, k;

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

static const struct field user_fields[] = {
	{.name = "email", .label = "Email", .kind = FIELD_EMAIL, .flags = FIELD_REQUIRED},
	{.name = "first_name", .label = "First name", .kind = FIELD_STRING, .min = 0, .max = 100},
	{.name = "last_name", .label = "Last name", .kind = FIELD_STRING, .min = 0, .max = 100},
	{.name = "password", .label = "Password", .kind = FIELD_STRING, .min = 12,
	    .max = PASSWORD_MAX, .flags = FIELD_SECRET | FIELD_NULLABLE},
	{.name = "enabled", .label = "Enabled", .kind = FIELD_BOOL, .dflt = "true"},
	{.name = "roles", .label = "Roles", .kind = FIELD_STRINGS, .min = 0, .max = 3,
	    .check = roles_check, .dflt = "[]"},
};
#define NFIELDS (sizeof(user_fields) / sizeof(user_fields[0]))
static const char *const user_insert[] = {"email", "first_name", "last_name", "password_hash",
    "enabled", NULL};
static const char *const user_update[] = {"email", "first_name", "last_name", "enabled", NULL};
static const struct resource_filter user_filters[] = {
	{"email", FILTER_CONTAINS}, {"name", FILTER_CONTAINS}, {"enabled", FILTER_BOOL}};
static const char *const ignore_keys[] = {"csrf", "version", "format", NULL};

const struct resource users_resource = {
	.type = "user",
	.title = "People",
	.fields = user_fields,
	.nfields = NFIELDS,
	.insert_cols = user_insert,
	.update_cols = user_update,
	.filters = user_filters,
	.nfilters = 3,
	.list = STMT_PERSON_LIST,
	.get = STMT_PERSON_GET,
	.insert = STMT_PERSON_INSERT,
	.update = STMT_PERSON_UPDATE,
	.del = STMT_PERSON_DELETE,
	.unique = "email",
};

/* Fill WHY and return ERR. */
static enum ost_err
refuse(struct field_error *why, enum ost_err err, const char *field, const char *message)
{
	why->field = field;
	snprintf(why->message, sizeof(why->message), "%s", message);
	return err;
}

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

static int
caller_is_super(const struct ctx *c)
{
	return (c->who.roles & ROLE_SUPER_ADMINISTRATOR) != 0;
}

/* The Argon2id hash of the password in VALUES into HASH (CRYPTO_PHC_MAX
 * bytes); *GIVEN 0 when there is none. */
static enum ost_err
hash_password(struct ctx *c, const json_t *values, char *hash, int *given)
{
	const char *pw = json_string_value(json_object_get(values, "password"));

	*given = pw != NULL;
	return pw ? auth_password_hash(&c->app->cfg, pw, hash, CRYPTO_PHC_MAX) : OST_OK;
}

/* Insert the person of VALUES (its password hashed into HASH) and its
 * roles, audited with DETAILS; *ROW gets the person. */
static enum ost_err
insert_person(struct ctx *c, json_t *values, const char *hash, const json_t *details,
    json_t **row, struct field_error *why)
{
	long long id = 0;
	enum ost_err err;

	if (hash && json_object_set_new(values, "password_hash", json_string(hash)))
		return OST_ERR_NOMEM;
	if ((err = db_begin()))
		return err;
	err = store_resource_insert(&users_resource, values, &id);
	if (err == OST_ERR_CONFLICT)
		refuse(why, err, "email", "A person with this email exists already");
	if (!err)
		err = store_person_set_roles(id, json_object_get(values, "roles"));
	if (!err)
		err = audit(c, "user.create", "user", id, details);
	if (!err)
		err = store_resource_get(&users_resource, id, row);
	return db_finish(err);
}

enum ost_err
users_do_create(struct ctx *c, json_t **row, struct field_error *why)
{
	char hash[CRYPTO_PHC_MAX];
	json_t *values = NULL, *details = NULL;
	int given = 0;
	enum ost_err err = fields_apply(user_fields, NFIELDS, c->req->body, ctx_is_form(c),
	    FIELDS_CREATE, ignore_keys, &values, why);

	*row = NULL;
	if (!err && json_array_size(json_object_get(values, "roles")) && !caller_is_super(c))
		err = refuse(why, OST_ERR_FORBIDDEN, "roles",
		    "Only a super administrator may give roles");
	if (!err && !(details = without_secrets(user_fields, NFIELDS, values)))
		err = OST_ERR_NOMEM;
	if (!err)
		err = hash_password(c, values, hash, &given);
	if (!err)
		err = insert_person(c, values, given ? hash : NULL, details, row, why);
	crypto_wipe(hash, sizeof(hash));
	json_decref(details);
	json_decref(values);
	return err;
}

/* The role rules and the version check of changing CURRENT (person ID)
 * with INPUT. */
static enum ost_err
update_allowed(struct ctx *c, long long id, long long version, const json_t *current,
    const json_t *input, struct field_error *why)
{
	unsigned have = role_bits(json_object_get(current, "roles"));
	const json_t *roles = json_object_get(input, "roles");
	unsigned want = roles ? role_bits(roles) : have;

	if (json_integer_value(json_object_get(current, "version")) != version)
		return refuse(why, OST_ERR_CONFLICT, "version",
		    "Someone changed this since you read it: read it again and retry");
	if (want != have && !caller_is_super(c))
		return refuse(why, OST_ERR_FORBIDDEN, "roles",
		    "Only a super administrator may change roles");
	if ((have & ROLE_SUPER_ADMINISTRATOR) && !caller_is_super(c))
		return refuse(why, OST_ERR_FORBIDDEN, NULL,
		    "Only a super administrator may change a super administrator");
	if (id == c->who.user_id && (have & ROLE_SUPER_ADMINISTRATOR) &&
	    !(want & ROLE_SUPER_ADMINISTRATOR))
		return refuse(why, OST_ERR_CONFLICT, "roles",
		    "You cannot remove your own SUPER_ADMINISTRATOR role");
	return OST_OK;
}

/* Write INPUT (password hashed into HASH, or NULL) over person ID, which
 * is CURRENT, and audit it. */
static enum ost_err
write_person(struct ctx *c, long long id, long long version, const json_t *current,
    const json_t *input, const char *hash, struct field_error *why)
{
	json_t *next = json_deep_copy(current), *details;
	const json_t *roles = json_object_get(input, "roles");
	enum ost_err err = next ? OST_OK : OST_ERR_NOMEM;

	if (!err)
		json_object_update(next, (json_t *)input);
	if (!err && (err = store_resource_update(&users_resource, id, version, next)) ==
	    OST_ERR_CONFLICT)
		refuse(why, err, "email", "A person with this email exists already");
	if (!err && hash)
		err = store_person_set_password(id, hash);
	if (!err && roles)
		err = store_person_set_roles(id, roles);
	details = err ? NULL : without_secrets(user_fields, NFIELDS, input);
	if (details && hash)
		json_object_set_new(details, "password_changed", json_true());
	if (!err)
		err = details ? audit(c, "user.update", "user", id, details) : OST_ERR_NOMEM;
	json_decref(details);
	json_decref(next);
	return err;
}

enum ost_err
users_do_update(struct ctx *c, long long id, long long version, json_t **row,
    struct field_error *why)
{
	char hash[CRYPTO_PHC_MAX];
	json_t *input = NULL, *current = NULL;
	int given = 0;
	enum ost_err err = fields_apply(user_fields, NFIELDS, c->req->body, ctx_is_form(c),
	    FIELDS_UPDATE, ignore_keys, &input, why);

	*row = NULL;
	if (!err)
		err = hash_password(c, input, hash, &given);
	if (err || (err = db_begin())) {
		json_decref(input);
		return err;
	}
	err = store_resource_get(&users_resource, id, &current);
	if (!err)
		err = update_allowed(c, id, version, current, input, why);
	if (err == OST_ERR_CONFLICT && why->field && !strcmp(why->field, "version"))
		*row = json_incref(current);
	if (!err)
		err = write_person(c, id, version, current, input, given ? hash : NULL, why);
	if (!err)
		err = store_resource_get(&users_resource, id, row);
	crypto_wipe(hash, sizeof(hash));
	json_decref(current);
	json_decref(input);
	return db_finish(err);
}

enum ost_err
users_do_delete(struct ctx *c, long long id, struct field_error *why)
{
	json_t *row = NULL;
	unsigned roles;
	enum ost_err err;

	if (id == c->who.user_id)
		return refuse(why, OST_ERR_CONFLICT, NULL, "You cannot delete yourself");
	if ((err = store_resource_get(&users_resource, id, &row)))
		return err;
	roles = role_bits(json_object_get(row, "roles"));
	json_decref(row);
	if ((roles & ROLE_SUPER_ADMINISTRATOR) && !caller_is_super(c))
		return refuse(why, OST_ERR_FORBIDDEN, NULL,
		    "Only a super administrator may delete a super administrator");
	err = resource_do_delete(c, &users_resource, id);
	if (err == OST_ERR_CONFLICT)
		refuse(why, err, NULL, "Other objects still refer to this person; remove them first");
	return err;
}

/* Answer a refusal of the do_ functions; anything else goes to the dispatcher. */
static enum ost_err
reply_refusal(struct ctx *c, enum ost_err err, const struct field_error *why)
{
	if (err != OST_ERR_INVALID && err != OST_ERR_FORBIDDEN && err != OST_ERR_CONFLICT)
		return err;
	response_error(c->res, err, why->message, why->field);
	return OST_OK;
}

enum ost_err api_users_list(struct ctx *c) { return resource_list(c, &users_resource); }
enum ost_err api_users_get(struct ctx *c) { return resource_get(c, &users_resource); }

enum ost_err
api_users_create(struct ctx *c)
{
	struct field_error why = {0};
	json_t *row = NULL;
	enum ost_err err = users_do_create(c, &row, &why);

	if (err) {
		json_decref(row);
		return reply_refusal(c, err, &why);
	}
	response_location(c->res, &c->app->cfg, "%s/%lld", c->req->path,
	    (long long)json_integer_value(json_object_get(row, "id")));
	return resource_reply_row(c, 201, row);
}

enum ost_err
api_users_update(struct ctx *c)
{
	struct field_error why = {0};
	long long version = 0;
	int if_match = 0;
	json_t *row = NULL;
	enum ost_err err;

	if (version_or_reply(c, &version, &if_match))
		return OST_OK;
	err = users_do_update(c, ctx_param_id(c, 0), version, &row, &why);
	if (err && row && if_match)
		err = OST_ERR_PRECONDITION;
	if (err == OST_ERR_PRECONDITION) {
		json_decref(row);
		response_error(c->res, err, why.message, why.field);
		return OST_OK;
	}
	if (err) {
		json_decref(row);
		return reply_refusal(c, err, &why);
	}
	return resource_reply_row(c, 200, row);
}

enum ost_err
api_users_delete(struct ctx *c)
{
	struct field_error why = {0};
	enum ost_err err = users_do_delete(c, ctx_param_id(c, 0), &why);

	if (err)
		return reply_refusal(c, err, &why);
	response_set(c->res, 204, NULL, NULL);
	return OST_OK;
}
