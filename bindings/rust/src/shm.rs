// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
use crate::error::{ioctl, size_of, Error, Result};
use crate::object::{handle, Kind, OpenOptions};
use crate::sys;
use std::os::unix::io::{AsRawFd, OwnedFd};
use std::ptr::NonNull;

/// A shared memory region: shmem pages that every process mapping it
/// shares, with a size that can grow and shrink and memfd-style seals.
#[derive(Debug)]
pub struct Region {
    fd: OwnedFd,
    created: bool,
}

handle!(Region, Kind::Region);

/// Seal bits of a region (the values of memfd's `F_SEAL_*`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct Seals(pub u32);

impl Seals {
    /// No more seals.
    pub const SEAL: Seals = Seals(sys::KIPC_SEAL_SEAL);
    /// The size may not shrink.
    pub const SHRINK: Seals = Seals(sys::KIPC_SEAL_SHRINK);
    /// The size may not grow.
    pub const GROW: Seals = Seals(sys::KIPC_SEAL_GROW);
    /// No shared writable mapping at all.
    pub const WRITE: Seals = Seals(sys::KIPC_SEAL_WRITE);
    /// No new shared writable mapping.
    pub const FUTURE_WRITE: Seals = Seals(sys::KIPC_SEAL_FUTURE_WRITE);

    /// Whether every bit of `other` is set.
    pub fn contains(self, other: Seals) -> bool {
        self.0 & other.0 == other.0
    }
}

impl std::ops::BitOr for Seals {
    type Output = Seals;
    fn bitor(self, o: Seals) -> Seals {
        Seals(self.0 | o.0)
    }
}

/// The state of a region (`KIPC_IOC_SHM_STAT`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RegionStat {
    /// Size in bytes.
    pub size: u64,
    /// Live mappings in every process.
    pub nattch: u32,
    /// Seals in force.
    pub seals: Seals,
    /// Pages in memory.
    pub resident: u64,
    /// Pages in swap.
    pub swapped: u64,
    /// The pid of the last process that mapped it (0 if none).
    pub lpid: u32,
}

/// How a [`Mapping`] may be accessed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Protection {
    /// `PROT_READ` (the fd must be open for reading).
    Read,
    /// `PROT_READ | PROT_WRITE` (the fd must be open for both).
    ReadWrite,
}

/// A shared mapping of a region; `munmap` on drop.
///
/// The memory is shared with other processes, which may write it at any
/// time, so the mapping hands out raw pointers and copies, not references.
/// It stays valid after the region's fd is closed, but an access beyond the
/// region's current end (after another process shrank it) raises `SIGBUS`,
/// as with any file mapping.
#[derive(Debug)]
pub struct Mapping {
    ptr: NonNull<u8>,
    len: usize,
    writable: bool,
}

// SAFETY: the mapping is plain shared memory, owned by this value.
unsafe impl Send for Mapping {}
// SAFETY: &Mapping only gives copies and raw pointers.
unsafe impl Sync for Mapping {}

impl Mapping {
    /// The start of the mapping.
    pub fn as_ptr(&self) -> *const u8 {
        self.ptr.as_ptr()
    }

    /// The start of the mapping, for writing (a read-only mapping faults).
    pub fn as_mut_ptr(&self) -> *mut u8 {
        self.ptr.as_ptr()
    }

    /// Its length in bytes.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether it is empty (never: regions have at least one byte).
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    fn range(&self, offset: usize, len: usize) -> Result<()> {
        match offset.checked_add(len) {
            Some(end) if end <= self.len => Ok(()),
            _ => Err(Error::from_errno(libc::EINVAL)),
        }
    }

    /// Copies `buf.len()` bytes from `offset` into `buf`; `EINVAL` past the
    /// end of the mapping.
    pub fn read_at(&self, offset: usize, buf: &mut [u8]) -> Result<()> {
        self.range(offset, buf.len())?;
        // SAFETY: the range lies within the mapping; buf does not overlap it
        // (it is a Rust borrow, the mapping is not).
        unsafe { std::ptr::copy_nonoverlapping(self.ptr.as_ptr().add(offset), buf.as_mut_ptr(), buf.len()) };
        Ok(())
    }

    /// Copies `data` to `offset`; `EINVAL` past the end, `EBADF` on a
    /// read-only mapping.
    pub fn write_at(&self, offset: usize, data: &[u8]) -> Result<()> {
        if !self.writable {
            return Err(Error::from_errno(libc::EBADF));
        }
        self.range(offset, data.len())?;
        // SAFETY: as for read_at; the mapping is writable.
        unsafe { std::ptr::copy_nonoverlapping(data.as_ptr(), self.ptr.as_ptr().add(offset), data.len()) };
        Ok(())
    }

    /// A view of the bytes.
    ///
    /// # Safety
    ///
    /// No one (another process included) may write the region while the
    /// slice lives, and it must not shrink below the mapping.
    pub unsafe fn as_slice(&self) -> &[u8] {
        std::slice::from_raw_parts(self.ptr.as_ptr(), self.len)
    }
}

impl Drop for Mapping {
    fn drop(&mut self) {
        // SAFETY: ptr and len are what mmap returned, unmapped only here.
        unsafe { libc::munmap(self.ptr.as_ptr() as *mut libc::c_void, self.len) };
    }
}

impl Region {
    /// Opens the region `name`, creating it (mode 0600) of `size` bytes if
    /// it does not exist; for reading and writing, close-on-exec.
    pub fn create(name: &str, size: u64) -> Result<Region> {
        OpenOptions::new().create(true).open_region(name, size)
    }

    /// Opens the existing region `name` for reading and writing.
    pub fn open(name: &str) -> Result<Region> {
        OpenOptions::new().open_region(name, 0)
    }

    /// The state and size.
    pub fn stat(&self) -> Result<RegionStat> {
        let mut s = sys::kipc_shm_stat { size: size_of::<sys::kipc_shm_stat>(), ..Default::default() };
        ioctl(self.fd.as_raw_fd(), sys::KIPC_IOC_SHM_STAT, &mut s)?;
        Ok(RegionStat {
            size: s.out_size,
            nattch: s.out_nattch,
            seals: Seals(s.out_seals),
            resident: s.out_resident,
            swapped: s.out_swapped,
            lpid: s.out_lpid,
        })
    }

    /// The size in bytes.
    pub fn size(&self) -> Result<u64> {
        self.stat().map(|s| s.size)
    }

    /// Grows or shrinks the region to `new_size` bytes, as `ftruncate()`
    /// a file (`KIPC_IOC_SHM_RESIZE`).
    pub fn resize(&self, new_size: u64) -> Result<()> {
        let mut r = sys::kipc_shm_resize { size: size_of::<sys::kipc_shm_resize>(), new_size, ..Default::default() };
        ioctl(self.fd.as_raw_fd(), sys::KIPC_IOC_SHM_RESIZE, &mut r).map(|_| ())
    }

    /// Adds `seals`; returns the seals in force after the call.
    pub fn seal(&self, seals: Seals) -> Result<Seals> {
        let mut s = sys::kipc_shm_seal { size: size_of::<sys::kipc_shm_seal>(), seals: seals.0, ..Default::default() };
        ioctl(self.fd.as_raw_fd(), sys::KIPC_IOC_SHM_SEAL, &mut s)?;
        Ok(Seals(s.out_seals))
    }

    /// The seals in force.
    pub fn seals(&self) -> Result<Seals> {
        self.seal(Seals(0))
    }

    /// Maps the whole region, shared. `EACCES` for a protection the fd was
    /// not opened for, `EPERM` for a writable mapping of a write-sealed
    /// region.
    pub fn map(&self, prot: Protection) -> Result<Mapping> {
        let len = usize::try_from(self.size()?).map_err(|_| Error::from_errno(libc::ENOMEM))?;
        self.map_len(len, prot)
    }

    /// Maps the first `len` bytes of the region, shared.
    pub fn map_len(&self, len: usize, prot: Protection) -> Result<Mapping> {
        if len == 0 {
            return Err(Error::from_errno(libc::EINVAL));
        }
        let (p, writable) = match prot {
            Protection::Read => (libc::PROT_READ, false),
            Protection::ReadWrite => (libc::PROT_READ | libc::PROT_WRITE, true),
        };
        // SAFETY: a new shared mapping chosen by the kernel; nothing else
        // is at that address.
        let ptr = unsafe { libc::mmap(std::ptr::null_mut(), len, p, libc::MAP_SHARED, self.fd.as_raw_fd(), 0) };
        if ptr == libc::MAP_FAILED {
            return Err(Error::last());
        }
        Ok(Mapping { ptr: NonNull::new(ptr as *mut u8).expect("mmap returned NULL"), len, writable })
    }
}
