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
 * The server opens reply queues with O_NONBLOCK, so a client that stopped
 * reading (a full reply queue) costs its reply, never the server's progress;
 * the receive half of KIPC_IOC_MQ_SENDRECV takes O_NONBLOCK from the
 * service queue's fd, so it still waits. The last few reply queues stay
 * open, keyed by name and checked against the object id each request
 * carries, so a name taken by a new queue is never answered through the
 * old one.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "kipc-rpc.h"
#include "libkipc-private.h"

_Static_assert(sizeof(struct kipc_rpc_hdr) == 16, "wire header is 16 bytes");
_Static_assert(sizeof(struct kipc_rpc_reply_to) == 8, "reply-to is 8 bytes");

#define KIPC_RPC_DEFAULT_MODE	0622
#define KIPC_RPC_DEFAULT_MSGS	4
/* Tries at a fresh random name when one exists already. */
#define KIPC_RPC_NAME_TRIES	16
/* Reply queues a server keeps open. */
#define KIPC_RPC_PEERS		16

struct kipc_rpc_client {
	int service_fd;
	int reply_fd;
	uint64_t reply_id;	/* object id of the reply queue */
	uint64_t next_id;	/* id of the next request */
	size_t msgsize;		/* the service queue's max_msgsize */
	size_t call_hdr;	/* where a request's payload starts */
	char *sbuf;		/* header and reply-to filled in once */
	char *rbuf;
	char name[KIPC_NAME_MAX + 1];
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

/* A CALL or BYE header with @c's reply-to into @buf; returns its size. */
static size_t kipc_rpc_client_hdr(const struct kipc_rpc_client *c,
				  char *buf, uint8_t type)
{
	size_t len = strlen(c->name);
	size_t size = KIPC_RPC_CALL_HDR_SIZE(len);
	struct kipc_rpc_reply_to *rt;

	memset(buf, 0, size);
	kipc_rpc_hdr_init((struct kipc_rpc_hdr *)buf, type, len, 0);
	rt = (struct kipc_rpc_reply_to *)(buf + sizeof(struct kipc_rpc_hdr));
	rt->queue_id = c->reply_id;
	memcpy(rt->name, c->name, len);
	return size;
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

/* Create the reply queue under a name nobody has. */
static int kipc_rpc_reply_queue(struct kipc_rpc_client *c, mode_t mode,
				uint32_t max_msgs)
{
	union kipc_attr attr;
	int i, fd = -EEXIST;

	memset(&attr, 0, sizeof(attr));
	attr.mq.max_msgs = max_msgs;
	attr.mq.max_msgsize = c->msgsize;
	for (i = 0; i < KIPC_RPC_NAME_TRIES && fd == -EEXIST; i++) {
		snprintf(c->name, sizeof(c->name), "rpc.%d.%016llx",
			 (int)getpid(),
			 (unsigned long long)kipc_rpc_random());
		fd = kipc_open(KIPC_OBJ_MQ, c->name,
			       KIPC_OPEN_READ | KIPC_OPEN_CREATE |
			       KIPC_OPEN_EXCL | KIPC_OPEN_CLOEXEC,
			       mode, &attr, &c->reply_id);
	}
	return fd;
}

KIPC_EXPORT int kipc_rpc_client_open(const char *service,
				     const struct kipc_rpc_client_opts *opts,
				     struct kipc_rpc_client **out)
{
	KIPC_KEEP_ERRNO;
	mode_t mode = KIPC_RPC_DEFAULT_MODE;
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
	if (opts && opts->mode)
		mode = opts->mode;
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

	ret = kipc_rpc_reply_queue(c, mode, max_msgs);
	if (ret < 0)
		goto out_close_service;
	c->reply_fd = ret;
	c->call_hdr = KIPC_RPC_CALL_HDR_SIZE(strlen(c->name));
	/* Not even an empty request would fit the service queue. */
	if (c->msgsize < c->call_hdr) {
		ret = -EMSGSIZE;
		goto out_unlink;
	}
	c->sbuf = malloc(c->msgsize);
	c->rbuf = malloc(c->msgsize);
	if (!c->sbuf || !c->rbuf) {
		ret = -ENOMEM;
		goto out_unlink;
	}
	kipc_rpc_client_hdr(c, c->sbuf, KIPC_RPC_CALL);
	c->next_id = kipc_rpc_random();
	*out = c;
	return 0;

out_unlink:
	free(c->sbuf);
	free(c->rbuf);
	kipc_unlink(KIPC_OBJ_MQ, c->name);
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
	struct kipc_info info;
	struct kipc_mq_vec vec;

	if (!c)
		return;
	/* The name is ours unless an administrator took it away. */
	if (!kipc_info(c->reply_fd, &info) &&
	    !(info.out_state & (KIPC_STATE_UNLINKED | KIPC_STATE_REMOVED)))
		kipc_unlink(KIPC_OBJ_MQ, c->name);
	/*
	 * Let the server close its fd of the reply queue now rather than
	 * when it needs the slot. Only if that costs no waiting.
	 */
	vec.buf = (uintptr_t)c->sbuf;
	vec.len = kipc_rpc_client_hdr(c, c->sbuf, KIPC_RPC_BYE);
	vec.prio = 0;
	kipc_mq_sendv(c->service_fd, &vec, 1, KIPC_WAIT_NONBLOCK);
	close(c->reply_fd);
	close(c->service_fd);
	free(c->sbuf);
	free(c->rbuf);
	free(c);
}

KIPC_EXPORT const char *kipc_rpc_client_name(const struct kipc_rpc_client *c)
{
	return c->name;
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

KIPC_EXPORT ssize_t kipc_rpc_call(struct kipc_rpc_client *c, const void *req,
				  size_t req_len, void *reply,
				  size_t reply_len,
				  const struct timespec *deadline)
{
	struct kipc_mq_sendrecv_args a = {
		.send_buf = c->sbuf,
		.recv_fd = c->reply_fd,
		.recv_buf = c->rbuf,
		.recv_len = c->msgsize,
		.clockid = CLOCK_MONOTONIC,
		.deadline = deadline,
	};
	struct kipc_rpc_hdr *h = (void *)c->sbuf;
	ssize_t n, ret;
	uint64_t id;

	if ((!req && req_len) || (!reply && reply_len))
		return -EINVAL;
	if (req_len > c->msgsize - c->call_hdr)
		return -EMSGSIZE;
	id = c->next_id++;
	h->id = id;
	if (req_len)
		memcpy(c->sbuf + c->call_hdr, req, req_len);
	a.send_len = c->call_hdr + req_len;

	/*
	 * Failures come back as they are: before the send nothing went, and
	 * after it a retry would send the request twice. A reply that still
	 * comes is dropped by the next call.
	 */
	n = kipc_mq_sendrecv(c->service_fd, &a);
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

/* --- the server ------------------------------------------------------- */

/**
 * struct kipc_rpc_peer - a reply queue the server keeps open
 * @fd: write-only, O_NONBLOCK; -1 for a free slot
 * @queue_id: the object id the fd refers to
 * @used: when it was last used, on the server's own clock
 * @len: length of @name
 * @name: the reply queue's name
 */
struct kipc_rpc_peer {
	int fd;
	uint64_t queue_id;
	uint64_t used;
	size_t len;
	char name[KIPC_NAME_MAX + 1];
};

struct kipc_rpc_server {
	int service_fd;
	size_t msgsize;
	char *req;
	char *rep;
	uint64_t clock;
	struct kipc_creds creds;
	struct kipc_rpc_peer peers[KIPC_RPC_PEERS];
};

/* A parsed CALL or BYE. */
struct kipc_rpc_req {
	uint8_t type;
	uint64_t id;
	uint64_t queue_id;
	const char *name;
	size_t name_len;
	const char *payload;
	size_t len;
};

static bool kipc_rpc_parse(const char *buf, size_t n, struct kipc_rpc_req *r)
{
	const struct kipc_rpc_hdr *h = (const void *)buf;
	const struct kipc_rpc_reply_to *rt;
	size_t off;

	if (!kipc_rpc_hdr_ok(h, n) || n < sizeof(*h) + sizeof(*rt))
		return false;
	if (h->type != KIPC_RPC_CALL && h->type != KIPC_RPC_BYE)
		return false;
	off = KIPC_RPC_CALL_HDR_SIZE(h->reply_to_len);
	if (!h->reply_to_len || off > n)
		return false;
	rt = (const void *)(buf + sizeof(*h));
	/* A NUL would make the name another, shorter one. */
	if (memchr(rt->name, 0, h->reply_to_len))
		return false;
	r->type = h->type;
	r->id = h->id;
	r->queue_id = rt->queue_id;
	r->name = rt->name;
	r->name_len = h->reply_to_len;
	r->payload = buf + off;
	r->len = n - off;
	return true;
}

static void kipc_rpc_peer_drop(struct kipc_rpc_peer *p)
{
	close(p->fd);
	p->fd = -1;
}

static struct kipc_rpc_peer *kipc_rpc_peer_find(struct kipc_rpc_server *s,
						const struct kipc_rpc_req *r)
{
	struct kipc_rpc_peer *p;

	for (p = s->peers; p < s->peers + KIPC_RPC_PEERS; p++)
		if (p->fd >= 0 && p->len == r->name_len &&
		    !memcmp(p->name, r->name, r->name_len))
			return p;
	return NULL;
}

/*
 * The open reply queue for @r, or -errno: the name is gone (-ENOENT), we may
 * not write to it (-EACCES), or it is not the queue the request names
 * (-ESTALE).
 */
static int kipc_rpc_peer_fd(struct kipc_rpc_server *s,
			    const struct kipc_rpc_req *r,
			    struct kipc_rpc_peer **out)
{
	struct kipc_rpc_peer *p, *victim = s->peers;
	uint64_t id;
	int fd;

	p = kipc_rpc_peer_find(s, r);
	if (p && p->queue_id == r->queue_id) {
		p->used = ++s->clock;
		*out = p;
		return p->fd;
	}
	/* Another queue took the name, or the request is wrong: reopen. */
	if (p)
		kipc_rpc_peer_drop(p);

	for (p = s->peers; p < s->peers + KIPC_RPC_PEERS; p++) {
		if (p->fd < 0) {
			victim = p;
			break;
		}
		if (p->used < victim->used)
			victim = p;
	}
	p = victim;
	if (p->fd >= 0)
		kipc_rpc_peer_drop(p);
	memcpy(p->name, r->name, r->name_len);
	p->name[r->name_len] = '\0';
	p->len = r->name_len;
	fd = kipc_open(KIPC_OBJ_MQ, p->name,
		       KIPC_OPEN_WRITE | KIPC_OPEN_NONBLOCK | KIPC_OPEN_CLOEXEC,
		       0, NULL, &id);
	if (fd < 0)
		return fd;
	if (id != r->queue_id) {
		close(fd);
		return -ESTALE;
	}
	p->fd = fd;
	p->queue_id = id;
	p->used = ++s->clock;
	*out = p;
	return fd;
}

/* A BYE: the client's queue is going, so is our fd of it. */
static void kipc_rpc_peer_bye(struct kipc_rpc_server *s,
			      const struct kipc_rpc_req *r)
{
	struct kipc_rpc_peer *p = kipc_rpc_peer_find(s, r);

	if (p && p->queue_id == r->queue_id)
		kipc_rpc_peer_drop(p);
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
 * Handle the request in s->req. For KIPC_RPC_SEND, *@fd and *@len tell
 * where and how much; *@peer is the cache slot. For KIPC_RPC_STOP, *@stop
 * is the handler's value.
 */
static int kipc_rpc_handle(struct kipc_rpc_server *s, size_t n,
			   kipc_rpc_handler_t handler,
			   kipc_rpc_creds_handler_t creds_handler, void *ctx,
			   int *fd, size_t *len, struct kipc_rpc_peer **peer,
			   ssize_t *stop)
{
	struct kipc_rpc_req r;
	ssize_t ret;
	size_t room;

	if (!kipc_rpc_parse(s->req, n, &r))
		return KIPC_RPC_NOTHING;
	if (r.type == KIPC_RPC_BYE) {
		kipc_rpc_peer_bye(s, &r);
		return KIPC_RPC_NOTHING;
	}

	/* A request is longer than a reply header, so this is >= 16. */
	room = s->msgsize - KIPC_RPC_REPLY_HDR_SIZE;
	if (creds_handler)
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

	*fd = kipc_rpc_peer_fd(s, &r, peer);
	if (ret < 0) {
		/* The caller learns why it gets no answer, if it can. */
		if (*fd >= 0)
			kipc_mq_send(*fd, s->rep, *len, 0);
		*stop = ret;
		return KIPC_RPC_STOP;
	}
	return *fd < 0 ? KIPC_RPC_NOTHING : KIPC_RPC_SEND;
}

static void kipc_rpc_server_free(struct kipc_rpc_server *s)
{
	int i;

	for (i = 0; i < KIPC_RPC_PEERS; i++)
		if (s->peers[i].fd >= 0)
			close(s->peers[i].fd);
	free(s->req);
	free(s->rep);
	free(s);
}

/*
 * Serve with @handler, or with @creds_handler, which also gets each
 * request's sender: then every receive asks for it (KIPC_RECV_CREDS).
 */
static int kipc_rpc_serve_any(int service_fd, kipc_rpc_handler_t handler,
			      kipc_rpc_creds_handler_t creds_handler,
			      void *ctx)
{
	struct kipc_mq_getattr attr;
	struct kipc_rpc_server *s;
	struct kipc_creds *creds;
	ssize_t n, stop = 0;
	int i, ret;

	ret = kipc_mq_getattr(service_fd, &attr);
	if (ret)
		return ret;
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	for (i = 0; i < KIPC_RPC_PEERS; i++)
		s->peers[i].fd = -1;
	s->service_fd = service_fd;
	s->msgsize = attr.out_max_msgsize;
	s->req = malloc(s->msgsize);
	/* Room for an ERROR reply even behind a tiny service queue. */
	s->rep = malloc(s->msgsize < 64 ? 64 : s->msgsize);
	if (!s->req || !s->rep) {
		kipc_rpc_server_free(s);
		return -ENOMEM;
	}

	creds = creds_handler ? &s->creds : NULL;
	n = kipc_mq_receive_creds(service_fd, s->req, s->msgsize, NULL, creds);
	while (n >= 0) {
		struct kipc_mq_sendrecv_args a = {
			.send_buf = s->rep,
			.recv_fd = service_fd,
			.recv_buf = s->req,
			.recv_len = s->msgsize,
		};
		struct kipc_rpc_peer *peer = NULL;
		int fd = -1, sent = 0;

		switch (kipc_rpc_handle(s, n, handler, creds_handler, ctx, &fd,
					&a.send_len, &peer, &stop)) {
		case KIPC_RPC_STOP:
			goto out;
		case KIPC_RPC_NOTHING:
			n = kipc_mq_receive_creds(service_fd, s->req,
						  s->msgsize, NULL, creds);
			continue;
		}
		a.sent = &sent;
		n = kipc_mq_sendrecv_creds(fd, &a, creds);
		if (n >= 0 || sent)
			continue;
		/*
		 * The reply did not go: the client's queue is full (-EAGAIN),
		 * removed (-EIDRM), or worse. Its reply is lost, the server
		 * is not; a queue that failed otherwise than by being full is
		 * opened afresh next time.
		 */
		if (n != -EAGAIN)
			kipc_rpc_peer_drop(peer);
		n = kipc_mq_receive_creds(service_fd, s->req, s->msgsize, NULL,
					  creds);
	}
	stop = n;
out:
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
	return kipc_rpc_serve_any(service_fd, handler, NULL, ctx);
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
	return kipc_rpc_serve_any(service_fd, NULL, handler, ctx);
}
