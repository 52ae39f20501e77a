// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
//! Safe bindings to kipc, the kernel-side IPC device `/dev/kipc`.
//!
//! kipc gives named message queues ([`Queue`]), shared memory regions
//! ([`Region`]) and counting semaphores ([`Semaphore`]); each open object is
//! a file descriptor. This crate talks to the device directly through
//! `ioctl(2)` (no C library besides libc): every handle owns its fd
//! ([`OwnedFd`]), closes it on drop, and lends it out through [`AsFd`] and
//! [`AsRawFd`], so a poller (mio, tokio's `AsyncFd`) can wait on it. Every
//! call returns [`Result`], whose [`Error`] carries the errno that kipc(7)
//! documents for it.
//!
//! ```no_run
//! use kipc::{Queue, Wait};
//! use std::time::Duration;
//!
//! let q = Queue::create("jobs", 16, 256)?;
//! q.send(b"hello", 3, Wait::Forever)?;
//! let mut buf = [0u8; 256];
//! let (len, prio) = q.recv(&mut buf, Wait::For(Duration::from_secs(1)))?;
//! assert_eq!((&buf[..len], prio), (&b"hello"[..], 3));
//! kipc::unlink(kipc::Kind::Queue, "jobs")?;
//! # Ok::<(), kipc::Error>(())
//! ```

#![warn(missing_docs)]

mod error;
mod mq;
mod object;
mod sem;
mod shm;
pub mod sys;
mod wait;

pub use error::{Error, Result, SendRecvError};
pub use mq::{Message, Queue, QueueAttr};
pub use object::{unlink, version, Info, Kind, OpenOptions, Version};
pub use sem::{Acquired, SemOp, SemValue, Semaphore};
pub use shm::{Mapping, Protection, Region, RegionStat, Seals};
pub use wait::{Clock, Wait};

pub use std::os::unix::io::{AsFd, AsRawFd, OwnedFd};
