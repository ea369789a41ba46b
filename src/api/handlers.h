/* handlers.h - the JSON/XML API handlers (see http/routes.c for their routes) */
#ifndef OST_API_HANDLERS_H
#define OST_API_HANDLERS_H

#include "http/routes.h"

/* health.c: GET /healthz - 200 with the database reachable, 503 otherwise. */
enum ost_err api_health(struct ctx *c);

/* me.c: GET /api/v1/me - the calling administrator. */
enum ost_err api_me(struct ctx *c);

/* tokens.c: the caller's personal API tokens. */
enum ost_err api_tokens_list(struct ctx *c);   /* GET /api/v1/tokens */
enum ost_err api_tokens_create(struct ctx *c); /* POST /api/v1/tokens {name} */
enum ost_err api_tokens_revoke(struct ctx *c); /* DELETE /api/v1/tokens/{id} */

/* suites.c: suites (/api/v1/suites) and their projects
 * (/api/v1/suites/{id}/projects), through the generic resource handlers. */
enum ost_err api_suites_list(struct ctx *c);
enum ost_err api_suites_get(struct ctx *c);
enum ost_err api_suites_create(struct ctx *c);
enum ost_err api_suites_update(struct ctx *c);
enum ost_err api_suites_delete(struct ctx *c);
enum ost_err api_projects_list(struct ctx *c);
enum ost_err api_projects_get(struct ctx *c);
enum ost_err api_projects_create(struct ctx *c);
enum ost_err api_projects_update(struct ctx *c);
enum ost_err api_projects_delete(struct ctx *c);

/* tokens.c, shared with the console: validate NAME and create a token for
 * USER_ID; *TREE gets {id, name, token} (the token shown this once). On a
 * bad name *FIELD_MSG says why (OST_ERR_INVALID). */
enum ost_err tokens_create(long long user_id, const char *name, json_t **tree,
    const char **field_msg);

#endif
