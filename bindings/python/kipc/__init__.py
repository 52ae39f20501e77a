# SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
"""kipc: message queues, shared memory and semaphores of the kipc kernel
module, with posix_ipc's API (change the import) plus kipc's own calls.

See README.md next to this package for where kipc differs from posix_ipc.
"""
import asyncio
import errno
import mmap
import os
import secrets
import select
import signal
import threading

from . import _kipc
from ._kipc import (Error, ExistentialError, BusyError, PermissionsError,
                    SignalError)

__all__ = ["MessageQueue", "Semaphore", "SharedMemory", "Error",
           "ExistentialError", "BusyError", "PermissionsError", "SignalError",
           "unlink_message_queue", "unlink_semaphore", "unlink_shared_memory",
           "rpc", "admin", "O_CREAT", "O_EXCL", "O_CREX", "O_TRUNC"]

VERSION = "1.0"
# posix_ipc's module constants. Only O_CREAT and O_EXCL mean something to
# kipc; O_TRUNC is accepted by SharedMemory as in posix_ipc.
O_CREAT = os.O_CREAT
O_EXCL = os.O_EXCL
O_CREX = O_CREAT | O_EXCL
O_TRUNC = os.O_TRUNC
PAGE_SIZE = mmap.PAGESIZE
# kipc has 32 priorities (0..31), posix_ipc's Linux has 32768.
MESSAGE_QUEUES_SUPPORTED = True
SEMAPHORE_TIMEOUT_SUPPORTED = True
SEMAPHORE_VALUE_SUPPORTED = True
QUEUE_PRIORITY_MAX = _kipc.MQ_PRIO_MAX
QUEUE_MESSAGES_MAX_DEFAULT = 10
QUEUE_MESSAGE_SIZE_MAX_DEFAULT = 8192
SEMAPHORE_VALUE_MAX = _kipc.SEM_VALUE_MAX
NAME_MAX = _kipc.NAME_MAX
USER_SIGNAL_MIN = USER_SIGNAL_MAX = None

SEAL_SEAL = _kipc.SEAL_SEAL
SEAL_SHRINK = _kipc.SEAL_SHRINK
SEAL_GROW = _kipc.SEAL_GROW
SEAL_WRITE = _kipc.SEAL_WRITE
SEAL_FUTURE_WRITE = _kipc.SEAL_FUTURE_WRITE
SEAL_ALL = _kipc.SEAL_ALL


def _name(name):
    """kipc names have no leading slash: posix_ipc's "/x" is kipc's "x".
    None makes up a random name, as posix_ipc does."""
    if name is None:
        return "py_" + secrets.token_hex(8), True
    if not isinstance(name, str):
        raise TypeError("name must be a str or None")
    if name.startswith("/"):
        name = name[1:]
    return name, False


def _open_flags(flags, read_only=False, random=False):
    if flags & ~(O_CREAT | O_EXCL | O_TRUNC):
        raise ValueError("flags may hold only O_CREAT, O_EXCL and O_TRUNC")
    f = _kipc.OPEN_READ | _kipc.OPEN_CLOEXEC
    if not read_only:
        f |= _kipc.OPEN_WRITE
    if random:
        flags |= O_CREX
    if flags & O_CREAT:
        f |= _kipc.OPEN_CREATE
        if flags & O_EXCL:
            f |= _kipc.OPEN_EXCL
    return f


class _Object:
    _type = 0
    _fd = -1

    def _check(self):
        if self._fd < 0:
            raise ExistentialError(9, "the object is closed")
        return self._fd

    @property
    def name(self):
        return self._name

    @property
    def fd(self):
        return self._fd

    @property
    def id(self):
        """The object's kipc id, as kipc list shows it."""
        return _kipc.info(self._check())["id"]

    @property
    def mode(self):
        return _kipc.info(self._check())["mode"]

    def fileno(self):
        return self._check()

    def unlink(self):
        _kipc.unlink(self._type, self._name)

    def close(self):
        if self._fd >= 0:
            fd, self._fd = self._fd, -1
            os.close(fd)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        try:
            self.close()
        except Exception:
            pass

    def __repr__(self):
        return "%s(%r)" % (type(self).__name__, self._name)


# request_notification(): a watcher thread per request, as libkipc-posix's
# mq_notify() keeps one. It watches the queue's fd edge-triggered (so a
# queue that stays full wakes it once, not for ever) and looks at the
# depth after each edge: a message on a queue it saw empty fires it.
_notify_lock = threading.Lock()
_notify_reqs = {}       # queue id -> the request's cancel eventfd


def _notify_cancel(qid):
    with _notify_lock:
        cancel = _notify_reqs.pop(qid, None)
    if cancel is not None:
        os.eventfd_write(cancel, 1)


def _notify_start(q, fire):
    qid = q.id
    # The watcher's own reference: the queue's fd may be closed (which
    # withdraws the request, as mq_close() does) and its number reused.
    fd = os.dup(q._check())
    ep = cancel = None
    try:
        ep = select.epoll()
        cancel = os.eventfd(0, os.EFD_CLOEXEC)
        ep.register(cancel, select.EPOLLIN)
        # Watch first, then look: an arrival in between is an edge.
        ep.register(fd, select.EPOLLIN | select.EPOLLOUT | select.EPOLLET)
        was_empty = _kipc.mq_getattr(fd)[2] == 0
        with _notify_lock:
            if qid in _notify_reqs:
                raise BusyError(errno.EBUSY, "a notification is already "
                                "requested for this queue")
            _notify_reqs[qid] = cancel
        q._notify_qid = qid
    except BaseException:
        for f in (fd, cancel):
            if f is not None:
                os.close(f)
        if ep is not None:
            ep.close()
        raise

    def watch(was_empty=was_empty):
        fired = False
        try:
            while True:
                try:
                    events = ep.poll()
                except InterruptedError:
                    continue
                if any(f == cancel for f, _ in events):
                    break
                if any(ev & (select.EPOLLERR | select.EPOLLHUP)
                       for _, ev in events):
                    break
                try:
                    depth = _kipc.mq_getattr(fd)[2]
                except OSError:
                    break
                if depth == 0:
                    was_empty = True
                elif was_empty:
                    fired = True
                    break
        finally:
            with _notify_lock:
                mine = _notify_reqs.get(qid) == cancel
                if mine:
                    del _notify_reqs[qid]
            ep.close()
            os.close(cancel)
            os.close(fd)
        if fired and mine:
            fire()

    threading.Thread(target=watch, daemon=True,
                     name="kipc-notify-%d" % qid).start()


class MessageQueue(_Object):
    """A kipc message queue, as posix_ipc.MessageQueue."""
    _type = _kipc.OBJ_MQ

    def __init__(self, name, flags=0, mode=0o600,
                 max_messages=QUEUE_MESSAGES_MAX_DEFAULT,
                 max_message_size=QUEUE_MESSAGE_SIZE_MAX_DEFAULT,
                 read=True, write=True):
        if not (read or write):
            raise ValueError("at least one of read and write must be true")
        self._name, random = _name(name)
        f = _open_flags(flags & ~O_TRUNC, random=random)
        if not read:
            f &= ~_kipc.OPEN_READ
        if not write:
            f &= ~_kipc.OPEN_WRITE
        self._fd = _kipc.mq_open(self._name, f, mode, max_messages,
                                 max_message_size)
        self._block = True
        self._max = _kipc.mq_getattr(self._fd)[1]

    mqd = _Object.fd

    @property
    def block(self):
        return self._block

    @block.setter
    def block(self, value):
        self._block = bool(value)

    def _timeout(self, timeout):
        return timeout if self._block else 0

    @property
    def max_messages(self):
        return _kipc.mq_getattr(self._check())[0]

    @property
    def max_message_size(self):
        return _kipc.mq_getattr(self._check())[1]

    @property
    def current_messages(self):
        return _kipc.mq_getattr(self._check())[2]

    @property
    def current_bytes(self):
        return _kipc.mq_getattr(self._check())[3]

    def send(self, message, timeout=None, priority=0):
        """Send bytes or str (UTF-8); timeout None waits, 0 does not."""
        if isinstance(message, str):
            message = message.encode()
        _kipc.mq_send(self._check(), message, priority,
                      self._timeout(timeout))

    def receive(self, timeout=None, size=None):
        """(message, priority); a buffer too small raises Error(EMSGSIZE)
        and leaves the message queued."""
        return _kipc.mq_receive(self._check(),
                                self._max if size is None else size,
                                self._timeout(timeout))

    def peek(self, index=0, size=None):
        """(message, priority) of the message at index, left queued."""
        return _kipc.mq_peek(self._check(), index,
                             self._max if size is None else size)

    def send_many(self, messages, block=True):
        """Send [(data, prio), ...] in one call; returns how many went."""
        msgs = [(m.encode() if isinstance(m, str) else m, p)
                for m, p in messages]
        return _kipc.mq_sendv(self._check(), msgs,
                              0 if block and self._block
                              else _kipc.WAIT_NONBLOCK)

    def receive_many(self, count, block=True, size=None):
        """Up to count [(message, priority), ...] in one call."""
        return _kipc.mq_receivev(self._check(), count,
                                 self._max if size is None else size,
                                 0 if block and self._block
                                 else _kipc.WAIT_NONBLOCK)

    def sendrecv(self, message, reply_queue, timeout=None, priority=0,
                 size=None):
        """Send to this queue, then receive from reply_queue, in one call.
        On failure the exception's .sent says whether the message went."""
        if isinstance(message, str):
            message = message.encode()
        return _kipc.mq_sendrecv(self._check(), message, priority,
                                 reply_queue._check(),
                                 reply_queue._max if size is None else size,
                                 timeout)

    def request_notification(self, notification=None):
        """As posix_ipc (and mq_notify(3)): once a message arrives on the
        empty queue, send the signal *notification* (an int) to this
        process, or call ``callback(param)`` for a ``(callback, param)``
        tuple in a new thread; ``None`` withdraws the request. One
        request per queue in this process (BusyError for a second one);
        it ends when it fires, or when the queue is closed.
        """
        self._check()
        if notification is None:
            _notify_cancel(self.id)
            return
        if isinstance(notification, int) and not isinstance(notification,
                                                            bool):
            if not 0 < notification < signal.NSIG:
                raise ValueError("invalid signal number %d" % notification)
            fire = (lambda sig=notification:
                    signal.pthread_kill(threading.main_thread().ident, sig))
        elif (isinstance(notification, tuple) and len(notification) == 2
              and callable(notification[0])):
            cb, param = notification
            fire = (lambda: threading.Thread(target=cb, args=(param,),
                                             daemon=True).start())
        else:
            raise ValueError("notification must be None, a signal number "
                             "or a (callback, param) tuple")
        _notify_start(self, fire)

    def close(self):
        """Close the queue; as mq_close(), withdraw its notification."""
        qid = getattr(self, "_notify_qid", None)
        if qid is not None:
            self._notify_qid = None
            _notify_cancel(qid)
        super().close()

    def __iter__(self):
        """Messages until the queue is empty (never waits)."""
        while True:
            try:
                yield _kipc.mq_receive(self._check(), self._max, 0)
            except BusyError:
                return

    def __len__(self):
        return self.current_messages

    async def receive_async(self, size=None):
        """Wait in the event loop, not in a thread, for a message."""
        loop = asyncio.get_running_loop()
        fd = self._check()
        while True:
            try:
                return _kipc.mq_receive(fd, self._max if size is None
                                        else size, 0)
            except BusyError:
                pass
            await _wait_fd(loop, fd, False)

    async def send_async(self, message, priority=0):
        loop = asyncio.get_running_loop()
        fd = self._check()
        if isinstance(message, str):
            message = message.encode()
        while True:
            try:
                return _kipc.mq_send(fd, message, priority, 0)
            except BusyError:
                pass
            await _wait_fd(loop, fd, True)


async def _wait_fd(loop, fd, write):
    fut = loop.create_future()
    add, remove = ((loop.add_writer, loop.remove_writer) if write
                   else (loop.add_reader, loop.remove_reader))
    add(fd, lambda: fut.done() or fut.set_result(None))
    try:
        await fut
    finally:
        remove(fd)


class Semaphore(_Object):
    """A kipc counting semaphore, as posix_ipc.Semaphore; undo=True gives
    back what this object holds when its fd is released (robust)."""
    _type = _kipc.OBJ_SEM

    def __init__(self, name, flags=0, mode=0o600, initial_value=0,
                 undo=False):
        self._name, random = _name(name)
        self._fd = _kipc.sem_open(self._name,
                                  _open_flags(flags & ~O_TRUNC, random=random),
                                  mode, initial_value)
        self.undo = undo
        self.recovered = False

    def acquire(self, timeout=None, count=1):
        """Take count units; timeout None waits, 0 does not. Sets
        .recovered (and returns True) when units came from a dead holder."""
        self.recovered = _kipc.sem_wait(self._check(), count,
                                        _kipc.SEM_UNDO if self.undo else 0,
                                        timeout)
        return self.recovered

    def release(self, count=1):
        _kipc.sem_post(self._check(), count)

    def wait_zero(self, timeout=None):
        """Wait until the value is 0."""
        _kipc.sem_wait(self._check(), 0, _kipc.SEM_ZERO, timeout)

    @property
    def value(self):
        return _kipc.sem_getvalue(self._check())

    @property
    def held(self):
        """Units this object holds under undo."""
        return _kipc.sem_get(self._check())["undo"]

    @property
    def waiters(self):
        return _kipc.sem_get(self._check())["waiters"]

    def __enter__(self):
        self.acquire()
        return self

    def __exit__(self, *exc):
        self.release()

    async def acquire_async(self, count=1):
        loop = asyncio.get_running_loop()
        fd = self._check()
        flags = _kipc.SEM_UNDO if self.undo else 0
        while True:
            try:
                self.recovered = _kipc.sem_wait(fd, count, flags, 0)
                return self.recovered
            except BusyError:
                pass
            await _wait_fd(loop, fd, False)


class SharedMemory(_Object):
    """A kipc shared memory region, as posix_ipc.SharedMemory."""
    _type = _kipc.OBJ_SHM

    def __init__(self, name, flags=0, mode=0o600, size=0, read_only=False):
        self._name, random = _name(name)
        f = _open_flags(flags, read_only=read_only, random=random)
        self._fd = _kipc.shm_open(self._name, f, mode, size)
        self._read_only = read_only
        # posix_ipc: a size given to an existing region resizes it.
        if size and not read_only and _kipc.shm_stat(self._fd)["size"] != size:
            _kipc.shm_resize(self._fd, size)
        elif (flags & O_TRUNC) and not read_only:
            _kipc.shm_resize(self._fd, 0)
        self._map = None

    @property
    def size(self):
        return _kipc.shm_stat(self._check())["size"]

    def resize(self, size):
        _kipc.shm_resize(self._check(), size)

    @property
    def mapfile(self):
        """An mmap of the whole region (made on first use)."""
        if self._map is None or self._map.closed:
            self._map = mmap.mmap(self._check(), self.size, mmap.MAP_SHARED,
                                  mmap.PROT_READ if self._read_only
                                  else mmap.PROT_READ | mmap.PROT_WRITE)
        return self._map

    def close_fd(self):
        """posix_ipc's name: close the fd, keep any mapping."""
        _Object.close(self)

    def close(self):
        if self._map is not None:
            self._map.close()
            self._map = None
        _Object.close(self)

    def seal(self, seals):
        _kipc.shm_seal(self._check(), seals)

    @property
    def seals(self):
        return _kipc.shm_get_seals(self._check())

    def stat(self):
        return _kipc.shm_stat(self._check())


def unlink_message_queue(name):
    _kipc.unlink(_kipc.OBJ_MQ, _name(name)[0])


def unlink_semaphore(name):
    _kipc.unlink(_kipc.OBJ_SEM, _name(name)[0])


def unlink_shared_memory(name):
    _kipc.unlink(_kipc.OBJ_SHM, _name(name)[0])


from . import rpc, admin  # noqa: E402
