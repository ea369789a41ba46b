/* companies.c - companies (tenants), their members and the applications
 * installed into them */
#include "registry/companies.h"

#include <stdio.h>
#include <string.h>

#include "broker/connections.h"
#include "core/gen.h"
#include "registry/change.h"
#include "registry/resource.h"
#include "store/tenancy.h"

/* [a-z0-9](-?[a-z0-9])*: lower-case words joined by single hyphens. */
static const char *
slug_check(const struct field_ctx *fc, const json_t *value, char *msg, size_t msgsz)
{
	const char *s = json_string_value(value);
	size_t i, n = strlen(s);

	(void)fc;
	for (i = 0; i < n; i++) {
		int alnum = (s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9');
		if (alnum || (s[i] == '-' && i > 0 && i + 1 < n && s[i - 1] != '-'))
			continue;
		snprintf(msg, msgsz, "slug must be lower-case letters and digits, in words "
		                     "joined by single hyphens");
		return msg;
	}
	return NULL;
}

static const struct field company_fields[] = {
	{.name = "name", .label = "Name", .kind = FIELD_STRING, .min = 1, .max = 100,
	    .flags = FIELD_REQUIRED},
	{.name = "slug", .label = "Slug", .kind = FIELD_STRING, .min = 1, .max = 64,
	    .flags = FIELD_REQUIRED, .check = slug_check},
};
static const char *const company_cols[] = {"name", "slug", NULL};
static const struct resource_filter company_filters[] = {{"name", FILTER_CONTAINS}};

const struct field_table reg_company_body = FIELD_TABLE("Company", company_fields);

/* What a row holds besides its fields (STMT_COMPANY_GET). */
static const struct field_table company_out = {"Company", reg_row_fields, REG_ROW_NFIELDS};

const struct resource reg_companies = {
	.type = "company",
	.fields = company_fields,
	.nfields = sizeof(company_fields) / sizeof(company_fields[0]),
	.out = &company_out,
	.insert_cols = company_cols,
	.update_cols = company_cols,
	.filters = company_filters,
	.nfilters = 1,
	.list = STMT_COMPANY_LIST,
	.get = STMT_COMPANY_GET,
	.insert = STMT_COMPANY_INSERT,
	.update = STMT_COMPANY_UPDATE,
	.del = STMT_COMPANY_DELETE,
	.unique = "slug",
	.invalidates = GEN_BIT(GEN_APPS), /* its installations go with it */
};

static const struct field member_fields[] = {
	{.name = "email", .label = "Email", .kind = FIELD_EMAIL, .flags = FIELD_REQUIRED},
	{.name = "first_name", .label = "First name", .kind = FIELD_STRING, .min = 0, .max = 100},
	{.name = "last_name", .label = "Last name", .kind = FIELD_STRING, .min = 0, .max = 100},
};
const struct field_table reg_member_body = FIELD_TABLE("MemberNew", member_fields);

/* A membership as rows hold it (STMT_MEMBER_GET): its id, the person's. */
static const struct field member_row_fields[] = {
	{.name = "id", .kind = FIELD_ID},
	{.name = "company_id", .kind = FIELD_ID},
	{.name = "user_id", .kind = FIELD_ID},
	{.name = "email", .kind = FIELD_EMAIL},
	{.name = "first_name", .kind = FIELD_STRING},
	{.name = "last_name", .kind = FIELD_STRING},
	{.name = "created_at", .kind = FIELD_TIME},
};
const struct field_table reg_member_row = FIELD_TABLE("Member", member_row_fields);

/* An installed application as rows hold it (STMT_INSTALL_LIST). */
static const struct field install_row_fields[] = {
	{.name = "id", .kind = FIELD_ID},
	{.name = "name", .kind = FIELD_STRING},
	{.name = "installed_at", .kind = FIELD_TIME},
};
const struct field_table reg_install_row = FIELD_TABLE("InstalledApp", install_row_fields);

static const struct field install_fields[] = {
	{.name = "app_id", .label = "Application", .kind = FIELD_ID, .flags = FIELD_REQUIRED},
};
const struct field_table reg_install_body = FIELD_TABLE("Installation", install_fields);

/* What the audit log says about membership ROW. */
static json_t *
member_details(const json_t *row)
{
	return json_pack("{s:O, s:O, s:O}", "company_id", json_object_get(row, "company_id"),
	    "user_id", json_object_get(row, "user_id"), "email", json_object_get(row, "email"));
}

/* Audit the new membership ROW, and the new person (IN) when CREATED. */
static OST_MUST_CHECK enum ost_err
audit_member(struct change *ch, const json_t *in, const json_t *row, int created)
{
	long long uid = json_integer_value(json_object_get(row, "user_id"));
	json_t *d = member_details(row);
	enum ost_err err = d ? OST_OK : OST_ERR_NOMEM;

	if (!err && created)
		err = change_audit(ch, "user.create", "user", uid, in);
	if (!err)
		err = change_audit(ch, "membership.create", "membership",
		    json_integer_value(json_object_get(row, "id")), d);
	json_decref(d);
	return err;
}

enum ost_err
reg_member_add(const struct op *op, long long company, const json_t *in, json_t **row)
{
	long long id = 0, uid = 0;
	int created = 0;
	struct change ch;
	enum ost_err err = change_begin(&ch, op);

	*row = NULL;
	if (err)
		return err;
	if (!(err = store_company_exists(company)))
		err = store_member_add(company, json_string_value(json_object_get(in, "email")),
		    json_string_value(json_object_get(in, "first_name")),
		    json_string_value(json_object_get(in, "last_name")), &id, &uid, &created);
	if (!err)
		err = store_member_get(company, id, row);
	if (!err)
		err = audit_member(&ch, in, *row, created);
	if ((err = change_end(&ch, err))) {
		json_decref(*row);
		*row = NULL;
	}
	return err;
}

enum ost_err
reg_member_remove(const struct op *op, long long company, long long id)
{
	json_t *row = NULL, *d = NULL, *taken = NULL;
	struct change ch;
	enum ost_err err = change_begin(&ch, op);

	if (err)
		return err;
	change_invalidates(&ch, GEN_BIT(GEN_PEOPLE));
	/* the member's own connections go, revoked once this commits */
	if (!(err = store_member_get(company, id, &row)) &&
	    !(err = broker_take(&ch, CONN_OF_MEMBER, id, 0, "membership removed", &taken)) &&
	    !(err = store_member_delete(company, id))) {
		d = member_details(row);
		err = d ? change_audit(&ch, "membership.delete", "membership", id, d) : OST_ERR_NOMEM;
	}
	json_decref(d);
	json_decref(row);
	if (!(err = change_end(&ch, err)))
		broker_revoke_taken(op->app, taken);
	broker_taken_free(taken);
	return err;
}

/* The event of an installation: the application learns it is (no longer)
 * installed in COMPANY. */
static OST_MUST_CHECK enum ost_err
install_event(struct change *ch, long long company, long long app, int install)
{
	json_t *data = json_pack("{s:I, s:I, s:b}", "app_id", (json_int_t)app, "company_id",
	    (json_int_t)company, "installed", install);
	enum ost_err err = data ? change_event(ch, app, install ? "app.installed" : "app.uninstalled",
	                              company, data)
	                        : OST_ERR_NOMEM;

	json_decref(data);
	return err;
}

enum ost_err
reg_install(const struct op *op, long long company, long long app, int install, json_t **row)
{
	json_t *found = NULL, *rows = NULL, *details = NULL, *taken = NULL;
	struct change ch;
	enum ost_err err = change_begin(&ch, op);

	if (row)
		*row = NULL;
	if (err)
		return err;
	if (!install) /* a check in the company no longer lets the application through */
		change_invalidates(&ch, GEN_BIT(GEN_APPS));
	if (!(err = store_company_exists(company)) && !(err = store_install_app(app, &found)) &&
	    !install) /* its connections in the company go, revoked once this commits */
		err = broker_take(&ch, CONN_OF_INSTALL, app, company, "application uninstalled", &taken);
	if (!err && found)
		err = install ? store_install_add(company, app) : store_install_remove(company, app);
	if (!err && !(details = json_pack("{s:I, s:O}", "app_id", (json_int_t)app, "name",
	                  json_object_get(found, "name"))))
		err = OST_ERR_NOMEM;
	if (!err)
		err = change_audit(&ch, install ? "app.install" : "app.uninstall", "company", company,
		    details);
	if (!err)
		err = install_event(&ch, company, app, install);
	if (!err && install && row && !(err = store_install_list(company, app - 1, 1, &rows)))
		*row = json_incref(json_array_get(rows, 0));
	json_decref(rows);
	json_decref(details);
	json_decref(found);
	if (!(err = change_end(&ch, err)))
		broker_revoke_taken(op->app, taken);
	broker_taken_free(taken);
	return err;
}
