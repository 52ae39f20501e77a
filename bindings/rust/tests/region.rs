// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
//! Shared memory regions through the crate (run in the guest).

mod common;
use common::{errno, name, Unlink};
use kipc::{Kind, OpenOptions, Protection, Region, Seals};

fn region(tag: &str, size: u64) -> (Region, Unlink) {
    let n = name(tag);
    let r = Region::create(&n, size).expect("create region");
    (r, Unlink(Kind::Region, n))
}

#[test]
fn two_mappings_share_bytes() {
    let (r, u) = region("share", 4096);
    let w = r.map(Protection::ReadWrite).unwrap();
    let other = Region::open(&u.1).unwrap();
    let ro = other.map(Protection::Read).unwrap();
    w.write_at(100, b"shared").unwrap();
    let mut buf = [0u8; 6];
    ro.read_at(100, &mut buf).unwrap();
    assert_eq!(&buf, b"shared");
    assert_eq!(r.stat().unwrap().nattch, 2);
}

#[test]
fn mapping_outlives_the_fd_and_unmaps_on_drop() {
    let (r, u) = region("outlive", 8192);
    let m = r.map(Protection::ReadWrite).unwrap();
    drop(r);
    m.write_at(8191, b"z").unwrap();
    let again = Region::open(&u.1).unwrap();
    assert_eq!(again.stat().unwrap().nattch, 1);
    drop(m);
    assert_eq!(again.stat().unwrap().nattch, 0);
}

#[test]
fn out_of_range_access_is_einval_and_read_only_write_is_ebadf() {
    let (r, _u) = region("range", 4096);
    let m = r.map(Protection::Read).unwrap();
    let mut buf = [0u8; 2];
    assert_eq!(errno(m.read_at(4095, &mut buf)), libc::EINVAL);
    assert_eq!(errno(m.read_at(usize::MAX, &mut buf)), libc::EINVAL);
    assert_eq!(errno(m.write_at(0, b"x")), libc::EBADF);
}

#[test]
fn resize_grows_with_zeroes_and_shrinks() {
    let (r, _u) = region("resize", 4096);
    r.resize(3 * 4096).unwrap();
    assert_eq!(r.size().unwrap(), 3 * 4096);
    let m = r.map(Protection::Read).unwrap();
    assert_eq!(m.len(), 3 * 4096);
    let mut buf = [1u8; 16];
    m.read_at(2 * 4096, &mut buf).unwrap();
    assert_eq!(buf, [0u8; 16]);
    drop(m);
    r.resize(100).unwrap();
    assert_eq!(r.size().unwrap(), 100);
    assert_eq!(errno(r.resize(0)), libc::EINVAL);
}

#[test]
fn seals_forbid_what_they_name() {
    let (r, _u) = region("seal", 4096);
    assert_eq!(r.seals().unwrap(), Seals(0));
    let s = r.seal(Seals::GROW | Seals::SHRINK).unwrap();
    assert!(s.contains(Seals::GROW) && s.contains(Seals::SHRINK));
    assert_eq!(errno(r.resize(8192)), libc::EPERM);
    assert_eq!(errno(r.resize(100)), libc::EPERM);
    r.seal(Seals::SEAL).unwrap();
    assert_eq!(errno(r.seal(Seals::WRITE)), libc::EPERM);
}

#[test]
fn write_seal_refuses_writable_mappings() {
    let (r, _u) = region("wseal", 4096);
    {
        let _m = r.map(Protection::ReadWrite).unwrap();
        assert_eq!(errno(r.seal(Seals::WRITE)), libc::EBUSY);
    }
    r.seal(Seals::WRITE).unwrap();
    assert_eq!(errno(r.map(Protection::ReadWrite)), libc::EPERM);
    r.map(Protection::Read).unwrap();
}

#[test]
fn read_only_fd_maps_read_only() {
    let (_r, u) = region("rofd", 4096);
    let ro = OpenOptions::new().write(false).open_region(&u.1, 0).unwrap();
    assert_eq!(errno(ro.map(Protection::ReadWrite)), libc::EACCES);
    assert_eq!(errno(ro.resize(8192)), libc::EBADF);
    ro.map(Protection::Read).unwrap();
}

#[test]
fn map_len_zero_is_einval() {
    let (r, _u) = region("zero", 4096);
    assert_eq!(errno(r.map_len(0, Protection::Read)), libc::EINVAL);
}

#[test]
fn region_of_size_zero_is_einval() {
    let n = name("size0");
    let _u = Unlink(Kind::Region, n.clone());
    assert_eq!(errno(Region::create(&n, 0)), libc::EINVAL);
}
