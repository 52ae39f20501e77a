// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
use crate::error::{Error, Result};
use crate::sys;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The clock of an absolute deadline.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Clock {
    /// `CLOCK_MONOTONIC`: not moved by changes to the system time.
    Monotonic,
    /// `CLOCK_REALTIME`: the wall clock, moved by `settimeofday()` and NTP.
    Realtime,
}

impl Clock {
    fn id(self) -> libc::clockid_t {
        match self {
            Clock::Monotonic => libc::CLOCK_MONOTONIC,
            Clock::Realtime => libc::CLOCK_REALTIME,
        }
    }

    /// The time now on this clock, from its epoch.
    pub fn now(self) -> Duration {
        let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
        // SAFETY: ts is a valid timespec to write to.
        unsafe { libc::clock_gettime(self.id(), &mut ts) };
        Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
    }
}

/// How long a blocking call may wait.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Wait {
    /// Until the call can proceed (or a signal interrupts it: `EINTR`).
    Forever,
    /// Not at all: `EAGAIN` where the call would wait.
    NonBlock,
    /// At most this long, measured on `CLOCK_MONOTONIC` from now; the
    /// kernel gets the absolute deadline, so a restart after a signal does
    /// not extend it. `ETIMEDOUT` when it passes.
    For(Duration),
    /// Until this absolute time on the clock (time since the clock's
    /// epoch; since 1970 for [`Clock::Realtime`]). `ETIMEDOUT` when it
    /// passes, also when it had passed on entry.
    Until(Clock, Duration),
}

impl Wait {
    /// A deadline on the wall clock, as `sem_timedwait()` takes.
    pub fn until_system_time(t: SystemTime) -> Wait {
        Wait::Until(Clock::Realtime, t.duration_since(UNIX_EPOCH).unwrap_or_default())
    }

    /// The flags, clockid and deadline of an ioctl struct.
    pub(crate) fn encode(self) -> Result<(u32, u32, u64)> {
        let abs = |clock: Clock, t: Duration| -> Result<(u32, u32, u64)> {
            let ns = u64::try_from(t.as_nanos()).map_err(|_| Error::from_errno(libc::EINVAL))?;
            Ok((sys::KIPC_WAIT_DEADLINE, clock.id() as u32, ns))
        };
        match self {
            Wait::Forever => Ok((0, 0, 0)),
            Wait::NonBlock => Ok((sys::KIPC_WAIT_NONBLOCK, 0, 0)),
            Wait::For(d) => {
                let t = Clock::Monotonic.now().checked_add(d);
                match t {
                    Some(t) if t.as_nanos() <= u64::MAX as u128 => abs(Clock::Monotonic, t),
                    // Beyond 584 years: as good as forever.
                    _ => Ok((0, 0, 0)),
                }
            }
            Wait::Until(clock, t) => abs(clock, t),
        }
    }
}
