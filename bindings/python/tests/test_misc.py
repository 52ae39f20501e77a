# SPDX-License-Identifier: GPL-2.0-only
"""Module constants, exceptions, kipc.rpc and kipc.admin."""
import errno
import os
import threading

import pytest

import kipc


@pytest.mark.parametrize("cls", [kipc.ExistentialError, kipc.BusyError,
                                 kipc.PermissionsError, kipc.SignalError])
def test_exception_hierarchy(cls):
    assert issubclass(cls, kipc.Error)
    assert issubclass(cls, OSError)


@pytest.mark.parametrize("const,value", [
    ("O_CREAT", os.O_CREAT), ("O_EXCL", os.O_EXCL),
    ("O_CREX", os.O_CREAT | os.O_EXCL), ("QUEUE_PRIORITY_MAX", 31),
    ("SEMAPHORE_VALUE_MAX", 0x7fffffff), ("NAME_MAX", 255)])
def test_constants(const, value):
    assert getattr(kipc, const) == value


def test_name_too_long(name):
    with pytest.raises(kipc.Error) as e:
        kipc.MessageQueue("n" * 256, kipc.O_CREAT)
    assert e.value.errno in (errno.EINVAL, errno.ENAMETOOLONG)


def test_name_must_be_str():
    with pytest.raises(TypeError):
        kipc.Semaphore(b"bytes")


def _serve(server, done):
    try:
        server.serve()
    except BaseException as e:   # noqa: B902 (handed to the test)
        done.append(e)
    else:
        done.append(None)


def test_rpc_roundtrip(name):
    svc = name()

    @kipc.rpc.server(svc)
    def upper(req):
        if req == b"stop":
            raise StopIteration
        return req.upper()
    done = []
    t = threading.Thread(target=_serve, args=(upper, done))
    t.start()
    try:
        with kipc.rpc.Client(svc) as c:
            assert c.call(b"abc", timeout=5) == b"ABC"
            assert c.call("d\u00e9", timeout=5) == "D\u00e9".encode()
            with pytest.raises(kipc.Error) as e:
                c.call(b"stop", timeout=5)
            assert e.value.errno == errno.ECANCELED
    finally:
        t.join(10)
        upper.close()
    assert done == [None]


def test_rpc_closed_client_capsule_is_refused(name):
    # The private module's client, closed, is never used again (it was
    # freed): a call or a second close raises instead.
    svc = name()

    @kipc.rpc.server(svc)
    def echo(req):
        return req
    try:
        cap = kipc._kipc.rpc_client_open(svc)
        kipc._kipc.rpc_client_close(cap)
        with pytest.raises(ValueError):
            kipc._kipc.rpc_call(cap, b"x", 8, 1)
        with pytest.raises(ValueError):
            kipc._kipc.rpc_client_close(cap)
    finally:
        echo.close()


def test_rpc_handler_errno_reaches_client(name):
    svc = name()

    @kipc.rpc.server(svc)
    def fail(req):
        raise OSError(errno.ENOSPC, "full")
    done = []
    t = threading.Thread(target=_serve, args=(fail, done))
    t.start()
    try:
        with kipc.rpc.Client(svc) as c:
            with pytest.raises(kipc.Error) as e:
                c.call(b"x", timeout=5)
            assert e.value.errno == errno.ENOSPC
    finally:
        t.join(10)
        fail.close()
    assert isinstance(done[0], OSError) and done[0].errno == errno.ENOSPC


def test_rpc_empty_reply(name):
    svc = name()
    seen = []

    @kipc.rpc.server(svc)
    def sink(req):
        seen.append(req)
        if len(seen) == 2:
            raise StopIteration
    done = []
    t = threading.Thread(target=_serve, args=(sink, done))
    t.start()
    try:
        with kipc.rpc.Client(svc) as c:
            assert c.call(b"one", timeout=5) == b""
            with pytest.raises(kipc.Error):
                c.call(b"two", timeout=5)
    finally:
        t.join(10)
        sink.close()
    assert seen == [b"one", b"two"]


def test_rpc_no_service(name):
    with pytest.raises(kipc.ExistentialError):
        kipc.rpc.Client(name())


def test_rpc_closed_client(name):
    svc = name()
    s = kipc.rpc.Server(svc, lambda r: r)
    c = kipc.rpc.Client(svc)
    c.close()
    with pytest.raises(ValueError):
        c.call(b"x")
    s.close()


def test_admin_lists_objects(mq, sem, shm):
    objs = {o["name"]: o for o in kipc.admin.list()}
    assert objs[mq.name]["type"] == "mq"
    assert objs[mq.name]["id"] == mq.id
    assert objs[mq.name]["mq_max_msgs"] == 4
    assert objs[sem.name]["type"] == "sem"
    assert objs[sem.name]["sem_value"] == 1
    assert objs[shm.name]["type"] == "shm"
    assert objs[shm.name]["shm_size"] == 8192


def test_admin_list_by_type(mq, sem):
    names = [o["name"] for o in kipc.admin.list("sem")]
    assert sem.name in names and mq.name not in names


def test_admin_list_unknown_type():
    with pytest.raises(KeyError):
        kipc.admin.list("pipe")


def test_admin_owner(mq):
    o = [o for o in kipc.admin.list("mq") if o["name"] == mq.name][0]
    assert o["uid"] == os.getuid()
    assert o["mode"] & 0o777 == 0o600
