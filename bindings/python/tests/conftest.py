# SPDX-License-Identifier: GPL-2.0-only
"""Fixtures, and a TAP writer for the guest's tally: with KIPC_TAP=path,
one kselftest-style result line per test goes to path."""
import os
import re

import pytest

import kipc

_tap = None
_outcome = {}
_count = 0


def pytest_collection_finish(session):
    global _tap
    path = os.environ.get("KIPC_TAP")
    if path:
        _tap = open(path, "w", buffering=1)
        _tap.write("TAP version 13\n1..%d\n" % len(session.items))


def pytest_runtest_logreport(report):
    prev = _outcome.get(report.nodeid)
    if report.failed:
        _outcome[report.nodeid] = ("not ok", "")
    elif report.skipped and prev is None:
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) \
            else str(report.longrepr)
        _outcome[report.nodeid] = ("ok", " # SKIP " + reason.replace(
            "Skipped: ", "").replace("\n", " "))
    elif report.when == "call" and prev is None:
        _outcome[report.nodeid] = ("ok", "")


def pytest_runtest_logfinish(nodeid, location):
    global _count
    if _tap is None:
        return
    _count += 1
    verdict, directive = _outcome.get(nodeid, ("not ok", " (no result)"))
    name = nodeid.split("::", 1)[-1]
    _tap.write("%s %d %s%s\n" % (verdict, _count, name, directive))


class Names:
    """Unique names; every object under them is unlinked at teardown."""

    def __init__(self, tag):
        self.tag = tag
        self.made = []

    def __call__(self, suffix=""):
        n = "pyt_%s_%d_%d%s" % (self.tag, os.getpid(), len(self.made),
                                suffix)
        self.made.append(n)
        return n

    def cleanup(self):
        for n in self.made:
            for f in (kipc.unlink_message_queue, kipc.unlink_semaphore,
                      kipc.unlink_shared_memory):
                try:
                    f(n)
                except kipc.ExistentialError:
                    pass


@pytest.fixture
def name(request):
    names = Names(re.sub(r"\W", "_", request.node.name[:40]))
    yield names
    names.cleanup()


@pytest.fixture
def mq(name):
    q = kipc.MessageQueue(name(), kipc.O_CREX, max_messages=4,
                          max_message_size=64)
    yield q
    q.close()


@pytest.fixture
def sem(name):
    s = kipc.Semaphore(name(), kipc.O_CREX, initial_value=1)
    yield s
    s.close()


@pytest.fixture
def shm(name):
    m = kipc.SharedMemory(name(), kipc.O_CREX, size=8192)
    yield m
    m.close()
