# SPDX-License-Identifier: GPL-2.0-only
"""kipc.MessageQueue: posix_ipc's behaviour and kipc's own calls."""
import asyncio
import errno
import os
import select
import signal
import threading
import time

import pytest

import kipc


def test_send_receive(mq):
    mq.send(b"hello", priority=3)
    assert mq.receive() == (b"hello", 3)


def test_str_is_utf8(mq):
    mq.send("h\u00e9")
    assert mq.receive()[0] == "h\u00e9".encode()


@pytest.mark.parametrize("data", [b"", bytearray(b"ab"), memoryview(b"xyz")],
                         ids=["empty", "bytearray", "memoryview"])
def test_bytes_like(mq, data):
    mq.send(data)
    assert mq.receive()[0] == bytes(data)


@pytest.mark.parametrize("prio", [0, 1, 16, 31])
def test_priority_kept(mq, prio):
    mq.send(b"p", priority=prio)
    assert mq.receive()[1] == prio


def test_priority_32_is_einval(mq):
    with pytest.raises(kipc.Error) as e:
        mq.send(b"x", priority=32)
    assert e.value.errno == errno.EINVAL
    assert mq.current_messages == 0


def test_higher_priority_first(mq):
    for p in (1, 31, 5, 31):
        mq.send(bytes([p]), priority=p)
    assert [m[1] for m in mq] == [31, 31, 5, 1]


def test_fifo_within_priority(mq):
    for i in range(4):
        mq.send(bytes([i]))
    assert [m[0] for m in mq] == [b"\0", b"\1", b"\2", b"\3"]


def test_crex_existing_is_eexist(mq):
    with pytest.raises(kipc.ExistentialError) as e:
        kipc.MessageQueue(mq.name, kipc.O_CREX)
    assert e.value.errno == errno.EEXIST


def test_missing_is_enoent(name):
    with pytest.raises(kipc.ExistentialError) as e:
        kipc.MessageQueue(name())
    assert e.value.errno == errno.ENOENT


def test_leading_slash_names_the_same_queue(mq):
    with kipc.MessageQueue("/" + mq.name) as q:
        q.send(b"s")
    assert mq.receive()[0] == b"s"


def test_random_name():
    q = kipc.MessageQueue(None)
    try:
        assert q.name.startswith("py_")
        q.send(b"r")
        assert q.receive()[0] == b"r"
    finally:
        q.unlink()
        q.close()


def test_o_creat_opens_existing(mq):
    with kipc.MessageQueue(mq.name, kipc.O_CREAT, max_messages=9) as q:
        assert q.max_messages == 4


def test_attributes(mq):
    assert mq.max_messages == 4
    assert mq.max_message_size == 64
    assert mq.current_messages == 0
    mq.send(b"abc")
    assert mq.current_messages == 1
    assert len(mq) == 1
    assert mq.current_bytes >= 3


def test_receive_timeout_zero_is_busy(mq):
    with pytest.raises(kipc.BusyError) as e:
        mq.receive(0)
    assert e.value.errno in (errno.EAGAIN, errno.ETIMEDOUT)


def test_receive_timeout_waits(mq):
    t = time.monotonic()
    with pytest.raises(kipc.BusyError):
        mq.receive(0.05)
    assert time.monotonic() - t >= 0.04


def test_send_full_is_busy(mq):
    for i in range(4):
        mq.send(b"f")
    with pytest.raises(kipc.BusyError):
        mq.send(b"f", timeout=0)
    assert mq.current_messages == 4


def test_block_false(mq):
    mq.block = False
    assert mq.block is False
    with pytest.raises(kipc.BusyError):
        mq.receive()


def test_small_buffer_keeps_message(mq):
    mq.send(b"0123456789", priority=7)
    with pytest.raises(kipc.Error) as e:
        mq.receive(size=4)
    assert e.value.errno == errno.EMSGSIZE
    assert mq.current_messages == 1
    assert mq.receive() == (b"0123456789", 7)


def test_too_long_is_emsgsize(mq):
    with pytest.raises(kipc.Error) as e:
        mq.send(b"x" * 65)
    assert e.value.errno == errno.EMSGSIZE


def test_max_size_message(mq):
    mq.send(b"y" * 64)
    assert mq.receive()[0] == b"y" * 64


def test_peek(mq):
    mq.send(b"a", priority=1)
    mq.send(b"b", priority=2)
    assert mq.peek() == (b"b", 2)
    assert mq.peek(1) == (b"a", 1)
    assert mq.current_messages == 2


def test_peek_past_end_is_enoent(mq):
    mq.send(b"a")
    with pytest.raises(kipc.Error) as e:
        mq.peek(1)
    assert e.value.errno == errno.ENOENT


def test_peek_small_buffer(mq):
    mq.send(b"abcdef")
    with pytest.raises(kipc.Error) as e:
        mq.peek(0, size=2)
    assert e.value.errno == errno.EMSGSIZE
    assert mq.current_messages == 1


def test_send_many_receive_many(mq):
    assert mq.send_many([(b"1", 0), ("2", 5), (b"3", 0)]) == 3
    got = mq.receive_many(8)
    assert got == [(b"2", 5), (b"1", 0), (b"3", 0)]


def test_send_many_stops_when_full(mq):
    assert mq.send_many([(b"m", 0)] * 6, block=False) == 4


def test_receive_many_empty_is_busy(mq):
    with pytest.raises(kipc.BusyError):
        mq.receive_many(2, block=False)


def test_iteration_does_not_wait(mq):
    assert list(mq) == []


def test_context_manager_closes(name):
    with kipc.MessageQueue(name(), kipc.O_CREX) as q:
        fd = q.fd
        assert fd >= 0
    assert q.fd == -1
    with pytest.raises(OSError):
        os.fstat(fd)


def test_closed_queue_raises(mq):
    mq.close()
    with pytest.raises(kipc.ExistentialError):
        mq.send(b"x")
    mq.close()


def test_unlink(mq):
    mq.unlink()
    with pytest.raises(kipc.ExistentialError):
        kipc.MessageQueue(mq.name)
    mq.send(b"still")
    assert mq.receive()[0] == b"still"


def test_unlink_function(mq):
    kipc.unlink_message_queue(mq.name)
    with pytest.raises(kipc.ExistentialError):
        kipc.unlink_message_queue(mq.name)


def test_write_only_cannot_receive(mq):
    with kipc.MessageQueue(mq.name, read=False) as q:
        q.send(b"w")
        with pytest.raises(kipc.Error) as e:
            q.receive(0)
        assert e.value.errno == errno.EBADF


def test_read_only_cannot_send(mq):
    with kipc.MessageQueue(mq.name, write=False) as q:
        with pytest.raises(kipc.Error) as e:
            q.send(b"r")
        assert e.value.errno == errno.EBADF


def test_neither_read_nor_write(mq):
    with pytest.raises(ValueError):
        kipc.MessageQueue(mq.name, read=False, write=False)


def test_bad_flags(name):
    with pytest.raises(ValueError):
        kipc.MessageQueue(name(), os.O_APPEND)


def test_negative_timeout(mq):
    with pytest.raises(ValueError):
        mq.receive(-1)


def test_blocking_receive_woken_by_thread(mq):
    t = threading.Timer(0.05, mq.send, (b"late",))
    t.start()
    assert mq.receive(5)[0] == b"late"
    t.join()


def test_poll_in(mq):
    p = select.poll()
    p.register(mq.fd, select.POLLIN)
    assert p.poll(0) == []
    mq.send(b"x")
    assert p.poll(0) == [(mq.fd, select.POLLIN)]


def test_sendrecv(name):
    req = kipc.MessageQueue(name(), kipc.O_CREX, max_message_size=64)
    rep = kipc.MessageQueue(name(), kipc.O_CREX, max_message_size=64)

    def echo():
        m, p = req.receive(5)
        rep.send(m.upper(), priority=p)
    t = threading.Thread(target=echo)
    t.start()
    assert req.sendrecv(b"ping", rep, timeout=5, priority=2) == (b"PING", 2)
    t.join()
    req.close()
    rep.close()


def test_sendrecv_timeout_says_sent(name):
    req = kipc.MessageQueue(name(), kipc.O_CREX)
    rep = kipc.MessageQueue(name(), kipc.O_CREX)
    with pytest.raises(kipc.BusyError) as e:
        req.sendrecv(b"q", rep, timeout=0.05)
    assert e.value.sent is True
    assert req.receive(0)[0] == b"q"
    req.close()
    rep.close()


def test_request_notification_callback(mq):
    got = threading.Event()
    seen = []
    mq.request_notification((lambda p: (seen.append(p), got.set()), "hi"))
    # A second request on the same queue: posix_ipc's BusyError (EBUSY).
    with pytest.raises(kipc.BusyError):
        mq.request_notification(signal.SIGUSR1)
    mq.send(b"x")
    assert got.wait(10)
    assert seen == ["hi"]
    # One-shot: it ended when it fired, so it can be requested again.
    assert mq.receive()[0] == b"x"
    mq.request_notification((lambda p: got.set(), None))
    mq.request_notification(None)


def test_request_notification_only_on_empty_queue(mq):
    got = threading.Event()
    mq.send(b"a")
    mq.request_notification((lambda p: got.set(), None))
    mq.send(b"b")               # not empty before: no notification
    assert not got.wait(0.3)
    mq.receive()
    mq.receive()                # empty now ...
    time.sleep(0.05)            # (the watcher sees it: see the README)
    mq.send(b"c")               # ... so this one fires it
    assert got.wait(10)
    mq.receive()


def test_request_notification_signal(mq):
    got = []
    old = signal.signal(signal.SIGUSR1, lambda s, f: got.append(s))
    try:
        mq.request_notification(signal.SIGUSR1)
        mq.send(b"x")
        deadline = time.monotonic() + 10
        while not got and time.monotonic() < deadline:
            time.sleep(0.01)
        assert got == [signal.SIGUSR1]
    finally:
        signal.signal(signal.SIGUSR1, old)
    mq.receive()


def test_request_notification_withdrawn_by_none_and_close(name):
    got = threading.Event()
    q = kipc.MessageQueue(name(), kipc.O_CREX, max_messages=4,
                          max_message_size=64)
    q.request_notification((lambda p: got.set(), None))
    q.request_notification(None)
    q.send(b"x")
    assert not got.wait(0.3)
    q.receive()
    q.request_notification((lambda p: got.set(), None))
    q2 = kipc.MessageQueue(q.name, max_messages=4, max_message_size=64)
    q.close()                   # as mq_close(): the request goes with it
    q2.send(b"y")
    assert not got.wait(0.3)
    q2.receive()
    q2.close()


def test_request_notification_bad_argument(mq):
    with pytest.raises(ValueError):
        mq.request_notification("SIGUSR1")
    with pytest.raises(ValueError):
        mq.request_notification(0)
    with pytest.raises(ValueError):
        mq.request_notification((1, 2))


def test_signal_is_signalerror(mq):
    old = signal.signal(signal.SIGALRM, lambda *a: None)
    signal.setitimer(signal.ITIMER_REAL, 0.05)
    try:
        with pytest.raises(kipc.SignalError) as e:
            mq.receive(5)
        assert e.value.errno == errno.EINTR
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def test_signal_handler_exception_wins(mq):
    class Stop(Exception):
        pass

    def handler(*a):
        raise Stop()
    old = signal.signal(signal.SIGALRM, handler)
    signal.setitimer(signal.ITIMER_REAL, 0.05)
    try:
        with pytest.raises(Stop):
            mq.receive(5)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def test_other_user_denied(mq):
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            os.setgid(65534)
            os.setuid(65534)
            try:
                kipc.MessageQueue(mq.name)
            except kipc.PermissionsError as e:
                code = 0 if e.errno == errno.EACCES else 2
        finally:
            os._exit(code)
    assert os.waitpid(pid, 0)[1] == 0


def test_mode_and_id(name):
    with kipc.MessageQueue(name(), kipc.O_CREX, mode=0o640) as q:
        assert q.mode & 0o777 == 0o640
        assert q.id > 0


def test_async_receive(mq):
    async def main():
        loop = asyncio.get_running_loop()
        loop.call_later(0.05, mq.send, b"async", 0, 4)
        return await asyncio.wait_for(mq.receive_async(), 5)
    assert asyncio.run(main()) == (b"async", 4)


def test_async_send_waits_for_room(mq):
    for i in range(4):
        mq.send(b"full")

    async def main():
        loop = asyncio.get_running_loop()
        loop.call_later(0.05, mq.receive)
        await asyncio.wait_for(mq.send_async(b"last", 1), 5)
    asyncio.run(main())
    assert mq.current_messages == 4
    assert mq.receive()[0] == b"last"
