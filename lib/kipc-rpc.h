/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/*
 * libkipc: request/reply over kipc message queues.
 *
 * A server receives requests on a service queue; each client has a private
 * anonymous reply queue, which the kernel names in every request it sends
 * (KIPC_SEND_REPLYTO) and hands to the server that receives it as a
 * write-only fd (KIPC_RECV_REPLY): no name travels, the server opens
 * nothing and needs no permission on the reply queue. A call is
 * one KIPC_IOC_MQ_SENDRECV (send the request, wait for the reply), and a
 * server answers a request and waits for the next one in one
 * KIPC_IOC_MQ_SENDRECV too. See kipc_rpc_call(3) and kipc(7).
 *
 * As in the rest of libkipc, every function returns a value >= 0 on success
 * or a negative errno on failure, and none sets errno or prints.
 */
#ifndef LIBKIPC_RPC_H
#define LIBKIPC_RPC_H

#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include <kipc.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * The wire format. Both ends run on one machine, so fields are in the host's
 * byte order. A request is
 *
 *	struct kipc_rpc_hdr		16 bytes, type KIPC_RPC_CALL,
 *					reply_to_len 0
 *	struct kipc_rpc_reply_to	8 bytes of zeroes (no name: the
 *					reply-to is the kernel's)
 *	payload				the rest of the message
 *
 * and a reply is a struct kipc_rpc_hdr of type KIPC_RPC_REPLY followed by
 * the payload. So a payload always starts 8-byte aligned in the message.
 * The layout is the one of the named reply queues before (version 1), with
 * an empty name: a server skips a name it finds, but a request that came
 * without a kernel reply-to (from a client of that time, or sent by
 * kipc_mq_send()) is dropped unhandled, since nobody could get its answer.
 */
#define KIPC_RPC_MAGIC		0x6b525043U	/* "kRPC" */
#define KIPC_RPC_VERSION	1

/* Message types. */
enum {
	KIPC_RPC_CALL = 1,	/* a request; a reply is wanted */
	KIPC_RPC_REPLY = 2,	/* the handler's answer */
	KIPC_RPC_ERROR = 3,	/* no answer: the payload is a __s32 errno */
	KIPC_RPC_BYE = 4,	/* no longer sent; a server drops it */
};

/**
 * struct kipc_rpc_hdr - the start of every request and reply
 * @magic: KIPC_RPC_MAGIC
 * @version: KIPC_RPC_VERSION
 * @type: KIPC_RPC_CALL, _REPLY, _ERROR or _BYE
 * @reply_to_len: 0; CALL from a client of the named-queue days: the length
 *	of its reply queue's name, which a server skips
 * @flags: 0; a receiver drops a message with bits it does not know
 * @id: CALL: the request id, new for every call of a client;
 *	REPLY and ERROR: the id of the request answered
 */
struct kipc_rpc_hdr {
	uint32_t magic;
	uint8_t version;
	uint8_t type;
	uint8_t reply_to_len;
	uint8_t flags;
	uint64_t id;
};

/**
 * struct kipc_rpc_reply_to - follows the header of a CALL; all zeroes, as
 *	the reply-to is the kernel's (KIPC_SEND_REPLYTO)
 * @queue_id: 0
 * @name: @reply_to_len bytes (none), then zeroes up to a multiple of 8
 */
struct kipc_rpc_reply_to {
	uint64_t queue_id;
	char name[];
};

/* The payload of a request with @len bytes of name starts here (@len 0). */
#define KIPC_RPC_CALL_HDR_SIZE(len) \
	(sizeof(struct kipc_rpc_hdr) + sizeof(struct kipc_rpc_reply_to) + \
	 (((len) + 7) & ~(size_t)7))
/* The payload of a reply starts here. */
#define KIPC_RPC_REPLY_HDR_SIZE	sizeof(struct kipc_rpc_hdr)

/**
 * struct kipc_rpc_client_opts - how kipc_rpc_client_open() makes the reply
 *	queue; a NULL pointer or all zeroes means the defaults
 * @mode: bits outside 0666 are refused; otherwise ignored: the reply queue
 *	is anonymous and a server replies by the grant of the request, not
 *	by permission
 * @max_msgs: capacity of the reply queue; 0 means 4. Room for more than
 *	one reply lets late replies to calls that timed out queue up without
 *	crowding out the reply to the current call
 * @flags: must be 0
 * @resv: must be 0
 */
struct kipc_rpc_client_opts {
	mode_t mode;
	uint32_t max_msgs;
	uint32_t flags;
	uint32_t resv[5];
};

/* A client: one service queue, one private reply queue. Not thread-safe. */
struct kipc_rpc_client;

/**
 * kipc_rpc_client_open - connect to the service queue @service
 * @opts: may be NULL
 * @out: receives the client
 *
 * Opens @service for writing and creates an anonymous reply queue, open
 * only for reading and with KIPC_MQ_HUP, with room for replies as large as
 * the service queue's max_msgsize.
 *
 * Return: 0, or -errno.
 */
int kipc_rpc_client_open(const char *service,
			 const struct kipc_rpc_client_opts *opts,
			 struct kipc_rpc_client **out);

/**
 * kipc_rpc_client_close - close the reply queue (freed once no server holds
 *	its reply-to) and free @c; NULL is allowed
 */
void kipc_rpc_client_close(struct kipc_rpc_client *c);

/**
 * kipc_rpc_client_name - "": @c's reply queue is anonymous (it had a name
 *	before reply-tos)
 */
const char *kipc_rpc_client_name(const struct kipc_rpc_client *c);

/**
 * kipc_rpc_client_reply_fd - the file descriptor of @c's reply queue
 */
int kipc_rpc_client_reply_fd(const struct kipc_rpc_client *c);

/**
 * kipc_rpc_call - send a request and wait for its reply
 * @deadline: absolute CLOCK_MONOTONIC time to give up at; NULL waits for ever
 *
 * Return: the length of the reply's payload, or -errno: -ENODATA when no
 * server can answer any more (the one serving the call died, or the
 * service queue's last receiver went with the request queued), -EPIPE
 * when a KIPC_MQ_HUP service queue has no receiver.
 */
ssize_t kipc_rpc_call(struct kipc_rpc_client *c, const void *req,
		      size_t req_len, void *reply, size_t reply_len,
		      const struct timespec *deadline);

/**
 * kipc_rpc_handler_t - a server's answer to one request
 * @ctx: the pointer given to kipc_rpc_serve()
 * @req: the request's payload, 8-byte aligned
 * @req_len: its length
 * @reply: where to write the reply's payload, 8-byte aligned
 * @reply_size: room at @reply
 *
 * Return: the length of the reply (0..@reply_size); or a negative errno,
 * which ends serving (-ECANCELED for a normal stop): the caller gets that
 * errno from kipc_rpc_call().
 */
typedef ssize_t (*kipc_rpc_handler_t)(void *ctx, const void *req,
				      size_t req_len, void *reply,
				      size_t reply_size);

/**
 * kipc_rpc_serve - answer the requests that arrive on @service_fd
 * @service_fd: the service queue, open for reading
 *
 * Each request is received with its reply-to (KIPC_RECV_REPLY), answered
 * on that fd, which is then closed. A reply that cannot go (the client
 * died: EPIPE; its queue is full: EAGAIN) is lost and serving goes on. A
 * service queue with KIPC_MQ_HUP lets a server's death reach callers whose
 * requests are still queued (kipc_rpc_call() returns -ENODATA).
 *
 * Return: 0 when the handler stopped with -ECANCELED; else -errno: the
 * handler's, or -EIDRM when the service queue was removed, or -EINTR.
 */
int kipc_rpc_serve(int service_fd, kipc_rpc_handler_t handler, void *ctx);

/**
 * kipc_rpc_creds_handler_t - kipc_rpc_handler_t that also sees the caller
 * @creds: the pid, effective uid and gid of the process that sent the
 *	request, recorded by the kernel at send time and given in the
 *	server's pid and user namespaces (struct kipc_creds)
 */
typedef ssize_t (*kipc_rpc_creds_handler_t)(void *ctx,
					    const struct kipc_creds *creds,
					    const void *req, size_t req_len,
					    void *reply, size_t reply_size);

/**
 * kipc_rpc_serve_creds - kipc_rpc_serve() whose handler sees each caller's
 *	credentials
 * @service_fd: the service queue, open for reading, created with
 *	KIPC_MQ_CREDS (kipc_open(3), or kipc mq create --creds)
 *
 * Return: as kipc_rpc_serve(); -EOPNOTSUPP at once, before receiving
 * anything, when the service queue was created without KIPC_MQ_CREDS.
 */
int kipc_rpc_serve_creds(int service_fd, kipc_rpc_creds_handler_t handler,
			 void *ctx);

/**
 * kipc_rpc_call_region - kipc_rpc_call() whose request carries a region
 * @region_fd: a kipc region the caller owns or created; the server's
 *	handler gets its own fd for it, with the access @region_fd has
 *	(kipc_mq_send_region(3))
 * @flags: 0, or KIPC_SEND_SEALED: refuse (-EPERM) unless the region has
 *	KIPC_SEAL_WRITE and KIPC_SEAL_SHRINK
 *
 * For large arguments: the bytes are not copied, the pages are shared.
 * The service queue must have KIPC_MQ_REGIONS and its server must use
 * kipc_rpc_serve_regions().
 *
 * Return: as kipc_rpc_call(); also -EOPNOTSUPP (a service queue without
 * KIPC_MQ_REGIONS), -EBADF, -EINVAL (not a region, a bad flag), -EACCES
 * (not the caller's region), -EPERM (not sealed), nothing sent.
 */
ssize_t kipc_rpc_call_region(struct kipc_rpc_client *c, const void *req,
			     size_t req_len, int region_fd, unsigned int flags,
			     void *reply, size_t reply_len,
			     const struct timespec *deadline);

/**
 * struct kipc_rpc_request - one request, as kipc_rpc_serve_regions() hands
 *	it to its handler
 * @data: the payload, 8-byte aligned
 * @len: its length
 * @creds: the caller's pid, uid and gid (as kipc_rpc_serve_creds() gives
 *	them) when the service queue has KIPC_MQ_CREDS, else NULL
 * @region_fd: an fd of the region the request carried
 *	(kipc_rpc_call_region()), or -1; closed once the handler returns, so
 *	dup() it to keep it
 * @resv: set to 0
 */
struct kipc_rpc_request {
	const void *data;
	size_t len;
	const struct kipc_creds *creds;
	int region_fd;
	uint32_t resv[3];
};

/**
 * kipc_rpc_request_handler_t - a server's answer to one request, which may
 *	carry a region
 *
 * Return: as kipc_rpc_handler_t.
 */
typedef ssize_t (*kipc_rpc_request_handler_t)(void *ctx,
					      const struct kipc_rpc_request *rq,
					      void *reply, size_t reply_size);

/**
 * kipc_rpc_serve_regions - kipc_rpc_serve() whose handler also gets the
 *	region a request carries, and the caller's credentials when the
 *	service queue has KIPC_MQ_CREDS
 * @service_fd: the service queue, open for reading; created with
 *	KIPC_MQ_REGIONS for requests to carry regions
 *
 * Return: as kipc_rpc_serve(); -EOPNOTSUPP when @service_fd is not a
 * queue.
 */
int kipc_rpc_serve_regions(int service_fd, kipc_rpc_request_handler_t handler,
			   void *ctx);

#ifdef __cplusplus
}
#endif

#endif /* LIBKIPC_RPC_H */
