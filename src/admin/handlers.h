/* handlers.h - the HTML console handlers (see http/routes.c for their routes) */
#ifndef OST_ADMIN_HANDLERS_H
#define OST_ADMIN_HANDLERS_H

#include "http/routes.h"

/* login.c */
enum ost_err admin_root(struct ctx *c) OST_MUST_CHECK;       /* GET / and /admin: to the console */
enum ost_err admin_login_form(struct ctx *c) OST_MUST_CHECK; /* GET /admin/login */
enum ost_err admin_login(struct ctx *c) OST_MUST_CHECK;      /* POST /admin/login */
enum ost_err admin_logout(struct ctx *c) OST_MUST_CHECK;     /* POST /admin/logout */

/* dashboard.c */
enum ost_err admin_dashboard(struct ctx *c) OST_MUST_CHECK; /* GET /admin/ */

/* tokens.c */
enum ost_err admin_tokens(struct ctx *c) OST_MUST_CHECK;        /* GET /admin/tokens */
enum ost_err admin_tokens_create(struct ctx *c) OST_MUST_CHECK; /* POST /admin/tokens */
enum ost_err admin_tokens_revoke(struct ctx *c) OST_MUST_CHECK; /* POST /admin/tokens/{id}/revoke */

/* registry.c: suites and projects, companies (members, installed
 * applications), people; the pages of admin/resource.h */
enum ost_err admin_suites(struct ctx *c) OST_MUST_CHECK;           /* GET /admin/suites */
enum ost_err admin_suites_new(struct ctx *c) OST_MUST_CHECK;       /* GET /admin/suites/new */
enum ost_err admin_suites_create(struct ctx *c) OST_MUST_CHECK;    /* POST /admin/suites */
enum ost_err admin_suites_show(struct ctx *c) OST_MUST_CHECK;      /* GET /admin/suites/{id} */
enum ost_err admin_suites_update(struct ctx *c) OST_MUST_CHECK;    /* POST /admin/suites/{id} */
enum ost_err admin_suites_delete(struct ctx *c) OST_MUST_CHECK;    /* POST /admin/suites/{id}/delete */
enum ost_err admin_projects_create(struct ctx *c) OST_MUST_CHECK;  /* POST /admin/suites/{id}/projects */
enum ost_err admin_projects_show(struct ctx *c) OST_MUST_CHECK;    /* GET /admin/projects/{id} */
enum ost_err admin_projects_update(struct ctx *c) OST_MUST_CHECK;  /* POST /admin/projects/{id} */
enum ost_err admin_projects_delete(struct ctx *c) OST_MUST_CHECK;  /* POST /admin/projects/{id}/delete */
enum ost_err admin_companies(struct ctx *c) OST_MUST_CHECK;        /* GET /admin/companies */
enum ost_err admin_companies_new(struct ctx *c) OST_MUST_CHECK;    /* GET /admin/companies/new */
enum ost_err admin_companies_create(struct ctx *c) OST_MUST_CHECK; /* POST /admin/companies */
enum ost_err admin_companies_show(struct ctx *c) OST_MUST_CHECK;   /* GET /admin/companies/{id} */
enum ost_err admin_companies_update(struct ctx *c) OST_MUST_CHECK; /* POST /admin/companies/{id} */
enum ost_err admin_companies_delete(struct ctx *c) OST_MUST_CHECK; /* POST /admin/companies/{id}/delete */
enum ost_err admin_members_add(struct ctx *c) OST_MUST_CHECK;      /* POST /admin/companies/{id}/members */
enum ost_err admin_members_remove(struct ctx *c) OST_MUST_CHECK;   /* POST .../members/{id}/remove */
enum ost_err admin_installs_add(struct ctx *c) OST_MUST_CHECK;     /* POST /admin/companies/{id}/apps */
enum ost_err admin_installs_remove(struct ctx *c) OST_MUST_CHECK;  /* POST .../apps/{id}/uninstall */
enum ost_err admin_people(struct ctx *c) OST_MUST_CHECK;           /* GET /admin/people */
enum ost_err admin_people_new(struct ctx *c) OST_MUST_CHECK;       /* GET /admin/people/new */
enum ost_err admin_people_create(struct ctx *c) OST_MUST_CHECK;    /* POST /admin/people */
enum ost_err admin_people_show(struct ctx *c) OST_MUST_CHECK;      /* GET /admin/people/{id} */
enum ost_err admin_people_update(struct ctx *c) OST_MUST_CHECK;    /* POST /admin/people/{id} */
enum ost_err admin_people_delete(struct ctx *c) OST_MUST_CHECK;    /* POST /admin/people/{id}/delete */
enum ost_err admin_people_password(struct ctx *c) OST_MUST_CHECK;  /* POST /admin/people/{id}/password */

/* apps.c: applications, their key, users and server variables */
enum ost_err admin_apps(struct ctx *c) OST_MUST_CHECK;                /* GET /admin/apps */
enum ost_err admin_apps_new(struct ctx *c) OST_MUST_CHECK;            /* GET /admin/apps/new */
enum ost_err admin_apps_create(struct ctx *c) OST_MUST_CHECK;         /* POST /admin/apps: the key shown once */
enum ost_err admin_apps_show(struct ctx *c) OST_MUST_CHECK;           /* GET /admin/apps/{id} */
enum ost_err admin_apps_update(struct ctx *c) OST_MUST_CHECK;         /* POST /admin/apps/{id} */
enum ost_err admin_apps_delete(struct ctx *c) OST_MUST_CHECK;         /* POST /admin/apps/{id}/delete */
enum ost_err admin_apps_rotate(struct ctx *c) OST_MUST_CHECK;         /* POST /admin/apps/{id}/rotate */
enum ost_err admin_app_users_add(struct ctx *c) OST_MUST_CHECK;       /* POST /admin/apps/{id}/users */
enum ost_err admin_app_users_enabled(struct ctx *c) OST_MUST_CHECK;   /* POST .../users/{id}/enabled */
enum ost_err admin_app_users_remove(struct ctx *c) OST_MUST_CHECK;    /* POST .../users/{id}/remove */
enum ost_err admin_server_vars_declare(struct ctx *c) OST_MUST_CHECK; /* POST .../server-variables */
enum ost_err admin_server_vars_set(struct ctx *c) OST_MUST_CHECK;     /* POST .../{name}/value */
enum ost_err admin_server_vars_delete(struct ctx *c) OST_MUST_CHECK;  /* POST .../{name}/delete */
enum ost_err admin_events_ping(struct ctx *c) OST_MUST_CHECK;         /* POST .../events/ping */
enum ost_err admin_events_resend(struct ctx *c) OST_MUST_CHECK;       /* POST .../events/{id}/resend */
enum ost_err admin_events_rotate(struct ctx *c) OST_MUST_CHECK;       /* POST .../rotate-events-secret */

/* app_tokens.c: "Generate access token" (application users tab) */
enum ost_err admin_app_token_user(struct ctx *c) OST_MUST_CHECK;     /* POST .../generate-token */
enum ost_err admin_app_token_code(struct ctx *c) OST_MUST_CHECK;     /* POST .../generate-code */
enum ost_err admin_app_token_exchange(struct ctx *c) OST_MUST_CHECK; /* POST .../exchange-code */
/* apps.c: an application's connection providers, in a panel of its page */
enum ost_err admin_providers_create(struct ctx *c) OST_MUST_CHECK; /* POST .../connection-providers */
enum ost_err admin_providers_delete(struct ctx *c) OST_MUST_CHECK; /* POST .../{name}/delete */

/* broker.c: the member's view (any signed-in person): their companies, the
 * applications installed there, their own and the shared connections;
 * the connect flow and the provider's callback */
enum ost_err admin_my(struct ctx *c) OST_MUST_CHECK;              /* GET /admin/my */
enum ost_err admin_my_app(struct ctx *c) OST_MUST_CHECK;          /* GET .../companies/{id}/apps/{id} */
enum ost_err admin_my_connect_form(struct ctx *c) OST_MUST_CHECK; /* GET .../connect/{name} */
enum ost_err admin_my_connect(struct ctx *c) OST_MUST_CHECK;      /* POST .../connect/{name} */
enum ost_err admin_my_rename(struct ctx *c) OST_MUST_CHECK;       /* POST /admin/my/connections/{id}/rename */
enum ost_err admin_my_disconnect(struct ctx *c) OST_MUST_CHECK;   /* POST .../{id}/disconnect */
enum ost_err admin_oauth_callback(struct ctx *c) OST_MUST_CHECK;  /* GET /apps/oauth/callback */

/* audit.c */
enum ost_err admin_audit(struct ctx *c) OST_MUST_CHECK; /* GET /admin/audit */

#endif
