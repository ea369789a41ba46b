/* hello.c - bench baseline: the floor of any request, a FastCGI "hello" */
#include "pool.h"

static void hello(FCGX_Request *req)
{
	bench_reply(req, 200, "hello\n");
}

int main(int argc, char **argv)
{
	static const struct bench_app app = {
		.name = "hello",
		.handle = hello,
	};

	return bench_pool_main(&app, argc, argv);
}
