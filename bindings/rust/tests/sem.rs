// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
//! Semaphores through the crate (run in the guest).

mod common;
use common::{errno, name, Unlink};
use kipc::{Kind, SemOp, Semaphore, Wait};
use std::time::Duration;

fn sem(tag: &str, value: u32) -> (Semaphore, Unlink) {
    let n = name(tag);
    let s = Semaphore::create(&n, value).expect("create semaphore");
    (s, Unlink(Kind::Semaphore, n))
}

#[test]
fn wait_and_post_move_the_value() {
    let (s, _u) = sem("wp", 2);
    s.wait(2, Wait::NonBlock).unwrap();
    assert_eq!(s.value().unwrap(), 0);
    assert_eq!(errno(s.try_wait()), libc::EAGAIN);
    s.post(3).unwrap();
    assert_eq!(s.value().unwrap(), 3);
}

#[test]
fn timed_wait_expires() {
    let (s, _u) = sem("tw", 0);
    assert!(s.wait(1, Wait::For(Duration::from_millis(30))).unwrap_err().timed_out());
}

#[test]
fn post_past_the_maximum_is_eoverflow() {
    let (s, _u) = sem("ovf", kipc::sys::KIPC_SEM_VALUE_MAX);
    assert_eq!(errno(s.post(1)), libc::EOVERFLOW);
    assert_eq!(s.value().unwrap(), kipc::sys::KIPC_SEM_VALUE_MAX);
}

#[test]
fn zero_counts_are_einval() {
    let (s, _u) = sem("z", 1);
    assert_eq!(errno(s.post(0)), libc::EINVAL);
    assert_eq!(errno(s.wait(0, Wait::NonBlock)), libc::EINVAL);
}

#[test]
fn waiter_thread_wakes_on_post() {
    let (s, _u) = sem("wake", 0);
    let s2 = s.try_clone().unwrap();
    let t = std::thread::spawn(move || s2.wait(1, Wait::For(Duration::from_secs(10))));
    std::thread::sleep(Duration::from_millis(20));
    s.post(1).unwrap();
    assert!(!t.join().unwrap().unwrap().recovered);
    assert_eq!(s.value().unwrap(), 0);
}

#[test]
fn undo_gives_units_back_on_close_and_reports_recovery() {
    let (s, u) = sem("undo", 1);
    let holder = Semaphore::open(&u.1).unwrap();
    holder.wait_undo(1, Wait::NonBlock).unwrap();
    assert_eq!(holder.get().unwrap().undo, 1);
    assert_eq!(s.value().unwrap(), 0);
    drop(holder);
    assert_eq!(s.value().unwrap(), 1);
    assert!(s.wait(1, Wait::NonBlock).unwrap().recovered);
}

#[test]
fn post_through_the_undo_fd_pays_the_record_back() {
    let (s, _u) = sem("payback", 1);
    s.wait_undo(1, Wait::NonBlock).unwrap();
    s.post(1).unwrap();
    assert_eq!(s.get().unwrap().undo, 0);
}

#[test]
fn wait_zero_returns_at_zero_and_times_out_above() {
    let (s, _u) = sem("wz", 1);
    assert!(s.wait_zero(Wait::For(Duration::from_millis(20))).unwrap_err().timed_out());
    s.wait(1, Wait::NonBlock).unwrap();
    s.wait_zero(Wait::NonBlock).unwrap();
}

#[test]
fn multi_is_all_or_nothing() {
    let (a, _ua) = sem("ma", 1);
    let (b, _ub) = sem("mb", 0);
    let ops = [SemOp { sem: &a, delta: -1, undo: false }, SemOp { sem: &b, delta: -1, undo: false }];
    assert_eq!(errno(Semaphore::multi(&ops, Wait::NonBlock)), libc::EAGAIN);
    assert_eq!(a.value().unwrap(), 1);
    b.post(1).unwrap();
    Semaphore::multi(&ops, Wait::NonBlock).unwrap();
    assert_eq!((a.value().unwrap(), b.value().unwrap()), (0, 0));
}

#[test]
fn multi_rejects_the_same_semaphore_twice_and_no_ops() {
    let (a, _u) = sem("mtwice", 5);
    let ops = [SemOp { sem: &a, delta: -1, undo: false }, SemOp { sem: &a, delta: 1, undo: false }];
    assert_eq!(errno(Semaphore::multi(&ops, Wait::NonBlock)), libc::EINVAL);
    assert_eq!(errno(Semaphore::multi(&[], Wait::NonBlock)), libc::E2BIG);
}
