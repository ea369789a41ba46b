/* test_render.c - unit tests of the JSON, XML and HTML renderers */
#include "render/render.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#ifndef TEST_SRCDIR
#define TEST_SRCDIR "."
#endif
#define TEMPLATES TEST_SRCDIR "/tests/unit/fixtures/templates"
#define OUT_MAX (1 << 20)
#define PROLOG "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
#define NELEM(a) (sizeof(a) / sizeof((a)[0]))
#define SCRIPT "<script>alert(\"x\")</script> & \"q\""

static json_t *
parse(const char *text)
{
	json_error_t e;
	json_t *v = json_loads(text, JSON_DECODE_ANY, &e);

	ck_assert_msg(v != NULL, "bad test JSON %s: %s", text, e.text);
	return v;
}

/* ---- JSON ---- */

START_TEST(test_json_small)
{
	json_t *tree = json_pack("{s:s, s:i, s:b, s:n, s:[s, s], s:{}}", "name",
	    "Ostium <&>", "count", 3, "ok", 1, "none", "roles", "admin", "é",
	    "empty");
	struct buf out;

	buf_init(&out, OUT_MAX);
	ck_assert_int_eq(buf_adds(&out, "x"), OST_OK);
	ck_assert_int_eq(render_json(tree, &out), OST_OK);
	ck_assert_str_eq(out.p, "x{\"name\":\"Ostium <&>\",\"count\":3,\"ok\":true,"
	                        "\"none\":null,\"roles\":[\"admin\",\"é\"],"
	                        "\"empty\":{}}");
	buf_free(&out);
	json_decref(tree);
}
END_TEST

START_TEST(test_json_limits)
{
	json_t *tree = parse("{\"name\":\"a value longer than the buffer\"}");
	struct buf out;

	buf_init(&out, 16);
	ck_assert_int_eq(buf_adds(&out, "keep"), OST_OK);
	ck_assert_int_eq(render_json(tree, &out), OST_ERR_TOO_LARGE);
	ck_assert_str_eq(out.p, "keep");
	ck_assert_int_eq(render_json(NULL, &out), OST_ERR_INVALID);
	ck_assert_str_eq(out.p, "keep");
	buf_free(&out);
	json_decref(tree);
}
END_TEST

/* ---- XML ---- */

static const struct {
	const char *json; /* the tree */
	const char *xml;  /* what follows the prolog, without the final \n */
} xml_cases[] = {
	{"{\"name\":\"x\"}", "<response><name>x</name></response>"},
	{"{\"roles\":[\"a\",\"b\"]}", "<response><roles type=\"array\"><item>a"
	                              "</item><item>b</item></roles></response>"},
	{"{\"n\":42,\"neg\":-7,\"r\":1.5}",
	    "<response><n type=\"number\">42</n><neg type=\"number\">-7</neg>"
	    "<r type=\"number\">1.5</r></response>"},
	{"{\"t\":true,\"f\":false}",
	    "<response><t type=\"boolean\">true</t><f type=\"boolean\">false</f>"
	    "</response>"},
	{"{\"z\":null}", "<response><z type=\"null\"/></response>"},
	{"{\"s\":\"<b>&\\\"x\\\"</b>\"}",
	    "<response><s>&lt;b&gt;&amp;&quot;x&quot;&lt;/b&gt;</s></response>"},
	{"{\"1st\":1}",
	    "<response><entry key=\"1st\" type=\"number\">1</entry></response>"},
	{"{\"a b\":\"x\",\"x:y\":\"y\",\"\":\"e\",\"-a\":\"m\"}",
	    "<response><entry key=\"a b\">x</entry><entry key=\"x:y\">y</entry>"
	    "<entry key=\"\">e</entry><entry key=\"-a\">m</entry></response>"},
	{"{\"<&\\\">\":\"v\"}",
	    "<response><entry key=\"&lt;&amp;&quot;&gt;\">v</entry></response>"},
	{"{\"ok_name-1.x\":\"v\",\"é\":\"w\"}",
	    "<response><ok_name-1.x>v</ok_name-1.x><é>w</é></response>"},
	{"[[1,2],[],{\"a\":\"b\"}]",
	    "<response type=\"array\"><item type=\"array\"><item type=\"number\">1"
	    "</item><item type=\"number\">2</item></item><item type=\"array\"/>"
	    "<item><a>b</a></item></response>"},
	{"{\"o\":{\"p\":{\"q\":\"deep\"}},\"e\":{},\"s\":\"\"}",
	    "<response><o><p><q>deep</q></p></o><e type=\"object\"/><s></s></response>"},
	{"{}", "<response type=\"object\"/>"},
	{"\"top\"", "<response>top</response>"},
	{"7", "<response type=\"number\">7</response>"},
	{"null", "<response type=\"null\"/>"},
	{"{\"c\":\"a\\u0001b\\tc\",\"k\\u0002\":1}",
	    "<response><c>a\xEF\xBF\xBD" "b\tc</c><entry key=\"k\xEF\xBF\xBD\" "
	    "type=\"number\">1</entry></response>"},
};

START_TEST(test_xml_cases)
{
	json_t *tree = parse(xml_cases[_i].json);
	struct buf out, want;
	xmlDocPtr doc;

	buf_init(&out, OUT_MAX);
	buf_init(&want, OUT_MAX);
	ck_assert_int_eq(buf_addf(&want, PROLOG "%s\n", xml_cases[_i].xml),
	    OST_OK);
	ck_assert_int_eq(render_xml(tree, &out), OST_OK);
	ck_assert_str_eq(out.p, want.p);
	/* and whatever the bytes, a parser takes them */
	doc = xmlReadMemory(out.p, (int)out.len, NULL, NULL,
	    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	ck_assert_msg(doc != NULL, "not well-formed: %s", out.p);
	xmlFreeDoc(doc);
	buf_free(&want);
	buf_free(&out);
	json_decref(tree);
}
END_TEST

/* N nested objects {"a":{"a":...{}}} (N >= 1). */
static json_t *
nested_objects(int n)
{
	json_t *top = json_object(), *inner = top, *next;
	int i;

	for (i = 1; i < n; i++) {
		next = json_object();
		ck_assert_int_eq(json_object_set_new(inner, "a", next), 0);
		inner = next;
	}
	return top;
}

START_TEST(test_xml_limits)
{
	json_t *tree = parse("{\"name\":\"a value longer than the buffer\"}");
	json_t *deep = json_array(), *inner = deep;
	struct buf out;
	int i;

	for (i = 0; i < 5000; i++) {
		json_t *next = json_array();
		json_array_append_new(inner, next);
		inner = next;
	}
	buf_init(&out, 48);
	ck_assert_int_eq(buf_adds(&out, "keep"), OST_OK);
	ck_assert_int_eq(render_xml(tree, &out), OST_ERR_TOO_LARGE);
	ck_assert_str_eq(out.p, "keep");
	out.max = OUT_MAX;
	/* deeper than anything jansson parses back from the database */
	ck_assert_int_eq(render_xml(deep, &out), OST_ERR_INVALID);
	ck_assert_str_eq(out.p, "keep");
	ck_assert_int_eq(render_xml(NULL, &out), OST_ERR_INVALID);
	buf_free(&out);
	json_decref(deep);
	json_decref(tree);
}
END_TEST

/* What was stored renders: objects nested 70 and 2046 levels (the most
 * jansson reads back inside a body), wrapped as an answer wraps them. */
START_TEST(test_xml_deep_stored)
{
	static const int depths[] = {70, 2046};
	json_t *tree;
	struct buf out;
	size_t i, size;

	for (i = 0; i < NELEM(depths); i++) {
		tree = json_pack("{s:[{s:o}]}", "items", "details", nested_objects(depths[i]));
		buf_init(&out, OUT_MAX);
		ck_assert_int_eq(render_xml(tree, &out), OST_OK);
		ck_assert_int_eq(render_xml_size(tree, &size), OST_OK);
		ck_assert_uint_eq(size, out.len);
		ck_assert_int_eq(render_json(tree, &out), OST_OK);
		buf_free(&out);
		json_decref(tree);
	}
}
END_TEST

/* The sizes pages are cut by: exact for JSON and XML, an upper bound of
 * the escaped text for HTML. */
START_TEST(test_sizes)
{
	json_t *tree = parse("{\"a\":[\"<&>\\\"x\",1,true,null,{\"b\":\"é\"}],\"c\":{}}");
	struct buf out;
	size_t n;

	buf_init(&out, OUT_MAX);
	ck_assert_int_eq(render_json(tree, &out), OST_OK);
	ck_assert_int_eq(render_json_size(tree, &n), OST_OK);
	ck_assert_uint_eq(n, out.len);
	buf_reset(&out);
	ck_assert_int_eq(render_xml(tree, &out), OST_OK);
	ck_assert_int_eq(render_xml_size(tree, &n), OST_OK);
	ck_assert_uint_eq(n, out.len);
	ck_assert_int_eq(render_xml_size(NULL, &n), OST_ERR_INVALID);
	/* "<&>\"x": 4 + 6 + 4 + 6 + 1; 1: a number; true: 5; "é": a reference
	 * for its first byte, one for the next */
	ck_assert_uint_eq(render_html_text_size(tree), 21 + 32 + 5 + 11);
	ck_assert_uint_eq(render_html_text_size(NULL), 0);
	buf_free(&out);
	json_decref(tree);
}
END_TEST

/* ---- HTML ---- */

static struct render_templates *tpls;

static void
tpls_setup(void)
{
	const char *msg = NULL;
	enum ost_err err = render_html_load(TEMPLATES, &tpls, &msg);

	ck_assert_msg(err == OST_OK, "load %s: %s", TEMPLATES, msg ? msg : "?");
}

static void
tpls_teardown(void)
{
	render_html_free(tpls);
	tpls = NULL;
}

/* Page NAME bound to JSON; *ERR its result; the output (free() it). */
static char *
page(const char *name, const char *json, const char *base, enum ost_err *err)
{
	json_t *tree = parse(json);
	struct buf out;
	char *p;

	buf_init(&out, OUT_MAX);
	*err = render_html(tpls, name, tree, base, &out);
	p = buf_take(&out);
	json_decref(tree);
	return p ? p : strdup("");
}

/* What the layout's <main> holds in HTML, without the trailing newline. */
static char *
slot_of(const char *html)
{
	const char *a = strstr(html, "<main>"), *b = strstr(html, "\n</main>");

	ck_assert_msg(a && b && b > a, "no <main> in %s", html);
	a += strlen("<main>");
	return strndup(a, (size_t)(b - a));
}

/* Page NAME bound to JSON must succeed; what its slot holds (free() it). */
static char *
slot(const char *name, const char *json, const char *base)
{
	enum ost_err err;
	char *html = page(name, json, base, &err), *s;

	ck_assert_msg(err == OST_OK, "render %s: %s", name, ost_strerror(err));
	s = slot_of(html);
	free(html);
	return s;
}

static int
count(const char *hay, const char *needle)
{
	int n = 0;

	for (; (hay = strstr(hay, needle)); hay++)
		n++;
	return n;
}

START_TEST(test_html_page)
{
	enum ost_err err;
	char *html = page("text",
	    "{\"title\":\"Hé\",\"message\":\"hi\",\"user\":{\"name\":\"Ann\"}}", "",
	    &err);

	ck_assert_int_eq(err, OST_OK);
	ck_assert_str_eq(html,
	    "<!DOCTYPE html>\n"
	    "<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	    "<title>Hé</title>\n</head>\n<body>\n"
	    "<nav><a href=\"/admin\">Ostium</a></nav>\n"
	    "<main><h1>Hé</h1>\n<p id=\"t\">hi</p>\n"
	    "<p id=\"a\" title=\"hi\">attr</p>\n<p id=\"n\">Ann</p>\n"
	    "</main>\n</body>\n</html>\n");
	ck_assert_int_eq(count(html, "<!DOCTYPE"), 1);
	ck_assert_int_eq(count(html, "data-"), 0);
	free(html);
}
END_TEST

/* The text of the element with id ID in the serialised page (free() it). */
static char *
reparse(const char *html, const char *id, const char *attr)
{
	htmlDocPtr doc = htmlReadMemory(html, (int)strlen(html), NULL, "UTF-8",
	    HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING);
	xmlNodePtr n = doc ? xmlDocGetRootElement(doc) : NULL;
	xmlChar *v = NULL, *x;
	char *ret;

	while (n) { /* depth-first, to the element with that id */
		x = n->type == XML_ELEMENT_NODE ? xmlGetProp(n, BAD_CAST "id") : NULL;
		if (x && strcmp((char *)x, id) == 0) {
			v = attr ? xmlGetProp(n, BAD_CAST attr) : xmlNodeGetContent(n);
			xmlFree(x);
			break;
		}
		xmlFree(x);
		if (n->children) {
			n = n->children;
			continue;
		}
		while (n && !n->next)
			n = n->parent;
		n = n ? n->next : NULL;
	}
	ret = strdup(v ? (char *)v : "(none)");
	xmlFree(v);
	xmlFreeDoc(doc);
	return ret;
}

START_TEST(test_html_escape)
{
	enum ost_err err;
	char *html = page("text", "{\"message\":\"" "<script>alert(\\\"x\\\")"
	                          "</script> & \\\"q\\\"" "\"}", "", &err);
	char *text, *attr;

	ck_assert_int_eq(err, OST_OK);
	ck_assert_ptr_null(strstr(html, "<script"));
	ck_assert_ptr_nonnull(strstr(html,
	    "<p id=\"t\">&lt;script&gt;alert(\"x\")&lt;/script&gt; &amp; \"q\""
	    "</p>"));
	ck_assert_ptr_nonnull(strstr(html,
	    "title='&lt;script&gt;alert(\"x\")&lt;/script&gt; &amp; \"q\"'"));
	/* a browser's parser reads back exactly the value */
	text = reparse(html, "t", NULL);
	attr = reparse(html, "a", "title");
	ck_assert_str_eq(text, SCRIPT);
	ck_assert_str_eq(attr, SCRIPT);
	free(text);
	free(attr);
	free(html);
}
END_TEST

START_TEST(test_html_escape_quotes)
{
	/* both quote kinds: the serialiser must escape one of them */
	enum ost_err err;
	char *html = page("text", "{\"message\":\"a'b\\\"c<\"}", "", &err);
	char *attr = reparse(html, "a", "title");

	ck_assert_int_eq(err, OST_OK);
	ck_assert_str_eq(attr, "a'b\"c<");
	free(attr);
	free(html);
}
END_TEST

static const struct {
	const char *v;     /* the value of "v", NULL for no "v" at all */
	int truthy;        /* what data-if makes of it */
} truth_cases[] = {
	{NULL, 0}, {"null", 0}, {"false", 0}, {"true", 1}, {"0", 0}, {"1", 1},
	{"-1", 1}, {"0.0", 0}, {"0.5", 1}, {"\"\"", 0}, {"\"0\"", 1},
	{"\"x\"", 1}, {"[]", 0}, {"[0]", 1}, {"{}", 0}, {"{\"a\":null}", 1},
};

START_TEST(test_html_truthy)
{
	char json[64], *s;

	if (truth_cases[_i].v)
		snprintf(json, sizeof json, "{\"v\":%s}", truth_cases[_i].v);
	else
		snprintf(json, sizeof json, "{\"w\":1}");
	s = slot("cond", json, "");
	ck_assert_str_eq(s, truth_cases[_i].truthy ? "<i>if</i>" : "<i>unless</i>");
	free(s);
}
END_TEST

START_TEST(test_html_each)
{
	/* nested: members inside groups; "title" found in the group, else root */
	char *s = slot("each",
	    "{\"title\":\"T\",\"groups\":["
	    "{\"name\":\"a\",\"members\":[\"x\",2,1.5,0.1,true,null]},"
	    "{\"name\":\"b<\",\"members\":[],\"title\":\"inner\"}]}",
	    "");

	ck_assert_str_eq(s, "<ul><li><b>a</b><i>x</i><i>2</i><i>1.5</i>"
	                    "<i>0.1</i><i>true</i><i></i><u>T</u></li>"
	                    "<li><b>b&lt;</b><s>none</s><u>inner</u></li></ul>");
	free(s);
}
END_TEST

START_TEST(test_html_each_empty)
{
	static const char *const trees[] = {"{\"groups\":[]}", "{}",
	    "{\"groups\":null}"};
	size_t i;
	char *s;

	for (i = 0; i < NELEM(trees); i++) {
		s = slot("each", trees[i], "");
		ck_assert_str_eq(s, "<p>no groups</p>");
		free(s);
	}
}
END_TEST

static const struct {
	const char *json; /* the tree */
	const char *slot; /* the page's content */
} attr_cases[] = {
	{"{\"v\":true}", "<input type=\"checkbox\" checked><a title=\"title\">a</a>"},
	{"{\"v\":false}", "<input type=\"checkbox\"><a>a</a>"},
	{"{\"v\":null}", "<input type=\"checkbox\"><a>a</a>"},
	{"{}", "<input type=\"checkbox\"><a>a</a>"},
	{"{\"v\":5}", "<input type=\"checkbox\" checked><a title=\"5\">a</a>"},
	{"{\"v\":\"a&b\"}",
	    "<input type=\"checkbox\" checked><a title=\"a&amp;b\">a</a>"},
};

START_TEST(test_html_attr)
{
	char *s = slot("attr", attr_cases[_i].json, "");

	ck_assert_str_eq(s, attr_cases[_i].slot);
	free(s);
}
END_TEST

static const struct {
	const char *base; /* BASE_PATH */
	const char *json; /* the tree */
	const char *slot; /* the page's content */
} link_cases[] = {
	{"", "{\"id\":42,\"n\":3}",
	    "<a href=\"/admin/tokens/42/revoke\">revoke</a>"
	    "<form method=\"post\" action=\"/x//y/3\"></form>"},
	{"/ostium", "{\"id\":\"a b/c\",\"n\":\"\"}",
	    "<a href=\"/ostium/admin/tokens/a%20b%2Fc/revoke\">revoke</a>"
	    "<form method=\"post\" action=\"/ostium/x//y/\"></form>"},
	{"/ostium", "{\"id\":\"?#%&é\\\"<\"}",
	    "<a href=\"/ostium/admin/tokens/%3F%23%25%26%C3%A9%22%3C/revoke\">"
	    "revoke</a><form method=\"post\" action=\"/ostium/x//y/\"></form>"},
	{"", "{}",
	    "<a href=\"/admin/tokens//revoke\">revoke</a>"
	    "<form method=\"post\" action=\"/x//y/\"></form>"},
};

START_TEST(test_html_link)
{
	enum ost_err err;
	char *html = page("link", link_cases[_i].json, link_cases[_i].base, &err);
	char *s = slot_of(html), nav[64];

	ck_assert_int_eq(err, OST_OK);
	ck_assert_str_eq(s, link_cases[_i].slot);
	snprintf(nav, sizeof nav, "<nav><a href=\"%s/admin\">", link_cases[_i].base);
	ck_assert_ptr_nonnull(strstr(html, nav));
	free(s);
	free(html);
}
END_TEST

START_TEST(test_html_errors)
{
	json_t *tree = parse("{\"title\":\"a title\",\"message\":{\"a\":1}}");
	struct buf out;

	buf_init(&out, 64);
	ck_assert_int_eq(buf_adds(&out, "keep"), OST_OK);
	ck_assert_int_eq(render_html(tpls, "nope", tree, "", &out),
	    OST_ERR_NOT_FOUND);
	ck_assert_int_eq(render_html(tpls, "layout", tree, "", &out),
	    OST_ERR_NOT_FOUND);
	ck_assert_int_eq(render_html(tpls, "cond", tree, "", &out),
	    OST_ERR_TOO_LARGE);
	ck_assert_str_eq(out.p, "keep");
	out.max = OUT_MAX;
	/* an object where text is wanted is a bug in the handler */
	ck_assert_int_eq(render_html(tpls, "text", tree, "", &out),
	    OST_ERR_INVALID);
	ck_assert_str_eq(out.p, "keep");
	buf_free(&out);
	json_decref(tree);
}
END_TEST

/* ---- loading ---- */

static const char layout_ok[] =
    "<html><head><meta charset=\"utf-8\"></head>"
    "<body><main data-slot=\"content\"></main></body></html>";

static void
write_file(const char *dir, const char *name, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	ck_assert_ptr_nonnull(f = fopen(path, "w"));
	fputs(text, f);
	ck_assert_int_eq(fclose(f), 0);
}

static void
remove_dir(const char *dir)
{
	char path[512];

	snprintf(path, sizeof path, "%s/layout.html", dir);
	unlink(path);
	snprintf(path, sizeof path, "%s/page.html", dir);
	unlink(path);
	rmdir(dir);
}

/* Load a directory of LAYOUT and PAGE (NULL: no such file); *MSG a copy of
 * the message. The set is freed, the directory removed. */
static enum ost_err
load_dir(const char *layout, const char *pg, char **msg,
    struct render_templates **keep)
{
	char dir[] = "/tmp/test_render.XXXXXX";
	struct render_templates *t = NULL;
	const char *m = NULL;
	enum ost_err err;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	if (layout)
		write_file(dir, "layout.html", layout);
	if (pg)
		write_file(dir, "page.html", pg);
	err = render_html_load(dir, &t, &m);
	*msg = strdup(m ? m : "");
	remove_dir(dir);
	if (keep)
		*keep = t;
	else
		render_html_free(t);
	return err;
}

static const struct {
	const char *layout; /* layout.html, NULL for none */
	const char *page;   /* page.html, NULL for none */
	enum ost_err err;   /* what render_html_load says */
	const char *file;   /* the file the message names */
} load_cases[] = {
	{NULL, "<p>x</p>", OST_ERR_CONFIG, "layout.html"},
	{"<html><body><main>x</main></body></html>", NULL, OST_ERR_CONFIG,
	    "layout.html"},
	{"<html><body><p data-slot=\"content\"></p><p data-slot=\"content\">"
	 "</p></body></html>", NULL, OST_ERR_CONFIG, "layout.html"},
	{layout_ok, "", OST_ERR_CONFIG, "page.html"},
	{layout_ok, "<script data-text=\"x\"></script>", OST_ERR_CONFIG,
	    "page.html"},
	{layout_ok, "<style data-text=\"x\"></style>", OST_ERR_CONFIG,
	    "page.html"},
	{layout_ok, "<a data-attr-onclick=\"x\">x</a>", OST_ERR_CONFIG,
	    "page.html"},
	{layout_ok, "<a data-attr-=\"x\">x</a>", OST_ERR_CONFIG, "page.html"},
	{layout_ok, "<a data-link-href=\"/a/{id\">x</a>", OST_ERR_CONFIG,
	    "page.html"},
	{layout_ok, "<a data-link-href=\"/a/{}\">x</a>", OST_ERR_CONFIG,
	    "page.html"},
	{layout_ok, "<a data-link-href=\"/a/{id}}\">x</a>", OST_ERR_CONFIG,
	    "page.html"},
	{layout_ok, "<a data-link-href=\"/a/{id}/{b.c}\">x</a>", OST_OK, ""},
	{layout_ok, "<details data-attr-open=\"x\"></details>", OST_OK, ""},
};

START_TEST(test_load_cases)
{
	char *msg;
	enum ost_err err = load_dir(load_cases[_i].layout, load_cases[_i].page,
	    &msg, NULL);

	ck_assert_int_eq(err, load_cases[_i].err);
	ck_assert_msg(strstr(msg, load_cases[_i].file), "message %s", msg);
	free(msg);
}
END_TEST

START_TEST(test_load_missing_dir)
{
	struct render_templates *t = (void *)1;
	const char *msg = NULL;

	ck_assert_int_eq(render_html_load("/nonexistent/templates", &t, &msg),
	    OST_ERR_IO);
	ck_assert_ptr_null(t);
	ck_assert_ptr_nonnull(strstr(msg, "/nonexistent/templates"));
}
END_TEST

START_TEST(test_load_doctype)
{
	/* a template's own doctype is dropped: the page gets exactly one */
	struct render_templates *t;
	struct buf out;
	char *msg;

	ck_assert_int_eq(load_dir("<!DOCTYPE html>\n<html><body>"
	                     "<div data-slot=\"content\"></div></body></html>",
	                     "<!DOCTYPE html><p>x</p>", &msg, &t),
	    OST_OK);
	buf_init(&out, OUT_MAX);
	ck_assert_int_eq(render_html(t, "page", NULL, "", &out), OST_OK);
	ck_assert_str_eq(out.p, "<!DOCTYPE html>\n<html><body><div><p>x</p>"
	                        "</div></body></html>\n");
	buf_free(&out);
	render_html_free(t);
	free(msg);
}
END_TEST

/* A page of N nested <div>s, innermost with text. */
static char *
nested(int n)
{
	struct buf b;
	int i;

	buf_init(&b, OUT_MAX);
	for (i = 0; i < n; i++)
		ck_assert_int_eq(buf_adds(&b, "<div>"), OST_OK);
	ck_assert_int_eq(buf_adds(&b, "x"), OST_OK);
	for (i = 0; i < n; i++)
		ck_assert_int_eq(buf_adds(&b, "</div>"), OST_OK);
	return buf_take(&b);
}

START_TEST(test_depth)
{
	struct render_templates *t;
	char *pg, *msg;
	struct buf out;

	/* html, body and 63 divs: too deep to load */
	pg = nested(63);
	ck_assert_int_eq(load_dir(layout_ok, pg, &msg, NULL), OST_ERR_CONFIG);
	ck_assert_ptr_nonnull(strstr(msg, "too deep"));
	free(msg);
	free(pg);
	/* 62 divs load, but set in <main> they reach 65 levels */
	pg = nested(62);
	ck_assert_int_eq(load_dir(layout_ok, pg, &msg, &t), OST_OK);
	buf_init(&out, OUT_MAX);
	ck_assert_int_eq(render_html(t, "page", NULL, "", &out), OST_ERR_INVALID);
	buf_free(&out);
	render_html_free(t);
	free(msg);
	free(pg);
}
END_TEST

static Suite *
render_suite(void)
{
	Suite *s = suite_create("render");
	TCase *tc;

	tc = tcase_create("json");
	tcase_add_test(tc, test_json_small);
	tcase_add_test(tc, test_json_limits);
	suite_add_tcase(s, tc);

	tc = tcase_create("xml");
	tcase_add_loop_test(tc, test_xml_cases, 0, NELEM(xml_cases));
	tcase_add_test(tc, test_xml_limits);
	tcase_add_test(tc, test_xml_deep_stored);
	tcase_add_test(tc, test_sizes);
	suite_add_tcase(s, tc);

	tc = tcase_create("html");
	tcase_add_checked_fixture(tc, tpls_setup, tpls_teardown);
	tcase_add_test(tc, test_html_page);
	tcase_add_test(tc, test_html_escape);
	tcase_add_test(tc, test_html_escape_quotes);
	tcase_add_loop_test(tc, test_html_truthy, 0, NELEM(truth_cases));
	tcase_add_test(tc, test_html_each);
	tcase_add_test(tc, test_html_each_empty);
	tcase_add_loop_test(tc, test_html_attr, 0, NELEM(attr_cases));
	tcase_add_loop_test(tc, test_html_link, 0, NELEM(link_cases));
	tcase_add_test(tc, test_html_errors);
	suite_add_tcase(s, tc);

	tc = tcase_create("load");
	tcase_add_loop_test(tc, test_load_cases, 0, NELEM(load_cases));
	tcase_add_test(tc, test_load_missing_dir);
	tcase_add_test(tc, test_load_doctype);
	tcase_add_test(tc, test_depth);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(render_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	xmlCleanupParser();
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
