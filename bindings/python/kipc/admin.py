# SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
"""Listing over libkipc-admin (Generic Netlink), as `kipc list` does."""
from . import _kipc

TYPES = {"mq": _kipc.OBJ_MQ, "shm": _kipc.OBJ_SHM, "sem": _kipc.OBJ_SEM}
_NAMES = {v: k for k, v in TYPES.items()}


def list(type=None):
    """A dict per object visible in this namespace: id, type ("mq", "shm",
    "sem"), name, uid, gid, mode, and the type's own fields."""
    t = TYPES[type] if type is not None else 0
    out = _kipc.admin_list(t)
    for o in out:
        o["type"] = _NAMES.get(o["type"], o["type"])
    return out
