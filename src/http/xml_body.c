/* xml_body.c - an XML request body read into the tree a JSON body gives:
 * the inverse of render_xml, parsed by libxml2 without network, entities
 * or DOCTYPE, within a depth bound */
#include "http/xml_body.h"

#include <limits.h>
#include <string.h>
#include <libxml/SAX2.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>

#define XML_BODY_OPTS \
	(XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_NOCDATA)

/* What the parser met that stopped it. */
struct xml_guard {
	int depth;    /* elements open */
	int too_deep; /* an element nested deeper than XML_BODY_DEPTH_MAX */
	int doctype;  /* a DOCTYPE, stopped before its declarations */
};

/* A DOCTYPE: stop here, before any declaration is read (no entity is ever
 * declared, so none can be expanded or fetched). */
static void
guard_doctype(void *ctx, const xmlChar *name, const xmlChar *external, const xmlChar *system)
{
	xmlParserCtxtPtr ctxt = ctx;
	struct xml_guard *g = ctxt->_private;

	(void)name;
	(void)external;
	(void)system;
	g->doctype = 1;
	xmlStopParser(ctxt);
}

static void
guard_start(void *ctx, const xmlChar *localname, const xmlChar *prefix, const xmlChar *uri,
    int nb_namespaces, const xmlChar **namespaces, int nb_attributes, int nb_defaulted,
    const xmlChar **attributes)
{
	xmlParserCtxtPtr ctxt = ctx;
	struct xml_guard *g = ctxt->_private;

	if (++g->depth > XML_BODY_DEPTH_MAX) {
		g->too_deep = 1;
		xmlStopParser(ctxt);
		return;
	}
	xmlSAX2StartElementNs(ctx, localname, prefix, uri, nb_namespaces, namespaces,
	    nb_attributes, nb_defaulted, attributes);
}

static void
guard_end(void *ctx, const xmlChar *localname, const xmlChar *prefix, const xmlChar *uri)
{
	xmlParserCtxtPtr ctxt = ctx;
	struct xml_guard *g = ctxt->_private;

	g->depth--;
	xmlSAX2EndElementNs(ctx, localname, prefix, uri);
}

/* libxml2's structured errors go nowhere: the answer says what was wrong. */
static void
guard_error(void *ctx, xmlErrorPtr error)
{
	(void)ctx;
	(void)error;
}

/* Parse BODY into *DOC under the guards; a static sentence in *WHY when
 * the document is refused. */
static OST_MUST_CHECK enum ost_err
xml_read(const char *body, size_t n, xmlDocPtr *doc, const char **why)
{
	struct xml_guard g = {0, 0, 0};
	xmlParserCtxtPtr ctxt;
	int well_formed;

	*doc = NULL;
	if (n == 0 || n > INT_MAX) { /* libxml2 makes no context for nothing */
		*why = "The XML body is malformed";
		return OST_ERR_MALFORMED;
	}
	xmlInitParser();
	if (!(ctxt = xmlCreateMemoryParserCtxt(body, (int)n)))
		return OST_ERR_NOMEM;
	xmlCtxtUseOptions(ctxt, XML_BODY_OPTS);
	ctxt->_private = &g;
	ctxt->sax->internalSubset = guard_doctype;
	ctxt->sax->externalSubset = NULL;
	ctxt->sax->startElementNs = guard_start;
	ctxt->sax->endElementNs = guard_end;
	ctxt->sax->serror = guard_error;
	ctxt->sax->error = NULL;
	ctxt->sax->warning = NULL;
	ctxt->sax->fatalError = NULL;
	ctxt->vctxt.error = NULL;
	ctxt->vctxt.warning = NULL;
	(void)xmlParseDocument(ctxt);
	well_formed = ctxt->wellFormed && ctxt->nsWellFormed;
	*doc = ctxt->myDoc;
	ctxt->myDoc = NULL;
	xmlFreeParserCtxt(ctxt);
	if (g.doctype)
		*why = "An XML body may not hold a DOCTYPE";
	else if (g.too_deep)
		*why = "The XML body nests elements too deep";
	else if (!well_formed || !*doc || !xmlDocGetRootElement(*doc))
		*why = "The XML body is malformed";
	else
		return OST_OK;
	xmlFreeDoc(*doc);
	*doc = NULL;
	return OST_ERR_MALFORMED;
}

/* ---- the tree ---- */

static OST_MUST_CHECK enum ost_err
refuse(const char **why, const char *sentence)
{
	*why = sentence;
	return OST_ERR_MALFORMED;
}

static int
is_blank(const xmlChar *s)
{
	for (; s && *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
			return 0;
	return 1;
}

static int
name_is(const xmlChar *name, const char *s)
{
	return strcmp((const char *)name, s) == 0;
}

/* EL's attribute NAME, or NULL; *BAD set when EL holds an attribute other
 * than type, and key on <entry>, or any namespace. */
static const xmlChar *
attr_of(const xmlNode *el, const char *name, int *bad)
{
	const xmlAttr *a;
	const xmlChar *v = NULL;

	if (el->ns || el->nsDef)
		*bad = 1;
	for (a = el->properties; a; a = a->next) {
		if (a->ns || (!name_is(a->name, "type") &&
		                 !(name_is(a->name, "key") && name_is(el->name, "entry"))))
			*bad = 1;
		else if (name_is(a->name, name))
			v = a->children && a->children->content ? a->children->content : BAD_CAST "";
	}
	return v;
}

/* EL's text (its text and CDATA children, in order) into a new string *TEXT
 * (NULL when there is none); *ELEMENTS := its element children. */
static OST_MUST_CHECK enum ost_err
content_of(const xmlNode *el, xmlChar **text, int *elements, const char **why)
{
	const xmlNode *c;

	*text = NULL;
	*elements = 0;
	for (c = el->children; c; c = c->next) {
		switch (c->type) {
		case XML_ELEMENT_NODE:
			(*elements)++;
			break;
		case XML_TEXT_NODE:
		case XML_CDATA_SECTION_NODE:
			if (c->content && !(*text = xmlStrcat(*text, c->content)))
				return OST_ERR_NOMEM;
			break;
		case XML_COMMENT_NODE:
		case XML_PI_NODE:
			break;
		default: /* entity references cannot occur without a DTD */
			xmlFree(*text);
			*text = NULL;
			return refuse(why, "The XML body holds something other than elements and text");
		}
	}
	return OST_OK;
}

static enum ost_err node_value(const xmlNode *el, int root, json_t **out, const char **why)
    OST_MUST_CHECK;

/* EL's element children as the members of the object *OUT. */
static OST_MUST_CHECK enum ost_err
members_of(const xmlNode *el, json_t **out, const char **why)
{
	const xmlNode *c;
	const xmlChar *key;
	json_t *v;
	enum ost_err err;
	int bad = 0;

	if (!(*out = json_object()))
		return OST_ERR_NOMEM;
	for (c = el->children; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		key = attr_of(c, "key", &bad);
		if (!key)
			key = c->name;
		if (json_object_get(*out, (const char *)key))
			return refuse(why, "The XML body gives a key twice in one object");
		if ((err = node_value(c, 0, &v, why)))
			return err;
		if (json_object_set_new(*out, (const char *)key, v))
			return OST_ERR_NOMEM;
	}
	return OST_OK;
}

/* EL's element children, each an <item>, as the list *OUT. */
static OST_MUST_CHECK enum ost_err
items_of(const xmlNode *el, json_t **out, const char **why)
{
	const xmlNode *c;
	json_t *v;
	enum ost_err err;

	if (!(*out = json_array()))
		return OST_ERR_NOMEM;
	for (c = el->children; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (!name_is(c->name, "item"))
			return refuse(why, "The items of an XML list are <item> elements");
		if ((err = node_value(c, 0, &v, why)))
			return err;
		if (json_array_append_new(*out, v))
			return OST_ERR_NOMEM;
	}
	return OST_OK;
}

/* TEXT, a JSON number's digits (blanks around allowed), as *OUT. */
static OST_MUST_CHECK enum ost_err
number_of(const xmlChar *text, json_t **out, const char **why)
{
	json_t *v = text ? json_loads((const char *)text, JSON_DECODE_ANY, NULL) : NULL;

	if (!json_is_number(v)) {
		json_decref(v);
		return refuse(why, "A type=\"number\" element of the XML body holds no number");
	}
	*out = v;
	return OST_OK;
}

/* EL's scalar value of TYPE from TEXT into *OUT. */
static OST_MUST_CHECK enum ost_err
scalar_of(const char *type, const xmlChar *text, json_t **out, const char **why)
{
	if (!type) {
		*out = json_string(text ? (const char *)text : "");
		return *out ? OST_OK : OST_ERR_NOMEM;
	}
	if (!strcmp(type, "number"))
		return number_of(text, out, why);
	if (!strcmp(type, "boolean")) {
		if (text && (!strcmp((const char *)text, "true") ||
		                !strcmp((const char *)text, "false"))) {
			*out = json_boolean(!strcmp((const char *)text, "true"));
			return OST_OK;
		}
		return refuse(why, "A type=\"boolean\" element of the XML body holds neither true "
		                   "nor false");
	}
	if (!strcmp(type, "null")) {
		if (!is_blank(text))
			return refuse(why, "A type=\"null\" element of the XML body holds text");
		*out = json_null();
		return OST_OK;
	}
	return refuse(why, "An element of the XML body has an unknown type");
}

/* The value EL stands for, into *OUT (a new reference; NULL on error). The
 * document element (ROOT) is an object unless its type says otherwise. */
static enum ost_err
node_value(const xmlNode *el, int root, json_t **out, const char **why)
{
	const char *type;
	xmlChar *text = NULL;
	enum ost_err err;
	int bad = 0, elements;

	*out = NULL;
	type = (const char *)attr_of(el, "type", &bad);
	if (!type && root)
		type = "object";
	if (bad || strchr((const char *)el->name, ':'))
		return refuse(why, "The XML body holds a namespace or an attribute other than "
		                   "type and an entry's key");
	if ((err = content_of(el, &text, &elements, why)))
		return err;
	if (elements && !is_blank(text))
		err = refuse(why, "An element of the XML body mixes text and elements");
	else if (type && !strcmp(type, "array"))
		err = is_blank(text) ? items_of(el, out, why)
		                     : refuse(why, "A type=\"array\" element of the XML body holds text");
	else if ((type && !strcmp(type, "object")) || (!type && elements))
		err = is_blank(text) ? members_of(el, out, why)
		                     : refuse(why, "An object of the XML body holds text");
	else if (elements)
		err = refuse(why, "A typed element of the XML body holds elements");
	else
		err = scalar_of(type, text, out, why);
	xmlFree(text);
	if (err) {
		json_decref(*out);
		*out = NULL;
	}
	return err;
}

enum ost_err
xml_body_parse(const char *body, size_t n, json_t **out, const char **why)
{
	xmlDocPtr doc;
	xmlNodePtr root;
	enum ost_err err;

	*out = NULL;
	*why = "The XML body is malformed";
	if ((err = xml_read(body, n, &doc, why)))
		return err;
	root = xmlDocGetRootElement(doc);
	if ((err = node_value(root, 1, out, why)) == OST_OK && !json_is_object(*out)) {
		json_decref(*out);
		*out = NULL;
		err = refuse(why, "The XML body must be an object: elements, one a field");
	}
	xmlFreeDoc(doc);
	return err;
}
