// SPDX-License-Identifier: GPL-2.0-only
/*
 * mq-hello: send a message to a kipc queue and receive it back, the
 * smallest program that uses libkipc. Built by `make` (build/examples/);
 * once libkipc is installed, on its own:
 *
 *	cc -o mq-hello mq-hello.c $(pkg-config --cflags --libs kipc)
 *	./mq-hello [NAME]
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <kipc.h>

int main(int argc, char **argv)
{
	const char *name = argc > 1 ? argv[1] : "mq-hello";
	const char msg[] = "hello, kipc";
	char buf[64];
	unsigned int prio;
	int fd, ret;
	ssize_t n;

	fd = kipc_mq_open(name, KIPC_OPEN_READ | KIPC_OPEN_WRITE |
			  KIPC_OPEN_CREATE | KIPC_OPEN_CLOEXEC, 0600, 4, 64);
	if (fd < 0) {
		fprintf(stderr, "mq-hello: cannot open queue '%s': %s\n", name,
			strerror(-fd));
		return 1;
	}
	ret = kipc_mq_send(fd, msg, sizeof(msg) - 1, 0);
	if (ret < 0) {
		fprintf(stderr, "mq-hello: cannot send: %s\n", strerror(-ret));
		goto fail;
	}
	n = kipc_mq_receive(fd, buf, sizeof(buf), &prio);
	if (n < 0) {
		fprintf(stderr, "mq-hello: cannot receive: %s\n",
			strerror((int)-n));
		goto fail;
	}
	printf("%.*s\n", (int)n, buf);
	close(fd);
	kipc_unlink(KIPC_OBJ_MQ, name);
	return 0;
fail:
	close(fd);
	kipc_unlink(KIPC_OBJ_MQ, name);
	return 1;
}
