/* app_tokens.h - "Generate access token" in an application's Application
 * Users tab (admin/app_tokens.c) and what it needs of the application
 * pages (admin/apps.c) */
#ifndef OST_ADMIN_APP_TOKENS_H
#define OST_ADMIN_APP_TOKENS_H

#include "admin/resource.h"

/* The forms' fields: an email (User Credentials); an email, a password, a
 * code challenge and its method (Authorization Flow and PKCE Flow); a code
 * and its verifier. */
extern const struct field_table admin_token_user_body;
extern const struct field_table admin_token_code_body;
extern const struct field_table admin_token_exchange_body;

/* admin_app_generate - a new block {title, note, result, forms} for the
 * application ROW's Application Users panel: the forms of its
 * authenticator, and what TREE's "generated" holds (tokens or a code just
 * made, shown once). */
json_t *admin_app_generate(struct ctx *c, const json_t *row, const json_t *tree);

/* admin_apps_view - the console's view of applications (admin/apps.c). */
const struct admin_view *admin_apps_view(void);

#endif
