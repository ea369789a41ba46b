/* routes.c - the route table: method, path pattern, handler, authentication, formats */
#include "http/routes.h"

#include <stdio.h>
#include <string.h>

#include "admin/app_tokens.h"
#include "admin/handlers.h"
#include "api/handlers.h"
#include "auth/app_auth.h"
#include "http/form.h"
#include "registry/app_users.h"
#include "registry/apps.h"
#include "registry/companies.h"
#include "registry/events.h"
#include "registry/people.h"
#include "registry/server_vars.h"
#include "registry/suites.h"
#include "registry/tokens.h"
#include "oauth/oauth.h"
#include "broker/connect.h"
#include "broker/connections.h"
#include "broker/providers.h"

#define API (RENDER_JSON | RENDER_XML)
#define PAGE RENDER_HTML
#define ADMINS ROLES_ANY
#define WRITERS (ROLE_SUPER_ADMINISTRATOR | ROLE_USER_PROVISIONING)
#define SUPER ROLE_SUPER_ADMINISTRATOR
#define ANYONE ROLE_PERSON /* any signed-in person: an administrator or a member */
/* What a success answers (struct route_answer): one row of resource R and/or
 * table T, a page of them (filters F when not R's), or no body. */
#define ITEM(S, R, T) {.status = (S), .shape = ANSWER_ITEM, .resource = (R), .rows = (T)}
#define LIST(R, T, F) {.status = 200, .shape = ANSWER_PAGE, .resource = (R), .rows = (T), .filters = (F)}
#define NO_BODY {.status = 204, .shape = ANSWER_NONE}

static const struct route table[] = {
	{.method = HTTP_GET, .pattern = "/", .fn = admin_root, .auth = ROUTE_OPEN, .roles = 0, .formats = PAGE | API, .summary = "To the console"},
	{.method = HTTP_GET, .pattern = "/healthz", .fn = api_health, .auth = ROUTE_OPEN, .roles = 0, .formats = API, .summary = "Health of the server and its database", .answer = ITEM(200, NULL, &api_health_answer)},
	{.method = HTTP_GET, .pattern = "/api/v1/openapi.json", .fn = api_openapi, .auth = ROUTE_OPEN, .roles = 0, .formats = RENDER_JSON, .summary = "This description of the API (OpenAPI 3.1)", .answer = {.status = 200, .shape = ANSWER_OBJECT}},
	{.method = HTTP_GET, .pattern = "/api/v1/me", .fn = api_me, .auth = ROUTE_API, .roles = ADMINS, .formats = API, .summary = "The calling administrator", .answer = ITEM(200, NULL, &api_me_answer)},
	{.method = HTTP_GET, .pattern = "/api/v1/tokens", .fn = api_tokens_list, .auth = ROUTE_API, .roles = ADMINS, .formats = API, .summary = "List personal API tokens", .answer = ITEM(200, NULL, &api_tokens_answer)},
	{.method = HTTP_POST, .pattern = "/api/v1/tokens", .fn = api_tokens_create, .auth = ROUTE_API, .roles = ADMINS, .formats = API, .body = &reg_token_body, .mode = FIELDS_CREATE, .summary = "Create a personal API token", .answer = ITEM(201, NULL, &reg_token_created)},
	{.method = HTTP_DELETE, .pattern = "/api/v1/tokens/{token_id}", .fn = api_tokens_revoke, .auth = ROUTE_API, .roles = ADMINS, .formats = API, .summary = "Revoke a personal API token", .answer = NO_BODY},
	{.method = HTTP_GET, .pattern = "/api/v1/suites", .fn = api_suites_list, .auth = ROUTE_API, .roles = ADMINS, .formats = API, .summary = "List suites", .answer = LIST(&reg_suites, NULL, NULL)},
	{.method = HTTP_POST, .pattern = "/api/v1/suites", .fn = api_suites_create, .auth = ROUTE_API, .roles = WRITERS, .formats = API, .body = &reg_suite_body, .mode = FIELDS_CREATE, .summary = "Create a suite", .answer = ITEM(201, &reg_suites, NULL)},
	{.method = HTTP_GET, .pattern = "/api/v1/suites/{suite_id}", .fn = api_suites_get, .auth = ROUTE_API, .roles = ADMINS, .formats = API, .summary = "The suite", .answer = ITEM(200, &reg_suites, NULL)},
	{.method = HTTP_PUT, .pattern = "/api/v1/suites/{suite_id}", .fn = api_suites_update, .auth = ROUTE_API, .roles = WRITERS, .formats = API, .body = &reg_suite_body, .mode = FIELDS_UPDATE, .summary = "Change the suite", .answer = ITEM(200, &reg_suites, NULL)},
	{.method = HTTP_PATCH, .pattern = "/api/v1/suites/{suite_id}", .fn = api_suites_update, .auth = ROUTE_API, .roles = WRITERS, .formats = API, .body = &reg_suite_body, .mode = FIELDS_UPDATE, .summary = "Change the suite", .answer = ITEM(200, &reg_suites, NULL)},
	{.method = HTTP_DELETE, .pattern = "/api/v1/suites/{suite_id}", .fn = api_suites_delete, .auth = ROUTE_API, .roles = WRITERS, .formats = API, .summary = "Delete the suite", .answer = NO_BODY},
	{.method = HTTP_GET, .pattern = "/api/v1/suites/{suite_id}/projects", .fn = api_projects_list, .auth = ROUTE_API, .roles = ADMINS, .formats = API, .summary = "List projects", .answer = LIST(&reg_projects, NULL, NULL)},
	{.method = HTTP_POST, .pattern = "/api/v1/suites/{suite_id}/projects", .fn = api_projects_create, .auth = ROUTE_API, .roles = WRITERS, .formats = API, .body = &reg_project_body, .mode = FIELDS_CREATE, .summary = "Create a project", .answer = ITEM(201, &reg_projects, NULL)},
	{.method = HTTP_GET, .pattern = "/api/v1/projects/{project_id}", .fn = api_projects_get, .auth = ROUTE_API, .roles = ADMINS, .formats = API, .summary = "The project", .answer = ITEM(200, &reg_projects, NULL)},
	{.method = HTTP_PUT, .pattern = "/api/v1/projects/{project_id}", .fn = api_projects_update, .auth = ROUTE_API, .roles = WRITERS, .formats = API, .body = &reg_project_body, .mode = FIELDS_UPDATE, .summary = "Change the project", .answer = ITEM(200, &reg_projects, NULL)},
	{.method = HTTP_PATCH, .pattern = "/api/v1/projects/{project_id}", .fn = api_projects_update, .auth = ROUTE_API, .roles = WRITERS, .formats = API, .body = &reg_project_body, .mode = FIELDS_UPDATE, .summary = "Change the project", .answer = ITEM(200, &reg_projects, NULL)},
	{.method = HTTP_DELETE, .pattern = "/api/v1/projects/{project_id}", .fn = api_projects_delete, .auth = ROUTE_API, .roles = WRITERS, .formats = API, .summary = "Delete the project", .answer = NO_BODY},
	{.method = HTTP_GET, .pattern = "/api/v1/apps", .fn = api_apps_list, .auth = ROUTE_API, .roles = ADMINS, .formats = API, .summary = "List applications", .answer = LIST(&reg_apps, NULL, NULL)},
	{.method = HTTP_POST, .pattern = "/api/v1/apps", .fn = api_apps_create, .auth = ROUTE_API, .roles = WRITERS, .formats = API, .body = &reg_app_body, .mode = FIELDS_CREATE, .summary = "Create a application", .answer = ITEM(201, &reg_apps, &reg_app_created)},
	{.method = HTTP_GET, .pattern = "/api/v1/apps/{app_id}", .fn = api_apps_get, .auth = ROUTE_API, .roles = ADMINS, .formats = API, .summary = "The application", .answer = ITEM(200, &reg_apps, NULL)},
	{.method = HTTP_PUT, .pattern = "/api/v1/apps/{app_id}", .fn = api_apps_update, .auth = ROUTE_API, .roles = WRITERS, .formats = API, .body = &reg_app_body, .mode = FIELDS_UPDATE, .summary = "Change the application", .answer = ITEM(200, &reg_apps, NULL)},
	{.method = HTTP_PATCH, .pattern = "/api/v1/apps/{app_id}", .fn = api_apps_update, .auth = ROUTE_API, .roles = WRITERS, .formats = API, .body = &reg_app_body, .mode = FIELDS_UPDATE, .summary = "Change the application", .answer = ITEM(200, &reg_apps, NULL)},
	{.method = HTTP_DELETE, .pattern = "/api/v1/apps/{app_id}", .fn = api_apps_delete, .auth = ROUTE_API, .roles = WRITERS, .formats = API, .summary = "Delete the application", .answer = NO_BODY},
	{.method = HTTP_POST, .pattern = "/api/v1/apps/{app_id}/rotate-key", .fn = api_apps_rotate_key, .auth = ROUTE_API, .roles = WRITERS, .formats = API, .body = &reg_rotate_body, .mode = FIELDS_UPDATE, .summary = "Rotate the application's private API key", .answer = ITEM(200, NULL, &reg_app_rotated)},
	{.method = HTTP_GET, .pattern = "/api/v1/companies", .fn = api_companies_list, .auth = ROUTE_API, .roles = ADMINS, .formats = API, .summary = "List companies", .answer = LIST(&reg_companies, NULL, NULL)},
	{.method = HTTP_POST, .pattern = "/api/v1/companies", .fn = api_companies_create, .auth = ROUTE_API, .roles = WRITERS, .formats = API, .body = &reg_company_body, .mode = FIELDS_CREATE, .summary = "Create a company", .answer = ITEM(201, &reg_companies, NULL)},
	{.method = HTTP_GET, .pattern = "/api/v1/companies/{company_id}", .fn = api_companies_get, .auth = ROUTE_API, .roles = ADMINS, .formats = API, .summary = "The company", .answer = ITEM(200, &reg_companies, NULL)},
	{.method = HTTP_PUT, .pattern = "/api/v1/companies/{company_id}", .fn = api_companies_update, .auth = ROUTE_API, .roles = WRITERS, .formats = API, .body = &reg_company_body, .mode = FIELDS_UPDATE, .summary = "Change the company", .answer = ITEM(200, &reg_companies, NULL)},
	{.method = HTTP_PATCH, .pattern = "/api/v1/companies/{company_id}", .fn = api_companies_update, .auth = ROUTE_API, .roles = WRITERS, .formats = API, .body = &reg_company_body, .mode = FIELDS_UPDATE, .summary = "Change the company", .answer = ITEM(200, &reg_companies, NULL)},
	{.method = HTTP_DELETE, .pattern = "/api/v1/companies/{company_id}", .fn = api_companies_delete, .auth = ROUTE_API, .roles = WRITERS, .formats = API, .summary = "Delete the company", .answer = NO_BODY},
	{.method = HTTP_GET, .pattern = "/api/v1/companies/{company_id}/members", .fn = api_members_list, .auth = ROUTE_API, .roles = ADMINS, .formats = API, .summary = "List members", .answer = LIST(NULL, &reg_member_row, NULL)},
	{.method = HTTP_POST, .pattern = "/api/v1/companies/{company_id}/members", .fn = api_members_add, .auth = ROUTE_API, .roles = WRITERS, .formats = API, .body = &reg_member_body, .mode = FIELDS_CREATE, .summary = "Add a member to the company", .answer = ITEM(201, NULL, &reg_member_row)},
	{.method = HTTP_GET, .pattern = "/api/v1/companies/{company_id}/members/{member_id}", .fn = api_members_get, .auth = ROUTE_API, .roles = ADMINS, .formats = API, .summary = "The member", .answer = ITEM(200, NULL, &reg_member_row)},
	{.method = HTTP_DELETE, .pattern = "/api/v1/companies/{company_id}/members/{member_id}", .fn = api_members_remove, .auth = ROUTE_API, .roles = WRITERS, .formats = API, .summary = "End a membership", .answer = NO_BODY},
	{.method = HTTP_GET, .pattern = "/api/v1/companies/{company_id}/apps", .fn = api_installs_list, .auth = ROUTE_API, .roles = ADMINS, .formats = API, .summary = "The applications installed in the company", .answer = LIST(NULL, &reg_install_row, NULL)},
	{.method = HTTP_POST, .pattern = "/api/v1/companies/{company_id}/apps/{app_id}", .fn = api_installs_add, .auth = ROUTE_API, .roles = WRITERS, .formats = API, .summary = "Install the application in the company", .answer = ITEM(201, NULL, &reg_install_row)},
	{.method = HTTP_DELETE, .pattern = "/api/v1/companies/{company_id}/apps/{app_id}", .fn = api_installs_remove, .auth = ROUTE_API, .roles = WRITERS, .formats = API, .summary = "Uninstall the application from the company", .answer = NO_BODY},
	{.method = HTTP_GET, .pattern = "/api/v1/users", .fn = api_users_list, .auth = ROUTE_API, .roles = ADMINS, .formats = API, .summary = "List people", .answer = LIST(&reg_people, NULL, NULL)},
	{.method = HTTP_POST, .pattern = "/api/v1/users", .fn = api_users_create, .auth = ROUTE_API, .roles = WRITERS, .formats = API, .body = &reg_person_body, .mode = FIELDS_CREATE, .summary = "Create a person", .answer = ITEM(201, &reg_people, NULL)},
	{.method = HTTP_GET, .pattern = "/api/v1/users/{user_id}", .fn = api_users_get, .auth = ROUTE_API, .roles = ADMINS, .formats = API, .summary = "One person", .answer = ITEM(200, &reg_people, NULL)},
	{.method = HTTP_PUT, .pattern = "/api/v1/users/{user_id}", .fn = api_users_update, .auth = ROUTE_API, .roles = ADMINS, .formats = API, .body = &reg_person_change_body, .mode = FIELDS_UPDATE, .summary = "Change a person", .answer = ITEM(200, &reg_people, NULL)},
	{.method = HTTP_PATCH, .pattern = "/api/v1/users/{user_id}", .fn = api_users_update, .auth = ROUTE_API, .roles = ADMINS, .formats = API, .body = &reg_person_change_body, .mode = FIELDS_UPDATE, .summary = "Change a person", .answer = ITEM(200, &reg_people, NULL)},
	{.method = HTTP_DELETE, .pattern = "/api/v1/users/{user_id}", .fn = api_users_delete, .auth = ROUTE_API, .roles = WRITERS, .formats = API, .summary = "Delete a person", .answer = NO_BODY},
	{.method = HTTP_GET, .pattern = "/api/v1/audit", .fn = api_audit_list, .auth = ROUTE_API, .roles = ADMINS, .formats = API, .summary = "The audit log, newest first", .answer = LIST(NULL, &api_audit_row, &api_audit_filters)},
	{.method = HTTP_GET, .pattern = "/api/v1/apps/{app_id}/users", .fn = api_app_users_list, .auth = ROUTE_API, .roles = ADMINS, .formats = API, .summary = "List users", .answer = LIST(NULL, &reg_app_user_row, &api_app_users_filters)},
	{.method = HTTP_POST, .pattern = "/api/v1/apps/{app_id}/users", .fn = api_app_users_add, .auth = ROUTE_API, .roles = WRITERS, .formats = API, .body = &reg_app_user_body, .mode = FIELDS_CREATE, .summary = "Add a user to the application", .answer = ITEM(201, NULL, &reg_app_user_row)},
	{.method = HTTP_GET, .pattern = "/api/v1/apps/{app_id}/users/{user_id}", .fn = api_app_users_get, .auth = ROUTE_API, .roles = ADMINS, .formats = API, .summary = "The user", .answer = ITEM(200, NULL, &reg_app_user_row)},
	{.method = HTTP_PATCH, .pattern = "/api/v1/apps/{app_id}/users/{user_id}", .fn = api_app_users_update, .auth = ROUTE_API, .roles = WRITERS, .formats = API, .body = &reg_app_user_enable_body, .mode = FIELDS_CREATE, .summary = "Enable or disable an application user", .answer = ITEM(200, NULL, &reg_app_user_row)},
	{.method = HTTP_PUT, .pattern = "/api/v1/apps/{app_id}/users/{user_id}", .fn = api_app_users_update, .auth = ROUTE_API, .roles = WRITERS, .formats = API, .body = &reg_app_user_enable_body, .mode = FIELDS_CREATE, .summary = "Enable or disable an application user", .answer = ITEM(200, NULL, &reg_app_user_row)},
	{.method = HTTP_DELETE, .pattern = "/api/v1/apps/{app_id}/users/{user_id}", .fn = api_app_users_remove, .auth = ROUTE_API, .roles = WRITERS, .formats = API, .summary = "Remove a user from the application", .answer = NO_BODY},
	{.method = HTTP_GET, .pattern = "/api/v1/apps/{app_id}/server-variables", .fn = api_server_vars_list, .auth = ROUTE_API, .roles = ADMINS, .formats = API, .summary = "List server variables", .answer = LIST(NULL, &reg_svar_row, NULL)},
	{.method = HTTP_POST, .pattern = "/api/v1/apps/{app_id}/server-variables", .fn = api_server_vars_declare, .auth = ROUTE_API, .roles = WRITERS, .formats = API, .body = &reg_svar_declare_body, .mode = FIELDS_CREATE, .summary = "Declare a server variable", .answer = ITEM(201, NULL, &reg_svar_row)},
	{.method = HTTP_GET, .pattern = "/api/v1/apps/{app_id}/server-variables/{name}", .fn = api_server_vars_get, .auth = ROUTE_API, .roles = ADMINS, .formats = API, .summary = "The server variable", .answer = ITEM(200, NULL, &reg_svar_row)},
	{.method = HTTP_PATCH, .pattern = "/api/v1/apps/{app_id}/server-variables/{name}", .fn = api_server_vars_update, .auth = ROUTE_API, .roles = WRITERS, .formats = API, .body = &reg_svar_update_body, .mode = FIELDS_UPDATE, .summary = "Change a server variable's declaration", .answer = ITEM(200, NULL, &reg_svar_row)},
	{.method = HTTP_PUT, .pattern = "/api/v1/apps/{app_id}/server-variables/{name}", .fn = api_server_vars_set, .auth = ROUTE_API, .roles = WRITERS, .formats = API, .body = &reg_svar_value_body, .mode = FIELDS_CREATE, .summary = "Set the value of a server variable", .answer = ITEM(200, NULL, &reg_svar_row)},
	{.method = HTTP_DELETE, .pattern = "/api/v1/apps/{app_id}/server-variables/{name}", .fn = api_server_vars_delete, .auth = ROUTE_API, .roles = WRITERS, .formats = API, .summary = "Remove a server variable", .answer = NO_BODY},
	{.method = HTTP_GET, .pattern = "/api/v1/apps/{app_id}/events", .fn = api_events_list, .auth = ROUTE_API, .roles = ADMINS, .formats = API, .summary = "List the application's events, newest first, with their latest attempts", .answer = LIST(NULL, &reg_event_row, &reg_event_filters)},
	{.method = HTTP_POST, .pattern = "/api/v1/apps/{app_id}/events/ping", .fn = api_events_ping, .auth = ROUTE_API, .roles = WRITERS, .formats = API, .summary = "Send the application a test event (ping)", .answer = ITEM(201, NULL, &reg_event_row)},
	{.method = HTTP_GET, .pattern = "/api/v1/apps/{app_id}/events/{event_id}", .fn = api_events_get, .auth = ROUTE_API, .roles = ADMINS, .formats = API, .summary = "One event with its latest attempts", .answer = ITEM(200, NULL, &reg_event_row)},
	{.method = HTTP_POST, .pattern = "/api/v1/apps/{app_id}/events/{event_id}/resend", .fn = api_events_resend, .auth = ROUTE_API, .roles = WRITERS, .formats = API, .summary = "Deliver the event again, with the same webhook-id", .answer = ITEM(200, NULL, &reg_event_row)},
	{.method = HTTP_POST, .pattern = "/api/v1/apps/{app_id}/rotate-events-secret", .fn = api_events_rotate, .auth = ROUTE_API, .roles = WRITERS, .formats = API, .body = &reg_events_rotate_body, .mode = FIELDS_CREATE, .summary = "Rotate the application's events signing secret", .answer = ITEM(200, NULL, &reg_events_rotated)},
	{.method = HTTP_GET, .pattern = "/admin", .fn = admin_root, .auth = ROUTE_OPEN, .roles = 0, .formats = PAGE, .summary = "To the console"},
	{.method = HTTP_GET, .pattern = "/admin/login", .fn = admin_login_form, .auth = ROUTE_OPEN, .roles = 0, .formats = PAGE, .summary = "The sign-in page"},
	{.method = HTTP_POST, .pattern = "/admin/login", .fn = admin_login, .auth = ROUTE_OPEN, .roles = 0, .formats = PAGE, .summary = "Sign in"},
	{.method = HTTP_POST, .pattern = "/admin/logout", .fn = admin_logout, .auth = ROUTE_CONSOLE, .roles = ANYONE, .formats = PAGE, .summary = "Sign out"},
	{.method = HTTP_GET, .pattern = "/admin/", .fn = admin_dashboard, .auth = ROUTE_CONSOLE, .roles = ANYONE, .formats = PAGE, .summary = "The dashboard"},
	{.method = HTTP_GET, .pattern = "/admin/tokens", .fn = admin_tokens, .auth = ROUTE_CONSOLE, .roles = ADMINS, .formats = PAGE, .summary = "List personal API tokens"},
	{.method = HTTP_POST, .pattern = "/admin/tokens", .fn = admin_tokens_create, .auth = ROUTE_CONSOLE, .roles = ADMINS, .formats = PAGE, .body = &reg_token_body, .mode = FIELDS_CREATE, .summary = "Create a personal API token"},
	{.method = HTTP_POST, .pattern = "/admin/tokens/{token_id}/revoke", .fn = admin_tokens_revoke, .auth = ROUTE_CONSOLE, .roles = ADMINS, .formats = PAGE, .summary = "Revoke a personal API token"},
	{.method = HTTP_GET, .pattern = "/admin/suites", .fn = admin_suites, .auth = ROUTE_CONSOLE, .roles = ADMINS, .formats = PAGE, .summary = "List suites"},
	{.method = HTTP_GET, .pattern = "/admin/suites/new", .fn = admin_suites_new, .auth = ROUTE_CONSOLE, .roles = ADMINS, .formats = PAGE, .summary = "The form of a new suite"},
	{.method = HTTP_POST, .pattern = "/admin/suites", .fn = admin_suites_create, .auth = ROUTE_CONSOLE, .roles = WRITERS, .formats = PAGE, .body = &reg_suite_body, .mode = FIELDS_CREATE, .summary = "Create a suite"},
	{.method = HTTP_GET, .pattern = "/admin/suites/{suite_id}", .fn = admin_suites_show, .auth = ROUTE_CONSOLE, .roles = ADMINS, .formats = PAGE, .summary = "The suite"},
	{.method = HTTP_POST, .pattern = "/admin/suites/{suite_id}", .fn = admin_suites_update, .auth = ROUTE_CONSOLE, .roles = WRITERS, .formats = PAGE, .body = &reg_suite_body, .mode = FIELDS_UPDATE, .summary = "Save the suite"},
	{.method = HTTP_POST, .pattern = "/admin/suites/{suite_id}/delete", .fn = admin_suites_delete, .auth = ROUTE_CONSOLE, .roles = WRITERS, .formats = PAGE, .summary = "Delete the suite"},
	{.method = HTTP_POST, .pattern = "/admin/suites/{suite_id}/projects", .fn = admin_projects_create, .auth = ROUTE_CONSOLE, .roles = WRITERS, .formats = PAGE, .body = &reg_project_body, .mode = FIELDS_CREATE, .summary = "Create a project"},
	{.method = HTTP_GET, .pattern = "/admin/projects/{project_id}", .fn = admin_projects_show, .auth = ROUTE_CONSOLE, .roles = ADMINS, .formats = PAGE, .summary = "The project"},
	{.method = HTTP_POST, .pattern = "/admin/projects/{project_id}", .fn = admin_projects_update, .auth = ROUTE_CONSOLE, .roles = WRITERS, .formats = PAGE, .body = &reg_project_body, .mode = FIELDS_UPDATE, .summary = "Save the project"},
	{.method = HTTP_POST, .pattern = "/admin/projects/{project_id}/delete", .fn = admin_projects_delete, .auth = ROUTE_CONSOLE, .roles = WRITERS, .formats = PAGE, .summary = "Delete the project"},
	{.method = HTTP_GET, .pattern = "/admin/companies", .fn = admin_companies, .auth = ROUTE_CONSOLE, .roles = ADMINS, .formats = PAGE, .summary = "List companies"},
	{.method = HTTP_GET, .pattern = "/admin/companies/new", .fn = admin_companies_new, .auth = ROUTE_CONSOLE, .roles = ADMINS, .formats = PAGE, .summary = "The form of a new company"},
	{.method = HTTP_POST, .pattern = "/admin/companies", .fn = admin_companies_create, .auth = ROUTE_CONSOLE, .roles = WRITERS, .formats = PAGE, .body = &reg_company_body, .mode = FIELDS_CREATE, .summary = "Create a company"},
	{.method = HTTP_GET, .pattern = "/admin/companies/{company_id}", .fn = admin_companies_show, .auth = ROUTE_CONSOLE, .roles = ADMINS, .formats = PAGE, .summary = "The company"},
	{.method = HTTP_POST, .pattern = "/admin/companies/{company_id}", .fn = admin_companies_update, .auth = ROUTE_CONSOLE, .roles = WRITERS, .formats = PAGE, .body = &reg_company_body, .mode = FIELDS_UPDATE, .summary = "Save the company"},
	{.method = HTTP_POST, .pattern = "/admin/companies/{company_id}/delete", .fn = admin_companies_delete, .auth = ROUTE_CONSOLE, .roles = WRITERS, .formats = PAGE, .summary = "Delete the company"},
	{.method = HTTP_POST, .pattern = "/admin/companies/{company_id}/members", .fn = admin_members_add, .auth = ROUTE_CONSOLE, .roles = WRITERS, .formats = PAGE, .body = &reg_member_body, .mode = FIELDS_CREATE, .summary = "Create a member"},
	{.method = HTTP_POST, .pattern = "/admin/companies/{company_id}/members/{member_id}/remove", .fn = admin_members_remove, .auth = ROUTE_CONSOLE, .roles = WRITERS, .formats = PAGE, .summary = "End a membership"},
	{.method = HTTP_POST, .pattern = "/admin/companies/{company_id}/apps", .fn = admin_installs_add, .auth = ROUTE_CONSOLE, .roles = WRITERS, .formats = PAGE, .body = &reg_install_body, .mode = FIELDS_CREATE, .summary = "Install an application in the company"},
	{.method = HTTP_POST, .pattern = "/admin/companies/{company_id}/apps/{app_id}/uninstall", .fn = admin_installs_remove, .auth = ROUTE_CONSOLE, .roles = WRITERS, .formats = PAGE, .summary = "Uninstall the application from the company"},
	{.method = HTTP_GET, .pattern = "/admin/people", .fn = admin_people, .auth = ROUTE_CONSOLE, .roles = ADMINS, .formats = PAGE, .summary = "List people"},
	{.method = HTTP_GET, .pattern = "/admin/people/new", .fn = admin_people_new, .auth = ROUTE_CONSOLE, .roles = ADMINS, .formats = PAGE, .summary = "The form of a new person"},
	{.method = HTTP_POST, .pattern = "/admin/people", .fn = admin_people_create, .auth = ROUTE_CONSOLE, .roles = WRITERS, .formats = PAGE, .body = &reg_person_body, .mode = FIELDS_CREATE, .summary = "Create a person"},
	{.method = HTTP_GET, .pattern = "/admin/people/{person_id}", .fn = admin_people_show, .auth = ROUTE_CONSOLE, .roles = ADMINS, .formats = PAGE, .summary = "The person"},
	{.method = HTTP_POST, .pattern = "/admin/people/{person_id}", .fn = admin_people_update, .auth = ROUTE_CONSOLE, .roles = WRITERS, .formats = PAGE, .body = &reg_person_body, .mode = FIELDS_UPDATE, .summary = "Save the person"},
	{.method = HTTP_POST, .pattern = "/admin/people/{person_id}/password", .fn = admin_people_password, .auth = ROUTE_CONSOLE, .roles = ADMINS, .formats = PAGE, .body = &reg_password_change_body, .mode = FIELDS_UPDATE, .summary = "Change your own password"},
	{.method = HTTP_POST, .pattern = "/admin/people/{person_id}/delete", .fn = admin_people_delete, .auth = ROUTE_CONSOLE, .roles = WRITERS, .formats = PAGE, .summary = "Delete the person"},
	{.method = HTTP_GET, .pattern = "/admin/apps", .fn = admin_apps, .auth = ROUTE_CONSOLE, .roles = ADMINS, .formats = PAGE, .summary = "List applications"},
	{.method = HTTP_GET, .pattern = "/admin/apps/new", .fn = admin_apps_new, .auth = ROUTE_CONSOLE, .roles = ADMINS, .formats = PAGE, .summary = "The form of a new application"},
	{.method = HTTP_POST, .pattern = "/admin/apps", .fn = admin_apps_create, .auth = ROUTE_CONSOLE, .roles = WRITERS, .formats = PAGE, .body = &reg_app_body, .mode = FIELDS_CREATE, .summary = "Create a application"},
	{.method = HTTP_GET, .pattern = "/admin/apps/{app_id}", .fn = admin_apps_show, .auth = ROUTE_CONSOLE, .roles = ADMINS, .formats = PAGE, .summary = "The application"},
	{.method = HTTP_POST, .pattern = "/admin/apps/{app_id}", .fn = admin_apps_update, .auth = ROUTE_CONSOLE, .roles = WRITERS, .formats = PAGE, .body = &reg_app_body, .mode = FIELDS_UPDATE, .summary = "Save the application"},
	{.method = HTTP_POST, .pattern = "/admin/apps/{app_id}/delete", .fn = admin_apps_delete, .auth = ROUTE_CONSOLE, .roles = WRITERS, .formats = PAGE, .summary = "Delete the application"},
	{.method = HTTP_POST, .pattern = "/admin/apps/{app_id}/rotate", .fn = admin_apps_rotate, .auth = ROUTE_CONSOLE, .roles = WRITERS, .formats = PAGE, .body = &reg_rotate_body, .mode = FIELDS_CREATE, .summary = "Rotate the application's private API key"},
	{.method = HTTP_POST, .pattern = "/admin/apps/{app_id}/users", .fn = admin_app_users_add, .auth = ROUTE_CONSOLE, .roles = WRITERS, .formats = PAGE, .body = &reg_app_user_body, .mode = FIELDS_CREATE, .summary = "Create a user"},
	{.method = HTTP_POST, .pattern = "/admin/apps/{app_id}/users/{user_id}/enabled", .fn = admin_app_users_enabled, .auth = ROUTE_CONSOLE, .roles = WRITERS, .formats = PAGE, .body = &reg_app_user_enable_body, .mode = FIELDS_CREATE, .summary = "Enable or disable an application user"},
	{.method = HTTP_POST, .pattern = "/admin/apps/{app_id}/users/{user_id}/remove", .fn = admin_app_users_remove, .auth = ROUTE_CONSOLE, .roles = WRITERS, .formats = PAGE, .summary = "Remove a user from the application"},
	{.method = HTTP_POST, .pattern = "/admin/apps/{app_id}/generate-token", .fn = admin_app_token_user, .auth = ROUTE_CONSOLE, .roles = WRITERS, .formats = PAGE, .body = &admin_token_user_body, .mode = FIELDS_CREATE, .summary = "Generate an access token for a user (User Credentials)"},
	{.method = HTTP_POST, .pattern = "/admin/apps/{app_id}/generate-code", .fn = admin_app_token_code, .auth = ROUTE_CONSOLE, .roles = WRITERS, .formats = PAGE, .body = &admin_token_code_body, .mode = FIELDS_CREATE, .summary = "Get an authorization code for a user"},
	{.method = HTTP_POST, .pattern = "/admin/apps/{app_id}/exchange-code", .fn = admin_app_token_exchange, .auth = ROUTE_CONSOLE, .roles = WRITERS, .formats = PAGE, .body = &admin_token_exchange_body, .mode = FIELDS_CREATE, .summary = "Exchange an authorization code for tokens"},
	{.method = HTTP_POST, .pattern = "/admin/apps/{app_id}/server-variables", .fn = admin_server_vars_declare, .auth = ROUTE_CONSOLE, .roles = WRITERS, .formats = PAGE, .body = &reg_svar_declare_body, .mode = FIELDS_CREATE, .summary = "Declare a server variable"},
	{.method = HTTP_POST, .pattern = "/admin/apps/{app_id}/server-variables/{name}/value", .fn = admin_server_vars_set, .auth = ROUTE_CONSOLE, .roles = WRITERS, .formats = PAGE, .body = &reg_svar_value_body, .mode = FIELDS_CREATE, .summary = "Set the value of a server variable"},
	{.method = HTTP_POST, .pattern = "/admin/apps/{app_id}/server-variables/{name}/delete", .fn = admin_server_vars_delete, .auth = ROUTE_CONSOLE, .roles = WRITERS, .formats = PAGE, .summary = "Remove a server variable"},
	{.method = HTTP_POST, .pattern = "/admin/apps/{app_id}/events/ping", .fn = admin_events_ping, .auth = ROUTE_CONSOLE, .roles = WRITERS, .formats = PAGE, .summary = "Send the application a test event"},
	{.method = HTTP_POST, .pattern = "/admin/apps/{app_id}/events/{event_id}/resend", .fn = admin_events_resend, .auth = ROUTE_CONSOLE, .roles = WRITERS, .formats = PAGE, .summary = "Deliver the event again"},
	{.method = HTTP_POST, .pattern = "/admin/apps/{app_id}/rotate-events-secret", .fn = admin_events_rotate, .auth = ROUTE_CONSOLE, .roles = WRITERS, .formats = PAGE, .body = &reg_events_rotate_body, .mode = FIELDS_CREATE, .summary = "Rotate the application's events signing secret"},
	{.method = HTTP_GET, .pattern = "/admin/audit", .fn = admin_audit, .auth = ROUTE_CONSOLE, .roles = ADMINS, .formats = PAGE, .summary = "The audit log"},
	{.method = HTTP_GET, .pattern = "/api/v1/app/me", .fn = api_app_me, .auth = ROUTE_APP, .roles = 0, .formats = API, .summary = "The calling application's identity sheet", .answer = ITEM(200, NULL, &api_app_sheet)},
	{.method = HTTP_GET, .pattern = "/api/v1/app/company", .fn = api_app_company, .auth = ROUTE_APP, .roles = APP_NEED_READ_COMPANIES, .formats = API, .summary = "The company the application acts for", .answer = ITEM(200, NULL, &api_app_company_answer)},
	/* the OAuth 2.0 authorization server (oauth/) */
	{.method = HTTP_GET, .pattern = "/.well-known/oauth-authorization-server", .fn = oauth_metadata, .auth = ROUTE_OPEN, .roles = 0, .formats = RENDER_JSON, .summary = "The authorization server's metadata (RFC 8414)", .answer = ITEM(200, NULL, &oauth_metadata_answer)},
	{.method = HTTP_GET, .pattern = "/.well-known/oauth-authorization-server/{prefix}", .fn = oauth_metadata, .auth = ROUTE_OPEN, .roles = 0, .formats = RENDER_JSON, .summary = "The metadata where RFC 8414 section 3.1 puts it under a path prefix", .answer = ITEM(200, NULL, &oauth_metadata_answer)},
	{.method = HTTP_GET, .pattern = "/oauth/authorize", .fn = oauth_authorize, .auth = ROUTE_OPEN, .roles = 0, .formats = PAGE, .summary = "The authorization request: the sign-in page, or the consent page"},
	{.method = HTTP_POST, .pattern = "/oauth/authorize", .fn = oauth_signin, .auth = ROUTE_OPEN, .roles = 0, .formats = PAGE, .summary = "Sign in to an application"},
	{.method = HTTP_POST, .pattern = "/oauth/consent", .fn = oauth_consent, .auth = ROUTE_OPEN, .roles = 0, .formats = PAGE, .summary = "Allow or deny an application"},
	{.method = HTTP_POST, .pattern = "/oauth/token", .fn = oauth_token, .auth = ROUTE_OAUTH, .roles = 0, .formats = RENDER_JSON, .params = &oauth_token_params, .summary = "The token endpoint (RFC 6749)", .answer = ITEM(200, NULL, &oauth_token_answer)},
	{.method = HTTP_POST, .pattern = "/oauth/revoke", .fn = oauth_revoke, .auth = ROUTE_OAUTH, .roles = 0, .formats = RENDER_JSON, .params = &oauth_token_of_client_params, .summary = "Revoke a token (RFC 7009)", .answer = {.status = 200, .shape = ANSWER_NONE}},
	{.method = HTTP_POST, .pattern = "/oauth/introspect", .fn = oauth_introspect, .auth = ROUTE_OAUTH, .roles = 0, .formats = RENDER_JSON, .params = &oauth_token_of_client_params, .summary = "What a token is (RFC 7662)", .answer = ITEM(200, NULL, &oauth_introspect_answer)},
	{.method = HTTP_GET, .pattern = "/oauth/userinfo", .fn = oauth_userinfo, .auth = ROUTE_OAUTH, .roles = 0, .formats = RENDER_JSON, .summary = "The user of a bearer access token", .answer = ITEM(200, NULL, &oauth_userinfo_answer)},
	/* the connection broker */
	{.method = HTTP_GET, .pattern = "/api/v1/apps/{app_id}/connection-providers", .fn = api_providers_list, .auth = ROUTE_API, .roles = ADMINS, .formats = API, .summary = "List connection providers", .answer = LIST(NULL, &reg_provider_row, NULL)},
	{.method = HTTP_POST, .pattern = "/api/v1/apps/{app_id}/connection-providers", .fn = api_providers_create, .auth = ROUTE_API, .roles = SUPER, .formats = API, .body = &reg_provider_body, .mode = FIELDS_CREATE, .summary = "Declare a connection provider", .answer = ITEM(201, NULL, &reg_provider_row)},
	{.method = HTTP_GET, .pattern = "/api/v1/apps/{app_id}/connection-providers/{name}", .fn = api_providers_get, .auth = ROUTE_API, .roles = ADMINS, .formats = API, .summary = "The connection provider", .answer = ITEM(200, NULL, &reg_provider_row)},
	{.method = HTTP_PATCH, .pattern = "/api/v1/apps/{app_id}/connection-providers/{name}", .fn = api_providers_update, .auth = ROUTE_API, .roles = SUPER, .formats = API, .body = &reg_provider_change_body, .mode = FIELDS_UPDATE, .summary = "Change a connection provider", .answer = ITEM(200, NULL, &reg_provider_row)},
	{.method = HTTP_DELETE, .pattern = "/api/v1/apps/{app_id}/connection-providers/{name}", .fn = api_providers_delete, .auth = ROUTE_API, .roles = SUPER, .formats = API, .summary = "Remove a connection provider, revoking its connections", .answer = NO_BODY},
	{.method = HTTP_GET, .pattern = "/api/v1/companies/{company_id}/connections", .fn = api_company_connections_list, .auth = ROUTE_API, .roles = ADMINS, .formats = API, .summary = "The connected accounts of the company (no tokens)", .answer = LIST(NULL, &broker_conn_row, NULL)},
	{.method = HTTP_DELETE, .pattern = "/api/v1/companies/{company_id}/connections/{connection_id}", .fn = api_company_connections_delete, .auth = ROUTE_API, .roles = WRITERS, .formats = API, .summary = "Disconnect a connected account, revoking its tokens", .answer = NO_BODY},
	{.method = HTTP_GET, .pattern = "/api/v1/app/connections", .fn = api_app_connections_list, .auth = ROUTE_APP, .roles = APP_NEED_READ_CONNECTIONS | APP_TAKES_USER_TOKEN, .formats = API, .summary = "The application's connections in the company, each with a usable access token", .answer = LIST(NULL, &broker_conn_app_row, &api_app_connections_filters)},
	{.method = HTTP_GET, .pattern = "/api/v1/app/connections/{connection_id}", .fn = api_app_connections_get, .auth = ROUTE_APP, .roles = APP_NEED_READ_CONNECTIONS | APP_TAKES_USER_TOKEN, .formats = API, .summary = "One connection, with a usable access token", .answer = ITEM(200, NULL, &broker_conn_app_row)},
	{.method = HTTP_DELETE, .pattern = "/api/v1/app/connections/{connection_id}", .fn = api_app_connections_delete, .auth = ROUTE_APP, .roles = APP_NEED_WRITE_CONNECTIONS, .formats = API, .summary = "Disconnect a connection, revoking its tokens", .answer = NO_BODY},
	{.method = HTTP_POST, .pattern = "/admin/apps/{app_id}/connection-providers", .fn = admin_providers_create, .auth = ROUTE_CONSOLE, .roles = WRITERS, .formats = PAGE, .body = &reg_provider_form, .mode = FIELDS_CREATE, .summary = "Declare a connection provider"},
	{.method = HTTP_POST, .pattern = "/admin/apps/{app_id}/connection-providers/{name}/delete", .fn = admin_providers_delete, .auth = ROUTE_CONSOLE, .roles = WRITERS, .formats = PAGE, .summary = "Remove a connection provider"},
	{.method = HTTP_GET, .pattern = "/admin/my", .fn = admin_my, .auth = ROUTE_CONSOLE, .roles = ANYONE, .formats = PAGE, .summary = "Your companies and their applications"},
	{.method = HTTP_GET, .pattern = "/admin/my/companies/{company_id}/apps/{app_id}", .fn = admin_my_app, .auth = ROUTE_CONSOLE, .roles = ANYONE, .formats = PAGE, .summary = "An application's providers and connections"},
	{.method = HTTP_GET, .pattern = "/admin/my/companies/{company_id}/apps/{app_id}/connect/{name}", .fn = admin_my_connect_form, .auth = ROUTE_CONSOLE, .roles = ANYONE, .formats = PAGE, .summary = "Add a connection: who may use it"},
	{.method = HTTP_POST, .pattern = "/admin/my/companies/{company_id}/apps/{app_id}/connect/{name}", .fn = admin_my_connect, .auth = ROUTE_CONSOLE, .roles = ANYONE, .formats = PAGE, .body = &broker_connect_body, .mode = FIELDS_CREATE, .summary = "Add a connection: on to the provider"},
	{.method = HTTP_POST, .pattern = "/admin/my/connections/{connection_id}/rename", .fn = admin_my_rename, .auth = ROUTE_CONSOLE, .roles = ANYONE, .formats = PAGE, .body = &broker_rename_body, .mode = FIELDS_CREATE, .summary = "Rename a connection"},
	{.method = HTTP_POST, .pattern = "/admin/my/connections/{connection_id}/disconnect", .fn = admin_my_disconnect, .auth = ROUTE_CONSOLE, .roles = ANYONE, .formats = PAGE, .summary = "Disconnect a connection"},
	{.method = HTTP_GET, .pattern = "/apps/oauth/callback", .fn = admin_oauth_callback, .auth = ROUTE_OPEN, .roles = 0, .formats = PAGE, .summary = "Where a provider sends people back"},
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
	int digits = nlen >= 2 && strncmp(name + nlen - 2, "id", 2) == 0; /* {id}, {app_id} */

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

/* Does PATH (as sent) match PATTERN? The pattern's text must be the very
 * bytes of the path, never an escape of them; a {…} segment is decoded once
 * matched and then checked (segment_ok). Parameters go into C when C is not
 * NULL. */
static int
pattern_match(const char *pattern, const char *path, struct ctx *c)
{
	const char *p = pattern, *s = path, *close, *end;
	char seg[3 * 64 + 1]; /* a decoded segment: at most 64 characters of 1-3 bytes each */
	size_t nparams = 0, used = 0, slen, dlen;

	while (*p && *s) {
		if (*p != '{') {
			if (*p++ != *s++)
				return 0;
			continue;
		}
		close = strchr(p, '}');
		end = strchr(s, '/');
		slen = end ? (size_t)(end - s) : strlen(s);
		if (!close || nparams == REQUEST_PARAMS_MAX || slen >= sizeof(seg) ||
		    form_unescape(s, slen, 0, seg, &dlen) ||
		    !segment_ok(p + 1, (size_t)(close - p - 1), seg, dlen))
			return 0;
		if (c) {
			memcpy(c->param_buf + used, seg, dlen + 1);
			c->params[nparams] = c->param_buf + used;
			used += dlen + 1;
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
	/* the routes of the method first: most requests end here */
	for (i = 0; i < n; i++)
		if (table[i].method == want && pattern_match(table[i].pattern, path, NULL)) {
			pattern_match(table[i].pattern, path, c);
			*out = &table[i];
			return OST_OK;
		}
	/* none: the methods the path has, for 405's Allow */
	for (i = 0; i < n; i++) {
		if (!pattern_match(table[i].pattern, path, NULL))
			continue;
		seen = 1;
		len += (size_t)snprintf(allow + len, len < allowsz ? allowsz - len : 0, "%s%s",
		    len ? ", " : "", names[table[i].method]);
		if (table[i].method == HTTP_GET && len < allowsz)
			len += (size_t)snprintf(allow + len, allowsz - len, ", HEAD");
	}
	return seen ? OST_ERR_METHOD : OST_ERR_NOT_FOUND;
}
