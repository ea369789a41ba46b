/* html.c - HTML templates parsed once by libxml2 and bound to a result tree */
#include "render/render.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <libxml/HTMLparser.h>
#include <libxml/HTMLtree.h>
#include <libxml/uri.h>
#include <libxml/xmlIO.h>

#define HTML_DEPTH_MAX 64  /* element nesting, in a template and in a page */
#define HTML_LINK_MAX 4096 /* the longest URL one data-link-* may make */
#define HTML_NUM_MAX 32    /* room for a number as text */
#define HTML_PARSE_OPTS \
	(HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | \
	    HTML_PARSE_NODEFDTD)

/* One template file. */
struct tpl {
	char *name;     /* the file name without .html */
	htmlDocPtr doc; /* parsed once; never changed after loading */
	int slots;      /* how many data-slot="content" elements it holds */
};

struct render_templates {
	struct tpl *v;     /* the templates, layout included */
	size_t n;          /* templates in v */
	size_t cap;        /* room in v */
	htmlDocPtr layout; /* the doc of "layout" (also in v) */
};

/* One binding in progress: the page made and the scopes of data-each. */
struct bind {
	xmlDocPtr doc;                            /* the page being made */
	const char *base_path;                    /* prefixed to data-link-* */
	const json_t *scope[HTML_DEPTH_MAX + 1];  /* [0] the root, then items */
	size_t nscope;                            /* scopes in use, >= 1 */
};

/* Where the HTML serialiser's output buffer flushes to. */
struct html_sink {
	struct buf *out;  /* the caller's buffer */
	enum ost_err err; /* OST_OK, or why a write was refused */
};

/* The message of the last failed render_html_load (workers are processes). */
static char html_errbuf[PATH_MAX + 128];

/* ---- attributes ---- */

static int
has_prefix(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* The value of attribute A as parsed or set ("" when it has none). */
static const char *
attr_text(const xmlAttr *a)
{
	if (a->children && a->children->content)
		return (const char *)a->children->content;
	return "";
}

/* The value of EL's attribute NAME, or NULL when it has none. */
static const char *
attr_get(const xmlNode *el, const char *name)
{
	xmlAttrPtr a = xmlHasProp(el, BAD_CAST name);

	return a ? attr_text(a) : NULL;
}

static int
is_binding_attr(const char *name)
{
	static const char *const names[] = {"data-text", "data-if",
	    "data-unless", "data-each", "data-slot"};
	size_t i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(name, names[i]) == 0)
			return 1;
	return has_prefix(name, "data-attr-") || has_prefix(name, "data-link-");
}

static int
is_slot(const xmlNode *el)
{
	const char *v = attr_get(el, "data-slot");

	return v && strcmp(v, "content") == 0;
}

static void
clear_children(xmlNodePtr el)
{
	xmlNodePtr c;

	while ((c = el->children)) {
		xmlUnlinkNode(c);
		xmlFreeNode(c);
	}
}

/* ---- loading ---- */

static OST_MUST_CHECK enum ost_err
load_fail(const char **errmsg, enum ost_err err, const char *file,
    const char *why)
{
	snprintf(html_errbuf, sizeof html_errbuf, "%s: %s", file, why);
	if (errmsg)
		*errmsg = html_errbuf;
	return err;
}

/* Whether each "{" of data-link text T closes with a "}" around a path. */
static int
link_is_valid(const char *t)
{
	const char *lb, *rb;

	while ((lb = strchr(t, '{'))) {
		rb = strchr(lb, '}');
		if (!rb || rb == lb + 1 || memchr(lb + 1, '{', rb - lb - 1))
			return 0;
		t = rb + 1;
	}
	return !strchr(t, '}');
}

/* Why the bindings on EL cannot work, or NULL; counts content slots. */
static const char *
check_element(const xmlNode *el, int *slots)
{
	const xmlAttr *a;
	const char *name, *target;

	*slots += is_slot(el);
	for (a = el->properties; a; a = a->next) {
		name = (const char *)a->name;
		if (strcmp(name, "data-text") == 0 &&
		    (strcmp((const char *)el->name, "script") == 0 ||
		        strcmp((const char *)el->name, "style") == 0))
			return "data-text on <script> or <style> would not be escaped";
		if (!has_prefix(name, "data-attr-") && !has_prefix(name, "data-link-"))
			continue;
		target = name + strlen("data-attr-");
		if (xmlValidateNCName(BAD_CAST target, 0) != 0)
			return "a data-attr-* or data-link-* names no attribute";
		if (strncasecmp(target, "on", 2) == 0 &&
		    strcasecmp(target, "open") != 0)
			return "event handler attributes cannot be bound";
		if (has_prefix(name, "data-link-") && !link_is_valid(attr_text(a)))
			return "a data-link-* has an unbalanced {PATH}";
	}
	return NULL;
}

/* Why the elements under NODE (at nesting DEPTH) cannot be bound, or NULL. */
static const char *
check_tree(const xmlNode *node, int depth, int *slots)
{
	const xmlNode *n;
	const char *why;

	for (n = node->children; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (depth > HTML_DEPTH_MAX)
			return "elements nested too deep";
		if ((why = check_element(n, slots)) ||
		    (why = check_tree(n, depth + 1, slots)))
			return why;
	}
	return NULL;
}

/* Parse DIR/FILE into *DOC, without a DTD: render_html writes the doctype. */
static OST_MUST_CHECK enum ost_err
tpl_read(const char *dir, const char *file, htmlDocPtr *doc,
    const char **errmsg)
{
	char path[PATH_MAX];
	struct stat st;
	xmlDtdPtr dtd;
	int fd, n;

	n = snprintf(path, sizeof path, "%s/%s", dir, file);
	if (n < 0 || (size_t)n >= sizeof path)
		return load_fail(errmsg, OST_ERR_CONFIG, file, "path too long");
	/* open() here, not htmlReadFile(): libxml2 would print I/O errors */
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return load_fail(errmsg, OST_ERR_IO, path, strerror(errno));
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return load_fail(errmsg, OST_ERR_IO, path, "not a regular file");
	}
	*doc = htmlReadFd(fd, path, "UTF-8", HTML_PARSE_OPTS);
	close(fd);
	if (!*doc || !xmlDocGetRootElement(*doc)) {
		xmlFreeDoc(*doc);
		*doc = NULL;
		return load_fail(errmsg, OST_ERR_CONFIG, path, "cannot be parsed");
	}
	if ((dtd = xmlGetIntSubset(*doc))) {
		xmlUnlinkNode((xmlNodePtr)dtd);
		xmlFreeDtd(dtd);
	}
	return OST_OK;
}

/* Parse and check DIR/FILE and add it to T. */
static OST_MUST_CHECK enum ost_err
tpl_add(struct render_templates *t, const char *dir, const char *file,
    const char **errmsg)
{
	struct tpl tp = {NULL, NULL, 0}, *v;
	const char *why;
	enum ost_err err;

	if ((err = tpl_read(dir, file, &tp.doc, errmsg)))
		return err;
	if ((why = check_tree((xmlNodePtr)tp.doc, 1, &tp.slots))) {
		xmlFreeDoc(tp.doc);
		return load_fail(errmsg, OST_ERR_CONFIG, file, why);
	}
	if (t->n == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 16;
		if (!(v = realloc(t->v, t->cap * sizeof *v))) {
			xmlFreeDoc(tp.doc);
			return OST_ERR_NOMEM;
		}
		t->v = v;
	}
	if (!(tp.name = strndup(file, strlen(file) - strlen(".html")))) {
		xmlFreeDoc(tp.doc);
		return OST_ERR_NOMEM;
	}
	t->v[t->n++] = tp;
	return OST_OK;
}

static const struct tpl *
tpl_find(const struct render_templates *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		if (strcmp(t->v[i].name, name) == 0)
			return &t->v[i];
	return NULL;
}

/* Template files: NAME.html, not hidden (editors leave .#x.html behind). */
static int
is_template_file(const char *name)
{
	size_t n = strlen(name);

	return name[0] != '.' && n > strlen(".html") &&
	    strcmp(name + n - strlen(".html"), ".html") == 0;
}

static OST_MUST_CHECK enum ost_err
tpl_add_all(struct render_templates *t, const char *dir, const char **errmsg)
{
	const struct tpl *layout;
	struct dirent *de;
	enum ost_err err = OST_OK;
	DIR *d;

	if (!(d = opendir(dir)))
		return load_fail(errmsg, OST_ERR_IO, dir, strerror(errno));
	while (!err && (de = readdir(d)))
		if (is_template_file(de->d_name))
			err = tpl_add(t, dir, de->d_name, errmsg);
	closedir(d);
	if (err)
		return err;
	if (!(layout = tpl_find(t, "layout")))
		return load_fail(errmsg, OST_ERR_CONFIG, "layout.html", "missing");
	if (layout->slots != 1)
		return load_fail(errmsg, OST_ERR_CONFIG, "layout.html",
		    "needs exactly one data-slot=\"content\" element");
	t->layout = layout->doc;
	return OST_OK;
}

/* render_html_load - parse every DIR/NAME.html (hidden files aside) with
 * libxml2's HTML parser, as UTF-8, keeping whitespace, and check its bindings
 * (see render.h). Fails with OST_ERR_IO when DIR or a file cannot be read,
 * OST_ERR_CONFIG when a file cannot be parsed, layout.html is missing or
 * holds no or several data-slot="content", elements nest deeper than 64,
 * data-text sits on <script> or <style>, a data-attr-* or data-link-* names
 * no attribute or an event handler (on*), or a data-link-* has an unbalanced
 * {PATH}. On success *OUT is the set (render_html_free it); on error *OUT is
 * NULL and *ERRMSG, when ERRMSG is not NULL, points to a static message
 * naming the file, overwritten by the next failed load. */
enum ost_err
render_html_load(const char *dir, struct render_templates **out,
    const char **errmsg)
{
	struct render_templates *t;
	enum ost_err err;

	*out = NULL;
	if (errmsg)
		*errmsg = NULL;
	if (!(t = calloc(1, sizeof *t)))
		return OST_ERR_NOMEM;
	if ((err = tpl_add_all(t, dir, errmsg))) {
		render_html_free(t);
		return err;
	}
	*out = t;
	return OST_OK;
}

/* render_html_free - release T and its documents; T may be NULL. */
void
render_html_free(struct render_templates *t)
{
	size_t i;

	if (!t)
		return;
	for (i = 0; i < t->n; i++) {
		xmlFreeDoc(t->v[i].doc);
		free(t->v[i].name);
	}
	free(t->v);
	free(t);
}

/* ---- values ---- */

static size_t
segment_len(const char *p, size_t n)
{
	const char *dot = memchr(p, '.', n);

	return dot ? (size_t)(dot - p) : n;
}

/* The value at dotted PATH (N bytes), or NULL: the first key is looked up in
 * the current scope, then in each enclosing one down to the root; the rest
 * of the path is followed from the scope that has the first key. */
static const json_t *
bind_lookup(const struct bind *b, const char *path, size_t n)
{
	size_t seg = segment_len(path, n), i;
	const json_t *v = NULL;

	if (n == 1 && path[0] == '.')
		return b->scope[b->nscope - 1];
	for (i = b->nscope; i-- > 0 && !v;)
		v = json_object_getn(b->scope[i], path, seg);
	while (v && seg < n) {
		path += seg + 1;
		n -= seg + 1;
		seg = segment_len(path, n);
		v = json_object_getn(v, path, seg);
	}
	return v;
}

static const json_t *
bind_lookups(const struct bind *b, const char *path)
{
	return bind_lookup(b, path, strlen(path));
}

static int
is_truthy(const json_t *v)
{
	switch (v ? json_typeof(v) : JSON_NULL) {
	case JSON_TRUE:
		return 1;
	case JSON_INTEGER:
		return json_integer_value(v) != 0;
	case JSON_REAL:
		return json_real_value(v) != 0.0;
	case JSON_STRING:
		return json_string_length(v) > 0;
	case JSON_ARRAY:
		return json_array_size(v) > 0;
	case JSON_OBJECT:
		return json_object_size(v) > 0;
	default:
		return 0;
	}
}

/* D in decimal, in the fewest digits (15 or 17) that read back as D. */
static void
real_text(double d, char *tmp)
{
	snprintf(tmp, HTML_NUM_MAX, "%.15g", d);
	if (strtod(tmp, NULL) != d)
		snprintf(tmp, HTML_NUM_MAX, "%.17g", d);
}

/* *TEXT := scalar V (NULL when missing) as text, in V or in TMP
 * (HTML_NUM_MAX bytes). OST_ERR_INVALID for an object or an array. */
static OST_MUST_CHECK enum ost_err
value_text(const json_t *v, char *tmp, const char **text)
{
	*text = "";
	switch (v ? json_typeof(v) : JSON_NULL) {
	case JSON_STRING:
		*text = json_string_value(v);
		return OST_OK;
	case JSON_INTEGER:
		snprintf(tmp, HTML_NUM_MAX, "%" JSON_INTEGER_FORMAT,
		    json_integer_value(v));
		*text = tmp;
		return OST_OK;
	case JSON_REAL:
		real_text(json_real_value(v), tmp);
		*text = tmp;
		return OST_OK;
	case JSON_TRUE:
	case JSON_FALSE:
		*text = json_is_true(v) ? "true" : "false";
		return OST_OK;
	case JSON_NULL:
		return OST_OK;
	default:
		return OST_ERR_INVALID;
	}
}

/* ---- binding ---- */

/* data-text: EL's children become one text node, escaped when serialised. */
static OST_MUST_CHECK enum ost_err
bind_text(struct bind *b, xmlNodePtr el, const char *path)
{
	char tmp[HTML_NUM_MAX];
	const char *text;
	xmlNodePtr node;
	enum ost_err err;

	if ((err = value_text(bind_lookups(b, path), tmp, &text)))
		return err;
	clear_children(el);
	if (!*text)
		return OST_OK;
	if (!(node = xmlNewDocText(b->doc, BAD_CAST text)))
		return OST_ERR_NOMEM;
	xmlAddChild(el, node);
	return OST_OK;
}

/* data-attr-NAME: NAME gets the value; gone when missing, null or false. */
static OST_MUST_CHECK enum ost_err
bind_attr(struct bind *b, xmlNodePtr el, const char *name, const char *path)
{
	const json_t *v = bind_lookups(b, path);
	char tmp[HTML_NUM_MAX];
	const char *text;
	enum ost_err err;

	if (!v || json_is_null(v) || json_is_false(v)) {
		xmlUnsetProp(el, BAD_CAST name);
		return OST_OK;
	}
	if (json_is_true(v))
		text = name;
	else if ((err = value_text(v, tmp, &text)))
		return err;
	return xmlSetProp(el, BAD_CAST name, BAD_CAST text) ? OST_OK
	                                                    : OST_ERR_NOMEM;
}

/* Append the value at PATH (N bytes), percent-encoded, to URL. */
static OST_MUST_CHECK enum ost_err
link_value(struct bind *b, struct buf *url, const char *path, size_t n)
{
	char tmp[HTML_NUM_MAX];
	const char *text;
	xmlChar *esc;
	enum ost_err err;

	if ((err = value_text(bind_lookup(b, path, n), tmp, &text)))
		return err;
	if (!*text)
		return OST_OK; /* xmlURIEscapeStr gives NULL for "" */
	if (!(esc = xmlURIEscapeStr(BAD_CAST text, BAD_CAST "")))
		return OST_ERR_NOMEM;
	err = buf_adds(url, (const char *)esc);
	xmlFree(esc);
	return err;
}

/* data-link-NAME: NAME gets base path + T, each {PATH} replaced. */
static OST_MUST_CHECK enum ost_err
bind_link(struct bind *b, xmlNodePtr el, const char *name, const char *t)
{
	const char *lb, *rb;
	struct buf url;
	enum ost_err err;

	buf_init(&url, HTML_LINK_MAX);
	err = buf_adds(&url, b->base_path);
	while (!err && (lb = strchr(t, '{'))) {
		if (!(rb = strchr(lb, '}'))) {
			err = OST_ERR_INVALID; /* render_html_load refuses these */
			break;
		}
		if (!(err = buf_add(&url, t, (size_t)(lb - t))))
			err = link_value(b, &url, lb + 1, (size_t)(rb - lb - 1));
		t = rb + 1;
	}
	if (!err)
		err = buf_adds(&url, t);
	if (!err && !xmlSetProp(el, BAD_CAST name, BAD_CAST url.p))
		err = OST_ERR_NOMEM;
	buf_free(&url);
	return err;
}

/* data-attr-* and data-link-*, then every binding attribute removed. */
static OST_MUST_CHECK enum ost_err
bind_attrs(struct bind *b, xmlNodePtr el)
{
	xmlAttrPtr a, next;
	const char *name;
	enum ost_err err = OST_OK;

	/* Setting or unsetting NAME never frees A (its name is data-…-NAME),
	 * so A->next is read only after the change. */
	for (a = el->properties; a && !err; a = a->next) {
		name = (const char *)a->name;
		if (has_prefix(name, "data-attr-"))
			err = bind_attr(b, el, name + strlen("data-attr-"),
			    attr_text(a));
		else if (has_prefix(name, "data-link-"))
			err = bind_link(b, el, name + strlen("data-link-"),
			    attr_text(a));
	}
	for (a = el->properties; a && !err; a = next) {
		next = a->next;
		if (is_binding_attr((const char *)a->name))
			xmlRemoveProp(a);
	}
	return err;
}

static enum ost_err bind_children(struct bind *b, xmlNodePtr parent,
    int depth) OST_MUST_CHECK;

static void
drop(xmlNodePtr el)
{
	xmlUnlinkNode(el);
	xmlFreeNode(el);
}

/* Every binding of EL but data-each, in the current scope: data-if and
 * data-unless (EL may be dropped), data-text (EL's children replaced, so
 * not bound), data-attr-* and data-link-*; then EL's children. */
static OST_MUST_CHECK enum ost_err
bind_one(struct bind *b, xmlNodePtr el, int depth)
{
	const char *path, *text;
	enum ost_err err;

	if ((path = attr_get(el, "data-if")) && !is_truthy(bind_lookups(b, path))) {
		drop(el);
		return OST_OK;
	}
	if ((path = attr_get(el, "data-unless")) &&
	    is_truthy(bind_lookups(b, path))) {
		drop(el);
		return OST_OK;
	}
	if ((text = attr_get(el, "data-text")) && (err = bind_text(b, el, text)))
		return err;
	if ((err = bind_attrs(b, el)))
		return err;
	return text ? OST_OK : bind_children(b, el, depth + 1);
}

/* data-each comes first: EL is repeated before itself once per item of the
 * array at its path (anything else counts as empty), each copy bound by
 * bind_one with the item as the current scope, so data-if, data-text and the
 * rest on the same element see the item; then EL itself is dropped. */
static OST_MUST_CHECK enum ost_err
bind_each(struct bind *b, xmlNodePtr el, const char *path, int depth)
{
	const json_t *list = bind_lookups(b, path);
	xmlNodePtr copy;
	enum ost_err err = OST_OK;
	size_t i;
	json_t *item;

	if (b->nscope >= sizeof b->scope / sizeof b->scope[0])
		return OST_ERR_INVALID;
	xmlUnsetProp(el, BAD_CAST "data-each"); /* PATH is freed here */
	json_array_foreach(list, i, item) {
		if (!(copy = xmlDocCopyNode(el, b->doc, 1)))
			return OST_ERR_NOMEM;
		if (!xmlAddPrevSibling(el, copy)) {
			xmlFreeNode(copy);
			return OST_ERR_INTERNAL;
		}
		b->scope[b->nscope++] = item;
		err = bind_one(b, copy, depth);
		b->nscope--;
		if (err)
			return err;
	}
	drop(el);
	return OST_OK;
}

/* Bind each element child of PARENT; they sit at nesting DEPTH. */
static enum ost_err
bind_children(struct bind *b, xmlNodePtr parent, int depth)
{
	xmlNodePtr n, next;
	const char *each;
	enum ost_err err;

	for (n = parent->children; n; n = next) {
		next = n->next; /* n may be dropped, copies go before it */
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (depth > HTML_DEPTH_MAX)
			return OST_ERR_INVALID;
		if ((each = attr_get(n, "data-each")))
			err = bind_each(b, n, each, depth);
		else
			err = bind_one(b, n, depth);
		if (err)
			return err;
	}
	return OST_OK;
}

/* ---- the page ---- */

static xmlNodePtr
find_slot(xmlNodePtr n)
{
	xmlNodePtr found;

	for (; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (is_slot(n))
			return n;
		if ((found = find_slot(n->children)))
			return found;
	}
	return NULL;
}

/* The slot's children of DOC (a layout copy) := copies of PAGE's <body>'s. */
static OST_MUST_CHECK enum ost_err
page_insert(xmlDocPtr doc, xmlDocPtr page)
{
	xmlNodePtr slot, body, list;

	if (!(slot = find_slot(doc->children)))
		return OST_ERR_INTERNAL; /* render_html_load checked it */
	clear_children(slot);
	body = xmlDocGetRootElement(page)->children;
	while (body && (body->type != XML_ELEMENT_NODE ||
	                   strcmp((const char *)body->name, "body") != 0))
		body = body->next;
	if (!body || !body->children)
		return OST_OK;
	if (!(list = xmlDocCopyNodeList(doc, body->children)))
		return OST_ERR_NOMEM;
	xmlAddChildList(slot, list);
	return OST_OK;
}

/* Bytes past OUT's max are dropped, not refused: a refusal would make
 * libxml2 print "I/O error" on stderr. */
static int
html_sink_write(void *ctx, const char *p, int n)
{
	struct html_sink *s = ctx;

	if (!s->err)
		s->err = buf_add(s->out, p, (size_t)n);
	return n;
}

/* The doctype, then DOC by libxml2's HTML serialiser, into OUT. */
static OST_MUST_CHECK enum ost_err
html_dump(xmlDocPtr doc, struct buf *out)
{
	struct html_sink s = {out, OST_OK};
	xmlOutputBufferPtr ob;
	int rc;

	if ((s.err = buf_adds(out, "<!DOCTYPE html>\n")))
		return s.err;
	if (!(ob = xmlOutputBufferCreateIO(html_sink_write, NULL, &s, NULL)))
		return OST_ERR_NOMEM;
	/* no DTD node (dropped at load), so the doctype above is the only one */
	htmlDocContentDumpFormatOutput(ob, doc, NULL, 0);
	rc = xmlOutputBufferClose(ob);
	if (s.err)
		return s.err;
	return rc < 0 ? OST_ERR_INTERNAL : OST_OK;
}

/* render_html - see render.h. The layout is copied, the page's body put in
 * its slot, the copy bound to TREE (NULL: no values) and serialised into
 * OUT (whose max bounds the page). "layout" is no page: OST_ERR_NOT_FOUND.
 * OST_ERR_INVALID when a data-text, data-attr-* or {PATH} names an object
 * or array, or the page set in the slot nests elements deeper than 64;
 * OST_ERR_TOO_LARGE past OUT's max. On error OUT is left as it was. */
enum ost_err
render_html(const struct render_templates *t, const char *name,
    const json_t *tree, const char *base_path, struct buf *out)
{
	struct bind b = {.base_path = base_path ? base_path : "", .nscope = 1};
	const struct tpl *page;
	size_t start = out->len;
	enum ost_err err;

	if (!(page = tpl_find(t, name)) || page->doc == t->layout)
		return OST_ERR_NOT_FOUND;
	if (!(b.doc = xmlCopyDoc(t->layout, 1)))
		return OST_ERR_NOMEM;
	b.scope[0] = tree;
	err = page_insert(b.doc, page->doc);
	if (!err)
		err = bind_children(&b, (xmlNodePtr)b.doc, 1);
	if (!err)
		err = html_dump(b.doc, out);
	xmlFreeDoc(b.doc);
	if (err) {
		out->len = start;
		if (out->p)
			out->p[start] = '\0';
	}
	return err;
}

/* ---- sizes ---- */

/* The most bytes N bytes of text S take escaped by libxml2's HTML
 * serialiser: "&amp;", "&lt;", "&gt;", "&quot;" (in attributes), and a
 * character it writes as a reference ("&#1114111;"). */
static size_t
text_size(const char *s, size_t n)
{
	size_t i, size = 0;
	unsigned char ch;

	for (i = 0; i < n; i++) {
		ch = (unsigned char)s[i];
		if (ch == '&' || ch == '"')
			size += 6;
		else if (ch == '<' || ch == '>')
			size += 4;
		else if (ch >= 0xC0)
			size += 10; /* a lead byte: the character as a reference */
		else
			size += 1;
	}
	return size;
}

/* render_html_text_size - see render.h. */
size_t
render_html_text_size(const json_t *tree)
{
	const char *key;
	json_t *v;
	size_t i, size = 0;

	switch (tree ? json_typeof(tree) : JSON_NULL) {
	case JSON_STRING:
		return text_size(json_string_value(tree), json_string_length(tree));
	case JSON_INTEGER:
	case JSON_REAL:
		return HTML_NUM_MAX;
	case JSON_TRUE:
	case JSON_FALSE:
		return 5;
	case JSON_ARRAY:
		json_array_foreach(tree, i, v)
			size += render_html_text_size(v);
		return size;
	case JSON_OBJECT:
		json_object_foreach((json_t *)tree, key, v)
			size += render_html_text_size(v);
		return size;
	default:
		return 0;
	}
}
