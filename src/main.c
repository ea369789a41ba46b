/* main.c - ostium: options, configuration, then the pool (or the events
 * dispatchers alone); nothing else */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/app.h"
#include "core/log.h"
#include "core/pool.h"
#include "crypto/crypto.h"
#include "version.h"

static void
usage(FILE *f)
{
	fprintf(f, "usage: ostium [-c CONFIG] [--dispatcher] [-t] [-V]\n"
	           "  -c CONFIG     configuration file (default %s/ostium/ostium.conf)\n"
	           "  --dispatcher  deliver events only (no FastCGI): where the web server\n"
	           "                starts the workers itself (mod_fcgid, lighttpd bin-path)\n"
	           "  -t            check the configuration and exit\n"
	           "  -V            print the version and exit\n",
	    OST_SYSCONFDIR);
}

int
main(int argc, char **argv)
{
	char path[1024], errbuf[1200];
	struct app app;
	static const struct option longs[] = {
		{"dispatcher", no_argument, NULL, 'D'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int opt, check = 0, dispatcher = 0, rc;

	snprintf(path, sizeof(path), "%s/ostium/ostium.conf", OST_SYSCONFDIR);
	while ((opt = getopt_long(argc, argv, "c:thV", longs, NULL)) != -1) {
		switch (opt) {
		case 'D':
			dispatcher = 1;
			break;
		case 'c':
			snprintf(path, sizeof(path), "%s", optarg);
			break;
		case 't':
			check = 1;
			break;
		case 'V':
			printf("ostium %s\n", OST_VERSION);
			return 0;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}
	if (crypto_init(256)) {
		fprintf(stderr, "ostium: libgcrypt could not be initialised\n");
		return 1;
	}
	if (app_load(&app, path, errbuf, sizeof(errbuf))) {
		fprintf(stderr, "ostium: %s\n", errbuf);
		return 1;
	}
	if (check) {
		printf("ostium: %s is valid\n", path);
		app_free(&app);
		return 0;
	}
	log_set_level(app.cfg.log_level);
	rc = dispatcher ? pool_run_dispatcher(&app, path) : pool_run(&app, path);
	app_free(&app);
	return rc;
}
