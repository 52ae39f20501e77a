// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
//! Message queues through the crate (needs /dev/kipc: run in the guest).

mod common;
use common::{errno, name, Unlink};
use kipc::{Kind, Message, OpenOptions, Queue, Wait};
use std::time::{Duration, Instant};

fn queue(tag: &str, msgs: u32, size: u32) -> (Queue, Unlink) {
    let n = name(tag);
    let q = Queue::create(&n, msgs, size).expect("create queue");
    (q, Unlink(Kind::Queue, n))
}

#[test]
fn send_recv_round_trip() {
    let (q, _u) = queue("rt", 4, 64);
    assert!(q.created());
    q.send(b"hello", 7, Wait::Forever).unwrap();
    let mut buf = [0u8; 64];
    let (len, prio) = q.recv(&mut buf, Wait::Forever).unwrap();
    assert_eq!(&buf[..len], b"hello");
    assert_eq!(prio, 7);
}

#[test]
fn priority_order_then_fifo() {
    let (q, _u) = queue("prio", 8, 16);
    for (m, p) in [(b"a", 1u32), (b"b", 5), (b"c", 1), (b"d", 31)] {
        q.send(m, p, Wait::NonBlock).unwrap();
    }
    let got: Vec<(Vec<u8>, u32)> = (0..4).map(|_| q.recv_vec(Wait::NonBlock).unwrap()).collect();
    let want = vec![(b"d".to_vec(), 31), (b"b".to_vec(), 5), (b"a".to_vec(), 1), (b"c".to_vec(), 1)];
    assert_eq!(got, want);
}

#[test]
fn priority_above_31_is_einval() {
    let (q, _u) = queue("p32", 2, 16);
    assert_eq!(errno(q.send(b"x", 32, Wait::NonBlock)), libc::EINVAL);
}

#[test]
fn too_long_message_is_emsgsize() {
    let (q, _u) = queue("big", 2, 8);
    assert_eq!(errno(q.send(&[0u8; 9], 0, Wait::NonBlock)), libc::EMSGSIZE);
    assert_eq!(q.attr().unwrap().depth, 0);
}

#[test]
fn short_buffer_keeps_the_message() {
    let (q, _u) = queue("short", 2, 32);
    q.send(b"0123456789", 2, Wait::NonBlock).unwrap();
    let mut small = [0u8; 4];
    assert_eq!(errno(q.recv(&mut small, Wait::NonBlock)), libc::EMSGSIZE);
    let (m, p) = q.recv_vec(Wait::NonBlock).unwrap();
    assert_eq!((m.as_slice(), p), (&b"0123456789"[..], 2));
}

#[test]
fn nonblocking_empty_and_full() {
    let (q, _u) = queue("nb", 1, 8);
    let mut buf = [0u8; 8];
    let e = q.recv(&mut buf, Wait::NonBlock).unwrap_err();
    assert!(e.would_block());
    q.send(b"1", 0, Wait::NonBlock).unwrap();
    assert_eq!(errno(q.send(b"2", 0, Wait::NonBlock)), libc::EAGAIN);
}

#[test]
fn relative_timeout_expires() {
    let (q, _u) = queue("to", 1, 8);
    let mut buf = [0u8; 8];
    let t = Instant::now();
    let e = q.recv(&mut buf, Wait::For(Duration::from_millis(50))).unwrap_err();
    assert!(e.timed_out(), "{}", e);
    assert!(t.elapsed() >= Duration::from_millis(50));
}

#[test]
fn past_deadline_on_both_clocks_is_etimedout() {
    let (q, _u) = queue("dl", 1, 8);
    let mut buf = [0u8; 8];
    for clock in [kipc::Clock::Monotonic, kipc::Clock::Realtime] {
        let past = clock.now() - Duration::from_millis(1);
        assert_eq!(errno(q.recv(&mut buf, Wait::Until(clock, past))), libc::ETIMEDOUT);
    }
    let past = std::time::SystemTime::now() - Duration::from_secs(1);
    assert_eq!(errno(q.recv(&mut buf, Wait::until_system_time(past))), libc::ETIMEDOUT);
}

#[test]
fn deadline_in_the_future_lets_a_message_through() {
    let (q, _u) = queue("fut", 1, 8);
    q.send(b"ok", 0, Wait::Until(kipc::Clock::Realtime, kipc::Clock::Realtime.now() + Duration::from_secs(5)))
        .unwrap();
    let mut buf = [0u8; 8];
    let (n, _) = q.recv(&mut buf, Wait::Until(kipc::Clock::Monotonic, kipc::Clock::Monotonic.now() + Duration::from_secs(5)))
        .unwrap();
    assert_eq!(&buf[..n], b"ok");
}

#[test]
fn blocked_receiver_is_woken_by_a_sender_thread() {
    let (q, _u) = queue("wake", 1, 8);
    let q2 = q.try_clone().unwrap();
    let t = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(20));
        q2.send(b"late", 3, Wait::Forever).unwrap();
    });
    let (m, p) = q.recv_vec(Wait::For(Duration::from_secs(10))).unwrap();
    t.join().unwrap();
    assert_eq!((m.as_slice(), p), (&b"late"[..], 3));
}

#[test]
fn peek_does_not_remove() {
    let (q, _u) = queue("peek", 4, 16);
    q.send(b"first", 1, Wait::NonBlock).unwrap();
    q.send(b"second", 1, Wait::NonBlock).unwrap();
    let mut buf = [0u8; 16];
    let (n, p) = q.peek(1, &mut buf).unwrap();
    assert_eq!((&buf[..n], p), (&b"second"[..], 1));
    assert_eq!(errno(q.peek(2, &mut buf)), libc::ENOENT);
    assert_eq!(q.attr().unwrap().depth, 2);
}

#[test]
fn attr_reports_depth_and_bytes() {
    let (q, _u) = queue("attr", 5, 100);
    q.send(b"abc", 0, Wait::NonBlock).unwrap();
    q.send(b"de", 0, Wait::NonBlock).unwrap();
    let a = q.attr().unwrap();
    assert_eq!((a.max_msgs, a.max_msgsize, a.depth, a.bytes), (5, 100, 2, 5));
}

#[test]
fn send_many_and_recv_many() {
    let (q, _u) = queue("vec", 8, 16);
    let msgs = [
        Message { data: b"one", prio: 0 },
        Message { data: b"two", prio: 0 },
        Message { data: b"three", prio: 0 },
    ];
    assert_eq!(q.send_many(&msgs, Wait::NonBlock).unwrap(), 3);
    let mut a = [0u8; 16];
    let mut b = [0u8; 16];
    let mut c = [0u8; 16];
    let mut d = [0u8; 16];
    let mut bufs: Vec<&mut [u8]> = vec![&mut a, &mut b, &mut c, &mut d];
    let got = q.recv_many(&mut bufs, Wait::NonBlock).unwrap();
    assert_eq!(got.iter().map(|g| g.0).collect::<Vec<_>>(), vec![3, 3, 5]);
    assert_eq!(&bufs[2][..5], b"three");
}

#[test]
fn send_many_stops_when_full() {
    let (q, _u) = queue("vfull", 2, 8);
    let msgs = [Message { data: b"1", prio: 0 }; 5];
    assert_eq!(q.send_many(&msgs, Wait::NonBlock).unwrap(), 2);
    assert_eq!(errno(q.send_many(&msgs, Wait::NonBlock)), libc::EAGAIN);
}

#[test]
fn vectored_counts_out_of_range_are_e2big() {
    let (q, _u) = queue("v0", 2, 8);
    assert_eq!(errno(q.send_many(&[], Wait::NonBlock)), libc::E2BIG);
    let mut none: Vec<&mut [u8]> = Vec::new();
    assert_eq!(errno(q.recv_many(&mut none, Wait::NonBlock)), libc::E2BIG);
}

#[test]
fn send_recv_request_and_reply() {
    let (req, _u1) = queue("req", 2, 32);
    let (rep, _u2) = queue("rep", 2, 32);
    let server_req = req.try_clone().unwrap();
    let server_rep = rep.try_clone().unwrap();
    let server = std::thread::spawn(move || {
        let (m, _) = server_req.recv_vec(Wait::For(Duration::from_secs(10))).unwrap();
        let mut answer = b"re:".to_vec();
        answer.extend_from_slice(&m);
        server_rep.send(&answer, 4, Wait::Forever).unwrap();
    });
    let mut buf = [0u8; 32];
    let (n, p) = req.send_recv(b"ping", 0, &rep, &mut buf, Wait::For(Duration::from_secs(10))).unwrap();
    server.join().unwrap();
    assert_eq!((&buf[..n], p), (&b"re:ping"[..], 4));
}

#[test]
fn send_recv_reports_the_send_on_a_receive_failure() {
    let (req, _u1) = queue("srq", 2, 32);
    let (rep, _u2) = queue("srp", 2, 32);
    let mut buf = [0u8; 32];
    let e = req.send_recv(b"ping", 0, &rep, &mut buf, Wait::NonBlock).unwrap_err();
    assert_eq!(e.error.errno(), libc::EAGAIN);
    assert!(e.sent);
    assert_eq!(req.attr().unwrap().depth, 1);
}

#[test]
fn read_only_fd_cannot_send() {
    let (_q, u) = queue("ro", 2, 8);
    let ro = OpenOptions::new().write(false).open_queue(&u.1, 0, 0).unwrap();
    assert!(!ro.created());
    assert_eq!(errno(ro.send(b"x", 0, Wait::NonBlock)), libc::EBADF);
    let i = ro.info().unwrap();
    assert!(i.readable && !i.writable);
}

#[test]
fn nonblock_fd_never_waits() {
    let (_q, u) = queue("nbfd", 1, 8);
    let nb = OpenOptions::new().nonblock(true).open_queue(&u.1, 0, 0).unwrap();
    let mut buf = [0u8; 8];
    assert_eq!(errno(nb.recv(&mut buf, Wait::Forever)), libc::EAGAIN);
}

#[test]
fn poll_sees_a_message_through_as_fd() {
    use std::os::unix::io::AsRawFd;
    let (q, _u) = queue("poll", 1, 8);
    let mut pfd = libc::pollfd { fd: q.as_raw_fd(), events: libc::POLLIN, revents: 0 };
    assert_eq!(unsafe { libc::poll(&mut pfd, 1, 0) }, 0);
    q.send(b"x", 0, Wait::NonBlock).unwrap();
    assert_eq!(unsafe { libc::poll(&mut pfd, 1, 1000) }, 1);
    assert!(pfd.revents & libc::POLLIN != 0);
}
