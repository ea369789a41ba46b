/* handlers.h - the JSON/XML API handlers (see http/routes.c for their routes) */
#ifndef OST_API_HANDLERS_H
#define OST_API_HANDLERS_H

#include "http/routes.h"

/* health.c: GET /healthz - 200 with the database reachable, 503 otherwise. */
enum ost_err api_health(struct ctx *c) OST_MUST_CHECK;
extern const struct field_table api_health_answer; /* status, database, version */

/* me.c: GET /api/v1/me - the calling administrator. */
enum ost_err api_me(struct ctx *c) OST_MUST_CHECK;
extern const struct field_table api_me_answer; /* the principal, and auth */

/* tokens.c: the caller's personal API tokens. */
enum ost_err api_tokens_list(struct ctx *c) OST_MUST_CHECK;   /* GET /api/v1/tokens */
enum ost_err api_tokens_create(struct ctx *c) OST_MUST_CHECK; /* POST /api/v1/tokens {name} */
enum ost_err api_tokens_revoke(struct ctx *c) OST_MUST_CHECK; /* DELETE /api/v1/tokens/{id} */
extern const struct field_table api_tokens_answer; /* the list: {tokens: [rows]} */

/* registry.c: suites (/api/v1/suites) and their projects
 * (/api/v1/suites/{id}/projects), through the generic resource handlers. */
enum ost_err api_suites_list(struct ctx *c) OST_MUST_CHECK;
enum ost_err api_suites_get(struct ctx *c) OST_MUST_CHECK;
enum ost_err api_suites_create(struct ctx *c) OST_MUST_CHECK;
enum ost_err api_suites_update(struct ctx *c) OST_MUST_CHECK;
enum ost_err api_suites_delete(struct ctx *c) OST_MUST_CHECK;
enum ost_err api_projects_list(struct ctx *c) OST_MUST_CHECK;
enum ost_err api_projects_get(struct ctx *c) OST_MUST_CHECK;
enum ost_err api_projects_create(struct ctx *c) OST_MUST_CHECK;
enum ost_err api_projects_update(struct ctx *c) OST_MUST_CHECK;
enum ost_err api_projects_delete(struct ctx *c) OST_MUST_CHECK;

/* apps.c: applications (/api/v1/apps): the identity sheet, and
 * POST /api/v1/apps/{id}/rotate-key {grace_seconds} for a new API key. */
enum ost_err api_apps_list(struct ctx *c) OST_MUST_CHECK;
enum ost_err api_apps_get(struct ctx *c) OST_MUST_CHECK;
enum ost_err api_apps_create(struct ctx *c) OST_MUST_CHECK;
enum ost_err api_apps_update(struct ctx *c) OST_MUST_CHECK;
enum ost_err api_apps_delete(struct ctx *c) OST_MUST_CHECK;
enum ost_err api_apps_rotate_key(struct ctx *c) OST_MUST_CHECK;

/* registry.c: companies (/api/v1/companies) through the generic resource
 * handlers, and the applications installed in one
 * (/api/v1/companies/{id}/apps[/{app_id}]). */
enum ost_err api_companies_list(struct ctx *c) OST_MUST_CHECK;
enum ost_err api_companies_get(struct ctx *c) OST_MUST_CHECK;
enum ost_err api_companies_create(struct ctx *c) OST_MUST_CHECK;
enum ost_err api_companies_update(struct ctx *c) OST_MUST_CHECK;
enum ost_err api_companies_delete(struct ctx *c) OST_MUST_CHECK;
enum ost_err api_installs_list(struct ctx *c) OST_MUST_CHECK;   /* GET: {id, name, installed_at} pages */
enum ost_err api_installs_add(struct ctx *c) OST_MUST_CHECK;    /* POST: 201, 409 when installed */
enum ost_err api_installs_remove(struct ctx *c) OST_MUST_CHECK; /* DELETE: 204, 404 when not installed */

/* registry.c: /api/v1/companies/{id}/members[/{membership_id}] */
enum ost_err api_members_list(struct ctx *c) OST_MUST_CHECK;
enum ost_err api_members_get(struct ctx *c) OST_MUST_CHECK;
enum ost_err api_members_add(struct ctx *c) OST_MUST_CHECK; /* POST {email, first_name, last_name} */
enum ost_err api_members_remove(struct ctx *c) OST_MUST_CHECK;

/* registry.c: people (/api/v1/users[/{id}]) */
enum ost_err api_users_list(struct ctx *c) OST_MUST_CHECK;
enum ost_err api_users_get(struct ctx *c) OST_MUST_CHECK;
enum ost_err api_users_create(struct ctx *c) OST_MUST_CHECK;
enum ost_err api_users_update(struct ctx *c) OST_MUST_CHECK;
enum ost_err api_users_delete(struct ctx *c) OST_MUST_CHECK;

/* audit.c: GET /api/v1/audit - newest first; filters object_type,
 * object_id, action, actor_id. */
enum ost_err api_audit_list(struct ctx *c) OST_MUST_CHECK;
extern const struct field_table api_audit_row;     /* what an entry holds */
extern const struct field_table api_audit_filters; /* the filters, as fields */

/* app_users.c: /api/v1/apps/{id}/users[/{id}] */
enum ost_err api_app_users_list(struct ctx *c) OST_MUST_CHECK;
enum ost_err api_app_users_get(struct ctx *c) OST_MUST_CHECK;
enum ost_err api_app_users_add(struct ctx *c) OST_MUST_CHECK;
enum ost_err api_app_users_update(struct ctx *c) OST_MUST_CHECK;
enum ost_err api_app_users_remove(struct ctx *c) OST_MUST_CHECK;
extern const struct field_table api_app_users_filters; /* the list's filters */

/* server_vars.c: /api/v1/apps/{id}/server-variables[/{name}] */
enum ost_err api_server_vars_list(struct ctx *c) OST_MUST_CHECK;
enum ost_err api_server_vars_get(struct ctx *c) OST_MUST_CHECK;
enum ost_err api_server_vars_declare(struct ctx *c) OST_MUST_CHECK;
enum ost_err api_server_vars_update(struct ctx *c) OST_MUST_CHECK; /* PATCH: the declaration */
enum ost_err api_server_vars_set(struct ctx *c) OST_MUST_CHECK;    /* PUT: the value */
enum ost_err api_server_vars_delete(struct ctx *c) OST_MUST_CHECK;

/* events.c: /api/v1/apps/{id}/events[/{event_id}[/resend] | /ping] and
 * POST /api/v1/apps/{id}/rotate-events-secret */
enum ost_err api_events_list(struct ctx *c) OST_MUST_CHECK;   /* newest first, with attempts */
enum ost_err api_events_get(struct ctx *c) OST_MUST_CHECK;
enum ost_err api_events_resend(struct ctx *c) OST_MUST_CHECK;
enum ost_err api_events_ping(struct ctx *c) OST_MUST_CHECK;   /* 201: the test event queued */
enum ost_err api_events_rotate(struct ctx *c) OST_MUST_CHECK; /* the new secret, shown once */

/* app_api.c: the application API (ROUTE_APP; c->caller set by auth/app_auth.c). */
enum ost_err api_app_me(struct ctx *c) OST_MUST_CHECK;      /* GET /api/v1/app/me: its identity sheet */
enum ost_err api_app_company(struct ctx *c) OST_MUST_CHECK; /* GET /api/v1/app/company: {id, name, slug};
                                                needs read:companies */
extern const struct field_table api_app_sheet;          /* what GET /api/v1/app/me holds */
extern const struct field_table api_app_company_answer; /* what GET /api/v1/app/company holds */

/* providers.c: /api/v1/apps/{id}/connection-providers[/{name}] (changes:
 * SUPER_ADMINISTRATOR only), and a company's connections as administrators
 * see them (/api/v1/companies/{id}/connections[/{id}]: never a token). */
enum ost_err api_providers_list(struct ctx *c) OST_MUST_CHECK;
enum ost_err api_providers_get(struct ctx *c) OST_MUST_CHECK;
enum ost_err api_providers_create(struct ctx *c) OST_MUST_CHECK;
enum ost_err api_providers_update(struct ctx *c) OST_MUST_CHECK; /* PATCH, with the version */
enum ost_err api_providers_delete(struct ctx *c) OST_MUST_CHECK; /* revokes its connections */
enum ost_err api_company_connections_list(struct ctx *c) OST_MUST_CHECK;
enum ost_err api_company_connections_delete(struct ctx *c) OST_MUST_CHECK; /* revoked, removed */

/* connections.c: the application API's connections (ROUTE_APP):
 * GET /api/v1/app/connections[?provider=NAME] (read:connections), GET and
 * DELETE /api/v1/app/connections/{id} (write:connections to delete);
 * X-On-Behalf-Of: a member's user workspace id, with ACT_AS_USER. */
enum ost_err api_app_connections_list(struct ctx *c) OST_MUST_CHECK;
enum ost_err api_app_connections_get(struct ctx *c) OST_MUST_CHECK;
enum ost_err api_app_connections_delete(struct ctx *c) OST_MUST_CHECK;
extern const struct field_table api_app_connections_filters; /* provider */

/* description.c: GET /api/v1/openapi.json - the API description (http/openapi.h). */
enum ost_err api_openapi(struct ctx *c) OST_MUST_CHECK;

#endif
