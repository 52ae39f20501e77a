# SPDX-License-Identifier: GPL-2.0-only
"""kipc.Semaphore and kipc.SharedMemory."""
import asyncio
import errno
import mmap
import os
import threading

import pytest

import kipc


def test_sem_initial_value(name):
    with kipc.Semaphore(name(), kipc.O_CREX, initial_value=5) as s:
        pass
    s = kipc.Semaphore(s.name)
    assert s.value == 5
    s.close()


def test_sem_acquire_release(sem):
    sem.acquire()
    assert sem.value == 0
    sem.release()
    assert sem.value == 1


def test_sem_counts(sem):
    sem.release(4)
    assert sem.value == 5
    sem.acquire(count=3)
    assert sem.value == 2


def test_sem_acquire_zero_timeout_busy(sem):
    sem.acquire()
    with pytest.raises(kipc.BusyError) as e:
        sem.acquire(0)
    assert e.value.errno in (errno.EAGAIN, errno.ETIMEDOUT)


def test_sem_acquire_timeout(sem):
    sem.acquire()
    with pytest.raises(kipc.BusyError):
        sem.acquire(0.05)
    assert sem.value == 0


def test_sem_count_zero_is_einval(sem):
    with pytest.raises(kipc.Error) as e:
        sem.acquire(count=0)
    assert e.value.errno == errno.EINVAL


def test_sem_release_overflow(name):
    # Not "with": a Semaphore's context acquires it.
    s = kipc.Semaphore(name(), kipc.O_CREX,
                       initial_value=kipc.SEMAPHORE_VALUE_MAX)
    try:
        with pytest.raises(kipc.Error) as e:
            s.release()
        assert e.value.errno == errno.EOVERFLOW
        assert s.value == kipc.SEMAPHORE_VALUE_MAX
    finally:
        s.close()


def test_sem_initial_too_big(name):
    with pytest.raises(kipc.Error) as e:
        kipc.Semaphore(name(), kipc.O_CREX,
                       initial_value=kipc.SEMAPHORE_VALUE_MAX + 1)
    assert e.value.errno == errno.EINVAL


def test_sem_context_manager(sem):
    with sem:
        assert sem.value == 0
    assert sem.value == 1


def test_sem_crex_existing(sem):
    with pytest.raises(kipc.ExistentialError) as e:
        kipc.Semaphore(sem.name, kipc.O_CREX)
    assert e.value.errno == errno.EEXIST


def test_sem_missing(name):
    with pytest.raises(kipc.ExistentialError):
        kipc.Semaphore(name())


def test_sem_unlink_function(sem):
    kipc.unlink_semaphore("/" + sem.name)
    with pytest.raises(kipc.ExistentialError):
        sem.unlink()


def test_sem_woken_by_thread(sem):
    sem.acquire()
    t = threading.Timer(0.05, sem.release)
    t.start()
    assert sem.acquire(5) is False
    t.join()


def test_sem_undo_gives_back_on_close(sem):
    u = kipc.Semaphore(sem.name, undo=True)
    u.acquire()
    assert u.held == 1
    assert sem.value == 0
    u.close()
    assert sem.value == 1


def test_sem_no_undo_keeps(sem):
    o = kipc.Semaphore(sem.name)
    o.acquire()
    o.close()
    assert sem.value == 0


def test_sem_recovered_after_holder_died(sem):
    pid = os.fork()
    if pid == 0:
        try:
            kipc.Semaphore(sem.name, undo=True).acquire()
        finally:
            os._exit(0)
    assert os.waitpid(pid, 0)[1] == 0
    assert sem.value == 1
    assert sem.acquire(5) is True
    assert sem.recovered is True


def test_sem_not_recovered_normally(sem):
    assert sem.acquire() is False
    assert sem.recovered is False


def test_sem_wait_zero(sem):
    with pytest.raises(kipc.BusyError):
        sem.wait_zero(0)
    sem.acquire()
    sem.wait_zero(0)


def test_sem_async_acquire(sem):
    sem.acquire()

    async def main():
        asyncio.get_running_loop().call_later(0.05, sem.release)
        return await asyncio.wait_for(sem.acquire_async(), 5)
    assert asyncio.run(main()) is False
    assert sem.value == 0


def test_sem_waiters(sem):
    assert sem.waiters == 0


def test_shm_size(shm):
    assert shm.size == 8192


def test_shm_mapfile_shared(shm):
    shm.mapfile[:5] = b"hello"
    with kipc.SharedMemory(shm.name) as other:
        assert other.mapfile[:5] == b"hello"


def test_shm_read_only(shm):
    with kipc.SharedMemory(shm.name, read_only=True) as ro:
        assert ro.mapfile[:1] == b"\0"
        with pytest.raises(TypeError):
            ro.mapfile[0] = 1


def test_shm_resize(shm):
    shm.resize(3 * mmap.PAGESIZE)
    assert shm.size == 3 * mmap.PAGESIZE
    assert os.fstat(shm.fd).st_size in (0, 3 * mmap.PAGESIZE)


def test_shm_size_resizes_existing(shm):
    with kipc.SharedMemory(shm.name, size=4096) as s:
        assert s.size == 4096


def test_shm_crex_existing(shm):
    with pytest.raises(kipc.ExistentialError):
        kipc.SharedMemory(shm.name, kipc.O_CREX, size=4096)


def test_shm_missing(name):
    with pytest.raises(kipc.ExistentialError):
        kipc.SharedMemory(name())


def test_shm_unlink_function(shm):
    kipc.unlink_shared_memory(shm.name)
    with pytest.raises(kipc.ExistentialError):
        kipc.SharedMemory(shm.name)


def test_shm_seal_grow(shm):
    shm.seal(kipc.SEAL_GROW)
    assert shm.seals & kipc.SEAL_GROW
    with pytest.raises(kipc.PermissionsError) as e:
        shm.resize(16384)
    assert e.value.errno == errno.EPERM
    shm.resize(4096)


def test_shm_seal_shrink(shm):
    shm.seal(kipc.SEAL_SHRINK)
    with pytest.raises(kipc.PermissionsError):
        shm.resize(4096)
    shm.resize(16384)


def test_shm_seal_seal(shm):
    shm.seal(kipc.SEAL_SEAL)
    with pytest.raises(kipc.PermissionsError):
        shm.seal(kipc.SEAL_GROW)
    assert shm.seals == kipc.SEAL_SEAL


def test_shm_seal_write_busy_while_mapped(shm):
    shm.mapfile[0] = 1
    with pytest.raises(kipc.Error) as e:
        shm.seal(kipc.SEAL_WRITE)
    assert e.value.errno == errno.EBUSY


def test_shm_seal_write(shm):
    shm.seal(kipc.SEAL_WRITE)
    with pytest.raises(PermissionError):
        shm.mapfile


def test_shm_bad_seal_bits(shm):
    with pytest.raises(kipc.Error) as e:
        shm.seal(0x100)
    assert e.value.errno == errno.EINVAL


def test_shm_stat_nattch(shm):
    assert shm.stat()["nattch"] == 0
    shm.mapfile
    assert shm.stat()["nattch"] == 1


def test_shm_close_fd_keeps_map(shm):
    m = shm.mapfile
    shm.close_fd()
    m[0] = 7
    assert m[0] == 7
    m.close()


def test_shm_close_unmaps(shm):
    m = shm.mapfile
    shm.close()
    assert m.closed
