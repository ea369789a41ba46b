/* stmt.c - the text of every SQL statement Ostium runs, with ? placeholders */
#include "store/stmt.h"

#include <stddef.h>

#include "valid/app_fields.h"

#define USER_COLS "u.id, u.email, u.first_name, u.last_name, u.enabled, u.roles"

static const char *const sql[STMT__COUNT] = {
	[STMT_SCHEMA_VERSION] = "SELECT CAST(COALESCE(MAX(version), 0) AS SIGNED) AS version FROM schema_migrations",
	[STMT_USER_BY_EMAIL] = "SELECT " USER_COLS ", u.password_hash FROM users u WHERE u.email = ?",
	/* What users.email compares equal by (its collation: case, accents, trailing
	 * spaces), as SHA-256 hex: one throttle bucket for every spelling that
	 * finds the same person */
	[STMT_EMAIL_FOLD] = "SELECT SHA2(WEIGHT_STRING(RTRIM(CONVERT(? USING utf8mb4)) "
	                    "COLLATE utf8mb4_unicode_ci), 256) AS fold",
	[STMT_USER_INSERT] = "INSERT INTO users (email, first_name, last_name, password_hash) "
	                     "VALUES (?, ?, ?, ?)",
	[STMT_USER_SET_ROLES] = "UPDATE users SET roles = ? WHERE id = ?",
	[STMT_SESSION_INSERT] = "INSERT INTO sessions (hash, user_id, expires_at, address, user_agent) "
	                        "VALUES (?, ?, UTC_TIMESTAMP() + INTERVAL ? SECOND, ?, ?)",
	[STMT_SESSION_LOOKUP] = "SELECT s.id AS session_id, s.expires_at <= UTC_TIMESTAMP() AS expired, "
	                        USER_COLS " FROM sessions s JOIN users u ON u.id = s.user_id "
	                        "WHERE s.hash = ?",
	[STMT_SESSION_DELETE] = "DELETE FROM sessions WHERE hash = ?",
	[STMT_SESSION_PURGE] = "DELETE FROM sessions WHERE user_id = ? AND expires_at <= UTC_TIMESTAMP()",
	/* expires_at: so many days from now, else the time given, else none */
	[STMT_TOKEN_INSERT] = "INSERT INTO api_tokens (user_id, name, hash, expires_at) "
	                      "VALUES (?, ?, ?, COALESCE(UTC_TIMESTAMP() + INTERVAL ? DAY, ?))",
	[STMT_TOKEN_LOOKUP] = "SELECT t.id AS token_id, t.revoked_at IS NOT NULL AS revoked, "
	                      "t.expires_at IS NOT NULL AND t.expires_at <= UTC_TIMESTAMP() AS expired, "
	                      "t.last_used_at IS NULL OR t.last_used_at < UTC_TIMESTAMP() - INTERVAL 60 SECOND AS stale, "
	                      "TIMESTAMPDIFF(SECOND, UTC_TIMESTAMP(), t.expires_at) AS ttl, "
	                      USER_COLS " FROM api_tokens t JOIN users u ON u.id = t.user_id "
	                      "WHERE t.hash = ?",
#define TOKEN_COLS "id, name, created_at, expires_at, last_used_at, revoked_at, " \
	"CASE WHEN revoked_at IS NOT NULL THEN 'revoked' " \
	"WHEN expires_at <= UTC_TIMESTAMP() THEN 'expired' ELSE 'active' END AS state FROM api_tokens"
	[STMT_TOKEN_LIST] = "SELECT " TOKEN_COLS " WHERE user_id = ? ORDER BY id DESC LIMIT 200",
	[STMT_TOKEN_REVOKE] = "UPDATE api_tokens SET revoked_at = UTC_TIMESTAMP() "
	                      "WHERE id = ? AND user_id = ? AND revoked_at IS NULL",
	[STMT_TOKEN_TOUCH] = "UPDATE api_tokens SET last_used_at = UTC_TIMESTAMP() WHERE id = ?",
	[STMT_THROTTLE_COUNT] = "SELECT failures, TIMESTAMPDIFF(SECOND, UTC_TIMESTAMP(), "
	                        "window_start + INTERVAL ? SECOND) AS retry_after FROM throttle "
	                        "WHERE bucket = ? AND window_start > UTC_TIMESTAMP() - INTERVAL ? SECOND",
	/* Assignments run left to right: failures is reset first when the window
	 * has passed, and window_start follows a reset (failures = 1). */
	[STMT_THROTTLE_FAIL] = "INSERT INTO throttle (bucket, failures, window_start) "
	                       "VALUES (?, 1, UTC_TIMESTAMP()) ON DUPLICATE KEY UPDATE "
	                       "failures = IF(window_start <= UTC_TIMESTAMP() - INTERVAL ? SECOND, 1, failures + 1), "
	                       "window_start = IF(failures = 1, UTC_TIMESTAMP(), window_start)",
	[STMT_THROTTLE_CLEAR] = "DELETE FROM throttle WHERE bucket = ?",

	[STMT_AUDIT_INSERT] = "INSERT INTO audit_log (actor_type, actor_id, actor, action, object_type, "
	                      "object_id, address, request_id, details) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
	[STMT_AUDIT_LIST] = "SELECT id, at, actor_type, actor_id, actor, action, object_type, object_id, "
	                    "address, request_id, details, 0 AS shortened FROM audit_log "
	                    "WHERE (? = 0 OR id < ?) AND (? = '' OR object_type = ?) "
	                    "AND (? = '' OR object_id = ?) AND (? = '' OR action = ?) "
	                    "AND (? = 0 OR actor_id = ?) ORDER BY id DESC LIMIT ?",

#define SUITE_COLS "id, name, description, version, created_at, updated_at"
	[STMT_SUITE_LIST] = "SELECT " SUITE_COLS " FROM suites WHERE id > ? "
	                    "AND (? = '' OR name LIKE ?) ORDER BY id LIMIT ?",
	[STMT_SUITE_GET] = "SELECT " SUITE_COLS " FROM suites WHERE id = ?",
	[STMT_SUITE_INSERT] = "INSERT INTO suites (name, description) VALUES (?, ?)",
	[STMT_SUITE_UPDATE] = "UPDATE suites SET name = ?, description = ?, version = version + 1, "
	                      "updated_at = UTC_TIMESTAMP() WHERE id = ? AND version = ?",
	[STMT_SUITE_DELETE] = "DELETE FROM suites WHERE id = ?",

#define PROJECT_COLS "id, suite_id, name, description, version, created_at, updated_at"
	[STMT_PROJECT_LIST] = "SELECT " PROJECT_COLS " FROM projects WHERE id > ? "
	                      "AND (? = 0 OR suite_id = ?) AND (? = '' OR name LIKE ?) "
	                      "ORDER BY id LIMIT ?",
	[STMT_PROJECT_GET] = "SELECT " PROJECT_COLS " FROM projects WHERE id = ?",
	[STMT_PROJECT_INSERT] = "INSERT INTO projects (suite_id, name, description) VALUES (?, ?, ?)",
	[STMT_PROJECT_UPDATE] = "UPDATE projects SET name = ?, description = ?, version = version + 1, "
	                        "updated_at = UTC_TIMESTAMP() WHERE id = ? AND version = ?",
	[STMT_PROJECT_DELETE] = "DELETE FROM projects WHERE id = ?",

	/* companies, memberships, installations, people (part A) */
#define COMPANY_COLS "id, name, slug, version, created_at, updated_at"
	[STMT_COMPANY_LIST] = "SELECT " COMPANY_COLS " FROM companies WHERE id > ? "
	                      "AND (? = '' OR name LIKE ?) ORDER BY id LIMIT ?",
	[STMT_COMPANY_GET] = "SELECT " COMPANY_COLS " FROM companies WHERE id = ?",
	[STMT_COMPANY_INSERT] = "INSERT INTO companies (name, slug) VALUES (?, ?)",
	[STMT_COMPANY_UPDATE] = "UPDATE companies SET name = ?, slug = ?, version = version + 1, "
	                        "updated_at = UTC_TIMESTAMP() WHERE id = ? AND version = ?",
	[STMT_COMPANY_DELETE] = "DELETE FROM companies WHERE id = ?",
#define MEMBER_COLS "m.id, m.company_id, m.user_id, u.email, u.first_name, u.last_name, " \
	"m.created_at FROM memberships m JOIN users u ON u.id = m.user_id"
	[STMT_MEMBER_LIST] = "SELECT " MEMBER_COLS " WHERE m.company_id = ? AND m.id > ? "
	                     "ORDER BY m.id LIMIT ?",
	[STMT_MEMBER_GET] = "SELECT " MEMBER_COLS " WHERE m.company_id = ? AND m.id = ?",
	[STMT_MEMBER_INSERT] = "INSERT INTO memberships (company_id, user_id) VALUES (?, ?)",
	[STMT_MEMBER_DELETE] = "DELETE FROM memberships WHERE company_id = ? AND id = ?",
	[STMT_INSTALL_APP_GET] = "SELECT id, name FROM apps WHERE id = ?",
	[STMT_INSTALL_LIST] = "SELECT a.id, a.name, i.created_at AS installed_at FROM app_installs i "
	                      "JOIN apps a ON a.id = i.app_id WHERE i.company_id = ? AND i.app_id > ? "
	                      "ORDER BY i.app_id LIMIT ?",
	[STMT_INSTALL_INSERT] = "INSERT INTO app_installs (company_id, app_id) VALUES (?, ?)",
	[STMT_INSTALL_DELETE] = "DELETE FROM app_installs WHERE company_id = ? AND app_id = ?",
	/* roles as a JSON list, parsed by the resource store like any list field */
#define PERSON_COLS "u.id, u.email, u.first_name, u.last_name, u.enabled, " \
	"IF(u.roles = '', '[]', CONCAT('[\"', REPLACE(u.roles, ',', '\",\"'), '\"]')) AS roles, " \
	"u.version, u.created_at, u.updated_at FROM users u"
	[STMT_PERSON_LIST] = "SELECT " PERSON_COLS " WHERE u.id > ? AND (? = '' OR u.email LIKE ?) "
	                     "AND (? = '' OR CONCAT(u.first_name, ' ', u.last_name) LIKE ?) "
	                     "AND (? < 0 OR u.enabled = ?) ORDER BY u.id LIMIT ?",
	[STMT_PERSON_GET] = "SELECT " PERSON_COLS " WHERE u.id = ?",
	[STMT_PERSON_INSERT] = "INSERT INTO users (email, first_name, last_name, password_hash, enabled) "
	                       "VALUES (?, ?, ?, ?, ?)",
	[STMT_PERSON_UPDATE] = "UPDATE users SET email = ?, first_name = ?, last_name = ?, enabled = ?, "
	                       "version = version + 1, updated_at = UTC_TIMESTAMP() "
	                       "WHERE id = ? AND version = ?",
	[STMT_PERSON_DELETE] = "DELETE FROM users WHERE id = ?",
	[STMT_PERSON_SET_PASSWORD] = "UPDATE users SET password_hash = ? WHERE id = ?",

	[STMT_APP_EXISTS] = "SELECT id FROM apps WHERE id = ?",
#define APP_USER_COLS "au.user_id AS id, u.email, u.first_name, u.last_name, au.enabled, " \
	"au.version, au.created_at, au.updated_at FROM app_users au JOIN users u ON u.id = au.user_id"
	[STMT_APP_USER_LIST] = "SELECT " APP_USER_COLS " WHERE au.app_id = ? AND au.user_id > ? "
	                       "AND (? < 0 OR au.enabled = ?) AND (? = '' OR u.email LIKE ?) "
	                       "ORDER BY au.user_id LIMIT ?",
	[STMT_APP_USER_GET] = "SELECT " APP_USER_COLS " WHERE au.app_id = ? AND au.user_id = ?",
	[STMT_APP_USER_INSERT] = "INSERT INTO app_users (app_id, user_id) VALUES (?, ?)",
	[STMT_APP_USER_SET_ENABLED] = "UPDATE app_users SET enabled = ?, version = version + 1, "
	                              "updated_at = UTC_TIMESTAMP() WHERE app_id = ? AND user_id = ? "
	                              "AND version = ?",
	[STMT_APP_USER_DELETE] = "DELETE FROM app_users WHERE app_id = ? AND user_id = ?",

#define SVAR_COLS "name, description, is_secret, is_required, IF(is_secret, NULL, value) AS value, " \
	"(value IS NOT NULL OR value_enc IS NOT NULL) AS is_set, version, created_at, updated_at " \
	"FROM app_server_vars"
	[STMT_SVAR_LIST] = "SELECT " SVAR_COLS " WHERE app_id = ? AND name > ? ORDER BY name LIMIT ?",
	[STMT_SVAR_GET] = "SELECT " SVAR_COLS " WHERE app_id = ? AND name = ?",
	/* a locking read: what is committed now, whatever the change read before */
	[STMT_SVAR_COUNT] = "SELECT COUNT(*) AS n FROM app_server_vars WHERE app_id = ? "
	                    "LOCK IN SHARE MODE",
	[STMT_SVAR_INSERT] = "INSERT INTO app_server_vars (app_id, name, description, is_secret, "
	                     "is_required) VALUES (?, ?, ?, ?, ?)",
	[STMT_SVAR_UPDATE] = "UPDATE app_server_vars SET description = ?, is_required = ?, "
	                     "version = version + 1, updated_at = UTC_TIMESTAMP() "
	                     "WHERE app_id = ? AND name = ? AND version = ?",
	[STMT_SVAR_SET_VALUE] = "UPDATE app_server_vars SET value = ?, value_enc = ?, key_id = ?, "
	                        "version = version + 1, updated_at = UTC_TIMESTAMP() "
	                        "WHERE app_id = ? AND name = ? AND version = ?",
	[STMT_SVAR_DELETE] = "DELETE FROM app_server_vars WHERE app_id = ? AND name = ?",

	/* Application API authentication (auth/app_auth.c): the one indexed
	 * lookup of a call, and the throttle counters read only when it fails. */
	[STMT_APP_AUTH_LOOKUP] =
	    "SELECT a.id" APP_FIELDS(APP_SHEET_COL_) ", a.public_id, a.allowed_ips, a.allowed_origins, "
	    "HEX(a.key_hash) AS key_hash, IF(a.previous_key_expires_at > UTC_TIMESTAMP(), "
	    "HEX(a.previous_key_hash), NULL) AS previous_key_hash, "
	    "TIMESTAMPDIFF(SECOND, UTC_TIMESTAMP(), a.previous_key_expires_at) AS previous_key_ttl, "
	    "c.id AS company_id, c.name AS company_name, c.slug AS company_slug "
	    "FROM apps a LEFT JOIN app_installs i ON i.app_id = a.id AND i.company_id = ? "
	    "LEFT JOIN companies c ON c.id = i.company_id WHERE a.public_id = ?",
#define APP_AUTH_BUCKET(what) \
	"(SELECT " what " FROM throttle WHERE bucket = ? " \
	"AND window_start > UTC_TIMESTAMP() - INTERVAL ? SECOND)"
#define APP_AUTH_RETRY "TIMESTAMPDIFF(SECOND, UTC_TIMESTAMP(), window_start + INTERVAL ? SECOND)"
	[STMT_APP_AUTH_FAILURES] =
	    "SELECT CAST(COALESCE(" APP_AUTH_BUCKET("failures") ", 0) AS SIGNED) AS id_failures, "
	    APP_AUTH_BUCKET(APP_AUTH_RETRY) " AS id_retry, "
	    "CAST(COALESCE(" APP_AUTH_BUCKET("failures") ", 0) AS SIGNED) AS addr_failures, "
	    APP_AUTH_BUCKET(APP_AUTH_RETRY) " AS addr_retry",
	/* Preflight carries no credentials: is the origin any application's? */
	[STMT_APP_ORIGIN_KNOWN] = "SELECT 1 AS known FROM apps WHERE domain = ? "
	                          "OR (? <> '' AND domain_kind = 'host' AND domain = ?) "
	                          "OR JSON_CONTAINS(allowed_origins, JSON_QUOTE(?)) "
	                          "OR JSON_CONTAINS(allowed_origins, '\"*\"') LIMIT 1",

	/* applications: identity sheets and API credentials (part B1); the
	 * key hashes are never selected here */
	/* the columns, their order and the bind order come from APP_FIELDS and
	 * APP_DERIVED */
#define APP_COLS "id" APP_FIELDS(APP_COL_) ", public_id" APP_DERIVED(APP_DCOL_) \
	", previous_key_expires_at, version, created_at, updated_at"
	[STMT_APP_LIST] = "SELECT " APP_COLS " FROM apps WHERE id > ? "
	                  "AND (? = '' OR name LIKE ?) AND (? = 0 OR suite_id = ?) "
	                  "AND (? = 0 OR project_id = ?) AND (? = 0 OR EXISTS (SELECT 1 FROM "
	                  "app_installs i WHERE i.app_id = apps.id AND i.company_id = ?)) "
	                  "ORDER BY id LIMIT ?",
	[STMT_APP_GET] = "SELECT " APP_COLS " FROM apps WHERE id = ?",
	[STMT_APP_INSERT] = "INSERT INTO apps (public_id, key_hash" APP_FIELDS(APP_COL_)
	                    APP_DERIVED(APP_DCOL_) ") "
	                    "VALUES (?, UNHEX(?)" APP_FIELDS(APP_PARAM_) APP_DERIVED(APP_DPARAM_) ")",
	[STMT_APP_UPDATE] = "UPDATE apps SET " APP_FIELDS(APP_SET_) APP_DERIVED(APP_DSET_)
	                    "version = version + 1, "
	                    "updated_at = UTC_TIMESTAMP() WHERE id = ? AND version = ?",
	[STMT_APP_DELETE] = "DELETE FROM apps WHERE id = ?",
	[STMT_APP_GROUP_TAKEN] = "SELECT id FROM apps WHERE app_group_id = ? AND id <> ? LIMIT 1",
	[STMT_APP_USERS_COUNT] = "SELECT COUNT(*) AS n FROM app_users WHERE app_id = ?",
	/* Assignments run left to right: the previous hash takes the current
	 * one before it is replaced. */
	[STMT_APP_ROTATE_KEY] = "UPDATE apps SET previous_key_hash = key_hash, "
	                        "previous_key_expires_at = UTC_TIMESTAMP() + INTERVAL ? SECOND, "
	                        "key_hash = ?, version = version + 1, updated_at = UTC_TIMESTAMP() "
	                        "WHERE id = ? AND version = ?",

	/* security review (issue 13) */
	/* One failure slot of a bucket taken before a password is checked, in
	 * one statement, so that the database decides under parallel requests:
	 * a row is inserted (1 affected) or counted up (2), unless it holds
	 * LIMIT failures within the window already, and then nothing changes
	 * (0 affected: refused). A window that has passed starts again with
	 * this failure (window_start is read before it is assigned). */
	[STMT_THROTTLE_TAKE] = "INSERT INTO throttle (bucket, failures, window_start) "
	                       "VALUES (?, 1, UTC_TIMESTAMP()) ON DUPLICATE KEY UPDATE "
	                       "failures = IF(window_start <= UTC_TIMESTAMP() - INTERVAL ? SECOND, 1, "
	                       "IF(failures < ?, failures + 1, failures)), "
	                       "window_start = IF(window_start <= UTC_TIMESTAMP() - INTERVAL ? SECOND, "
	                       "UTC_TIMESTAMP(), window_start)",
	/* A slot taken for an attempt that was not a failure after all. */
	[STMT_THROTTLE_GIVE_BACK] = "UPDATE throttle SET failures = failures - 1 "
	                            "WHERE bucket = ? AND failures > 0",
	/* Every session of a person but the one with the given hash (NULL: all). */
	[STMT_SESSION_END_OTHERS] = "DELETE FROM sessions WHERE user_id = ? AND (? IS NULL OR hash <> ?)",
	[STMT_TOKEN_REVOKE_ALL] = "UPDATE api_tokens SET revoked_at = UTC_TIMESTAMP() "
	                          "WHERE user_id = ? AND revoked_at IS NULL",
	/* Taken first in a change that counts what an application holds: the
	 * changes of one application wait for each other there. */
	[STMT_APP_LOCK] = "SELECT id FROM apps WHERE id = ? FOR UPDATE",
	[STMT_TOKEN_GET] = "SELECT " TOKEN_COLS " WHERE id = ? AND user_id = ?",

	/* the OAuth 2.0 authorization server (store/oauth_*.c): an application
	 * as a client, the key hashes in hex as app_auth reads them */
#define OAUTH_CLIENT_COLS "SELECT a.id, a.public_id, a.name, a.icon_url, a.authenticator, " \
	"a.permissions, a.redirect_uris, a.domain, a.allowed_origins, a.access_token_ttl, " \
	"a.refresh_token_ttl, a.refresh_reuse_grace, a.public_key_current, a.public_key_previous, " \
	"a.certificate, HEX(a.key_hash) AS key_hash, IF(a.previous_key_expires_at > UTC_TIMESTAMP(), " \
	"HEX(a.previous_key_hash), NULL) AS previous_key_hash, " \
	"TIMESTAMPDIFF(SECOND, UTC_TIMESTAMP(), a.previous_key_expires_at) AS previous_key_ttl " \
	"FROM apps a"
	[STMT_OAUTH_CLIENT] = OAUTH_CLIENT_COLS " WHERE a.public_id = ?",
	[STMT_OAUTH_CLIENT_BY_ID] = OAUTH_CLIENT_COLS " WHERE a.id = ?",
	/* a person as a user of an application: app_user_enabled is null when
	 * the person is not one */
#define OAUTH_USER_COLS "SELECT u.id, u.email, u.first_name, u.enabled, u.roles, " \
	"au.enabled AS app_user_enabled FROM users u LEFT JOIN app_users au " \
	"ON au.user_id = u.id AND au.app_id = ?"
	[STMT_OAUTH_USER] = OAUTH_USER_COLS " WHERE u.id = ?",
	[STMT_OAUTH_USER_BY_EMAIL] = OAUTH_USER_COLS " WHERE u.email = ?",
	[STMT_OAUTH_GRANT_INSERT] = "INSERT INTO oauth_grants (app_id, user_id, scope, "
	                            "client_authenticated) VALUES (?, ?, ?, ?)",
	[STMT_OAUTH_GRANT_REVOKE] = "UPDATE oauth_grants SET revoked_at = UTC_TIMESTAMP() "
	                            "WHERE id = ? AND revoked_at IS NULL",
	[STMT_OAUTH_TOKEN_INSERT] = "INSERT INTO oauth_tokens (hash, kind, app_id, user_id, grant_id, "
	                            "scope, expires_at) VALUES (?, ?, ?, ?, ?, ?, "
	                            "UTC_TIMESTAMP() + INTERVAL ? SECOND)",
	/* One token and whether it is active now: not revoked, not expired,
	 * its grant not revoked, its user (if any) enabled both as a person and
	 * as a user of the application and without a console role (a person
	 * who gains one keeps no token); a refresh token rotated out is not
	 * active (in_grace: within the application's reuse grace). */
	[STMT_OAUTH_TOKEN_LOOKUP] =
	    "SELECT t.id, t.kind, t.app_id, t.user_id, t.grant_id, t.scope, "
	    "COALESCE(g.client_authenticated, 0) AS client_authenticated, "
	    "CAST(UNIX_TIMESTAMP(t.created_at) AS SIGNED) AS iat, "
	    "CAST(UNIX_TIMESTAMP(t.expires_at) AS SIGNED) AS exp, "
	    "TIMESTAMPDIFF(SECOND, UTC_TIMESTAMP(), t.expires_at) AS ttl, a.public_id AS client_id, "
	    "u.email, u.first_name, "
	    "(t.revoked_at IS NULL AND t.expires_at > UTC_TIMESTAMP() AND "
	    "(g.id IS NULL OR g.revoked_at IS NULL) AND (t.user_id IS NULL OR "
	    "(u.enabled = 1 AND COALESCE(au.enabled, 0) = 1 AND u.roles = ''))) AS valid, "
	    "t.used_at IS NOT NULL AS used, "
	    "(t.used_at IS NOT NULL AND t.used_at > UTC_TIMESTAMP() - INTERVAL a.refresh_reuse_grace "
	    "SECOND) AS in_grace "
	    "FROM oauth_tokens t JOIN apps a ON a.id = t.app_id "
	    "LEFT JOIN oauth_grants g ON g.id = t.grant_id LEFT JOIN users u ON u.id = t.user_id "
	    "LEFT JOIN app_users au ON au.app_id = t.app_id AND au.user_id = t.user_id "
	    "WHERE t.hash = ?",
	[STMT_OAUTH_TOKEN_REVOKE] = "UPDATE oauth_tokens SET revoked_at = UTC_TIMESTAMP() "
	                            "WHERE id = ? AND revoked_at IS NULL",
	/* The rotation of a refresh token: one conditional UPDATE that changes
	 * exactly one row (uses always grows) while the token is unused, or
	 * used within the reuse grace of ? seconds. */
	[STMT_OAUTH_REFRESH_ROTATE] =
	    "UPDATE oauth_tokens SET used_at = COALESCE(used_at, UTC_TIMESTAMP()), uses = uses + 1 "
	    "WHERE id = ? AND kind = 'refresh' AND revoked_at IS NULL "
	    "AND expires_at > UTC_TIMESTAMP() AND (used_at IS NULL OR "
	    "used_at > UTC_TIMESTAMP() - INTERVAL ? SECOND)",
	[STMT_OAUTH_CODE_INSERT] = "INSERT INTO oauth_codes (hash, app_id, user_id, redirect_uri, scope, "
	                           "code_challenge, expires_at) VALUES (?, ?, ?, ?, ?, ?, "
	                           "UTC_TIMESTAMP() + INTERVAL ? SECOND)",
	[STMT_OAUTH_CODE_LOOKUP] = "SELECT id, app_id, user_id, redirect_uri, scope, code_challenge, "
	                           "expires_at <= UTC_TIMESTAMP() AS expired, "
	                           "used_at IS NOT NULL AS used, grant_id FROM oauth_codes WHERE hash = ?",
	/* The redemption of a code: one conditional UPDATE, exactly one row
	 * changed by the one request that wins. */
	[STMT_OAUTH_CODE_REDEEM] = "UPDATE oauth_codes SET used_at = UTC_TIMESTAMP(), grant_id = ? "
	                           "WHERE id = ? AND used_at IS NULL AND expires_at > UTC_TIMESTAMP()",
	[STMT_OAUTH_CONSENT_GET] = "SELECT scope FROM oauth_consents WHERE app_id = ? AND user_id = ?",
	[STMT_OAUTH_CONSENT_SET] = "INSERT INTO oauth_consents (app_id, user_id, scope) VALUES (?, ?, ?) "
	                           "ON DUPLICATE KEY UPDATE scope = VALUES(scope), "
	                           "updated_at = UTC_TIMESTAMP()",
	[STMT_OAUTH_JTI_INSERT] = "INSERT INTO oauth_jti (app_id, hash, expires_at) "
	                          "VALUES (?, ?, FROM_UNIXTIME(?))",
	[STMT_OAUTH_SIGNIN_INSERT] = "INSERT INTO oauth_signins (hash, user_id, expires_at) "
	                             "VALUES (?, ?, UTC_TIMESTAMP() + INTERVAL ? SECOND)",
	[STMT_OAUTH_SIGNIN_LOOKUP] = "SELECT s.user_id FROM oauth_signins s JOIN users u ON u.id = s.user_id "
	                             "WHERE s.hash = ? AND s.expires_at > UTC_TIMESTAMP() AND u.enabled = 1",
	/* The periodic clean-up, a bounded batch each */
	[STMT_OAUTH_PURGE_TOKENS] = "DELETE FROM oauth_tokens WHERE expires_at < UTC_TIMESTAMP() LIMIT ?",
	[STMT_OAUTH_PURGE_CODES] = "DELETE FROM oauth_codes WHERE expires_at < UTC_TIMESTAMP() "
	                           "- INTERVAL 600 SECOND LIMIT ?",
	[STMT_OAUTH_PURGE_GRANTS] = "DELETE FROM oauth_grants WHERE created_at < UTC_TIMESTAMP() "
	                            "- INTERVAL 600 SECOND AND NOT EXISTS (SELECT 1 FROM oauth_tokens t "
	                            "WHERE t.grant_id = oauth_grants.id) LIMIT ?",
	[STMT_OAUTH_PURGE_JTI] = "DELETE FROM oauth_jti WHERE expires_at < UTC_TIMESTAMP() LIMIT ?",
	[STMT_OAUTH_PURGE_SIGNINS] = "DELETE FROM oauth_signins WHERE expires_at < UTC_TIMESTAMP() LIMIT ?",

	/* a person's new credentials: their remembered OAuth sign-ins end, and
	 * (a password an administrator set) their grants and tokens */
	[STMT_OAUTH_SIGNINS_END] = "DELETE FROM oauth_signins WHERE user_id = ?",
	[STMT_OAUTH_GRANTS_REVOKE_USER] = "UPDATE oauth_grants SET revoked_at = UTC_TIMESTAMP() "
	                                  "WHERE user_id = ? AND revoked_at IS NULL",
	[STMT_OAUTH_TOKENS_REVOKE_USER] = "UPDATE oauth_tokens SET revoked_at = UTC_TIMESTAMP() "
	                                  "WHERE user_id = ? AND revoked_at IS NULL",

	/* the connection broker (store/provider.c, store/connection.c): how
	 * many of the two server variables a provider names have a value */
#define PROVIDER_COLS "p.id, p.app_id, p.name, p.display_name, p.icon, p.type, p.settings, " \
	"(SELECT COUNT(*) FROM app_server_vars v WHERE v.app_id = p.app_id AND v.name IN " \
	"(JSON_VALUE(p.settings, '$.client_id_variable'), JSON_VALUE(p.settings, " \
	"'$.client_secret_variable')) AND (v.value IS NOT NULL OR v.value_enc IS NOT NULL)) " \
	"AS vars_set, p.config_error, p.config_error_at, p.version, p.created_at, p.updated_at " \
	"FROM connection_providers p"
	[STMT_PROVIDER_LIST] = "SELECT " PROVIDER_COLS " WHERE p.app_id = ? AND p.name > ? "
	                       "ORDER BY p.name LIMIT ?",
	[STMT_PROVIDER_GET] = "SELECT " PROVIDER_COLS " WHERE p.app_id = ? AND p.name = ?",
	[STMT_PROVIDER_BY_ID] = "SELECT " PROVIDER_COLS " WHERE p.id = ?",
	[STMT_PROVIDER_COUNT] = "SELECT COUNT(*) AS n FROM connection_providers WHERE app_id = ?",
	[STMT_PROVIDER_INSERT] = "INSERT INTO connection_providers (app_id, name, display_name, icon, "
	                         "type, settings) VALUES (?, ?, ?, ?, ?, ?)",
	[STMT_PROVIDER_UPDATE] = "UPDATE connection_providers SET display_name = ?, icon = ?, "
	                         "settings = ?, config_error = NULL, config_error_at = NULL, "
	                         "version = version + 1, updated_at = UTC_TIMESTAMP() "
	                         "WHERE id = ? AND version = ?",
	[STMT_PROVIDER_DELETE] = "DELETE FROM connection_providers WHERE id = ?",
	[STMT_PROVIDER_CONFIG_ERROR] = "UPDATE connection_providers SET config_error = ?, "
	                               "config_error_at = IF(? = 1, UTC_TIMESTAMP(), NULL) WHERE id = ?",
	[STMT_SVAR_SEALED] = "SELECT IF(is_secret, NULL, value) AS value, HEX(value_enc) AS sealed, "
	                     "key_id, is_secret FROM app_server_vars WHERE app_id = ? AND name = ?",

	/* A connection as its owner, an administrator and the application see
	 * it; the tokens only as ciphertext (hex), with what refresh decides by:
	 * due when it expires within min(60 s, half its lifetime). */
#define CONN_COLS "c.id, c.provider_id, p.name AS provider, p.display_name AS provider_name, " \
	"c.app_id, c.company_id, c.membership_id AS user_workspace_id, c.user_id, c.visibility, " \
	"c.name, c.handle, c.scopes, c.token_type, c.status, c.auth_failed_at, c.last_error, " \
	"c.expires_at, c.version, c.created_at, c.updated_at"
#define CONN_TOKENS ", HEX(c.access_enc) AS access_hex, HEX(c.refresh_enc) AS refresh_hex, " \
	"c.key_id, c.token_version, c.failures, " \
	"(c.expires_at IS NOT NULL AND c.expires_at <= UTC_TIMESTAMP(3)) AS expired, " \
	"(c.expires_at IS NOT NULL AND c.expires_at <= UTC_TIMESTAMP(3) + INTERVAL LEAST(60000000, " \
	"COALESCE(TIMESTAMPDIFF(MICROSECOND, c.obtained_at, c.expires_at) DIV 2, 60000000)) " \
	"MICROSECOND) AS due, (c.lease_until IS NOT NULL AND c.lease_until > UTC_TIMESTAMP(3)) " \
	"AS leased, CAST(CEIL(GREATEST(0, TIMESTAMPDIFF(MICROSECOND, UTC_TIMESTAMP(3), " \
	"c.lease_until)) / 1000000) AS SIGNED) AS lease_left, (c.retry_at IS NOT NULL AND " \
	"c.retry_at > UTC_TIMESTAMP(3)) AS cooling, CAST(CEIL(GREATEST(0, TIMESTAMPDIFF(" \
	"MICROSECOND, UTC_TIMESTAMP(3), c.retry_at)) / 1000000) AS SIGNED) AS retry_left"
#define CONN_FROM " FROM connections c JOIN connection_providers p ON p.id = c.provider_id"
	[STMT_CONN_INSERT] = "INSERT INTO connections (provider_id, app_id, company_id, membership_id, "
	                     "user_id, visibility, name, handle, scopes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
	[STMT_CONN_SET_TOKENS] = "UPDATE connections SET access_enc = ?, refresh_enc = ?, key_id = ?, "
	                         "token_type = ?, scopes = ?, obtained_at = UTC_TIMESTAMP(3), "
	                         "expires_at = IF(? > 0, UTC_TIMESTAMP(3) + INTERVAL ? SECOND, NULL), "
	                         "status = 'ok', auth_failed_at = NULL, failures = 0, retry_at = NULL, "
	                         "last_error = NULL, lease_id = NULL, lease_until = NULL, "
	                         "lease_owner = NULL, token_version = token_version + 1, "
	                         "version = version + 1, updated_at = UTC_TIMESTAMP() WHERE id = ?",
	[STMT_CONN_GET] = "SELECT " CONN_COLS CONN_TOKENS CONN_FROM " WHERE c.id = ?",
	/* the application's: the workspace ones, and the member's own when it
	 * acts for one (membership id > 0) */
	[STMT_CONN_LIST_APP] = "SELECT " CONN_COLS CONN_TOKENS CONN_FROM " WHERE c.app_id = ? "
	                       "AND c.company_id = ? AND (? = '' OR p.name = ?) AND "
	                       "(c.visibility = 'workspace' OR (? > 0 AND c.membership_id = ?)) "
	                       "AND c.id > ? ORDER BY c.id LIMIT ?",
	[STMT_CONN_LIST_MEMBER] = "SELECT " CONN_COLS CONN_FROM " WHERE c.app_id = ? AND "
	                          "c.company_id = ? AND (c.visibility = 'workspace' OR c.user_id = ?) "
	                          "ORDER BY c.id LIMIT 200",
	[STMT_CONN_LIST_COMPANY] = "SELECT " CONN_COLS CONN_FROM " WHERE c.company_id = ? AND c.id > ? "
	                           "ORDER BY c.id LIMIT ?",
	[STMT_CONN_RENAME] = "UPDATE connections SET name = ?, version = version + 1, "
	                     "updated_at = UTC_TIMESTAMP() WHERE id = ?",
	[STMT_CONN_DELETE] = "DELETE FROM connections WHERE id = ?",
	[STMT_CONN_COUNT_OWN] = "SELECT COUNT(*) AS n FROM connections WHERE provider_id = ? "
	                        "AND user_id = ?",
	/* the refresh lease: taken only when free (or expired) and the tokens
	 * are still those the caller read */
	[STMT_CONN_LEASE] = "UPDATE connections SET lease_id = ?, lease_owner = ?, "
	                    "lease_until = UTC_TIMESTAMP(3) + INTERVAL ? SECOND WHERE id = ? "
	                    "AND token_version = ? AND (lease_until IS NULL OR "
	                    "lease_until <= UTC_TIMESTAMP(3))",
	/* the holder's result, stored only while the lease is its own */
	[STMT_CONN_REFRESHED] = "UPDATE connections SET access_enc = ?, refresh_enc = ?, key_id = ?, "
	                        "token_type = ?, scopes = ?, obtained_at = UTC_TIMESTAMP(3), "
	                        "expires_at = IF(? > 0, UTC_TIMESTAMP(3) + INTERVAL ? SECOND, NULL), "
	                        "status = 'ok', auth_failed_at = NULL, failures = 0, retry_at = NULL, "
	                        "last_error = NULL, lease_id = NULL, lease_until = NULL, "
	                        "lease_owner = NULL, token_version = token_version + 1, "
	                        "updated_at = UTC_TIMESTAMP() WHERE id = ? AND lease_id = ?",
	[STMT_CONN_REFRESH_FAILED] = "UPDATE connections SET status = ?, auth_failed_at = "
	                             "IF(? = 'auth_failed', UTC_TIMESTAMP(), auth_failed_at), "
	                             "failures = failures + 1, retry_at = IF(? >= 0, "
	                             "UTC_TIMESTAMP(3) + INTERVAL ? SECOND, NULL), last_error = ?, "
	                             "lease_id = NULL, lease_until = NULL, lease_owner = NULL, "
	                             "updated_at = UTC_TIMESTAMP() WHERE id = ? AND lease_id = ?",
	/* the connections a removal takes with it, with what revoking needs */
#define CONN_TAKE "SELECT c.id, c.provider_id, c.app_id, c.company_id, c.membership_id, " \
	"c.user_id, c.visibility, p.name AS provider, HEX(c.access_enc) AS access_hex, " \
	"HEX(c.refresh_enc) AS refresh_hex, c.key_id FROM connections c JOIN " \
	"connection_providers p ON p.id = c.provider_id WHERE "
	[STMT_CONN_OF_ONE] = CONN_TAKE "c.id = ? AND ? = ?",
	[STMT_CONN_OF_MEMBER] = CONN_TAKE "c.membership_id = ? AND c.visibility = 'user' AND ? = ?",
	[STMT_CONN_OF_USER] = CONN_TAKE "c.user_id = ? AND c.visibility = 'user' AND ? = ?",
	[STMT_CONN_OF_INSTALL] = CONN_TAKE "c.app_id = ? AND c.company_id = ? AND c.company_id = ?",
	[STMT_CONN_OF_PROVIDER] = CONN_TAKE "c.provider_id = ? AND ? = ?",
	[STMT_CONN_OF_APP] = CONN_TAKE "c.app_id = ? AND ? = ?",
	[STMT_STATE_INSERT] = "INSERT INTO connect_states (hash, session_hash, user_id, membership_id, "
	                      "provider_id, app_id, company_id, visibility, connection_id, verifier_enc, "
	                      "key_id, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
	                      "UTC_TIMESTAMP() + INTERVAL ? SECOND)",
	[STMT_STATE_GET] = "SELECT id, HEX(session_hash) AS session_hex, user_id, membership_id, "
	                   "provider_id, app_id, company_id, visibility, connection_id, "
	                   "HEX(verifier_enc) AS verifier_hex, key_id, "
	                   "(expires_at <= UTC_TIMESTAMP()) AS expired FROM connect_states WHERE hash = ?",
	[STMT_STATE_DELETE] = "DELETE FROM connect_states WHERE id = ?",
	[STMT_STATE_PURGE] = "DELETE FROM connect_states WHERE expires_at <= UTC_TIMESTAMP()",
	[STMT_STATE_PENDING] = "SELECT COUNT(*) AS n FROM connect_states WHERE session_hash = ?",
	[STMT_MY_MEMBERSHIPS] = "SELECT m.id AS user_workspace_id, c.id AS company_id, "
	                        "c.name AS company_name, c.slug AS company_slug FROM memberships m "
	                        "JOIN companies c ON c.id = m.company_id WHERE m.user_id = ? "
	                        "ORDER BY c.name, c.id LIMIT 200",
	[STMT_MY_MEMBERSHIP] = "SELECT m.id AS user_workspace_id, c.id AS company_id, "
	                       "c.name AS company_name, c.slug AS company_slug FROM memberships m "
	                       "JOIN companies c ON c.id = m.company_id WHERE m.user_id = ? "
	                       "AND m.company_id = ?",
	[STMT_INSTALL_EXISTS] = "SELECT a.id, a.name FROM app_installs i JOIN apps a ON a.id = i.app_id "
	                        "WHERE i.app_id = ? AND i.company_id = ?",
	[STMT_PERSON_IS_MEMBER] = "SELECT 1 AS member FROM memberships WHERE user_id = ? LIMIT 1",
	[STMT_GEN_BUMP] = "UPDATE generations SET gen = gen + 1 WHERE FIND_IN_SET(kind, ?)",
	[STMT_GEN_LIST] = "SELECT kind, CAST(gen AS SIGNED) AS gen FROM generations",
	/* events to applications (issue 12): where an application's events go */
	[STMT_EVENT_TARGET] = "SELECT a.events_url, e.app_id IS NOT NULL AS has_secret, "
	                      "e.disabled_at FROM apps a LEFT JOIN event_endpoints e "
	                      "ON e.app_id = a.id WHERE a.id = ?",
	[STMT_EVENT_INSERT] = "INSERT INTO event_outbox (app_id, webhook_id, type, company_id, company, "
	                      "data, created_at, next_attempt_at) "
	                      "VALUES (?, ?, ?, ?, ?, ?, UTC_TIMESTAMP(), UTC_TIMESTAMP(3))",
	/* A new secret, the current one kept as the previous for GRACE seconds
	 * when GRACE > 0 (assignments run left to right: the previous takes
	 * the current before it is replaced). Binds: app, sealed, key id,
	 * grace x4. */
	[STMT_EVENT_ENDPOINT_ROTATE] = "INSERT INTO event_endpoints (app_id, secret_enc, key_id) "
	                               "VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE "
	                               "previous_secret_enc = IF(? > 0, secret_enc, NULL), "
	                               "previous_key_id = IF(? > 0, key_id, NULL), "
	                               "previous_expires_at = IF(? > 0, UTC_TIMESTAMP() + INTERVAL ? SECOND, NULL), "
	                               "secret_enc = VALUES(secret_enc), key_id = VALUES(key_id), "
	                               "updated_at = UTC_TIMESTAMP()",
	[STMT_EVENT_ENDPOINT_STATE] = "SELECT app_id, failing_since, disabled_at, "
	                              "IF(previous_expires_at > UTC_TIMESTAMP(), previous_expires_at, NULL) "
	                              "AS previous_secret_expires_at, created_at "
	                              "FROM event_endpoints WHERE app_id = ?",
	/* binary values as hex: rows are read as text */
	[STMT_EVENT_ENDPOINT_SECRETS] = "SELECT HEX(secret_enc) AS secret, key_id, "
	                                "IF(previous_expires_at > UTC_TIMESTAMP(), HEX(previous_secret_enc), NULL) "
	                                "AS previous, previous_key_id FROM event_endpoints WHERE app_id = ?",
	/* Taken before any outbox row of the application, in every change and
	 * claim that touches both: one order, no deadlock. */
	[STMT_EVENT_ENDPOINT_LOCK] = "SELECT app_id FROM event_endpoints WHERE app_id = ? FOR UPDATE",
	[STMT_EVENT_ENDPOINT_ENABLE] = "UPDATE event_endpoints SET disabled_at = NULL, failing_since = NULL, "
	                               "updated_at = UTC_TIMESTAMP() WHERE app_id = ? "
	                               "AND disabled_at IS NOT NULL",
	[STMT_EVENT_ENDPOINT_FAILING] = "UPDATE event_endpoints SET failing_since = UTC_TIMESTAMP() "
	                                "WHERE app_id = ? AND failing_since IS NULL",
	[STMT_EVENT_ENDPOINT_OK] = "UPDATE event_endpoints SET failing_since = NULL "
	                           "WHERE app_id = ? AND failing_since IS NOT NULL",
	[STMT_EVENT_ENDPOINT_DUE_DISABLE] = "SELECT app_id, failing_since FROM event_endpoints "
	                                    "WHERE app_id = ? AND disabled_at IS NULL "
	                                    "AND failing_since <= UTC_TIMESTAMP() - INTERVAL ? SECOND FOR UPDATE",
	[STMT_EVENT_ENDPOINT_DISABLE] = "UPDATE event_endpoints SET disabled_at = UTC_TIMESTAMP(), "
	                                "updated_at = UTC_TIMESTAMP() WHERE app_id = ? AND disabled_at IS NULL",
	[STMT_EVENT_FAIL_PENDING] = "UPDATE event_outbox SET status = 'failed', "
	                            "last_error = 'the endpoint was disabled', lease_token = NULL, "
	                            "lease_expires_at = NULL, leased_by = NULL "
	                            "WHERE app_id = ? AND status = 'pending'",
	/* A claim counts what other dispatchers committed a moment ago. */
	[STMT_EVENT_READ_COMMITTED] = "SET TRANSACTION ISOLATION LEVEL READ COMMITTED",
#define EVENT_DUE "o.status = 'pending' AND o.next_attempt_at <= UTC_TIMESTAMP(3) " \
	"AND (o.lease_expires_at IS NULL OR o.lease_expires_at <= UTC_TIMESTAMP(3))"
	[STMT_EVENT_DUE_APPS] = "SELECT DISTINCT o.app_id FROM event_outbox o JOIN event_endpoints e "
	                        "ON e.app_id = o.app_id AND e.disabled_at IS NULL WHERE " EVENT_DUE
	                        " LIMIT ?",
	/* an application another dispatcher is claiming for is left to it */
	[STMT_EVENT_ENDPOINT_CLAIM] = "SELECT app_id FROM event_endpoints WHERE app_id = ? "
	                              "AND disabled_at IS NULL FOR UPDATE SKIP LOCKED",
	[STMT_EVENT_IN_FLIGHT] = "SELECT COUNT(*) AS n FROM event_outbox WHERE app_id = ? "
	                         "AND status = 'pending' AND lease_expires_at > UTC_TIMESTAMP(3)",
	[STMT_EVENT_DUE_OF_APP] = "SELECT o.id FROM event_outbox o WHERE o.app_id = ? AND " EVENT_DUE
	                          " ORDER BY o.next_attempt_at, o.id LIMIT ? FOR UPDATE SKIP LOCKED",
	/* a token still there is a lease that expired without an outcome
	 * (reclaims is assigned first, from the old token) */
	[STMT_EVENT_LEASE] = "UPDATE event_outbox SET reclaims = reclaims + (lease_token IS NOT NULL), "
	                     "lease_token = ?, leased_by = ?, "
	                     "lease_expires_at = UTC_TIMESTAMP(3) + INTERVAL ? SECOND WHERE id = ?",
	[STMT_EVENT_LEASED_GET] = "SELECT o.id, o.app_id, o.webhook_id, o.type, o.company, o.data, "
	                          "o.created_at, o.retries_done, a.events_url FROM event_outbox o "
	                          "JOIN apps a ON a.id = o.app_id WHERE o.id = ? AND o.lease_token = ?",
#define EVENT_UNLEASE "lease_token = NULL, lease_expires_at = NULL, leased_by = NULL"
	[STMT_EVENT_SUCCEEDED] = "UPDATE event_outbox SET status = 'succeeded', attempts = attempts + 1, "
	                         "delivered_at = UTC_TIMESTAMP(), last_status = ?, last_error = NULL, "
	                         EVENT_UNLEASE " WHERE id = ? AND lease_token = ?",
	[STMT_EVENT_RETRY] = "UPDATE event_outbox SET attempts = attempts + 1, "
	                     "retries_done = retries_done + 1, "
	                     "next_attempt_at = UTC_TIMESTAMP(3) + INTERVAL (? * 1000) MICROSECOND, "
	                     "last_status = ?, last_error = ?, " EVENT_UNLEASE
	                     " WHERE id = ? AND lease_token = ?",
	[STMT_EVENT_GAVE_UP] = "UPDATE event_outbox SET status = 'failed', attempts = attempts + 1, "
	                       "last_status = ?, last_error = ?, " EVENT_UNLEASE
	                       " WHERE id = ? AND lease_token = ?",
	[STMT_EVENT_RELEASE] = "UPDATE event_outbox SET " EVENT_UNLEASE " WHERE id = ? AND lease_token = ?",
	/* at: when the attempt began, DURATION ms before now */
	[STMT_EVENT_ATTEMPT_INSERT] = "INSERT INTO event_attempts (event_id, at, duration_ms, http_status, "
	                              "error, response, dispatcher, lease_lost) VALUES (?, "
	                              "UTC_TIMESTAMP(3) - INTERVAL (? * 1000) MICROSECOND, ?, ?, ?, ?, ?, ?)",
	[STMT_EVENT_PURGE_ATTEMPTS] = "DELETE FROM event_attempts "
	                              "WHERE at < UTC_TIMESTAMP() - INTERVAL ? SECOND LIMIT 1000",
	/* a finished event goes with its last attempt */
	[STMT_EVENT_PURGE_EVENTS] = "DELETE FROM event_outbox WHERE status <> 'pending' "
	                            "AND created_at < UTC_TIMESTAMP() - INTERVAL ? SECOND "
	                            "AND NOT EXISTS (SELECT 1 FROM event_attempts a "
	                            "WHERE a.event_id = event_outbox.id) LIMIT 1000",
	[STMT_EVENT_OLDEST_PENDING] = "SELECT TIMESTAMPDIFF(SECOND, created_at, UTC_TIMESTAMP()) AS age "
	                              "FROM event_outbox WHERE status = 'pending' ORDER BY id LIMIT 1",
#define EVENT_COLS "id, webhook_id, type, company_id, status, attempts, reclaims, " \
	"IF(status = 'pending', next_attempt_at, NULL) AS next_attempt_at, last_status, " \
	"last_error, created_at, delivered_at, data FROM event_outbox"
	/* newest first; times as 'YYYY-MM-DD HH:MM:SS' ('' for none) */
	[STMT_EVENT_LIST] = "SELECT " EVENT_COLS " WHERE app_id = ? AND (? = 0 OR id < ?) "
	                    "AND (? = '' OR type = ?) AND (? = '' OR status = ?) "
	                    "AND (? = '' OR created_at >= ?) AND (? = '' OR created_at <= ?) "
	                    "ORDER BY id DESC LIMIT ?",
	[STMT_EVENT_GET] = "SELECT " EVENT_COLS " WHERE app_id = ? AND id = ?",
	[STMT_EVENT_ATTEMPTS] = "SELECT at, duration_ms, http_status, error, response, dispatcher, "
	                        "lease_lost FROM event_attempts WHERE event_id = ? ORDER BY id DESC LIMIT ?",
	[STMT_EVENT_RESEND] = "UPDATE event_outbox SET status = 'pending', retries_done = 0, "
	                      "next_attempt_at = UTC_TIMESTAMP(3) WHERE app_id = ? AND id = ?",

	/* a user removed from an application: what they allowed it ends, so
	 * that being added again brings none of it back */
	[STMT_OAUTH_APP_USER_GRANTS_REVOKE] = "UPDATE oauth_grants SET revoked_at = UTC_TIMESTAMP() "
	                                      "WHERE app_id = ? AND user_id = ? AND revoked_at IS NULL",
	[STMT_OAUTH_APP_USER_TOKENS_REVOKE] = "UPDATE oauth_tokens SET revoked_at = UTC_TIMESTAMP() "
	                                      "WHERE app_id = ? AND user_id = ? AND revoked_at IS NULL",
	[STMT_OAUTH_APP_USER_CODES_DELETE] = "DELETE FROM oauth_codes WHERE app_id = ? AND user_id = ? "
	                                     "AND used_at IS NULL",
	[STMT_OAUTH_APP_USER_CONSENT_DELETE] = "DELETE FROM oauth_consents WHERE app_id = ? AND user_id = ?",
	[STMT_MEMBER_OF_USER] = "SELECT " MEMBER_COLS " WHERE m.company_id = ? AND m.user_id = ?",
};

const char *
stmt_sql(enum stmt s)
{
	return (unsigned)s < STMT__COUNT ? sql[s] : NULL;
}
