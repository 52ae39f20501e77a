# SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
"""kipc's RPC layer (kipc-rpc.h): a service queue, a client with its own
reply queue, bytes in and bytes out.

    @kipc.rpc.server("calc")
    def handler(request):
        return request.upper()
    handler.serve()            # until the handler raises StopIteration

    with kipc.rpc.Client("calc") as c:
        c.call(b"hi")
"""
from . import _kipc, MessageQueue, O_CREAT, QUEUE_MESSAGE_SIZE_MAX_DEFAULT


class Client:
    def __init__(self, service):
        if service.startswith("/"):
            service = service[1:]
        self._c = _kipc.rpc_client_open(service)

    def call(self, request, timeout=None,
             size=QUEUE_MESSAGE_SIZE_MAX_DEFAULT):
        """The reply's bytes; an OSError raised by the handler comes back
        as the Error with its errno."""
        if self._c is None:
            raise ValueError("the client is closed")
        if isinstance(request, str):
            request = request.encode()
        return _kipc.rpc_call(self._c, request, size, timeout)

    def close(self):
        if self._c is not None:
            c, self._c = self._c, None
            _kipc.rpc_client_close(c)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class Server:
    """A handler bound to a service queue (created if missing). The handler
    takes the request's bytes and returns the reply (bytes or None); an
    OSError sends its errno to the caller and stops serving, StopIteration
    stops serving cleanly."""

    def __init__(self, service, handler, mode=0o600, max_messages=10,
                 max_message_size=QUEUE_MESSAGE_SIZE_MAX_DEFAULT):
        self.queue = MessageQueue(service, O_CREAT, mode, max_messages,
                                  max_message_size, write=False)
        self.handler = handler

    def __call__(self, request):
        return self.handler(request)

    def serve(self):
        _kipc.rpc_serve(self.queue.fd, self.handler)

    def close(self):
        self.queue.close()

    def unlink(self):
        self.queue.unlink()


def server(service, **kw):
    """Decorator: @server("name") turns a function into a Server."""
    def wrap(fn):
        return Server(service, fn, **kw)
    return wrap
