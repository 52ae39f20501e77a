// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
use crate::error::{ioctl, size_of, Error, Result, SendRecvError};
use crate::object::{handle, Kind, OpenOptions};
use crate::sys;
use crate::Wait;
use std::os::unix::io::{AsRawFd, OwnedFd};

/// A message queue: messages of up to `max_msgsize` bytes with a priority
/// of 0..=31, received highest priority first and FIFO within one.
///
/// Receiving into a buffer too short for the next message fails with
/// `EMSGSIZE` and leaves the message queued.
#[derive(Debug)]
pub struct Queue {
    fd: OwnedFd,
    created: bool,
}

handle!(Queue, Kind::Queue);

/// The attributes and state of a queue (`KIPC_IOC_MQ_GETATTR`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct QueueAttr {
    /// Capacity in messages.
    pub max_msgs: u32,
    /// Largest message.
    pub max_msgsize: u32,
    /// Messages queued now.
    pub depth: u32,
    /// Payload bytes queued now.
    pub bytes: u64,
}

/// One message of [`Queue::send_many`].
#[derive(Clone, Copy, Debug)]
pub struct Message<'a> {
    /// The payload.
    pub data: &'a [u8],
    /// Its priority, 0..=31.
    pub prio: u32,
}

fn len32(len: usize) -> Result<u32> {
    // Longer than any queue's max_msgsize: the kernel would say EMSGSIZE.
    u32::try_from(len).map_err(|_| Error::from_errno(libc::EMSGSIZE))
}

/// A receive buffer's length: a longer one than 4 GiB only offers more room
/// than any message needs.
fn buf32(len: usize) -> u32 {
    u32::try_from(len).unwrap_or(u32::MAX)
}

impl Queue {
    /// Opens the queue `name`, creating it (mode 0600) with room for
    /// `max_msgs` messages of at most `max_msgsize` bytes if it does not
    /// exist; for reading and writing, close-on-exec.
    pub fn create(name: &str, max_msgs: u32, max_msgsize: u32) -> Result<Queue> {
        OpenOptions::new().create(true).open_queue(name, max_msgs, max_msgsize)
    }

    /// Opens the existing queue `name` for reading and writing.
    pub fn open(name: &str) -> Result<Queue> {
        OpenOptions::new().open_queue(name, 0, 0)
    }

    /// Queues `msg` with priority `prio` (`KIPC_IOC_MQ_SEND`), waiting for
    /// room as `wait` allows.
    pub fn send(&self, msg: &[u8], prio: u32, wait: Wait) -> Result<()> {
        let (flags, clockid, deadline) = wait.encode()?;
        let mut s = sys::kipc_mq_send {
            size: size_of::<sys::kipc_mq_send>(),
            flags,
            buf: msg.as_ptr() as u64,
            len: len32(msg.len())?,
            prio,
            clockid,
            deadline,
            ..Default::default()
        };
        ioctl(self.fd.as_raw_fd(), sys::KIPC_IOC_MQ_SEND, &mut s).map(|_| ())
    }

    /// Receives the next message into `buf` (`KIPC_IOC_MQ_RECV`), waiting
    /// for one as `wait` allows; returns its length and priority.
    pub fn recv(&self, buf: &mut [u8], wait: Wait) -> Result<(usize, u32)> {
        let (flags, clockid, deadline) = wait.encode()?;
        let mut r = sys::kipc_mq_recv {
            size: size_of::<sys::kipc_mq_recv>(),
            flags,
            buf: buf.as_mut_ptr() as u64,
            len: buf32(buf.len()),
            clockid,
            deadline,
            ..Default::default()
        };
        ioctl(self.fd.as_raw_fd(), sys::KIPC_IOC_MQ_RECV, &mut r)?;
        Ok((r.out_len as usize, r.out_prio))
    }

    /// Receives the next message into a new buffer of the queue's
    /// `max_msgsize`, returning it and its priority.
    pub fn recv_vec(&self, wait: Wait) -> Result<(Vec<u8>, u32)> {
        let mut buf = vec![0u8; self.attr()?.max_msgsize as usize];
        let (len, prio) = self.recv(&mut buf, wait)?;
        buf.truncate(len);
        Ok((buf, prio))
    }

    /// Copies the `index`th message in receive order into `buf` without
    /// removing it (`KIPC_IOC_MQ_PEEK`); never waits. `ENOENT` when fewer
    /// messages are queued, `EMSGSIZE` when `buf` is too short.
    pub fn peek(&self, index: u32, buf: &mut [u8]) -> Result<(usize, u32)> {
        let mut p = sys::kipc_mq_peek {
            size: size_of::<sys::kipc_mq_peek>(),
            buf: buf.as_mut_ptr() as u64,
            len: buf32(buf.len()),
            index,
            ..Default::default()
        };
        ioctl(self.fd.as_raw_fd(), sys::KIPC_IOC_MQ_PEEK, &mut p)?;
        Ok((p.out_len as usize, p.out_prio))
    }

    /// The queue's attributes and depth.
    pub fn attr(&self) -> Result<QueueAttr> {
        let mut a = sys::kipc_mq_getattr {
            size: size_of::<sys::kipc_mq_getattr>(),
            ..Default::default()
        };
        ioctl(self.fd.as_raw_fd(), sys::KIPC_IOC_MQ_GETATTR, &mut a)?;
        Ok(QueueAttr {
            max_msgs: a.out_max_msgs,
            max_msgsize: a.out_max_msgsize,
            depth: a.out_depth,
            bytes: a.out_bytes,
        })
    }

    fn vectored(&self, cmd: u32, vec: &mut [sys::kipc_mq_vec], wait: Wait) -> Result<usize> {
        if vec.is_empty() || vec.len() > sys::KIPC_MQ_VEC_MAX {
            return Err(Error::from_errno(libc::E2BIG));
        }
        let (flags, clockid, deadline) = wait.encode()?;
        let mut v = sys::kipc_mq_sendv {
            size: size_of::<sys::kipc_mq_sendv>(),
            flags,
            vec: vec.as_mut_ptr() as u64,
            count: vec.len() as u32,
            clockid,
            deadline,
            ..Default::default()
        };
        let n = ioctl(self.fd.as_raw_fd(), cmd, &mut v)?;
        Ok(n as usize)
    }

    /// Sends up to 1024 messages in order in one call
    /// (`KIPC_IOC_MQ_SENDV`): waits as `wait` allows until the first can
    /// go, then sends as many as fit without waiting. Returns how many were
    /// sent; an error only when none was.
    pub fn send_many(&self, msgs: &[Message<'_>], wait: Wait) -> Result<usize> {
        let mut vec = Vec::with_capacity(msgs.len());
        for m in msgs {
            vec.push(sys::kipc_mq_vec { buf: m.data.as_ptr() as u64, len: len32(m.data.len())?, prio: m.prio });
        }
        self.vectored(sys::KIPC_IOC_MQ_SENDV, &mut vec, wait)
    }

    /// Receives up to `bufs.len()` (at most 1024) messages in one call
    /// (`KIPC_IOC_MQ_RECVV`), one per buffer, waiting as `wait` allows for
    /// the first. Returns the length and priority of each message received;
    /// it stops early at a message too long for its buffer, which stays
    /// queued.
    pub fn recv_many(&self, bufs: &mut [&mut [u8]], wait: Wait) -> Result<Vec<(usize, u32)>> {
        let mut vec: Vec<sys::kipc_mq_vec> = bufs
            .iter_mut()
            .map(|b| sys::kipc_mq_vec { buf: b.as_mut_ptr() as u64, len: buf32(b.len()), prio: 0 })
            .collect();
        let n = self.vectored(sys::KIPC_IOC_MQ_RECVV, &mut vec, wait)?;
        Ok(vec[..n].iter().map(|v| (v.len as usize, v.prio)).collect())
    }

    /// Sends `msg` to this queue, then receives one message from `reply`
    /// into `buf`, in one system call (`KIPC_IOC_MQ_SENDRECV`): a client's
    /// request and its wait for the answer, or a server's answer and its
    /// wait for the next request. One deadline covers both halves. On
    /// failure, [`SendRecvError::sent`] tells whether the request went out.
    pub fn send_recv(
        &self,
        msg: &[u8],
        prio: u32,
        reply: &Queue,
        buf: &mut [u8],
        wait: Wait,
    ) -> std::result::Result<(usize, u32), SendRecvError> {
        let unsent = |error| SendRecvError { error, sent: false };
        let (flags, clockid, deadline) = wait.encode().map_err(unsent)?;
        let mut s = sys::kipc_mq_sendrecv {
            size: size_of::<sys::kipc_mq_sendrecv>(),
            flags,
            recv_fd: reply.fd.as_raw_fd(),
            send_prio: prio,
            send_buf: msg.as_ptr() as u64,
            send_len: len32(msg.len()).map_err(unsent)?,
            recv_len: buf32(buf.len()),
            recv_buf: buf.as_mut_ptr() as u64,
            clockid,
            deadline,
            ..Default::default()
        };
        match ioctl(self.fd.as_raw_fd(), sys::KIPC_IOC_MQ_SENDRECV, &mut s) {
            Ok(_) => Ok((s.out_len as usize, s.out_prio)),
            Err(error) => Err(SendRecvError { error, sent: s.out_flags & sys::KIPC_SENDRECV_SENT != 0 }),
        }
    }
}
