/* providers.h - the connection providers an application declares: how the
 * credentials of an outside service are obtained (OAuth 2.0 today; the
 * type field leaves room for others beside it) */
#ifndef OST_BROKER_PROVIDERS_H
#define OST_BROKER_PROVIDERS_H

#include "registry/op.h"

#define PROVIDERS_MAX 50          /* providers one application may declare */
#define CALLBACK_PATH "/apps/oauth/callback" /* where providers send people back */

/* A new provider: name (^[a-z][a-z0-9-]*$, up to 64, unique per
 * application), display_name, icon (an https URL, or null), type
 * ("oauth"), oauth (the settings of reg_provider_oauth). */
extern const struct field_table reg_provider_body;
/* A change of a provider: display_name, icon, oauth (its keys merged over
 * the current settings). The name stays: applications ask for it. */
extern const struct field_table reg_provider_change_body;
/* The OAuth settings: authorization_endpoint, token_endpoint (https, or
 * http to a loopback host in development mode), scopes (a list),
 * client_id_variable and client_secret_variable (names of two of the
 * application's server variables; the secret one declared secret),
 * token_request_content_type ("json" or "form-urlencoded"),
 * token_endpoint_auth_method ("client_secret_post" or
 * "client_secret_basic"), use_pkce (S256), authorization_params (extra
 * query parameters of the authorize URL), revoke_endpoint and
 * userinfo_endpoint (optional). */
extern const struct field_table reg_provider_oauth;
/* The console's form: the provider's fields and the OAuth settings side by
 * side (broker_provider_unflatten makes the API's shape of it). */
extern const struct field_table reg_provider_form;
/* What a provider's row holds: id, name, display_name, icon, type, oauth,
 * status ("ready", or "needs_server_admin" until both server variables
 * have a value), can_connect, callback_url (to register at the provider),
 * config_error and config_error_at (the provider refused the client:
 * invalid_client), version, created_at, updated_at. */
extern const struct field_table reg_provider_row;

/* broker_provider_view - the row of reg_provider_row for the stored ROW
 * (store/provider.h) under CFG (the callback URL). A new object, NULL on
 * no memory. */
struct config;
json_t *broker_provider_view(const struct config *cfg, const json_t *row);

/* broker_provider_unflatten - the API's shape ({..., oauth: {...}}) of a
 * validated console form FORM; a new object, NULL on no memory. */
json_t *broker_provider_unflatten(const json_t *form);

/* Each operation needs a SUPER_ADMINISTRATOR (whoever changes a provider's
 * endpoints could collect its tokens and client secret: 403 otherwise),
 * writes and audits in one change; *ROW gets the provider's view.
 * Refusals: OST_ERR_INVALID with WHY (a rule, a server variable that is
 * not declared), OST_ERR_CONFLICT (the name is taken; on update, the
 * version has moved on), OST_ERR_NOT_FOUND (no application or provider).
 *
 * reg_provider_create - declare the provider IN for APP_ID. */
enum ost_err reg_provider_create(const struct op *op, long long app_id, const json_t *in,
    json_t **row, struct field_error *why) OST_MUST_CHECK;

/* reg_provider_update - change provider NAME with IN if it still has VERSION. */
enum ost_err reg_provider_update(const struct op *op, long long app_id, const char *name,
    long long version, const json_t *in, json_t **row, struct field_error *why) OST_MUST_CHECK;

/* reg_provider_delete - remove provider NAME; its connections are revoked
 * at the provider and removed with it. */
enum ost_err reg_provider_delete(const struct op *op, long long app_id, const char *name,
    struct field_error *why) OST_MUST_CHECK;

#endif
