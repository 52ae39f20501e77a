// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/*
 * libkipc: request/reply over message queues.
 *
 * A call is one KIPC_IOC_MQ_SENDRECV: the request goes to the service
 * queue and the caller sleeps on its private reply queue until the answer
 * comes. A server answers a request and waits for the next in one
 * KIPC_IOC_MQ_SENDRECV as well, so in the steady state every request costs
 * each side one system call, as with binder.
 *
 * Replies are matched to calls by a 64-bit request id. A call that timed
 * out leaves its reply to arrive later; the next call of that client finds
 * it first, sees the old id, drops it and goes on waiting for its own. A
 * request is never sent twice: once KIPC_SENDRECV_SENT is reported, a
 * failure is returned, not retried.
 *
 * A client's reply queue is anonymous, receive-only and KIPC_MQ_HUP. Each
 * request carries a reply-to the kernel keeps with it (KIPC_SEND_REPLYTO),
 * and the server receives it as a write-only fd (KIPC_RECV_REPLY), answers
 * on it and closes it: the server never opens anything by name, needs no
 * permission on the reply queue, and caches nothing. The reply-to does not
 * keep the reply queue alive; while the request waits or is being served
 * it counts as a sender of the reply queue, so a server that dies (or a
 * service queue's last receiver going) gives the waiting call end-of-file
 * (-ENODATA) instead of a hang, and a client that dies gives the server
 * EPIPE on its reply, which the server counts and forgets.
 *
 * The reply fd is O_NONBLOCK, so a client that stopped reading (a full
 * reply queue) costs its reply, never the server's progress; the receive
 * half of KIPC_IOC_MQ_SENDRECV takes O_NONBLOCK from the service queue's
 * fd, so it still waits.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/random.h>
#include <unistd.h>

#include "kipc-rpc.h"
#include "libkipc-private.h"

_Static_assert(sizeof(struct kipc_rpc_hdr) == 16, "wire header is 16 bytes");
_Static_assert(sizeof(struct kipc_rpc_reply_to) == 8, "reply-to is 8 bytes");

#define KIPC_RPC_DEFAULT_MSGS	4

struct kipc_rpc_client {
	int service_fd;
	int reply_fd;
	uint64_t next_id;	/* id of the next request */
	size_t msgsize;		/* the service queue's max_msgsize */
	char *sbuf;		/* the header filled in once */
	char *rbuf;
};

/* splitmix64: spreads a weak seed over all 64 bits. */
static uint64_t kipc_rpc_mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

/*
 * Unpredictable where the kernel can say so; where it cannot (early boot),
 * still different for every call, which is all the names need.
 */
static uint64_t kipc_rpc_random(void)
{
	static uint64_t counter;
	struct timespec ts;
	uint64_t r;

	if (getrandom(&r, sizeof(r), GRND_NONBLOCK) == sizeof(r))
		return r;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	r = (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
	r ^= (uint64_t)getpid() << 40;
	r ^= __atomic_add_fetch(&counter, 1, __ATOMIC_RELAXED) << 20;
	return kipc_rpc_mix(r ^ (uintptr_t)&r);
}

static void kipc_rpc_hdr_init(struct kipc_rpc_hdr *h, uint8_t type,
			      uint8_t reply_to_len, uint64_t id)
{
	h->magic = KIPC_RPC_MAGIC;
	h->version = KIPC_RPC_VERSION;
	h->type = type;
	h->reply_to_len = reply_to_len;
	h->flags = 0;
	h->id = id;
}

/* An absolute CLOCK_MONOTONIC deadline in ns, or -EINVAL. */
static int kipc_rpc_deadline(const struct timespec *abs, __u32 *flags,
			     __u32 *clockid, __u64 *ns)
{
	if (!abs)
		return 0;
	if (abs->tv_sec < 0 || abs->tv_nsec < 0 || abs->tv_nsec >= 1000000000L)
		return -EINVAL;
	if ((uint64_t)abs->tv_sec > (INT64_MAX - abs->tv_nsec) / 1000000000ULL)
		*ns = INT64_MAX;
	else
		*ns = (uint64_t)abs->tv_sec * 1000000000ULL + abs->tv_nsec;
	*flags |= KIPC_WAIT_DEADLINE;
	*clockid = CLOCK_MONOTONIC;
	return 0;
}

/*
 * KIPC_IOC_MQ_SENDRECV with reply-tos: @flags has KIPC_SEND_REPLYTO (a
 * call) or KIPC_RECV_REPLY (a server's answer and next receive), and
 * KIPC_RECV_CREDS when @creds is not NULL. *@reply_fd gets the reply-to of
 * the message received (KIPC_RECV_REPLY), *@sent whether the send went.
 */
static ssize_t kipc_rpc_sendrecv(int fd, __u32 flags, const void *sbuf,
				 size_t slen, int recv_fd, void *rbuf,
				 size_t rlen, const struct timespec *deadline,
				 struct kipc_creds *creds, int *reply_fd,
				 int *sent, int send_region, int *region_fd)
{
	struct kipc_mq_sendrecv op = {
		.size = sizeof(op),
		.flags = flags | (creds ? KIPC_RECV_CREDS : 0) |
			 (region_fd ? KIPC_RECV_REGION : 0),
		.recv_fd = recv_fd,
		.send_region_fd = send_region,
		.send_buf = (uintptr_t)sbuf,
		.send_len = slen,
		.recv_len = rlen > UINT32_MAX ? UINT32_MAX : rlen,
		.recv_buf = (uintptr_t)rbuf,
	};
	int ret;

	*sent = 0;
	if (reply_fd)
		*reply_fd = -1;
	if (region_fd)
		*region_fd = -1;
	ret = kipc_rpc_deadline(deadline, &op.flags, &op.clockid,
				&op.deadline);
	if (ret)
		return ret;
	ret = ioctl(fd, KIPC_IOC_MQ_SENDRECV, &op);
	*sent = !!(op.out_flags & KIPC_SENDRECV_SENT);
	if (ret < 0)
		return -errno;
	if (creds)
		*creds = op.out_creds;
	if (reply_fd)
		*reply_fd = op.out_reply_fd;
	if (region_fd)
		*region_fd = op.out_region_fd;
	return ret;
}

/*
 * KIPC_IOC_MQ_RECV with KIPC_RECV_REPLY: *@reply_fd gets the reply-to, and
 * *@region_fd (when not NULL: KIPC_RECV_REGION) the region, or -1.
 */
static ssize_t kipc_rpc_recv(int fd, void *buf, size_t len,
			     struct kipc_creds *creds, int *reply_fd,
			     int *region_fd)
{
	struct kipc_mq_recv op = {
		.size = sizeof(op),
		.flags = KIPC_RECV_REPLY | (creds ? KIPC_RECV_CREDS : 0) |
			 (region_fd ? KIPC_RECV_REGION : 0),
		.buf = (uintptr_t)buf,
		.len = len > UINT32_MAX ? UINT32_MAX : len,
	};
	int ret = ioctl(fd, KIPC_IOC_MQ_RECV, &op);

	*reply_fd = -1;
	if (region_fd)
		*region_fd = -1;
	if (ret < 0)
		return -errno;
	if (creds)
		*creds = op.out_creds;
	*reply_fd = op.out_reply_fd;
	if (region_fd)
		*region_fd = op.out_region_fd;
	return ret;
}

static int kipc_rpc_opts_check(const struct kipc_rpc_client_opts *opts)
{
	size_t i;

	if (!opts)
		return 0;
	if (opts->flags || (opts->mode & ~0666))
		return -EINVAL;
	for (i = 0; i < sizeof(opts->resv) / sizeof(opts->resv[0]); i++)
		if (opts->resv[i])
			return -EINVAL;
	return 0;
}

/*
 * The reply queue: anonymous, so nobody can open it, and only receiving,
 * with KIPC_MQ_HUP, so that the reply-tos of our requests are its only
 * senders and their going is end-of-file.
 */
static int kipc_rpc_reply_queue(struct kipc_rpc_client *c, uint32_t max_msgs)
{
	union kipc_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.mq.max_msgs = max_msgs;
	attr.mq.max_msgsize = c->msgsize;
	attr.mq.flags = KIPC_MQ_HUP;
	return kipc_open(KIPC_OBJ_MQ, NULL,
			 KIPC_OPEN_READ | KIPC_OPEN_CREATE | KIPC_OPEN_ANON |
			 KIPC_OPEN_CLOEXEC, 0600, &attr, NULL);
}

KIPC_EXPORT int kipc_rpc_client_open(const char *service,
				     const struct kipc_rpc_client_opts *opts,
				     struct kipc_rpc_client **out)
{
	KIPC_KEEP_ERRNO;
	uint32_t max_msgs = KIPC_RPC_DEFAULT_MSGS;
	struct kipc_mq_getattr attr;
	struct kipc_rpc_client *c;
	int ret;

	if (!out)
		return -EINVAL;
	*out = NULL;
	if (!service)
		return -EINVAL;
	ret = kipc_rpc_opts_check(opts);
	if (ret)
		return ret;
	if (opts && opts->max_msgs)
		max_msgs = opts->max_msgs;

	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->reply_fd = -1;
	c->service_fd = kipc_open(KIPC_OBJ_MQ, service,
				  KIPC_OPEN_WRITE | KIPC_OPEN_CLOEXEC, 0,
				  NULL, NULL);
	if (c->service_fd < 0) {
		ret = c->service_fd;
		goto out_free;
	}
	ret = kipc_mq_getattr(c->service_fd, &attr);
	if (ret)
		goto out_close_service;
	c->msgsize = attr.out_max_msgsize;

	/* Not even an empty request would fit the service queue. */
	if (c->msgsize < KIPC_RPC_CALL_HDR_SIZE(0)) {
		ret = -EMSGSIZE;
		goto out_close_service;
	}
	ret = kipc_rpc_reply_queue(c, max_msgs);
	if (ret < 0)
		goto out_close_service;
	c->reply_fd = ret;
	/* The reply-to after the header stays zero: the kernel's is used. */
	c->sbuf = calloc(1, c->msgsize);
	c->rbuf = malloc(c->msgsize);
	if (!c->sbuf || !c->rbuf) {
		ret = -ENOMEM;
		goto out_free_bufs;
	}
	kipc_rpc_hdr_init((struct kipc_rpc_hdr *)c->sbuf, KIPC_RPC_CALL, 0, 0);
	c->next_id = kipc_rpc_random();
	*out = c;
	return 0;

out_free_bufs:
	free(c->sbuf);
	free(c->rbuf);
	close(c->reply_fd);
out_close_service:
	close(c->service_fd);
out_free:
	free(c);
	return ret;
}

KIPC_EXPORT void kipc_rpc_client_close(struct kipc_rpc_client *c)
{
	KIPC_KEEP_ERRNO;

	if (!c)
		return;
	/* The reply queue goes with its one fd; requests naming it stay harmless. */
	close(c->reply_fd);
	close(c->service_fd);
	free(c->sbuf);
	free(c->rbuf);
	free(c);
}

KIPC_EXPORT const char *kipc_rpc_client_name(const struct kipc_rpc_client *c)
{
	/* The reply queue is anonymous. */
	(void)c;
	return "";
}

KIPC_EXPORT int kipc_rpc_client_reply_fd(const struct kipc_rpc_client *c)
{
	return c->reply_fd;
}

/* A well-formed header of this version with no flags we do not know. */
static bool kipc_rpc_hdr_ok(const void *buf, size_t len)
{
	const struct kipc_rpc_hdr *h = buf;

	return len >= sizeof(*h) && h->magic == KIPC_RPC_MAGIC &&
	       h->version == KIPC_RPC_VERSION && !h->flags;
}

/*
 * Is the message of @n bytes in c->rbuf the answer to call @id? If so,
 * *@ret gets the call's result. Anything else (a late reply to an earlier
 * call, or junk) is to be dropped.
 */
static bool kipc_rpc_take_reply(struct kipc_rpc_client *c, size_t n,
				uint64_t id, void *reply, size_t reply_len,
				ssize_t *ret)
{
	const struct kipc_rpc_hdr *h = (const void *)c->rbuf;
	const char *payload = c->rbuf + KIPC_RPC_REPLY_HDR_SIZE;
	size_t len;
	int32_t err;

	if (!kipc_rpc_hdr_ok(h, n) || h->reply_to_len || h->id != id)
		return false;
	len = n - KIPC_RPC_REPLY_HDR_SIZE;
	switch (h->type) {
	case KIPC_RPC_REPLY:
		if (len > reply_len) {
			*ret = -EMSGSIZE;
		} else {
			if (len)
				memcpy(reply, payload, len);
			*ret = len;
		}
		return true;
	case KIPC_RPC_ERROR:
		if (len == sizeof(err)) {
			memcpy(&err, payload, sizeof(err));
			*ret = err > 0 && err < 4096 ? -err : -EPROTO;
		} else {
			*ret = -EPROTO;
		}
		return true;
	}
	return false;
}

/* A call, carrying @region_fd (KIPC_SEND_REGION, with @flags) unless -1. */
static ssize_t kipc_rpc_call_any(struct kipc_rpc_client *c, const void *req,
				 size_t req_len, int region_fd,
				 unsigned int flags, void *reply,
				 size_t reply_len,
				 const struct timespec *deadline)
{
	struct kipc_rpc_hdr *h = (void *)c->sbuf;
	__u32 sflags = KIPC_SEND_REPLYTO;
	ssize_t n, ret;
	uint64_t id;
	int sent;

	if ((!req && req_len) || (!reply && reply_len))
		return -EINVAL;
	if (region_fd >= 0)
		sflags |= KIPC_SEND_REGION | flags;
	else if (flags)
		return -EINVAL;
	if (req_len > c->msgsize - KIPC_RPC_CALL_HDR_SIZE(0))
		return -EMSGSIZE;
	id = c->next_id++;
	h->id = id;
	if (req_len)
		memcpy(c->sbuf + KIPC_RPC_CALL_HDR_SIZE(0), req, req_len);

	/*
	 * Failures come back as they are: before the send nothing went, and
	 * after it a retry would send the request twice. A reply that still
	 * comes is dropped by the next call. End-of-file (-ENODATA): nobody
	 * is left who could answer.
	 */
	n = kipc_rpc_sendrecv(c->service_fd, sflags, c->sbuf,
			      KIPC_RPC_CALL_HDR_SIZE(0) + req_len, c->reply_fd,
			      c->rbuf, c->msgsize, deadline, NULL, NULL, &sent,
			      region_fd, NULL);
	for (;;) {
		if (n < 0)
			return n;
		if (kipc_rpc_take_reply(c, n, id, reply, reply_len, &ret))
			return ret;
		/* A late reply to an earlier call, or junk: wait on. */
		n = kipc_mq_timedreceive(c->reply_fd, c->rbuf, c->msgsize,
					 NULL, CLOCK_MONOTONIC, deadline);
	}
}

KIPC_EXPORT ssize_t kipc_rpc_call(struct kipc_rpc_client *c, const void *req,
				  size_t req_len, void *reply,
				  size_t reply_len,
				  const struct timespec *deadline)
{
	KIPC_KEEP_ERRNO;

	return kipc_rpc_call_any(c, req, req_len, -1, 0, reply, reply_len,
				 deadline);
}

KIPC_EXPORT ssize_t kipc_rpc_call_region(struct kipc_rpc_client *c,
					 const void *req, size_t req_len,
					 int region_fd, unsigned int flags,
					 void *reply, size_t reply_len,
					 const struct timespec *deadline)
{
	KIPC_KEEP_ERRNO;

	if (region_fd < 0 || (flags & ~KIPC_SEND_SEALED))
		return -EINVAL;
	return kipc_rpc_call_any(c, req, req_len, region_fd, flags, reply,
				 reply_len, deadline);
}

/* --- the server ------------------------------------------------------- */

struct kipc_rpc_server {
	int service_fd;
	size_t msgsize;
	char *req;
	char *rep;
	uint64_t lost;		/* replies that found no reader (EPIPE, full) */
	struct kipc_creds creds;
	bool regions;		/* kipc_rpc_serve_regions(): take regions */
	bool creds_valid;	/* @creds are asked for (KIPC_MQ_CREDS) */
	int region_fd;		/* the current request's region, or -1 */
};

/* A parsed CALL or BYE. */
struct kipc_rpc_req {
	uint8_t type;
	uint64_t id;
	const char *payload;
	size_t len;
};

/*
 * A request of this version. Its reply-to is the kernel's; a reply-to name
 * (reply_to_len, from a client of the named-queue days) is skipped.
 */
static bool kipc_rpc_parse(const char *buf, size_t n, struct kipc_rpc_req *r)
{
	const struct kipc_rpc_hdr *h = (const void *)buf;
	size_t off;

	if (!kipc_rpc_hdr_ok(h, n))
		return false;
	if (h->type != KIPC_RPC_CALL && h->type != KIPC_RPC_BYE)
		return false;
	off = h->reply_to_len ? KIPC_RPC_CALL_HDR_SIZE(h->reply_to_len) :
				KIPC_RPC_CALL_HDR_SIZE(0);
	if (off > n)
		return false;
	r->type = h->type;
	r->id = h->id;
	r->payload = buf + off;
	r->len = n - off;
	return true;
}

/* Build an ERROR reply for @r in s->rep; returns its length. */
static size_t kipc_rpc_error_reply(struct kipc_rpc_server *s,
				   const struct kipc_rpc_req *r, ssize_t err)
{
	int32_t e = err < 0 && err > -4096 ? (int32_t)-err : EPROTO;

	kipc_rpc_hdr_init((struct kipc_rpc_hdr *)s->rep, KIPC_RPC_ERROR, 0,
			  r->id);
	memcpy(s->rep + KIPC_RPC_REPLY_HDR_SIZE, &e, sizeof(e));
	return KIPC_RPC_REPLY_HDR_SIZE + sizeof(e);
}

enum {
	KIPC_RPC_SEND,		/* a reply is ready in s->rep */
	KIPC_RPC_NOTHING,	/* nothing to send: receive the next request */
	KIPC_RPC_STOP,		/* the handler ended serving */
};

/*
 * Handle the request in s->req, whose reply-to is @fd (-1 for none: a
 * request sent without one, or one whose caller is gone, which is dropped
 * unhandled, as are a BYE and junk). For KIPC_RPC_SEND,
 * *@len tells how much; for KIPC_RPC_STOP, *@stop is the handler's value.
 */
static int kipc_rpc_handle(struct kipc_rpc_server *s, size_t n, int fd,
			   kipc_rpc_handler_t handler,
			   kipc_rpc_creds_handler_t creds_handler,
			   kipc_rpc_request_handler_t req_handler, void *ctx,
			   size_t *len, ssize_t *stop)
{
	struct kipc_rpc_request rq;
	struct kipc_rpc_req r;
	ssize_t ret;
	size_t room;

	/* Without a reply-to nobody could get the answer: not handled. */
	if (fd < 0 || !kipc_rpc_parse(s->req, n, &r) ||
	    r.type == KIPC_RPC_BYE)
		return KIPC_RPC_NOTHING;

	/* A request is at least a reply header, so this is >= 0. */
	room = s->msgsize - KIPC_RPC_REPLY_HDR_SIZE;
	if (req_handler) {
		memset(&rq, 0, sizeof(rq));
		rq.data = r.payload;
		rq.len = r.len;
		rq.creds = s->creds_valid ? &s->creds : NULL;
		rq.region_fd = s->region_fd;
		ret = req_handler(ctx, &rq, s->rep + KIPC_RPC_REPLY_HDR_SIZE,
				  room);
	} else if (creds_handler)
		ret = creds_handler(ctx, &s->creds, r.payload, r.len,
				    s->rep + KIPC_RPC_REPLY_HDR_SIZE, room);
	else
		ret = handler(ctx, r.payload, r.len,
			      s->rep + KIPC_RPC_REPLY_HDR_SIZE, room);
	if (ret >= 0 && (size_t)ret <= room) {
		kipc_rpc_hdr_init((struct kipc_rpc_hdr *)s->rep,
				  KIPC_RPC_REPLY, 0, r.id);
		*len = KIPC_RPC_REPLY_HDR_SIZE + ret;
	} else {
		/* A handler that overran its buffer has answered nothing. */
		*len = kipc_rpc_error_reply(s, &r, ret < 0 ? ret : -EPROTO);
	}

	if (ret < 0) {
		/* The caller learns why it gets no answer, if it can. */
		if (kipc_mq_send(fd, s->rep, *len, 0))
			s->lost++;
		*stop = ret;
		return KIPC_RPC_STOP;
	}
	return KIPC_RPC_SEND;
}

static void kipc_rpc_server_free(struct kipc_rpc_server *s)
{
	free(s->req);
	free(s->rep);
	free(s);
}

/* Close the current request's region, once its handler is done with it. */
static void kipc_rpc_region_done(struct kipc_rpc_server *s)
{
	if (s->region_fd >= 0)
		close(s->region_fd);
	s->region_fd = -1;
}

/*
 * Serve with @handler, with @creds_handler, which also gets each request's
 * sender (@want_creds: every receive asks for it, KIPC_RECV_CREDS), or with
 * @req_handler, which also gets the region a request carries (every
 * receive takes one, KIPC_RECV_REGION) and the sender when @want_creds.
 */
static int kipc_rpc_serve_any(int service_fd, kipc_rpc_handler_t handler,
			      kipc_rpc_creds_handler_t creds_handler,
			      kipc_rpc_request_handler_t req_handler,
			      bool want_creds, void *ctx)
{
	struct kipc_mq_getattr attr;
	struct kipc_rpc_server *s;
	struct kipc_creds *creds;
	ssize_t n, stop = 0;
	int fd = -1, ret, *rgn;

	ret = kipc_mq_getattr(service_fd, &attr);
	if (ret)
		return ret;
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->service_fd = service_fd;
	s->msgsize = attr.out_max_msgsize;
	s->region_fd = -1;
	s->regions = req_handler != NULL;
	s->creds_valid = want_creds;
	s->req = malloc(s->msgsize);
	/* Room for an ERROR reply even behind a tiny service queue. */
	s->rep = malloc(s->msgsize < 64 ? 64 : s->msgsize);
	if (!s->req || !s->rep) {
		kipc_rpc_server_free(s);
		return -ENOMEM;
	}

	creds = want_creds ? &s->creds : NULL;
	rgn = s->regions ? &s->region_fd : NULL;
	n = kipc_rpc_recv(service_fd, s->req, s->msgsize, creds, &fd, rgn);
	while (n >= 0) {
		size_t len = 0;
		int next = -1, sent = 0;

		switch (kipc_rpc_handle(s, n, fd, handler, creds_handler,
					req_handler, ctx, &len, &stop)) {
		case KIPC_RPC_STOP:
			goto out;
		case KIPC_RPC_NOTHING:
			if (fd >= 0)
				close(fd);
			kipc_rpc_region_done(s);
			n = kipc_rpc_recv(service_fd, s->req, s->msgsize,
					  creds, &fd, rgn);
			continue;
		}
		/* The handler is done with the region: the next may come. */
		kipc_rpc_region_done(s);
		/* Answer on the reply-to and wait for the next request. */
		n = kipc_rpc_sendrecv(fd, KIPC_RECV_REPLY, s->rep, len,
				      service_fd, s->req, s->msgsize, NULL,
				      creds, &next, &sent, -1, rgn);
		close(fd);
		fd = next;
		if (n >= 0 || sent)
			continue;
		/*
		 * The reply did not go: the client is gone (-EPIPE), its
		 * queue is full (-EAGAIN) or removed (-EIDRM). Its reply is
		 * lost, the server is not.
		 */
		s->lost++;
		n = kipc_rpc_recv(service_fd, s->req, s->msgsize, creds, &fd,
				  rgn);
	}
	stop = n;
out:
	if (fd >= 0)
		close(fd);
	kipc_rpc_region_done(s);
	kipc_rpc_server_free(s);
	if (stop == -ECANCELED)
		return 0;
	return stop;
}

KIPC_EXPORT int kipc_rpc_serve(int service_fd, kipc_rpc_handler_t handler,
			       void *ctx)
{
	KIPC_KEEP_ERRNO;

	if (!handler)
		return -EINVAL;
	return kipc_rpc_serve_any(service_fd, handler, NULL, NULL, false, ctx);
}

KIPC_EXPORT int kipc_rpc_serve_creds(int service_fd,
				     kipc_rpc_creds_handler_t handler,
				     void *ctx)
{
	KIPC_KEEP_ERRNO;
	struct kipc_info info;
	int ret;

	if (!handler)
		return -EINVAL;
	ret = kipc_info(service_fd, &info);
	if (ret)
		return ret;
	/* Said at once, rather than by the first receive. */
	if (info.out_type != KIPC_OBJ_MQ ||
	    !(info.out_attr.mq.flags & KIPC_MQ_CREDS))
		return -EOPNOTSUPP;
	return kipc_rpc_serve_any(service_fd, NULL, handler, NULL, true, ctx);
}

KIPC_EXPORT int kipc_rpc_serve_regions(int service_fd,
				       kipc_rpc_request_handler_t handler,
				       void *ctx)
{
	KIPC_KEEP_ERRNO;
	struct kipc_info info;
	int ret;

	if (!handler)
		return -EINVAL;
	ret = kipc_info(service_fd, &info);
	if (ret)
		return ret;
	if (info.out_type != KIPC_OBJ_MQ)
		return -EOPNOTSUPP;
	return kipc_rpc_serve_any(service_fd, NULL, NULL, handler,
				  info.out_attr.mq.flags & KIPC_MQ_CREDS, ctx);
}
