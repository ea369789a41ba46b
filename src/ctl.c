/* ctl.c - ostiumctl: migrate, create-admin, create-token, gen-keys, purge */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "auth/auth.h"
#include "auth/password.h"
#include "core/config.h"
#include "core/gen.h"
#include "crypto/crypto.h"
#include "crypto/secret.h"
#include "oauth/oauth.h"
#include "store/db.h"
#include "store/generations.h"
#include "registry/change.h"
#include "store/migrate.h"
#include "registry/people.h"
#include "registry/tokens.h"
#include "store/user.h"
#include "valid/valid.h"

static void
usage(FILE *f)
{
	fprintf(f, "usage: ostiumctl [-c CONFIG] COMMAND\n"
	           "  migrate                 apply the missing migrations of sql/\n"
	           "  create-admin EMAIL      a SUPER_ADMINISTRATOR; prints its password once\n"
	           "  create-token EMAIL [NAME]  a personal API token; printed once\n"
	           "  gen-keys                write the pepper and key files (mode 0600)\n"
	           "  purge                   remove expired OAuth tokens, codes and jti records\n"
	           "  invalidate              make this host's workers forget the credential checks\n"
	           "                          they cached (after editing the database by hand)\n");
}

static int
cmd_migrate(const struct config *cfg)
{
	char sql_dir[CONFIG_PATH_MAX + 8], errbuf[1200];
	unsigned applied = 0;

	snprintf(sql_dir, sizeof(sql_dir), "%s/sql", cfg->data_dir);
	if (store_migrate(cfg, sql_dir, &applied, errbuf, sizeof(errbuf))) {
		fprintf(stderr, "ostiumctl: migrate: %s\n", errbuf);
		return 1;
	}
	printf("migrations applied: %u\n", applied);
	return 0;
}

/* What ostiumctl's changes are audited as: the system, from the command line. */
static const struct op ctl_op = {
	.actor_type = "system",
	.actor = "ostiumctl",
	.address = "",
	.request_id = "",
};

static int
cmd_create_admin(const struct config *cfg, const char *email)
{
	char password[32], phc[CRYPTO_PHC_MAX];
	uint8_t raw[18];
	const char *problem;
	long long id = 0;
	enum ost_err err;

	if ((problem = valid_email(email))) {
		fprintf(stderr, "ostiumctl: create-admin: %s\n", problem);
		return 2;
	}
	crypto_random(raw, sizeof(raw));
	err = crypto_b64url_encode(raw, sizeof(raw), password, sizeof(password));
	crypto_wipe(raw, sizeof(raw));
	if (!err)
		err = auth_password_hash(cfg, password, phc, sizeof(phc));
	if (!err)
		err = reg_admin_create(&ctl_op, email, phc, &id);
	if (err) {
		fprintf(stderr, "ostiumctl: create-admin: %s\n",
		    err == OST_ERR_CONFLICT ? "a person with this email exists already"
		                            : ost_strerror(err));
		crypto_wipe(password, sizeof(password));
		return 1;
	}
	printf("email: %s\npassword: %s\n", email, password);
	crypto_wipe(password, sizeof(password));
	return 0;
}

static int
cmd_create_token(const char *email, const char *name)
{
	json_t *row = NULL, *tree = NULL, *body = NULL, *in = NULL;
	struct field_error why = {0};
	const char *problem = valid_name(name, 1, 100);
	enum ost_err err = OST_OK;

	/* jansson takes only UTF-8: say what is wrong with the bytes first */
	if (problem)
		err = op_refuse(&why, OST_ERR_INVALID, "name", problem);
	else if (!(body = json_pack("{s:s}", "name", name)))
		err = OST_ERR_NOMEM;
	if (!err)
		err = store_user_by_email(email, &row);

	if (!err && !auth_roles_parse(json_string_value(json_object_get(row, "roles"))))
		err = OST_ERR_FORBIDDEN;
	if (!err)
		err = fields_apply(&ctl_op.fields, reg_token_body.fields, reg_token_body.n, body, 0,
		    FIELDS_CREATE, NULL, &in, &why);
	if (!err)
		err = reg_token_create(&ctl_op, json_integer_value(json_object_get(row, "id")), in,
		    &tree, &why);
	json_decref(in);
	json_decref(body);
	json_decref(row);
	if (err) {
		fprintf(stderr, "ostiumctl: create-token: %s\n",
		    err == OST_ERR_NOT_FOUND   ? "no such person"
		    : err == OST_ERR_FORBIDDEN ? "this person is not a console administrator"
		    : err == OST_ERR_INVALID   ? why.message
		                               : ost_strerror(err));
		return 1;
	}
	printf("token: %s\n", json_string_value(json_object_get(tree, "token")));
	json_decref(tree);
	return 0;
}

static int
cmd_gen_keys(const struct config *cfg)
{
	struct {
		const char *path, *prefix;
	} files[] = {{cfg->pepper_file, ""}, {cfg->key_file, "1 "}};
	enum ost_err err;
	size_t i;
	int rc = 0;

	for (i = 0; i < 2; i++) {
		err = crypto_secret_write(files[i].path, files[i].prefix, 32);
		if (err)
			fprintf(stderr, "ostiumctl: gen-keys: %s: %s\n", files[i].path,
			    err == OST_ERR_CONFLICT ? "exists already; not overwritten"
			                            : "cannot be written");
		else
			printf("wrote %s\n", files[i].path);
		rc |= err != OST_OK;
	}
	return rc;
}

static int
cmd_purge(void)
{
	unsigned long long removed = 0;
	enum ost_err err = oauth_purge_now(&removed);

	if (err) {
		fprintf(stderr, "ostiumctl: purge: %s\n", ost_strerror(err));
		return 1;
	}
	printf("removed: %llu\n", removed);
	return 0;
}

static enum ost_err
bump_rows(void *arg)
{
	(void)arg;
	return store_generations_bump(GEN_ALL);
}

static int
cmd_invalidate(void)
{
	enum ost_err err;

	if (!gen_shared()) {
		fprintf(stderr, "ostiumctl: invalidate: the shared generation counters could not be "
		                "mapped\n");
		return 1;
	}
	gen_bump(GEN_ALL);
	/* the other hosts see it through the database's counters */
	if ((err = bookkeeping_run(bump_rows, NULL))) {
		fprintf(stderr, "ostiumctl: invalidate: this host's workers forgot their checks, "
		                "but the database's counters could not be moved (%s)\n",
		    ost_strerror(err));
		return 1;
	}
	printf("invalidated\n");
	return 0;
}

/* Run COMMAND with its ARGC arguments ARGV. */
static int
run(const struct config *cfg, const char *command, int argc, char **argv)
{
	if (strcmp(command, "gen-keys") == 0 && argc == 0)
		return cmd_gen_keys(cfg);
	if (strcmp(command, "migrate") == 0 && argc == 0)
		return cmd_migrate(cfg);
	if (db_init(cfg)) {
		fprintf(stderr, "ostiumctl: cannot read %s\n", cfg->db_password_file);
		return 1;
	}
	if (strcmp(command, "create-admin") == 0 && argc == 1)
		return cmd_create_admin(cfg, argv[0]);
	if (strcmp(command, "create-token") == 0 && (argc == 1 || argc == 2))
		return cmd_create_token(argv[0], argc == 2 ? argv[1] : "ostiumctl");
	if (strcmp(command, "purge") == 0 && argc == 0)
		return cmd_purge();
	if (strcmp(command, "invalidate") == 0 && argc == 0)
		return cmd_invalidate();
	usage(stderr);
	return 2;
}

int
main(int argc, char **argv)
{
	char path[1024], errbuf[1200];
	struct config cfg;
	int opt, rc;

	snprintf(path, sizeof(path), "%s/ostium/ostium.conf", OST_SYSCONFDIR);
	while ((opt = getopt(argc, argv, "c:h")) != -1) {
		if (opt == 'c')
			snprintf(path, sizeof(path), "%s", optarg);
		else {
			usage(opt == 'h' ? stdout : stderr);
			return opt == 'h' ? 0 : 2;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return 2;
	}
	if (config_load(path, &cfg, errbuf, sizeof(errbuf))) {
		fprintf(stderr, "ostiumctl: %s\n", errbuf);
		return 1;
	}
	if (crypto_init(64)) {
		fprintf(stderr, "ostiumctl: libgcrypt could not be initialised\n");
		return 1;
	}
	rc = run(&cfg, argv[optind], argc - optind - 1, argv + optind + 1);
	db_close();
	return rc;
}
