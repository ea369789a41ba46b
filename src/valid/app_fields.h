/* app_fields.h - the application's fields, named once: the field table, the
 * SQL column lists and bind order of its statements (store/stmt.c) and the
 * identity sheet (auth/app_auth.c) are all expanded from APP_FIELDS */
#ifndef OST_APP_FIELDS_H
#define OST_APP_FIELDS_H

/* APP_FIELDS(X) calls X(NAME, SHEET, ...) once a field, in bind order:
 * NAME is the field and its column in `apps`; SHEET is 1 when the field is
 * part of the identity sheet the application reads (GET /api/v1/app/me),
 * 0 otherwise; the rest are the field's designated initialisers (see
 * struct field in valid/fields.h). Adding a field is one line here plus
 * its migration in sql/. */
#define APP_FIELDS(X) \
	X(name, 1, .label = "Name", .kind = FIELD_STRING, .min = 1, .max = 100, \
	    .flags = FIELD_REQUIRED) \
	X(description, 1, .label = "Description", .kind = FIELD_TEXT, .max = 1000) \
	X(icon_url, 1, .label = "Icon URL", .kind = FIELD_STRING, .max = 2048, \
	    .flags = FIELD_NULLABLE, .check = app_check_icon_url) \
	X(app_group_id, 1, .label = "App group id", .kind = FIELD_STRING, .max = 64, \
	    .flags = FIELD_NULLABLE, .check = app_check_group_id) \
	X(suite_id, 1, .label = "Suite", .kind = FIELD_ID, .flags = FIELD_NULLABLE) \
	X(project_id, 1, .label = "Project", .kind = FIELD_ID, .flags = FIELD_NULLABLE) \
	X(events_url, 0, .label = "Events URL", .kind = FIELD_STRING, .max = 2048, \
	    .flags = FIELD_NULLABLE, .check = app_check_events_url) \
	X(allowed_ips, 0, .label = "Allowed IP addresses", .kind = FIELD_STRINGS, .max = 100, \
	    .item = app_item_ip, .dflt = "[]") \
	X(permissions, 1, .label = "Permissions", .kind = FIELD_STRINGS, .max = 64, \
	    .item = app_item_permission, .check = app_check_permissions, .dflt = "[]") \
	X(capabilities, 1, .label = "Capabilities", .kind = FIELD_OBJECT, \
	    .check = app_check_capabilities, .dflt = "{\"read\": [], \"write\": []}") \
	X(display, 1, .label = "Display", .kind = FIELD_OBJECT, .check = app_check_display, \
	    .dflt = "{}") \
	X(domain, 1, .label = "Domain", .kind = FIELD_STRING, .max = 255, \
	    .flags = FIELD_NULLABLE, .check = app_check_domain, \
	    .help = "A host name (its CORS origin is https:// that host, and http:// too in " \
	    "development mode) or an origin such as https://app.example.org[:port]; " \
	    "domain_kind says which") \
	X(allowed_origins, 0, .label = "Allowed origins", .kind = FIELD_STRINGS, .max = 50, \
	    .item = app_item_origin, .dflt = "[]") \
	X(redirect_uris, 0, .label = "Redirect URIs", .kind = FIELD_STRINGS, .max = 20, \
	    .item = app_item_redirect_uri, .dflt = "[]") \
	X(authenticator, 1, .label = "Authenticator", .kind = FIELD_ENUM, \
	    .choices = app_authenticators, .choice_labels = app_authenticator_labels, \
	    .dflt = "\"authorization_code_pkce\"") \
	X(access_token_ttl, 0, .label = "Access token lifespan (seconds)", .kind = FIELD_INT, \
	    .min = 60, .max = 86400, .dflt = "3600") \
	X(refresh_token_ttl, 0, .label = "Refresh token lifespan (seconds)", .kind = FIELD_INT, \
	    .min = 60, .max = 365LL * 86400, .dflt = "2592000") \
	X(refresh_reuse_grace, 0, .label = "Refresh token reuse grace (seconds)", \
	    .kind = FIELD_INT, .min = 0, .max = 60, .dflt = "0", \
	    .help = "How long a refresh token rotated out may still be used again (two tabs " \
	    "refreshing at once); past it, a reuse revokes every token of its grant") \
	X(public_key_current, 0, .label = "Public key (current)", .kind = FIELD_TEXT, \
	    .max = 8192, .flags = FIELD_NULLABLE, .check = app_check_public_key) \
	X(public_key_previous, 0, .label = "Public key (previous)", .kind = FIELD_TEXT, \
	    .max = 8192, .flags = FIELD_NULLABLE, .check = app_check_public_key) \
	X(certificate, 0, .label = "Certificate or public key", .kind = FIELD_TEXT, .max = 8192, \
	    .flags = FIELD_NULLABLE, .check = app_check_certificate, \
	    .help = "An X.509 certificate or an RSA public key (2048 bits or more) in PEM, " \
	    "instead of public_key_current; certificate_kind says which") \
	X(properties, 1, .label = "Properties", .kind = FIELD_OBJECT, \
	    .check = app_check_properties, .dflt = "{}")

/* APP_DERIVED(X) calls X(NAME) once for each column of `apps` that the
 * operation derives from the fields (registry/apps.c, app_derive) and
 * stores after them, in bind order: read-only in the API. */
#define APP_DERIVED(X) X(domain_kind) X(certificate_kind)

/* Expansions for SQL text: ", name" for every field, ", a.name" for the
 * sheet's, ", ?" a field, ", name = ?" a field; the same for the derived
 * columns (APP_D*_). */
#define APP_COL_(NAME, SHEET, ...) ", " #NAME
#define APP_SHEET_COL_1_(NAME) ", a." #NAME
#define APP_SHEET_COL_0_(NAME)
#define APP_SHEET_COL_(NAME, SHEET, ...) APP_SHEET_COL_##SHEET##_(NAME)
#define APP_PARAM_(NAME, SHEET, ...) ", ?"
#define APP_SET_(NAME, SHEET, ...) #NAME " = ?, "
#define APP_DCOL_(NAME) ", " #NAME
#define APP_DPARAM_(NAME) ", ?"
#define APP_DSET_(NAME) #NAME " = ?, "

#endif
