// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
use std::fmt;
use std::io;

/// An error from a kipc call: the errno the kernel returned.
///
/// The meaning of each errno per call is listed in kipc(7) and in the uapi
/// header's errno table; the `libc::E*` constants compare with
/// [`Error::errno`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Error {
    errno: i32,
}

impl Error {
    /// An error carrying `errno`.
    pub const fn from_errno(errno: i32) -> Self {
        Error { errno }
    }

    /// The errno of the last failed system call of this thread.
    pub(crate) fn last() -> Self {
        Error::from_errno(io::Error::last_os_error().raw_os_error().unwrap_or(libc::EIO))
    }

    /// The errno, as `libc::EAGAIN` and friends.
    pub const fn errno(&self) -> i32 {
        self.errno
    }

    /// The call would have blocked (`EAGAIN`, with [`crate::Wait::NonBlock`]
    /// or an fd opened non-blocking).
    pub fn would_block(&self) -> bool {
        self.errno == libc::EAGAIN
    }

    /// The deadline passed (`ETIMEDOUT`).
    pub fn timed_out(&self) -> bool {
        self.errno == libc::ETIMEDOUT
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "kipc: {}", io::Error::from_raw_os_error(self.errno))
    }
}

impl std::error::Error for Error {}

impl From<Error> for io::Error {
    fn from(e: Error) -> io::Error {
        io::Error::from_raw_os_error(e.errno)
    }
}

/// The result of every kipc call.
pub type Result<T> = std::result::Result<T, Error>;

/// The failure of [`crate::Queue::send_recv`]: the error, and whether the
/// request had been sent before it happened, so a retry never sends it twice.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SendRecvError {
    /// What failed.
    pub error: Error,
    /// The message was queued before the receive failed.
    pub sent: bool,
}

impl fmt::Display for SendRecvError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.error, if self.sent { "after the send" } else { "nothing sent" })
    }
}

impl std::error::Error for SendRecvError {}

impl From<SendRecvError> for Error {
    fn from(e: SendRecvError) -> Error {
        e.error
    }
}

/// `ioctl(fd, cmd, arg)` returning what the kernel returned, or its errno.
pub(crate) fn ioctl<T>(fd: std::os::unix::io::RawFd, cmd: u32, arg: &mut T) -> Result<i32> {
    // SAFETY: every kipc ioctl takes a pointer to its struct, which `arg`
    // is, of the size its `size` field declares; the kernel writes only
    // within that size.
    let r = unsafe { libc::ioctl(fd, cmd as _, arg as *mut T) };
    if r < 0 {
        Err(Error::last())
    } else {
        Ok(r)
    }
}

/// The `size` field of an ioctl struct.
pub(crate) fn size_of<T>() -> u32 {
    std::mem::size_of::<T>() as u32
}
