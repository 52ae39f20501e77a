// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
//! Opening, naming, adopting and describing objects (run in the guest).

mod common;
use common::{errno, name, Unlink};
use kipc::{Kind, OpenOptions, Queue, Region, Semaphore};
use std::os::unix::io::{AsRawFd, OwnedFd};

#[test]
fn version_reports_the_abi_and_features() {
    let v = kipc::version().unwrap();
    assert_eq!(v.abi_version, kipc::sys::KIPC_ABI_VERSION);
    assert_eq!(v.name_max as usize, kipc::sys::KIPC_NAME_MAX);
    let all = kipc::sys::KIPC_FEATURE_MQ | kipc::sys::KIPC_FEATURE_SHM | kipc::sys::KIPC_FEATURE_SEM;
    assert_eq!(v.features & all, all);
}

#[test]
fn open_missing_is_enoent_and_create_new_twice_is_eexist() {
    let n = name("excl");
    let _u = Unlink(Kind::Queue, n.clone());
    assert_eq!(errno(Queue::open(&n)), libc::ENOENT);
    let q = OpenOptions::new().create_new(true).open_queue(&n, 1, 8).unwrap();
    assert!(q.created());
    assert_eq!(errno(OpenOptions::new().create_new(true).open_queue(&n, 1, 8)), libc::EEXIST);
    assert!(!Queue::create(&n, 1, 8).unwrap().created());
}

#[test]
fn bad_names_are_einval() {
    for bad in ["", "a/b", "with space", "nul\0byte", &"x".repeat(256)] {
        assert_eq!(errno(Semaphore::create(bad, 0)), libc::EINVAL, "{:?}", bad);
    }
}

#[test]
fn neither_read_nor_write_is_einval() {
    let n = name("norw");
    assert_eq!(errno(OpenOptions::new().read(false).write(false).create(true).open_semaphore(&n, 0)), libc::EINVAL);
}

#[test]
fn kinds_are_separate_name_spaces() {
    let n = name("ns");
    let _uq = Unlink(Kind::Queue, n.clone());
    let _us = Unlink(Kind::Semaphore, n.clone());
    let _q = Queue::create(&n, 1, 8).unwrap();
    assert_eq!(errno(Semaphore::open(&n)), libc::ENOENT);
    assert!(Semaphore::create(&n, 0).unwrap().created());
}

#[test]
fn unlink_keeps_open_fds_and_frees_the_name() {
    let n = name("unl");
    let q = Queue::create(&n, 1, 8).unwrap();
    kipc::unlink(Kind::Queue, &n).unwrap();
    assert!(q.info().unwrap().unlinked);
    q.send(b"still", 0, kipc::Wait::NonBlock).unwrap();
    assert_eq!(errno(kipc::unlink(Kind::Queue, &n)), libc::ENOENT);
    let again = Queue::create(&n, 1, 8).unwrap();
    assert!(again.created());
    kipc::unlink(Kind::Queue, &n).unwrap();
}

#[test]
fn info_describes_the_object() {
    let n = name("info");
    let _u = Unlink(Kind::Region, n.clone());
    let r = OpenOptions::new().create(true).mode(0o640).open_region(&n, 4096).unwrap();
    let i = r.info().unwrap();
    assert_eq!(i.kind, Kind::Region);
    assert_eq!(i.name, n);
    assert_eq!(i.mode & 0o600, 0o600);
    assert_eq!(i.uid, unsafe { libc::geteuid() });
    assert!(i.readable && i.writable && !i.unlinked && !i.removed);
    assert_ne!(i.id, 0);
}

#[test]
fn mode_outside_0666_is_einval() {
    let n = name("mode");
    assert_eq!(errno(OpenOptions::new().create(true).mode(0o777).open_semaphore(&n, 0)), libc::EINVAL);
}

#[test]
fn cloexec_is_the_default_and_can_be_turned_off() {
    let n = name("cloexec");
    let _u = Unlink(Kind::Semaphore, n.clone());
    let s = Semaphore::create(&n, 0).unwrap();
    let fl = unsafe { libc::fcntl(s.as_raw_fd(), libc::F_GETFD) };
    assert!(fl & libc::FD_CLOEXEC != 0);
    let s2 = OpenOptions::new().cloexec(false).open_semaphore(&n, 0).unwrap();
    let fl = unsafe { libc::fcntl(s2.as_raw_fd(), libc::F_GETFD) };
    assert_eq!(fl & libc::FD_CLOEXEC, 0);
}

#[test]
fn try_from_owned_fd_checks_the_kind() {
    let n = name("adopt");
    let _u = Unlink(Kind::Semaphore, n.clone());
    let s = Semaphore::create(&n, 4).unwrap();
    let fd: OwnedFd = s.try_clone().unwrap().into();
    assert_eq!(errno(Queue::try_from(fd)), libc::EINVAL);
    let fd: OwnedFd = s.into();
    let back = Semaphore::try_from(fd).unwrap();
    assert_eq!(back.value().unwrap(), 4);
    let file: OwnedFd = std::fs::File::open("/dev/null").unwrap().into();
    assert_eq!(errno(Region::try_from(file)), libc::EINVAL);
}

#[test]
fn drop_closes_the_fd() {
    let n = name("drop");
    let _u = Unlink(Kind::Queue, n.clone());
    let q = Queue::create(&n, 1, 8).unwrap();
    let raw = q.as_raw_fd();
    drop(q);
    assert_eq!(unsafe { libc::fcntl(raw, libc::F_GETFD) }, -1);
    assert_eq!(std::io::Error::last_os_error().raw_os_error(), Some(libc::EBADF));
}

#[test]
fn error_converts_to_io_error_with_the_errno() {
    let e = kipc::Error::from_errno(libc::ENOENT);
    let io: std::io::Error = e.into();
    assert_eq!(io.raw_os_error(), Some(libc::ENOENT));
    assert!(e.to_string().contains("No such file"));
}
