/* events.c - the JSON/XML handlers of an application's events: the list
 * with its attempts, one event, resend, the test event, and the rotation
 * of the events signing secret */
#include "api/handlers.h"

#include <stdio.h>
#include <string.h>

#include "http/face.h"
#include "registry/events.h"
#include "store/app_user.h"
#include "store/event.h"

/* TEXT, a time "YYYY-MM-DDTHH:MM:SSZ", as MariaDB reads one into OUT
 * ("YYYY-MM-DD HH:MM:SS"); 0 when it is not such a time. */
static int
sql_time(const char *text, char out[20])
{
	static const char shape[] = "dddd-dd-ddTdd:dd:ddZ";
	int mon, day, hour, min, sec;
	size_t i;

	if (strlen(text) != sizeof(shape) - 1)
		return 0;
	for (i = 0; shape[i]; i++)
		if (shape[i] == 'd' ? text[i] < '0' || text[i] > '9' : text[i] != shape[i])
			return 0;
	mon = (text[5] - '0') * 10 + text[6] - '0';
	day = (text[8] - '0') * 10 + text[9] - '0';
	hour = (text[11] - '0') * 10 + text[12] - '0';
	min = (text[14] - '0') * 10 + text[15] - '0';
	sec = (text[17] - '0') * 10 + text[18] - '0';
	if (mon < 1 || mon > 12 || day < 1 || day > 31 || hour > 23 || min > 59 || sec > 59)
		return 0;
	snprintf(out, 20, "%.10s %.8s", text, text + 11);
	return 1;
}

/* The list's filters from the query into F (SINCE and UNTIL hold the
 * times); on a bad one the 400 answer is set and OST_ERR_INVALID returned. */
static OST_MUST_CHECK enum ost_err
filters_or_reply(struct ctx *c, struct event_filter *f, char since[20], char until[20])
{
	const char *type = request_field(c->req, "type"), *status = request_field(c->req, "status");
	const char *s = request_field(c->req, "since"), *u = request_field(c->req, "until");

	*f = (struct event_filter){"", "", "", ""};
	if (type && (strlen(type) == 0 || strlen(type) > 64)) {
		response_error(c->res, OST_ERR_INVALID, "type is 1 to 64 characters", "type");
		return OST_ERR_INVALID;
	}
	if (status && strcmp(status, "pending") && strcmp(status, "succeeded") &&
	    strcmp(status, "failed")) {
		response_error(c->res, OST_ERR_INVALID, "status is pending, succeeded or failed",
		    "status");
		return OST_ERR_INVALID;
	}
	if ((s && !sql_time(s, since)) || (u && !sql_time(u, until))) {
		response_error(c->res, OST_ERR_INVALID, "a time is written YYYY-MM-DDTHH:MM:SSZ (UTC)",
		    s && !sql_time(s, since) ? "since" : "until");
		return OST_ERR_INVALID;
	}
	f->type = type ? type : "";
	f->status = status ? status : "";
	f->since = s ? since : "";
	f->until = u ? until : "";
	return OST_OK;
}

enum ost_err
api_events_list(struct ctx *c)
{
	long long app = ctx_param_id(c, 0), before;
	char since[20], until[20];
	struct event_filter f;
	unsigned limit;
	json_t *rows = NULL, *page;
	enum ost_err err;

	if (page_args_or_reply(c, &limit, &before) || filters_or_reply(c, &f, since, until))
		return OST_OK;
	if ((err = store_app_exists(app)) || (err = store_event_list(app, before, &f, limit + 1, &rows)))
		return err;
	if ((err = reg_events_attach_attempts(rows))) {
		json_decref(rows);
		return err;
	}
	if (!(page = page_tree(rows, limit)))
		return OST_ERR_NOMEM;
	response_set(c->res, 200, page, NULL);
	return OST_OK;
}

/* Answer STATUS with event ROW (stolen) and its attempts. */
static OST_MUST_CHECK enum ost_err
reply_event(struct ctx *c, int status, json_t *row)
{
	json_t *rows = json_pack("[o]", row);
	enum ost_err err = rows ? reg_events_attach_attempts(rows) : OST_ERR_NOMEM;

	if (!err)
		response_set(c->res, status, json_incref(json_array_get(rows, 0)), NULL);
	json_decref(rows);
	return err;
}

enum ost_err
api_events_get(struct ctx *c)
{
	json_t *row = NULL;
	enum ost_err err = store_event_get(ctx_param_id(c, 0), ctx_param_id(c, 1), &row);

	return err ? err : reply_event(c, 200, row);
}

enum ost_err
api_events_resend(struct ctx *c)
{
	struct field_error why = {0};
	struct op op;
	json_t *row = NULL;
	enum ost_err err;

	ctx_op(c, &op);
	err = reg_event_resend(&op, ctx_param_id(c, 0), ctx_param_id(c, 1), &row, &why);
	if (err == OST_ERR_CONFLICT)
		return reply_refusal(c, err, &why);
	return err ? err : reply_event(c, 200, row);
}

enum ost_err
api_events_ping(struct ctx *c)
{
	struct field_error why = {0};
	struct op op;
	json_t *row = NULL;
	enum ost_err err;

	ctx_op(c, &op);
	err = reg_event_ping(&op, ctx_param_id(c, 0), &row, &why);
	if (err == OST_ERR_CONFLICT)
		return reply_refusal(c, err, &why);
	return err ? err : reply_event(c, 201, row);
}

enum ost_err
api_events_rotate(struct ctx *c)
{
	struct op op;
	json_t *out = NULL;
	enum ost_err err;

	ctx_op(c, &op);
	if ((err = reg_events_rotate(&op, ctx_param_id(c, 0), c->input, &out)))
		return err;
	response_set(c->res, 200, out, NULL);
	return OST_OK;
}
