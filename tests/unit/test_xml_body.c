/* test_xml_body.c - Check suite for http/xml_body: XML request bodies read
 * back into the tree render_xml wrote, and what is refused */
#include "http/xml_body.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/parser.h>

#include "core/buf.h"
#include "render/render.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))
#define OUT_MAX (1 << 22)

static json_t *
parse_json(const char *text)
{
	json_error_t e;
	json_t *v = json_loads(text, 0, &e);

	ck_assert_msg(v != NULL, "bad test JSON %s: %s", text, e.text);
	return v;
}

/* Trees that go out as XML and come back the same. */
static const char *const round_trips[] = {
	"{}",
	"{\"name\":\"x\",\"description\":\"two\\nlines\\r\\nand a tab\\t, spaces  \"}",
	"{\"list\":[\"a\",\"b\"],\"empty_list\":[],\"nested\":[[1,2],[],[[\"deep\"]]]}",
	"{\"o\":{\"p\":{\"q\":\"deep\"}},\"e\":{},\"s\":\"\",\"blank\":\"   \"}",
	"{\"n\":42,\"neg\":-7,\"zero\":0,\"r\":1.5,\"small\":1e-07,\"big\":12345678901234,"
	"\"whole_real\":2.0,\"t\":true,\"f\":false,\"z\":null}",
	"{\"looks\":[\"true\",\"1\",\"null\",\"\",\"{}\",\"[]\"]}",
	"{\"1st\":1,\"a b\":\"x\",\"x:y\":\"y\",\"\":\"empty key\",\"-a\":\"m\",\"<&\\\">\":\"v\","
	"\"tab\\tkey\":\"t\",\"line\\nkey\":\"n\",\"entry\":\"not an entry\",\"item\":[\"i\"],"
	"\"type\":\"t\",\"key\":\"k\"}",
	"{\"é\":\"w\",\"日本\":\"語\",\"emoji \xF0\x9F\x98\x80\":\"\xF0\x9F\x98\x80\","
	"\"mixed\":\"Ünïcödé <b>&amp;</b> \\\"q\\\" 'a'\"}",
	"{\"properties\":{\"theme\":{\"color\":\"#336699\",\"compact\":true},"
	"\"not an xml name\":[1,\"two\",null,{\"k\":[]},{}],\"entry\":{\"key\":\"x\"}}}",
	"{\"list_of_objects\":[{\"a\":1},{\"a\":2,\"b\":[null]}],\"xml\":\"<?xml?><!-- -->\"}",
};

START_TEST(test_round_trip)
{
	json_t *tree = parse_json(round_trips[_i]), *back = NULL;
	const char *why = NULL;
	struct buf out;
	char *got;

	buf_init(&out, OUT_MAX);
	ck_assert_int_eq(render_xml(tree, &out), OST_OK);
	ck_assert_int_eq(xml_body_parse(out.p, out.len, &back, &why), OST_OK);
	got = json_dumps(back, JSON_COMPACT | JSON_ENCODE_ANY);
	ck_assert_msg(json_equal(tree, back), "%s\nbecame %s\nthrough %s", round_trips[_i], got,
	    out.p);
	free(got);
	json_decref(back);
	json_decref(tree);
	buf_free(&out);
}
END_TEST

/* Documents a client may write, read as this JSON. */
static const struct {
	const char *xml;
	const char *json;
} accepted[] = {
	{"<app/>", "{}"},
	{"<app>  \n </app>", "{}"},
	{"<request><name>x</name></request>", "{\"name\":\"x\"}"},
	{"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<app>\n  <name>x</name>\n  <tags "
	 "type=\"array\">\n    <item>a</item>\n  </tags>\n</app>\n",
	    "{\"name\":\"x\",\"tags\":[\"a\"]}"},
	{"<app><!-- a comment --><name>a<!-- inside -->b</name><?pi x?></app>",
	    "{\"name\":\"ab\"}"},
	{"<app><name><![CDATA[<b>&]]></name></app>", "{\"name\":\"<b>&\"}"},
	{"<app><n type=\"number\"> 12 </n><d type=\"number\">-1.25e2</d></app>",
	    "{\"n\":12,\"d\":-125.0}"},
	{"<app><z type=\"null\"></z><o type=\"object\"> </o></app>", "{\"z\":null,\"o\":{}}"},
	{"<app><s>&#x1F600;&lt;&amp;&gt;&apos;&quot;</s></app>",
	    "{\"s\":\"\xF0\x9F\x98\x80<&>'\\\"\"}"},
	{"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><app><s>\xE9</s></app>",
	    "{\"s\":\"\xC3\xA9\"}"},
	{"<app type=\"object\"><entry key=\"a b\">c</entry></app>", "{\"a b\":\"c\"}"},
};

START_TEST(test_accepted)
{
	json_t *want = parse_json(accepted[_i].json), *got = NULL;
	const char *why = NULL;
	char *dump;

	ck_assert_msg(xml_body_parse(accepted[_i].xml, strlen(accepted[_i].xml), &got, &why) ==
	        OST_OK,
	    "%s refused: %s", accepted[_i].xml, why);
	dump = json_dumps(got, JSON_COMPACT);
	ck_assert_msg(json_equal(want, got), "%s read as %s", accepted[_i].xml, dump);
	free(dump);
	json_decref(got);
	json_decref(want);
}
END_TEST

/* Documents refused, and a word the reason holds. */
static const struct {
	const char *xml;
	const char *why;
} refused[] = {
	{"", "malformed"},
	{"<app>", "malformed"},
	{"<app><a></b></app>", "malformed"},
	{"not xml", "malformed"},
	{"<app/><other/>", "malformed"},
	{"<app><a>&undeclared;</a></app>", "malformed"},
	{"<!DOCTYPE app><app/>", "DOCTYPE"},
	{"<!DOCTYPE app SYSTEM \"http://127.0.0.1:9/x.dtd\"><app/>", "DOCTYPE"},
	{"<?xml version=\"1.0\"?>\n<!DOCTYPE app [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n"
	 "<app><name>&x;</name></app>",
	    "DOCTYPE"},
	{"<!DOCTYPE app [<!ENTITY % p SYSTEM \"file:///etc/passwd\"> %p;]><app/>", "DOCTYPE"},
	{"<app xmlns=\"urn:x\"><a>1</a></app>", "namespace"},
	{"<app xmlns:p=\"urn:x\"><p:a>1</p:a></app>", "namespace"},
	{"<app><a id=\"1\">x</a></app>", "attribute"},
	{"<app><a key=\"k\">x</a></app>", "attribute"},
	{"<app><a>1</a><a>2</a></app>", "twice"},
	{"<app><entry key=\"a\">1</entry><a>2</a></app>", "twice"},
	{"<app><a>text<b>1</b></a></app>", "mixes"},
	{"<app>text<b>1</b></app>", "mixes"},
	{"<app>text</app>", "holds text"},
	{"<app><l type=\"array\"><x>1</x></l></app>", "<item>"},
	{"<app><l type=\"array\">text</l></app>", "holds text"},
	{"<app><n type=\"number\">12a</n></app>", "number"},
	{"<app><n type=\"number\"></n></app>", "number"},
	{"<app><n type=\"number\">\"1\"</n></app>", "number"},
	{"<app><n type=\"number\">1e999</n></app>", "number"},
	{"<app><n type=\"number\">99999999999999999999999</n></app>", "number"},
	{"<app><b type=\"boolean\">yes</b></app>", "boolean"},
	{"<app><b type=\"boolean\"> true</b></app>", "boolean"},
	{"<app><z type=\"null\">x</z></app>", "null"},
	{"<app><z type=\"string\">x</z></app>", "unknown type"},
	{"<app><n type=\"number\"><a/></n></app>", "holds elements"},
	{"<app type=\"array\"><item>1</item></app>", "must be an object"},
	{"<app type=\"number\">1</app>", "must be an object"},
};

START_TEST(test_refused)
{
	json_t *got = (json_t *)1;
	const char *why = NULL;

	ck_assert_int_eq(xml_body_parse(refused[_i].xml, strlen(refused[_i].xml), &got, &why),
	    OST_ERR_MALFORMED);
	ck_assert_ptr_null(got);
	ck_assert_ptr_nonnull(why);
	ck_assert_msg(strstr(why, refused[_i].why), "%s: \"%s\" does not say %s", refused[_i].xml,
	    why, refused[_i].why);
}
END_TEST

/* A billion laughs: refused at its DOCTYPE, before a single entity is
 * declared, let alone expanded. */
START_TEST(test_billion_laughs)
{
	static const char xml[] =
	    "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n <!ENTITY lol \"lol\">\n"
	    " <!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
	    " <!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">\n"
	    " <!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n"
	    " <!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">\n"
	    " <!ENTITY lol5 \"&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;\">\n"
	    " <!ENTITY lol6 \"&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;\">\n"
	    " <!ENTITY lol7 \"&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;\">\n"
	    " <!ENTITY lol8 \"&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;\">\n"
	    " <!ENTITY lol9 \"&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;\">\n"
	    "]>\n<lolz><name>&lol9;</name></lolz>\n";
	json_t *got = (json_t *)1;
	const char *why = NULL;

	ck_assert_int_eq(xml_body_parse(xml, strlen(xml), &got, &why), OST_ERR_MALFORMED);
	ck_assert_ptr_null(got);
	ck_assert_ptr_nonnull(strstr(why, "DOCTYPE"));
}
END_TEST

/* N nested elements <a><a>...x...</a></a> under <app>. */
static char *
nested(int n)
{
	struct buf b;
	int i;

	buf_init(&b, OUT_MAX);
	ck_assert_int_eq(buf_adds(&b, "<app>"), OST_OK);
	for (i = 0; i < n; i++)
		ck_assert_int_eq(buf_adds(&b, "<a>"), OST_OK);
	ck_assert_int_eq(buf_adds(&b, "x"), OST_OK);
	for (i = 0; i < n; i++)
		ck_assert_int_eq(buf_adds(&b, "</a>"), OST_OK);
	ck_assert_int_eq(buf_adds(&b, "</app>"), OST_OK);
	return buf_take(&b);
}

START_TEST(test_depth)
{
	char *ok = nested(XML_BODY_DEPTH_MAX - 1), *deep = nested(XML_BODY_DEPTH_MAX),
	     *deeper = nested(200000);
	json_t *got = NULL, *v;
	const char *why = NULL;
	int depth = 0;

	ck_assert_int_eq(xml_body_parse(ok, strlen(ok), &got, &why), OST_OK);
	for (v = got; json_is_object(v); v = json_object_get(v, "a"))
		depth++;
	ck_assert_int_eq(depth, XML_BODY_DEPTH_MAX - 1);
	ck_assert_str_eq(json_string_value(v), "x");
	json_decref(got);
	ck_assert_int_eq(xml_body_parse(deep, strlen(deep), &got, &why), OST_ERR_MALFORMED);
	ck_assert_ptr_nonnull(strstr(why, "too deep"));
	ck_assert_int_eq(xml_body_parse(deeper, strlen(deeper), &got, &why), OST_ERR_MALFORMED);
	ck_assert_ptr_nonnull(strstr(why, "too deep"));
	ck_assert_ptr_null(got);
	free(ok);
	free(deep);
	free(deeper);
}
END_TEST

static Suite *
xml_body_suite(void)
{
	Suite *s = suite_create("xml_body");
	TCase *tc = tcase_create("xml_body");

	tcase_add_loop_test(tc, test_round_trip, 0, NELEM(round_trips));
	tcase_add_loop_test(tc, test_accepted, 0, NELEM(accepted));
	tcase_add_loop_test(tc, test_refused, 0, NELEM(refused));
	tcase_add_test(tc, test_billion_laughs);
	tcase_add_test(tc, test_depth);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(xml_body_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	xmlCleanupParser();
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
