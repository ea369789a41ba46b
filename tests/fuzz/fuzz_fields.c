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

#include "registry/app_users.h"
#include "registry/apps.h"
#include "registry/companies.h"
#include "registry/people.h"
#include "registry/server_vars.h"
#include "registry/suites.h"
#include "registry/tokens.h"
#include "crypto/crypto.h"
#include "http/form.h"
#include "valid/app_rules.h"
#include "valid/fields.h"

static const field_check items[] = {app_item_ip, app_item_permission, app_item_origin,
	app_item_redirect_uri, app_check_group_id, app_check_icon_url, app_check_events_url,
	app_check_domain, app_check_public_key, app_check_certificate};

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
	const struct field_table *tables[] = {&reg_app_body, &reg_person_body, &reg_suite_body,
		&reg_project_body, &reg_company_body, &reg_member_body, &reg_install_body,
		&reg_app_user_body, &reg_app_user_enable_body, &reg_svar_declare_body,
		&reg_svar_update_body, &reg_svar_value_body, &reg_rotate_body, &reg_token_body,
		&reg_person_change_body};
	/* every check runs under production and development rules */
	const struct field_ctx fc[2] = {{0}, {.development = 1}};
	struct field_error err;
	json_error_t jerr;
	json_t *input = NULL, *out = NULL;
	char msg[FIELD_MSG_MAX];
	size_t t, i;
	int form, update, dev;

	if (size < 2)
		return 0;
	t = data[0] % (sizeof(tables) / sizeof(tables[0]));
	form = data[1] & 1;
	update = (data[1] >> 1) & 1;
	dev = (data[1] >> 2) & 1;
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
				(void)items[i](&fc[dev], input, msg, sizeof(msg));
		if (!json_is_object(input)) {
			json_decref(input);
			return 0;
		}
	}
	memset(&err, 0, sizeof(err));
	/* refusals are expected: the fuzzer looks for crashes, not answers */
	ost_ignore(fields_apply(&fc[dev], tables[t]->fields, tables[t]->n, input, form,
	    update ? FIELDS_UPDATE : FIELDS_CREATE, fields_ignored, &out, &err));
	json_decref(out);
	json_decref(input);
	return 0;
}
