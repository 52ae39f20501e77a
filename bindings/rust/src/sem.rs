// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
use crate::error::{ioctl, size_of, Error, Result};
use crate::object::{handle, Kind, OpenOptions};
use crate::sys;
use crate::Wait;
use std::os::unix::io::{AsRawFd, OwnedFd};

/// A counting semaphore, 0..=0x7fffffff, whose waiters are served in
/// arrival order.
///
/// Units taken with undo ([`Semaphore::wait_undo`]) are recorded against
/// the open file description and given back when it is finally closed, also
/// when the holder is killed; a wait that gets such units reports
/// [`Acquired::recovered`].
#[derive(Debug)]
pub struct Semaphore {
    fd: OwnedFd,
    created: bool,
}

handle!(Semaphore, Kind::Semaphore);

/// What a successful wait reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Acquired {
    /// The units came (in part) from a holder whose fd was closed with
    /// undo units still held: what they protect may be inconsistent.
    pub recovered: bool,
}

/// The state of a semaphore (`KIPC_IOC_SEM_GET`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SemValue {
    /// The value.
    pub value: u32,
    /// Waits to take units (SysV's semncnt).
    pub waiters: u32,
    /// Units this open file description holds under undo.
    pub undo: u64,
    /// Waits for zero (SysV's semzcnt).
    pub zero_waiters: u32,
}

/// One operation of [`Semaphore::multi`].
#[derive(Clone, Copy, Debug)]
pub struct SemOp<'a> {
    /// The semaphore.
    pub sem: &'a Semaphore,
    /// Below 0: take that many units; above 0: give; 0: wait for zero.
    pub delta: i32,
    /// Record a take for undo.
    pub undo: bool,
}

impl Semaphore {
    /// Opens the semaphore `name`, creating it (mode 0600) with `value`
    /// units if it does not exist; for reading and writing, close-on-exec.
    pub fn create(name: &str, value: u32) -> Result<Semaphore> {
        OpenOptions::new().create(true).open_semaphore(name, value)
    }

    /// Opens the existing semaphore `name` for reading and writing.
    pub fn open(name: &str) -> Result<Semaphore> {
        OpenOptions::new().open_semaphore(name, 0)
    }

    fn wait_flags(&self, count: u32, extra: u32, wait: Wait) -> Result<Acquired> {
        let (flags, clockid, deadline) = wait.encode()?;
        let mut w = sys::kipc_sem_wait {
            size: size_of::<sys::kipc_sem_wait>(),
            flags: flags | extra,
            count,
            clockid,
            deadline,
            ..Default::default()
        };
        ioctl(self.fd.as_raw_fd(), sys::KIPC_IOC_SEM_WAIT, &mut w)?;
        Ok(Acquired { recovered: w.out_flags & sys::KIPC_SEM_RECOVERED != 0 })
    }

    /// Takes `count` units (1..=0x7fffffff), waiting as `wait` allows.
    pub fn wait(&self, count: u32, wait: Wait) -> Result<Acquired> {
        self.wait_flags(count, 0, wait)
    }

    /// Takes one unit if it can without waiting; `EAGAIN` otherwise.
    pub fn try_wait(&self) -> Result<Acquired> {
        self.wait(1, Wait::NonBlock)
    }

    /// As [`Semaphore::wait`], recording the units against this open file
    /// description so they come back when it is closed (SysV's `SEM_UNDO`).
    /// A later [`Semaphore::post`] through it pays the record back first.
    pub fn wait_undo(&self, count: u32, wait: Wait) -> Result<Acquired> {
        self.wait_flags(count, sys::KIPC_SEM_UNDO, wait)
    }

    /// Waits until the value is 0 (a barrier); takes nothing.
    pub fn wait_zero(&self, wait: Wait) -> Result<()> {
        self.wait_flags(0, sys::KIPC_SEM_ZERO, wait).map(|_| ())
    }

    /// Adds `count` units, waking the waiters they satisfy. `EOVERFLOW`
    /// (and nothing changes) past 0x7fffffff.
    pub fn post(&self, count: u32) -> Result<()> {
        let mut p = sys::kipc_sem_post { size: size_of::<sys::kipc_sem_post>(), count, ..Default::default() };
        ioctl(self.fd.as_raw_fd(), sys::KIPC_IOC_SEM_POST, &mut p).map(|_| ())
    }

    /// The value and the waiters.
    pub fn get(&self) -> Result<SemValue> {
        let mut g = sys::kipc_sem_get { size: size_of::<sys::kipc_sem_get>(), ..Default::default() };
        ioctl(self.fd.as_raw_fd(), sys::KIPC_IOC_SEM_GET, &mut g)?;
        Ok(SemValue { value: g.out_value, waiters: g.out_waiters, undo: g.out_undo, zero_waiters: g.out_zero_waiters })
    }

    /// The value.
    pub fn value(&self) -> Result<u32> {
        self.get().map(|g| g.value)
    }

    /// Applies every operation at once or none (`KIPC_IOC_SEM_MULTI`, as
    /// SysV's `semop()`), waiting as `wait` allows until all can proceed.
    /// At most 64 operations, each on a different semaphore of one IPC
    /// namespace.
    pub fn multi(ops: &[SemOp<'_>], wait: Wait) -> Result<Acquired> {
        let first = ops.first().ok_or(Error::from_errno(libc::E2BIG))?;
        if ops.len() > sys::KIPC_SEM_MULTI_MAX {
            return Err(Error::from_errno(libc::E2BIG));
        }
        let raw: Vec<sys::kipc_sem_op> = ops
            .iter()
            .map(|o| sys::kipc_sem_op {
                fd: o.sem.fd.as_raw_fd(),
                delta: o.delta,
                flags: if o.undo { sys::KIPC_SEM_UNDO } else { 0 },
                __reserved: 0,
            })
            .collect();
        let (flags, clockid, deadline) = wait.encode()?;
        let mut m = sys::kipc_sem_multi {
            size: size_of::<sys::kipc_sem_multi>(),
            flags,
            count: raw.len() as u32,
            clockid,
            deadline,
            ops: raw.as_ptr() as u64,
            ..Default::default()
        };
        ioctl(first.sem.fd.as_raw_fd(), sys::KIPC_IOC_SEM_MULTI, &mut m)?;
        Ok(Acquired { recovered: m.out_flags & sys::KIPC_SEM_RECOVERED != 0 })
    }
}
