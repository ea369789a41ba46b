/* test_events.c - Check suite for events/event.c and the events keys of
 * core/config.c: the Standard Webhooks signature against the
 * specification's test vector, the body every attempt sends, the sealed
 * secret bound to its application, the retry schedule with its jitter,
 * what a connection's event may carry, and the configuration of
 * deliveries */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "core/config.h"
#include "crypto/aead.h"
#include "crypto/crypto.h"
#include "events/events.h"

/* The test vector of the Standard Webhooks reference libraries. */
#define SW_SECRET "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
#define SW_ID "msg_p5jXN8AQM9LWM0D4loKWxJek"
#define SW_TS 1614265330LL
#define SW_BODY "{\"test\": 2432232314}"
#define SW_SIGNATURE "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="

START_TEST(test_signature_matches_the_specification_vector)
{
	uint8_t key[64];
	size_t n = 0;
	char sig[EVENTS_SIGNATURE_TEXT];

	ck_assert_int_eq(crypto_b64_decode(SW_SECRET, strlen(SW_SECRET), key, sizeof(key), &n), OST_OK);
	ck_assert_int_eq(events_signature(key, n, SW_ID, SW_TS, SW_BODY, strlen(SW_BODY), sig), OST_OK);
	ck_assert_str_eq(sig, SW_SIGNATURE);
	/* another timestamp, another signature: each attempt is signed anew */
	ck_assert_int_eq(events_signature(key, n, SW_ID, SW_TS + 1, SW_BODY, strlen(SW_BODY), sig),
	    OST_OK);
	ck_assert_str_ne(sig, SW_SIGNATURE);
}
END_TEST

START_TEST(test_body_is_the_stored_event_the_same_each_time)
{
	json_t *row = json_pack("{s:s, s:s, s:s, s:s, s:s}", "webhook_id", "evt_0123", "type",
	    "app.installed", "created_at", "2026-12-06T02:46:31Z", "company",
	    "{\"id\":7,\"name\":\"Acme\",\"slug\":\"acme\"}", "data", "{\"installed\":true}");
	char *a = events_body(row), *b = events_body(row);

	ck_assert_ptr_nonnull(a);
	ck_assert_str_eq(a, "{\"id\":\"evt_0123\",\"type\":\"app.installed\",\"timestamp\":"
	    "\"2026-12-06T02:46:31Z\",\"company\":{\"id\":7,\"name\":\"Acme\",\"slug\":\"acme\"},"
	    "\"data\":{\"installed\":true}}");
	ck_assert_str_eq(a, b);
	free(a);
	free(b);
	/* no company: null */
	json_object_set_new(row, "company", json_null());
	a = events_body(row);
	ck_assert_ptr_nonnull(strstr(a, "\"company\":null"));
	free(a);
	json_decref(row);
}
END_TEST

START_TEST(test_ids_are_unique_and_shaped)
{
	char a[EVENTS_ID_TEXT], b[EVENTS_ID_TEXT];

	events_new_id(a);
	events_new_id(b);
	ck_assert_int_eq(strlen(a), 30);
	ck_assert(strncmp(a, "evt_", 4) == 0);
	ck_assert_str_ne(a, b);
}
END_TEST

START_TEST(test_secret_opens_only_for_its_application)
{
	char path[] = "/tmp/ostium-events-XXXXXX";
	struct keyring ring;
	struct events_secret s;
	uint8_t key[EVENTS_SECRET_BYTES], want[64];
	char hex[2 * EVENTS_SEALED_LEN + 1];
	size_t n = 0;
	FILE *f;
	int fd = mkstemp(path);

	ck_assert_int_ge(fd, 0);
	f = fdopen(fd, "w");
	fputs("3 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\n", f);
	fclose(f);
	chmod(path, 0600);
	ck_assert_int_eq(crypto_keyring_load(path, &ring), OST_OK);
	unlink(path);
	ck_assert_int_eq(events_secret_new(&ring, 42, &s), OST_OK);
	ck_assert(strncmp(s.text, "whsec_", 6) == 0);
	ck_assert_int_eq(strlen(s.text), 6 + 44);
	ck_assert_uint_eq(s.key_id, 3);
	ck_assert_int_eq(crypto_hex_encode(s.sealed, sizeof(s.sealed), hex, sizeof(hex)), OST_OK);
	ck_assert_int_eq(events_secret_open(&ring, 42, 3, hex, key), OST_OK);
	ck_assert_int_eq(crypto_b64_decode(s.text + 6, strlen(s.text + 6), want, sizeof(want), &n),
	    OST_OK);
	ck_assert_uint_eq(n, EVENTS_SECRET_BYTES);
	ck_assert(memcmp(key, want, n) == 0);
	/* another application's sealed secret does not open as this one's */
	ck_assert_int_eq(events_secret_open(&ring, 43, 3, hex, key), OST_ERR_CRYPTO);
	ck_assert_int_ne(events_secret_open(&ring, 42, 3, "00", key), OST_OK);
	crypto_keyring_free(&ring);
}
END_TEST

START_TEST(test_retry_schedule_backs_off_with_jitter_then_gives_up)
{
	static const unsigned schedule[] = {5, 300, 1800};
	unsigned i;

	for (i = 0; i < 3; i++) {
		ck_assert_uint_eq(events_retry_ms(schedule, 3, i, 0), schedule[i] * 1000ULL);
		ck_assert_uint_eq(events_retry_ms(schedule, 3, i, 0xffff), schedule[i] * 1200ULL);
		ck_assert_uint_ge(events_retry_ms(schedule, 3, i, 12345), schedule[i] * 1000ULL);
	}
	ck_assert_uint_eq(events_retry_ms(schedule, 3, 3, 0), 0); /* spent: give up */
}
END_TEST

START_TEST(test_config_events_keys)
{
	struct config c;
	char err[256];

	config_defaults(&c);
	ck_assert_uint_eq(c.events_timeout, 10);
	ck_assert_uint_eq(c.events_retention, 30 * 86400);
	ck_assert_uint_eq(c.nevents_retry, 6);
	ck_assert_uint_eq(c.events_retry[0], 5);
	ck_assert_uint_eq(c.events_retry[5], 36000);
	ck_assert_int_eq(config_load_string("t", "/", "db_socket = /s\n"
	    "events_retry_schedule = 1s 2m 3h 1d\nevents_retention = 2d\nevents_timeout = 3\n"
	    "events_lease = 10s\n", &c, err, sizeof(err)), OST_OK);
	ck_assert_uint_eq(c.nevents_retry, 4);
	ck_assert_uint_eq(c.events_retry[1], 120);
	ck_assert_uint_eq(c.events_retry[2], 10800);
	ck_assert_uint_eq(c.events_retry[3], 86400);
	ck_assert_uint_eq(c.events_retention, 2 * 86400);
	/* a lease shorter than a batch's deliveries would hand them out twice */
	ck_assert_int_eq(config_load_string("t", "/", "db_socket = /s\nevents_timeout = 10\n"
	    "events_lease = 10\n", &c, err, sizeof(err)), OST_ERR_CONFIG);
	ck_assert_ptr_nonnull(strstr(err, "events_lease"));
	ck_assert_int_eq(config_load_string("t", "/", "db_socket = /s\n"
	    "events_retry_schedule = 5x\n", &c, err, sizeof(err)), OST_ERR_CONFIG);
	ck_assert_ptr_nonnull(strstr(err, "t:2: events_retry_schedule"));
	ck_assert_int_eq(config_load_string("t", "/", "db_socket = /s\nevents_retention = 10\n", &c,
	    err, sizeof(err)), OST_ERR_CONFIG);
}
END_TEST

START_TEST(test_durations)
{
	unsigned v;

	ck_assert_int_eq(config_duration("90", 1000, &v), 0);
	ck_assert_uint_eq(v, 90);
	ck_assert_int_eq(config_duration("5m", 1000, &v), 0);
	ck_assert_uint_eq(v, 300);
	ck_assert_int_eq(config_duration("2h", 100000, &v), 0);
	ck_assert_uint_eq(v, 7200);
	ck_assert_int_eq(config_duration("2h", 7199, &v), -1);
	ck_assert_int_eq(config_duration("", 10, &v), -1);
	ck_assert_int_eq(config_duration("m", 10, &v), -1);
	ck_assert_int_eq(config_duration("-1", 10, &v), -1);
	ck_assert_int_eq(config_duration("99999999999999d", 10, &v), -1);
}
END_TEST

START_TEST(test_public_copy_leaves_out_secrets_at_any_depth)
{
	json_t *conn = json_pack("{s:i, s:s, s:s, s:s, s:s, s:{s:s, s:s}, s:[{s:s, s:i}], s:n}",
	    "id", 9, "provider", "linear", "access_token", "at-1", "refresh_token_enc", "x",
	    "client_secret", "cs", "account", "name", "Ada", "id_token", "it", "scopes",
	    "code_verifier", "v", "n", 1, "auth_failed_at");
	json_t *pub = events_public_copy(conn);
	char *text = json_dumps(pub, JSON_COMPACT | JSON_SORT_KEYS);

	ck_assert_str_eq(text, "{\"account\":{\"name\":\"Ada\"},\"auth_failed_at\":null,"
	    "\"id\":9,\"provider\":\"linear\",\"scopes\":[{\"n\":1}]}");
	free(text);
	json_decref(pub);
	json_decref(conn);
}
END_TEST

static Suite *
events_suite(void)
{
	Suite *s = suite_create("events");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_signature_matches_the_specification_vector);
	tcase_add_test(tc, test_body_is_the_stored_event_the_same_each_time);
	tcase_add_test(tc, test_ids_are_unique_and_shaped);
	tcase_add_test(tc, test_secret_opens_only_for_its_application);
	tcase_add_test(tc, test_retry_schedule_backs_off_with_jitter_then_gives_up);
	tcase_add_test(tc, test_config_events_keys);
	tcase_add_test(tc, test_durations);
	tcase_add_test(tc, test_public_copy_leaves_out_secrets_at_any_depth);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr;
	int failed;

	if (crypto_init(64))
		return 1;
	sr = srunner_create(events_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
