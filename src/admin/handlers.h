/* handlers.h - the HTML console handlers (see http/routes.c for their routes) */
#ifndef OST_ADMIN_HANDLERS_H
#define OST_ADMIN_HANDLERS_H

#include "http/routes.h"

/* login.c */
enum ost_err admin_root(struct ctx *c);       /* GET / and /admin: to the console */
enum ost_err admin_login_form(struct ctx *c); /* GET /admin/login */
enum ost_err admin_login(struct ctx *c);      /* POST /admin/login */
enum ost_err admin_logout(struct ctx *c);     /* POST /admin/logout */

/* dashboard.c */
enum ost_err admin_dashboard(struct ctx *c);  /* GET /admin/ */

/* tokens.c */
enum ost_err admin_tokens(struct ctx *c);        /* GET /admin/tokens */
enum ost_err admin_tokens_create(struct ctx *c); /* POST /admin/tokens */
enum ost_err admin_tokens_revoke(struct ctx *c); /* POST /admin/tokens/{id}/revoke */

#endif
