// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
use crate::error::{ioctl, size_of, Error, Result};
use crate::sys;
use crate::{Queue, Region, Semaphore};
use std::ffi::CString;
use std::os::unix::io::{AsRawFd, FromRawFd, OwnedFd, RawFd};

/// The three kinds of object; each kind is its own name space.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    /// A message queue.
    Queue,
    /// A shared memory region.
    Region,
    /// A counting semaphore.
    Semaphore,
}

impl Kind {
    pub(crate) fn raw(self) -> u32 {
        match self {
            Kind::Queue => sys::KIPC_OBJ_MQ,
            Kind::Region => sys::KIPC_OBJ_SHM,
            Kind::Semaphore => sys::KIPC_OBJ_SEM,
        }
    }

    fn from_raw(t: u32) -> Option<Kind> {
        match t {
            sys::KIPC_OBJ_MQ => Some(Kind::Queue),
            sys::KIPC_OBJ_SHM => Some(Kind::Region),
            sys::KIPC_OBJ_SEM => Some(Kind::Semaphore),
            _ => None,
        }
    }
}

/// `/dev/kipc`, opened for one call and closed after it.
pub(crate) fn device() -> Result<OwnedFd> {
    let path = CString::new(sys::KIPC_DEVICE_PATH).unwrap();
    // SAFETY: path is NUL-terminated.
    let fd = unsafe { libc::open(path.as_ptr(), libc::O_RDWR | libc::O_CLOEXEC) };
    if fd < 0 {
        return Err(Error::last());
    }
    // SAFETY: fd is a new fd that nothing else owns.
    Ok(unsafe { OwnedFd::from_raw_fd(fd) })
}

/// A name as the kernel takes it; an interior NUL can only be EINVAL.
fn c_name(name: &str) -> Result<CString> {
    CString::new(name).map_err(|_| Error::from_errno(libc::EINVAL))
}

/// Removes the name of an object of `kind` (`KIPC_IOC_UNLINK`). The object
/// lives on until its last fd closes; the name can be created again at once.
/// `ENOENT` if there is none, `EPERM` if the caller neither owns nor created
/// it (and lacks `CAP_SYS_ADMIN`).
pub fn unlink(kind: Kind, name: &str) -> Result<()> {
    let dev = device()?;
    let name = c_name(name)?;
    let mut u = sys::kipc_unlink {
        size: size_of::<sys::kipc_unlink>(),
        type_: kind.raw(),
        name: name.as_ptr() as u64,
        ..Default::default()
    };
    ioctl(dev.as_raw_fd(), sys::KIPC_IOC_UNLINK, &mut u).map(|_| ())
}

/// What the loaded module supports (`KIPC_IOC_VERSION`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Version {
    /// `KIPC_ABI_VERSION` of the module.
    pub abi_version: u32,
    /// The longest name it accepts.
    pub name_max: u32,
    /// `KIPC_FEATURE_*` bits.
    pub features: u64,
    /// Largest `max_msgs` of a new queue.
    pub mq_max_msgs: u32,
    /// Largest `max_msgsize` of a new queue.
    pub mq_max_msgsize: u32,
    /// Largest size of a new region.
    pub shm_max_size: u64,
}

/// Asks the module what it supports.
pub fn version() -> Result<Version> {
    let dev = device()?;
    let mut v = sys::kipc_version { size: size_of::<sys::kipc_version>(), ..Default::default() };
    ioctl(dev.as_raw_fd(), sys::KIPC_IOC_VERSION, &mut v)?;
    Ok(Version {
        abi_version: v.out_abi_version,
        name_max: v.out_name_max,
        features: v.out_features,
        mq_max_msgs: v.out_mq_max_msgs,
        mq_max_msgsize: v.out_mq_max_msgsize,
        shm_max_size: v.out_shm_max_size,
    })
}

/// The description of an open object (`KIPC_IOC_INFO`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Info {
    /// The object's id, unique for the life of the module.
    pub id: u64,
    /// Its kind.
    pub kind: Kind,
    /// Permission bits.
    pub mode: u32,
    /// Owner uid and gid, in the caller's user namespace.
    pub uid: u32,
    /// Owner gid.
    pub gid: u32,
    /// Creator uid.
    pub cuid: u32,
    /// Creator gid.
    pub cgid: u32,
    /// The name was unlinked.
    pub unlinked: bool,
    /// An administrator removed the object: calls on it give `EIDRM`.
    pub removed: bool,
    /// This fd may receive, wait or map for reading.
    pub readable: bool,
    /// This fd may send, post or map for writing.
    pub writable: bool,
    /// The name (kept after unlink).
    pub name: String,
}

pub(crate) fn info(fd: RawFd) -> Result<(Info, sys::kipc_attr)> {
    let mut i = sys::kipc_info { size: size_of::<sys::kipc_info>(), ..Default::default() };
    ioctl(fd, sys::KIPC_IOC_INFO, &mut i)?;
    let end = i.out_name.iter().position(|&b| b == 0).unwrap_or(i.out_name.len());
    let kind = Kind::from_raw(i.out_type).ok_or(Error::from_errno(libc::EINVAL))?;
    Ok((
        Info {
            id: i.out_id,
            kind,
            mode: i.out_mode,
            uid: i.out_uid,
            gid: i.out_gid,
            cuid: i.out_cuid,
            cgid: i.out_cgid,
            unlinked: i.out_state & sys::KIPC_STATE_UNLINKED != 0,
            removed: i.out_state & sys::KIPC_STATE_REMOVED != 0,
            readable: i.out_open_flags & sys::KIPC_OPEN_READ != 0,
            writable: i.out_open_flags & sys::KIPC_OPEN_WRITE != 0,
            name: String::from_utf8_lossy(&i.out_name[..end]).into_owned(),
        },
        i.out_attr,
    ))
}

/// An fd adopted by `TryFrom<OwnedFd>` must be a kipc object of `kind`;
/// anything else is `EINVAL` (and the fd is closed).
pub(crate) fn check_kind(fd: &OwnedFd, kind: Kind) -> Result<()> {
    match info(fd.as_raw_fd()) {
        Ok((i, _)) if i.kind == kind => Ok(()),
        Ok(_) | Err(_) => Err(Error::from_errno(libc::EINVAL)),
    }
}

/// How to open or create an object, as [`std::fs::OpenOptions`] opens files.
///
/// The default opens for reading and writing, close-on-exec, an existing
/// object only, and gives a new one mode 0600 (less the umask).
#[derive(Clone, Debug)]
pub struct OpenOptions {
    flags: u32,
    mode: u32,
}

impl Default for OpenOptions {
    fn default() -> Self {
        OpenOptions::new()
    }
}

impl OpenOptions {
    /// Read and write, close-on-exec, no create, mode 0600.
    pub fn new() -> Self {
        OpenOptions {
            flags: sys::KIPC_OPEN_READ | sys::KIPC_OPEN_WRITE | sys::KIPC_OPEN_CLOEXEC,
            mode: 0o600,
        }
    }

    fn set(&mut self, bit: u32, on: bool) -> &mut Self {
        if on {
            self.flags |= bit;
        } else {
            self.flags &= !bit;
        }
        self
    }

    /// Open for receive, wait and mapping for reading (needs the r bit).
    pub fn read(&mut self, on: bool) -> &mut Self {
        self.set(sys::KIPC_OPEN_READ, on)
    }

    /// Open for send, post and mapping for writing (needs the w bit).
    pub fn write(&mut self, on: bool) -> &mut Self {
        self.set(sys::KIPC_OPEN_WRITE, on)
    }

    /// Create the object if it does not exist.
    pub fn create(&mut self, on: bool) -> &mut Self {
        self.set(sys::KIPC_OPEN_CREATE, on)
    }

    /// Create a new object, failing with `EEXIST` if the name exists.
    pub fn create_new(&mut self, on: bool) -> &mut Self {
        self.set(sys::KIPC_OPEN_CREATE, on).set(sys::KIPC_OPEN_EXCL, on)
    }

    /// `O_CLOEXEC` on the new fd (on by default).
    pub fn cloexec(&mut self, on: bool) -> &mut Self {
        self.set(sys::KIPC_OPEN_CLOEXEC, on)
    }

    /// `O_NONBLOCK` on the new fd: every wait through it is `EAGAIN`.
    pub fn nonblock(&mut self, on: bool) -> &mut Self {
        self.set(sys::KIPC_OPEN_NONBLOCK, on)
    }

    /// Permission bits of a new object, a subset of 0666 (`EINVAL`
    /// otherwise); the umask applies.
    pub fn mode(&mut self, mode: u32) -> &mut Self {
        self.mode = mode;
        self
    }

    fn open_raw(&self, kind: Kind, name: &str, attr: sys::kipc_attr) -> Result<(OwnedFd, bool)> {
        let dev = device()?;
        let name = c_name(name)?;
        let mut o = sys::kipc_open {
            size: size_of::<sys::kipc_open>(),
            flags: self.flags,
            type_: kind.raw(),
            mode: self.mode,
            name: name.as_ptr() as u64,
            attr,
            ..Default::default()
        };
        let fd = ioctl(dev.as_raw_fd(), sys::KIPC_IOC_OPEN, &mut o)?;
        // SAFETY: the ioctl returned a new fd that nothing else owns.
        let fd = unsafe { OwnedFd::from_raw_fd(fd) };
        Ok((fd, o.out_flags & sys::KIPC_OPEN_OUT_CREATED != 0))
    }

    /// Opens (or creates, holding `max_msgs` messages of at most
    /// `max_msgsize` bytes) the queue `name`. The attributes are used only
    /// when this call creates it.
    pub fn open_queue(&self, name: &str, max_msgs: u32, max_msgsize: u32) -> Result<Queue> {
        let mut attr = sys::kipc_attr::default();
        attr.mq = sys::kipc_mq_attr { max_msgs, max_msgsize, ..Default::default() };
        let (fd, created) = self.open_raw(Kind::Queue, name, attr)?;
        Ok(Queue::from_parts(fd, created))
    }

    /// Opens (or creates, of `size` bytes) the region `name`.
    pub fn open_region(&self, name: &str, size: u64) -> Result<Region> {
        self.open_region_flags(name, size, 0)
    }

    /// As [`OpenOptions::open_region`], a new region executable
    /// (`KIPC_SHM_EXEC`) when `exec`.
    pub fn open_region_exec(&self, name: &str, size: u64, exec: bool) -> Result<Region> {
        self.open_region_flags(name, size, if exec { sys::KIPC_SHM_EXEC } else { 0 })
    }

    fn open_region_flags(&self, name: &str, size: u64, flags: u32) -> Result<Region> {
        let mut attr = sys::kipc_attr::default();
        attr.shm = sys::kipc_shm_attr { size, flags, __reserved: 0 };
        let (fd, created) = self.open_raw(Kind::Region, name, attr)?;
        Ok(Region::from_parts(fd, created))
    }

    /// Opens (or creates, with `value` units) the semaphore `name`.
    pub fn open_semaphore(&self, name: &str, value: u32) -> Result<Semaphore> {
        let mut attr = sys::kipc_attr::default();
        attr.sem = sys::kipc_sem_attr { value, __reserved: 0 };
        let (fd, created) = self.open_raw(Kind::Semaphore, name, attr)?;
        Ok(Semaphore::from_parts(fd, created))
    }
}

/// The fd traits, `created()`, `info()` and `TryFrom<OwnedFd>` of a handle.
macro_rules! handle {
    ($t:ident, $kind:expr) => {
        impl $t {
            pub(crate) fn from_parts(fd: std::os::unix::io::OwnedFd, created: bool) -> Self {
                $t { fd, created }
            }

            /// Whether the call that opened this handle created the object.
            pub fn created(&self) -> bool {
                self.created
            }

            /// Describes the object (`KIPC_IOC_INFO`).
            pub fn info(&self) -> crate::Result<crate::Info> {
                crate::object::info(std::os::unix::io::AsRawFd::as_raw_fd(&self.fd)).map(|i| i.0)
            }

            /// Another handle on the same open file description (`dup`),
            /// close-on-exec.
            pub fn try_clone(&self) -> crate::Result<Self> {
                let fd = self.fd.try_clone().map_err(|e| {
                    crate::Error::from_errno(e.raw_os_error().unwrap_or(libc::EIO))
                })?;
                Ok($t { fd, created: false })
            }
        }

        impl std::os::unix::io::AsFd for $t {
            fn as_fd(&self) -> std::os::unix::io::BorrowedFd<'_> {
                self.fd.as_fd()
            }
        }

        impl std::os::unix::io::AsRawFd for $t {
            fn as_raw_fd(&self) -> std::os::unix::io::RawFd {
                self.fd.as_raw_fd()
            }
        }

        impl std::os::unix::io::IntoRawFd for $t {
            fn into_raw_fd(self) -> std::os::unix::io::RawFd {
                self.fd.into_raw_fd()
            }
        }

        impl From<$t> for std::os::unix::io::OwnedFd {
            fn from(h: $t) -> Self {
                h.fd
            }
        }

        /// Adopts an fd received over `SCM_RIGHTS` or inherited: `EINVAL`
        /// (and the fd closed) unless it is a kipc object of this kind.
        impl TryFrom<std::os::unix::io::OwnedFd> for $t {
            type Error = crate::Error;
            fn try_from(fd: std::os::unix::io::OwnedFd) -> crate::Result<Self> {
                crate::object::check_kind(&fd, $kind)?;
                Ok($t { fd, created: false })
            }
        }
    };
}
pub(crate) use handle;
