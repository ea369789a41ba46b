/* routes.c - the route table: method, path pattern, handler, authentication, formats */
#include "http/routes.h"

#include <stdio.h>
#include <string.h>

#include "admin/handlers.h"
#include "api/handlers.h"
#include "auth/app_auth.h"

#define API (RENDER_JSON | RENDER_XML)
#define PAGE RENDER_HTML
#define ADMINS ROLES_ANY
#define WRITERS (ROLE_SUPER_ADMINISTRATOR | ROLE_USER_PROVISIONING)

static const struct route table[] = {
	{HTTP_GET, "/", admin_root, ROUTE_OPEN, 0, PAGE | API},
	{HTTP_GET, "/healthz", api_health, ROUTE_OPEN, 0, API},
	{HTTP_GET, "/api/v1/me", api_me, ROUTE_API, ADMINS, API},
	{HTTP_GET, "/api/v1/tokens", api_tokens_list, ROUTE_API, ADMINS, API},
	{HTTP_POST, "/api/v1/tokens", api_tokens_create, ROUTE_API, ADMINS, API},
	{HTTP_DELETE, "/api/v1/tokens/{id}", api_tokens_revoke, ROUTE_API, ADMINS, API},
	{HTTP_GET, "/api/v1/suites", api_suites_list, ROUTE_API, ADMINS, API},
	{HTTP_POST, "/api/v1/suites", api_suites_create, ROUTE_API, WRITERS, API},
	{HTTP_GET, "/api/v1/suites/{id}", api_suites_get, ROUTE_API, ADMINS, API},
	{HTTP_PUT, "/api/v1/suites/{id}", api_suites_update, ROUTE_API, WRITERS, API},
	{HTTP_PATCH, "/api/v1/suites/{id}", api_suites_update, ROUTE_API, WRITERS, API},
	{HTTP_DELETE, "/api/v1/suites/{id}", api_suites_delete, ROUTE_API, WRITERS, API},
	{HTTP_GET, "/api/v1/suites/{id}/projects", api_projects_list, ROUTE_API, ADMINS, API},
	{HTTP_POST, "/api/v1/suites/{id}/projects", api_projects_create, ROUTE_API, WRITERS, API},
	{HTTP_GET, "/api/v1/projects/{id}", api_projects_get, ROUTE_API, ADMINS, API},
	{HTTP_PUT, "/api/v1/projects/{id}", api_projects_update, ROUTE_API, WRITERS, API},
	{HTTP_PATCH, "/api/v1/projects/{id}", api_projects_update, ROUTE_API, WRITERS, API},
	{HTTP_DELETE, "/api/v1/projects/{id}", api_projects_delete, ROUTE_API, WRITERS, API},
	{HTTP_GET, "/api/v1/apps", api_apps_list, ROUTE_API, ADMINS, API},
	{HTTP_POST, "/api/v1/apps", api_apps_create, ROUTE_API, WRITERS, API},
	{HTTP_GET, "/api/v1/apps/{id}", api_apps_get, ROUTE_API, ADMINS, API},
	{HTTP_PUT, "/api/v1/apps/{id}", api_apps_update, ROUTE_API, WRITERS, API},
	{HTTP_PATCH, "/api/v1/apps/{id}", api_apps_update, ROUTE_API, WRITERS, API},
	{HTTP_DELETE, "/api/v1/apps/{id}", api_apps_delete, ROUTE_API, WRITERS, API},
	{HTTP_POST, "/api/v1/apps/{id}/rotate-key", api_apps_rotate_key, ROUTE_API, WRITERS, API},
	{HTTP_GET, "/api/v1/companies", api_companies_list, ROUTE_API, ADMINS, API},
	{HTTP_POST, "/api/v1/companies", api_companies_create, ROUTE_API, WRITERS, API},
	{HTTP_GET, "/api/v1/companies/{id}", api_companies_get, ROUTE_API, ADMINS, API},
	{HTTP_PUT, "/api/v1/companies/{id}", api_companies_update, ROUTE_API, WRITERS, API},
	{HTTP_PATCH, "/api/v1/companies/{id}", api_companies_update, ROUTE_API, WRITERS, API},
	{HTTP_DELETE, "/api/v1/companies/{id}", api_companies_delete, ROUTE_API, WRITERS, API},
	{HTTP_GET, "/api/v1/companies/{id}/members", api_members_list, ROUTE_API, ADMINS, API},
	{HTTP_POST, "/api/v1/companies/{id}/members", api_members_add, ROUTE_API, WRITERS, API},
	{HTTP_GET, "/api/v1/companies/{id}/members/{id}", api_members_get, ROUTE_API, ADMINS, API},
	{HTTP_DELETE, "/api/v1/companies/{id}/members/{id}", api_members_remove, ROUTE_API, WRITERS,
	    API},
	{HTTP_GET, "/api/v1/companies/{id}/apps", api_installs_list, ROUTE_API, ADMINS, API},
	{HTTP_POST, "/api/v1/companies/{id}/apps/{id}", api_installs_add, ROUTE_API, WRITERS, API},
	{HTTP_DELETE, "/api/v1/companies/{id}/apps/{id}", api_installs_remove, ROUTE_API, WRITERS,
	    API},
	{HTTP_GET, "/api/v1/users", api_users_list, ROUTE_API, ADMINS, API},
	{HTTP_POST, "/api/v1/users", api_users_create, ROUTE_API, WRITERS, API},
	{HTTP_GET, "/api/v1/users/{id}", api_users_get, ROUTE_API, ADMINS, API},
	{HTTP_PUT, "/api/v1/users/{id}", api_users_update, ROUTE_API, WRITERS, API},
	{HTTP_PATCH, "/api/v1/users/{id}", api_users_update, ROUTE_API, WRITERS, API},
	{HTTP_DELETE, "/api/v1/users/{id}", api_users_delete, ROUTE_API, WRITERS, API},
	{HTTP_GET, "/api/v1/audit", api_audit_list, ROUTE_API, ADMINS, API},
	{HTTP_GET, "/api/v1/apps/{id}/users", api_app_users_list, ROUTE_API, ADMINS, API},
	{HTTP_POST, "/api/v1/apps/{id}/users", api_app_users_add, ROUTE_API, WRITERS, API},
	{HTTP_GET, "/api/v1/apps/{id}/users/{id}", api_app_users_get, ROUTE_API, ADMINS, API},
	{HTTP_PATCH, "/api/v1/apps/{id}/users/{id}", api_app_users_update, ROUTE_API, WRITERS, API},
	{HTTP_PUT, "/api/v1/apps/{id}/users/{id}", api_app_users_update, ROUTE_API, WRITERS, API},
	{HTTP_DELETE, "/api/v1/apps/{id}/users/{id}", api_app_users_remove, ROUTE_API, WRITERS, API},
	{HTTP_GET, "/api/v1/apps/{id}/server-variables", api_server_vars_list, ROUTE_API, ADMINS, API},
	{HTTP_POST, "/api/v1/apps/{id}/server-variables", api_server_vars_declare, ROUTE_API, WRITERS,
	    API},
	{HTTP_GET, "/api/v1/apps/{id}/server-variables/{name}", api_server_vars_get, ROUTE_API, ADMINS,
	    API},
	{HTTP_PATCH, "/api/v1/apps/{id}/server-variables/{name}", api_server_vars_update, ROUTE_API,
	    WRITERS, API},
	{HTTP_PUT, "/api/v1/apps/{id}/server-variables/{name}", api_server_vars_set, ROUTE_API,
	    WRITERS, API},
	{HTTP_DELETE, "/api/v1/apps/{id}/server-variables/{name}", api_server_vars_delete, ROUTE_API,
	    WRITERS, API},
	{HTTP_GET, "/admin", admin_root, ROUTE_OPEN, 0, PAGE},
	{HTTP_GET, "/admin/login", admin_login_form, ROUTE_OPEN, 0, PAGE},
	{HTTP_POST, "/admin/login", admin_login, ROUTE_OPEN, 0, PAGE},
	{HTTP_POST, "/admin/logout", admin_logout, ROUTE_CONSOLE, ADMINS, PAGE},
	{HTTP_GET, "/admin/", admin_dashboard, ROUTE_CONSOLE, ADMINS, PAGE},
	{HTTP_GET, "/admin/tokens", admin_tokens, ROUTE_CONSOLE, ADMINS, PAGE},
	{HTTP_POST, "/admin/tokens", admin_tokens_create, ROUTE_CONSOLE, ADMINS, PAGE},
	{HTTP_POST, "/admin/tokens/{id}/revoke", admin_tokens_revoke, ROUTE_CONSOLE, ADMINS, PAGE},
	{HTTP_GET, "/admin/suites", admin_suites, ROUTE_CONSOLE, ADMINS, PAGE},
	{HTTP_GET, "/admin/suites/new", admin_suites_new, ROUTE_CONSOLE, ADMINS, PAGE},
	{HTTP_POST, "/admin/suites", admin_suites_create, ROUTE_CONSOLE, WRITERS, PAGE},
	{HTTP_GET, "/admin/suites/{id}", admin_suites_show, ROUTE_CONSOLE, ADMINS, PAGE},
	{HTTP_POST, "/admin/suites/{id}", admin_suites_update, ROUTE_CONSOLE, WRITERS, PAGE},
	{HTTP_POST, "/admin/suites/{id}/delete", admin_suites_delete, ROUTE_CONSOLE, WRITERS, PAGE},
	{HTTP_POST, "/admin/suites/{id}/projects", admin_projects_create, ROUTE_CONSOLE, WRITERS,
	    PAGE},
	{HTTP_GET, "/admin/projects/{id}", admin_projects_show, ROUTE_CONSOLE, ADMINS, PAGE},
	{HTTP_POST, "/admin/projects/{id}", admin_projects_update, ROUTE_CONSOLE, WRITERS, PAGE},
	{HTTP_POST, "/admin/projects/{id}/delete", admin_projects_delete, ROUTE_CONSOLE, WRITERS,
	    PAGE},
	{HTTP_GET, "/admin/companies", admin_companies, ROUTE_CONSOLE, ADMINS, PAGE},
	{HTTP_GET, "/admin/companies/new", admin_companies_new, ROUTE_CONSOLE, ADMINS, PAGE},
	{HTTP_POST, "/admin/companies", admin_companies_create, ROUTE_CONSOLE, WRITERS, PAGE},
	{HTTP_GET, "/admin/companies/{id}", admin_companies_show, ROUTE_CONSOLE, ADMINS, PAGE},
	{HTTP_POST, "/admin/companies/{id}", admin_companies_update, ROUTE_CONSOLE, WRITERS, PAGE},
	{HTTP_POST, "/admin/companies/{id}/delete", admin_companies_delete, ROUTE_CONSOLE, WRITERS,
	    PAGE},
	{HTTP_POST, "/admin/companies/{id}/members", admin_members_add, ROUTE_CONSOLE, WRITERS, PAGE},
	{HTTP_POST, "/admin/companies/{id}/members/{id}/remove", admin_members_remove, ROUTE_CONSOLE,
	    WRITERS, PAGE},
	{HTTP_POST, "/admin/companies/{id}/apps", admin_installs_add, ROUTE_CONSOLE, WRITERS, PAGE},
	{HTTP_POST, "/admin/companies/{id}/apps/{id}/uninstall", admin_installs_remove,
	    ROUTE_CONSOLE, WRITERS, PAGE},
	{HTTP_GET, "/admin/people", admin_people, ROUTE_CONSOLE, ADMINS, PAGE},
	{HTTP_GET, "/admin/people/new", admin_people_new, ROUTE_CONSOLE, ADMINS, PAGE},
	{HTTP_POST, "/admin/people", admin_people_create, ROUTE_CONSOLE, WRITERS, PAGE},
	{HTTP_GET, "/admin/people/{id}", admin_people_show, ROUTE_CONSOLE, ADMINS, PAGE},
	{HTTP_POST, "/admin/people/{id}", admin_people_update, ROUTE_CONSOLE, WRITERS, PAGE},
	{HTTP_POST, "/admin/people/{id}/delete", admin_people_delete, ROUTE_CONSOLE, WRITERS, PAGE},
	{HTTP_GET, "/admin/apps", admin_apps, ROUTE_CONSOLE, ADMINS, PAGE},
	{HTTP_GET, "/admin/apps/new", admin_apps_new, ROUTE_CONSOLE, ADMINS, PAGE},
	{HTTP_POST, "/admin/apps", admin_apps_create, ROUTE_CONSOLE, WRITERS, PAGE},
	{HTTP_GET, "/admin/apps/{id}", admin_apps_show, ROUTE_CONSOLE, ADMINS, PAGE},
	{HTTP_POST, "/admin/apps/{id}", admin_apps_update, ROUTE_CONSOLE, WRITERS, PAGE},
	{HTTP_POST, "/admin/apps/{id}/delete", admin_apps_delete, ROUTE_CONSOLE, WRITERS, PAGE},
	{HTTP_POST, "/admin/apps/{id}/rotate", admin_apps_rotate, ROUTE_CONSOLE, WRITERS, PAGE},
	{HTTP_POST, "/admin/apps/{id}/users", admin_app_users_add, ROUTE_CONSOLE, WRITERS, PAGE},
	{HTTP_POST, "/admin/apps/{id}/users/{id}/enabled", admin_app_users_enabled, ROUTE_CONSOLE,
	    WRITERS, PAGE},
	{HTTP_POST, "/admin/apps/{id}/users/{id}/remove", admin_app_users_remove, ROUTE_CONSOLE,
	    WRITERS, PAGE},
	{HTTP_POST, "/admin/apps/{id}/server-variables", admin_server_vars_declare, ROUTE_CONSOLE,
	    WRITERS, PAGE},
	{HTTP_POST, "/admin/apps/{id}/server-variables/{name}/value", admin_server_vars_set,
	    ROUTE_CONSOLE, WRITERS, PAGE},
	{HTTP_POST, "/admin/apps/{id}/server-variables/{name}/delete", admin_server_vars_delete,
	    ROUTE_CONSOLE, WRITERS, PAGE},
	{HTTP_GET, "/admin/audit", admin_audit, ROUTE_CONSOLE, ADMINS, PAGE},
	{HTTP_GET, "/api/v1/app/me", api_app_me, ROUTE_APP, 0, API},
	{HTTP_GET, "/api/v1/app/company", api_app_company, ROUTE_APP, APP_NEED_READ_COMPANIES, API},
};

const struct route *
routes_table(size_t *n)
{
	*n = sizeof(table) / sizeof(table[0]);
	return table;
}

static int
segment_ok(const char *name, size_t nlen, const char *seg, size_t slen)
{
	size_t i;
	int digits = nlen == 2 && strncmp(name, "id", 2) == 0;

	if (slen == 0 || slen > (digits ? 18 : 64))
		return 0;
	for (i = 0; i < slen; i++) {
		char ch = seg[i];
		if (digits ? !(ch >= '0' && ch <= '9')
		           : !((ch >= '0' && ch <= '9') || ((ch | 0x20) >= 'a' && (ch | 0x20) <= 'z') ||
		                 ch == '_' || ch == '.' || ch == '-'))
			return 0;
	}
	return 1;
}

/* Does PATH match PATTERN? Parameters go into C when C is not NULL. */
static int
pattern_match(const char *pattern, const char *path, struct ctx *c)
{
	const char *p = pattern, *s = path, *close, *end;
	size_t nparams = 0, used = 0, slen;

	while (*p && *s) {
		if (*p != '{') {
			if (*p++ != *s++)
				return 0;
			continue;
		}
		close = strchr(p, '}');
		end = strchr(s, '/');
		slen = end ? (size_t)(end - s) : strlen(s);
		if (!close || nparams == REQUEST_PARAMS_MAX ||
		    !segment_ok(p + 1, (size_t)(close - p - 1), s, slen))
			return 0;
		if (c) {
			memcpy(c->param_buf + used, s, slen);
			c->param_buf[used + slen] = '\0';
			c->params[nparams] = c->param_buf + used;
			used += slen + 1;
		}
		nparams++;
		p = close + 1;
		s += slen;
	}
	return *p == '\0' && *s == '\0';
}

enum ost_err
routes_match(enum http_method method, const char *path, const struct route **out, struct ctx *c,
    char *allow, size_t allowsz)
{
	static const char *names[HTTP__COUNT] = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE",
	    "OPTIONS"};
	size_t i, n = sizeof(table) / sizeof(table[0]), len = 0;
	enum http_method want = method == HTTP_HEAD ? HTTP_GET : method;
	int seen = 0;

	allow[0] = '\0';
	for (i = 0; i < n; i++) {
		if (!pattern_match(table[i].pattern, path, NULL))
			continue;
		if (table[i].method == want) {
			pattern_match(table[i].pattern, path, c);
			*out = &table[i];
			return OST_OK;
		}
		seen = 1;
		len += (size_t)snprintf(allow + len, len < allowsz ? allowsz - len : 0, "%s%s",
		    len ? ", " : "", names[table[i].method]);
		if (table[i].method == HTTP_GET && len < allowsz)
			len += (size_t)snprintf(allow + len, allowsz - len, ", HEAD");
	}
	return seen ? OST_ERR_METHOD : OST_ERR_NOT_FOUND;
}
