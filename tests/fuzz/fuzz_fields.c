/* fuzz_fields.c - libFuzzer harness: request bodies against the field tables
 * (valid/fields.c, valid/app_rules.c: the identity sheet of an application,
 * people, suites, projects, companies, members, app users, server variables)
 *
 * Input: byte 0 picks the table, byte 1 the way (bit 0: a form body, else
 * JSON; bit 1: an update, else a create); the rest is the body. A JSON
 * string body is also handed to every list-entry rule. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "api/app_users.h"
#include "api/apps.h"
#include "api/companies.h"
#include "api/server_vars.h"
#include "api/suites.h"
#include "api/users.h"
#include "crypto/crypto.h"
#include "http/form.h"
#include "valid/app_rules.h"
#include "valid/fields.h"

static const char *const ignore_keys[] = {"csrf", "version", "format", NULL};

static const field_check items[] = {app_item_ip, app_item_permission, app_item_origin,
	app_item_origin_dev, app_item_redirect_uri, app_item_redirect_uri_dev,
	app_check_group_id, app_check_icon_url, app_check_events_url,
	app_check_events_url_dev, app_check_domain, app_check_domain_dev,
	app_check_public_key, app_check_certificate};

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	crypto_init(64);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct {
		const struct field *fields;
		size_t n;
	} tables[] = {
		{apps_resource.fields, apps_resource.nfields},
		{apps_resource_dev.fields, apps_resource_dev.nfields},
		{users_resource.fields, users_resource.nfields},
		{suites_resource.fields, suites_resource.nfields},
		{projects_resource.fields, projects_resource.nfields},
		{companies_resource.fields, companies_resource.nfields},
		{member_fields, member_nfields},
		{app_users_add_fields, APP_USERS_ADD_NFIELDS},
		{server_vars_declare_fields, SERVER_VARS_DECLARE_NFIELDS},
		{apps_rotate_fields, APPS_ROTATE_NFIELDS},
	};
	struct field_error err;
	json_error_t jerr;
	json_t *input = NULL, *out = NULL;
	char msg[FIELD_MSG_MAX];
	size_t t, i;
	int form, update;

	if (size < 2)
		return 0;
	t = data[0] % (sizeof(tables) / sizeof(tables[0]));
	form = data[1] & 1;
	update = (data[1] >> 1) & 1;
	data += 2;
	size -= 2;
	if (form) {
		input = json_object();
		if (input && form_decode((const char *)data, size, input)) {
			json_decref(input);
			return 0;
		}
	} else {
		/* as request.c decodes a JSON body */
		input = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &jerr);
		if (json_is_string(input))
			for (i = 0; i < sizeof(items) / sizeof(items[0]); i++)
				(void)items[i](input, msg, sizeof(msg));
		if (!json_is_object(input)) {
			json_decref(input);
			return 0;
		}
	}
	memset(&err, 0, sizeof(err));
	(void)fields_apply(tables[t].fields, tables[t].n, input, form,
	    update ? FIELDS_UPDATE : FIELDS_CREATE, ignore_keys, &out, &err);
	json_decref(out);
	json_decref(input);
	return 0;
}
