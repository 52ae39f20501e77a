// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
//! The uapi of `<linux/kipc.h>`, mirrored by hand.
//!
//! Every struct is `#[repr(C)]` with the header's fields in the header's
//! order; the `abi` test compares each size and offset with what a C
//! compiler makes of the header itself, so drift fails the build's checks.

#![allow(missing_docs)]

pub const KIPC_DEVICE_PATH: &str = "/dev/kipc";
pub const KIPC_ABI_VERSION: u32 = 1;
pub const KIPC_NAME_MAX: usize = 255;
pub const KIPC_SEM_VALUE_MAX: u32 = 0x7fff_ffff;
pub const KIPC_SEM_MULTI_MAX: usize = 64;
pub const KIPC_MQ_PRIO_MAX: u32 = 31;
pub const KIPC_MQ_VEC_MAX: usize = 1024;

const KIPC_TYPE: u32 = b'K' as u32;

/// `_IO(KIPC_TYPE, nr)`: no direction and no size bits.
const fn io(nr: u32) -> u32 {
    (KIPC_TYPE << 8) | nr
}

pub const KIPC_IOC_VERSION: u32 = io(0x00);
pub const KIPC_IOC_OPEN: u32 = io(0x01);
pub const KIPC_IOC_UNLINK: u32 = io(0x02);
pub const KIPC_IOC_INFO: u32 = io(0x10);
pub const KIPC_IOC_MQ_SEND: u32 = io(0x20);
pub const KIPC_IOC_MQ_RECV: u32 = io(0x21);
pub const KIPC_IOC_MQ_SENDV: u32 = io(0x22);
pub const KIPC_IOC_MQ_RECVV: u32 = io(0x23);
pub const KIPC_IOC_MQ_PEEK: u32 = io(0x24);
pub const KIPC_IOC_MQ_GETATTR: u32 = io(0x25);
pub const KIPC_IOC_MQ_SENDRECV: u32 = io(0x26);
pub const KIPC_IOC_SHM_RESIZE: u32 = io(0x30);
pub const KIPC_IOC_SHM_SEAL: u32 = io(0x31);
pub const KIPC_IOC_SHM_STAT: u32 = io(0x32);
pub const KIPC_IOC_SEM_WAIT: u32 = io(0x40);
pub const KIPC_IOC_SEM_POST: u32 = io(0x41);
pub const KIPC_IOC_SEM_GET: u32 = io(0x42);
pub const KIPC_IOC_SEM_MULTI: u32 = io(0x43);

pub const KIPC_OBJ_MQ: u32 = 1;
pub const KIPC_OBJ_SHM: u32 = 2;
pub const KIPC_OBJ_SEM: u32 = 3;

pub const KIPC_FEATURE_MQ: u64 = 1 << 0;
pub const KIPC_FEATURE_SHM: u64 = 1 << 1;
pub const KIPC_FEATURE_SEM: u64 = 1 << 2;
pub const KIPC_FEATURE_NETLINK: u64 = 1 << 3;
pub const KIPC_FEATURE_SEM_MULTI: u64 = 1 << 4;

pub const KIPC_OPEN_READ: u32 = 1 << 0;
pub const KIPC_OPEN_WRITE: u32 = 1 << 1;
pub const KIPC_OPEN_CREATE: u32 = 1 << 2;
pub const KIPC_OPEN_EXCL: u32 = 1 << 3;
pub const KIPC_OPEN_CLOEXEC: u32 = 1 << 4;
pub const KIPC_OPEN_NONBLOCK: u32 = 1 << 5;
pub const KIPC_OPEN_OUT_CREATED: u32 = 1 << 0;

pub const KIPC_SHM_EXEC: u32 = 1 << 0;

pub const KIPC_STATE_UNLINKED: u32 = 1 << 0;
pub const KIPC_STATE_REMOVED: u32 = 1 << 1;

pub const KIPC_WAIT_NONBLOCK: u32 = 1 << 0;
pub const KIPC_WAIT_DEADLINE: u32 = 1 << 1;
pub const KIPC_SEM_UNDO: u32 = 1 << 2;
pub const KIPC_SEM_ZERO: u32 = 1 << 3;
pub const KIPC_SEM_RECOVERED: u32 = 1 << 0;
pub const KIPC_SENDRECV_SENT: u32 = 1 << 0;

pub const KIPC_SEAL_SEAL: u32 = 0x0001;
pub const KIPC_SEAL_SHRINK: u32 = 0x0002;
pub const KIPC_SEAL_GROW: u32 = 0x0004;
pub const KIPC_SEAL_WRITE: u32 = 0x0008;
pub const KIPC_SEAL_FUTURE_WRITE: u32 = 0x0010;
pub const KIPC_SEAL_ALL: u32 = 0x001f;

#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct kipc_version {
    pub size: u32,
    pub flags: u32,
    pub out_abi_version: u32,
    pub out_name_max: u32,
    pub out_features: u64,
    pub out_mq_max_msgs: u32,
    pub out_mq_max_msgsize: u32,
    pub out_shm_max_size: u64,
}

#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct kipc_mq_attr {
    pub max_msgs: u32,
    pub max_msgsize: u32,
    pub flags: u32,
    pub __reserved: u32,
}

#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct kipc_shm_attr {
    pub size: u64,
    pub flags: u32,
    pub __reserved: u32,
}

#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct kipc_sem_attr {
    pub value: u32,
    pub __reserved: u32,
}

#[repr(C)]
#[derive(Clone, Copy)]
pub union kipc_attr {
    pub mq: kipc_mq_attr,
    pub shm: kipc_shm_attr,
    pub sem: kipc_sem_attr,
    pub __reserved: [u64; 4],
}

impl Default for kipc_attr {
    fn default() -> Self {
        kipc_attr { __reserved: [0; 4] }
    }
}

#[repr(C)]
#[derive(Clone, Copy, Default)]
pub struct kipc_open {
    pub size: u32,
    pub flags: u32,
    pub type_: u32,
    pub mode: u32,
    pub name: u64,
    pub attr: kipc_attr,
    pub out_id: u64,
    pub out_flags: u32,
    pub __reserved: u32,
}

#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct kipc_unlink {
    pub size: u32,
    pub flags: u32,
    pub type_: u32,
    pub __reserved: u32,
    pub name: u64,
}

#[repr(C)]
#[derive(Clone, Copy)]
pub struct kipc_info {
    pub size: u32,
    pub flags: u32,
    pub out_id: u64,
    pub out_type: u32,
    pub out_mode: u32,
    pub out_uid: u32,
    pub out_gid: u32,
    pub out_cuid: u32,
    pub out_cgid: u32,
    pub out_state: u32,
    pub out_open_flags: u32,
    pub out_attr: kipc_attr,
    pub out_name: [u8; KIPC_NAME_MAX + 1],
}

impl Default for kipc_info {
    fn default() -> Self {
        kipc_info {
            size: 0,
            flags: 0,
            out_id: 0,
            out_type: 0,
            out_mode: 0,
            out_uid: 0,
            out_gid: 0,
            out_cuid: 0,
            out_cgid: 0,
            out_state: 0,
            out_open_flags: 0,
            out_attr: kipc_attr::default(),
            out_name: [0; KIPC_NAME_MAX + 1],
        }
    }
}

#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct kipc_mq_send {
    pub size: u32,
    pub flags: u32,
    pub buf: u64,
    pub len: u32,
    pub prio: u32,
    pub clockid: u32,
    pub __reserved: u32,
    pub deadline: u64,
    pub region_fd: i32,
    pub __reserved2: u32,
}

#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct kipc_mq_recv {
    pub size: u32,
    pub flags: u32,
    pub buf: u64,
    pub len: u32,
    pub clockid: u32,
    pub deadline: u64,
    pub out_len: u32,
    pub out_prio: u32,
    pub out_creds: kipc_creds,
    pub out_region_fd: i32,
    pub __reserved2: u32,
    pub out_reply_fd: i32,
    pub out_flags: u32,
}

#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct kipc_creds {
    pub pid: i32,
    pub uid: u32,
    pub gid: u32,
    pub __reserved: u32,
}

#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct kipc_mq_vec {
    pub buf: u64,
    pub len: u32,
    pub prio: u32,
}

#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct kipc_mq_sendv {
    pub size: u32,
    pub flags: u32,
    pub vec: u64,
    pub count: u32,
    pub clockid: u32,
    pub deadline: u64,
    pub out_count: u32,
    pub __reserved: u32,
    pub creds: u64,
}

#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct kipc_mq_peek {
    pub size: u32,
    pub flags: u32,
    pub buf: u64,
    pub len: u32,
    pub index: u32,
    pub out_len: u32,
    pub out_prio: u32,
    pub out_creds: kipc_creds,
    pub out_region_id: u64,
}

#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct kipc_mq_getattr {
    pub size: u32,
    pub flags: u32,
    pub out_max_msgs: u32,
    pub out_max_msgsize: u32,
    pub out_depth: u32,
    pub __reserved: u32,
    pub out_bytes: u64,
}

#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct kipc_mq_sendrecv {
    pub size: u32,
    pub flags: u32,
    pub recv_fd: i32,
    pub send_prio: u32,
    pub send_buf: u64,
    pub send_len: u32,
    pub recv_len: u32,
    pub recv_buf: u64,
    pub clockid: u32,
    pub __reserved: u32,
    pub deadline: u64,
    pub out_flags: u32,
    pub out_len: u32,
    pub out_prio: u32,
    pub __reserved2: u32,
    pub out_creds: kipc_creds,
    pub send_region_fd: i32,
    pub out_region_fd: i32,
    pub out_reply_fd: i32,
    pub __reserved3: u32,
}

#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct kipc_shm_resize {
    pub size: u32,
    pub flags: u32,
    pub new_size: u64,
}

#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct kipc_shm_seal {
    pub size: u32,
    pub flags: u32,
    pub seals: u32,
    pub out_seals: u32,
}

#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct kipc_shm_stat {
    pub size: u32,
    pub flags: u32,
    pub out_size: u64,
    pub out_nattch: u32,
    pub out_seals: u32,
    pub out_resident: u64,
    pub out_swapped: u64,
    pub out_atime: u64,
    pub out_dtime: u64,
    pub out_lpid: u32,
    pub out_state: u32,
}

#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct kipc_sem_wait {
    pub size: u32,
    pub flags: u32,
    pub count: u32,
    pub clockid: u32,
    pub deadline: u64,
    pub out_flags: u32,
    pub __reserved: u32,
}

#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct kipc_sem_post {
    pub size: u32,
    pub flags: u32,
    pub count: u32,
    pub __reserved: u32,
}

#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct kipc_sem_get {
    pub size: u32,
    pub flags: u32,
    pub out_value: u32,
    pub out_waiters: u32,
    pub out_undo: u64,
    pub out_zero_waiters: u32,
    pub out_multi_waiters: u32,
}

#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct kipc_sem_op {
    pub fd: i32,
    pub delta: i32,
    pub flags: u32,
    pub __reserved: u32,
}

#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct kipc_sem_multi {
    pub size: u32,
    pub flags: u32,
    pub count: u32,
    pub clockid: u32,
    pub deadline: u64,
    pub ops: u64,
    pub out_flags: u32,
    pub __reserved: u32,
}

/// Size and offset of every field of every struct, in the order and spelling
/// of the C header (`type` for `type_`): what the `abi` test compares with
/// the C compiler's view of `<linux/kipc.h>`.
#[doc(hidden)]
pub fn layout() -> Vec<(String, usize)> {
    let mut v = Vec::new();
    macro_rules! layout {
        ($s:ident { $($f:ident $(= $cname:literal)?),* $(,)? }) => {{
            v.push((stringify!($s).to_string(), core::mem::size_of::<$s>()));
            let u = core::mem::MaybeUninit::<$s>::uninit();
            let base = u.as_ptr() as usize;
            $(
                // SAFETY: addr_of! takes the address without reading.
                let off = unsafe { core::ptr::addr_of!((*u.as_ptr()).$f) } as usize - base;
                #[allow(unused_mut, unused_assignments)]
                let mut name = stringify!($f);
                $( name = $cname; )?
                v.push((format!("{}.{}", stringify!($s), name), off));
            )*
        }};
    }
    layout!(kipc_version { size, flags, out_abi_version, out_name_max, out_features,
        out_mq_max_msgs, out_mq_max_msgsize, out_shm_max_size });
    layout!(kipc_mq_attr { max_msgs, max_msgsize, flags, __reserved });
    layout!(kipc_shm_attr { size, flags, __reserved });
    layout!(kipc_sem_attr { value, __reserved });
    v.push(("kipc_attr".to_string(), core::mem::size_of::<kipc_attr>()));
    layout!(kipc_open { size, flags, type_ = "type", mode, name, attr, out_id, out_flags, __reserved });
    layout!(kipc_unlink { size, flags, type_ = "type", __reserved, name });
    layout!(kipc_info { size, flags, out_id, out_type, out_mode, out_uid, out_gid, out_cuid,
        out_cgid, out_state, out_open_flags, out_attr, out_name });
    layout!(kipc_mq_send { size, flags, buf, len, prio, clockid, __reserved, deadline,
                           region_fd, __reserved2 });
    layout!(kipc_mq_recv { size, flags, buf, len, clockid, deadline, out_len, out_prio,
                           out_creds, out_region_fd, __reserved2, out_reply_fd, out_flags });
    layout!(kipc_creds { pid, uid, gid, __reserved });
    layout!(kipc_mq_vec { buf, len, prio });
    layout!(kipc_mq_sendv { size, flags, vec, count, clockid, deadline, out_count, __reserved,
                            creds });
    layout!(kipc_mq_peek { size, flags, buf, len, index, out_len, out_prio, out_creds,
                           out_region_id });
    layout!(kipc_mq_getattr { size, flags, out_max_msgs, out_max_msgsize, out_depth,
        __reserved, out_bytes });
    layout!(kipc_mq_sendrecv { size, flags, recv_fd, send_prio, send_buf, send_len, recv_len,
        recv_buf, clockid, __reserved, deadline, out_flags, out_len, out_prio, __reserved2,
        out_creds, send_region_fd, out_region_fd, out_reply_fd, __reserved3 });
    layout!(kipc_shm_resize { size, flags, new_size });
    layout!(kipc_shm_seal { size, flags, seals, out_seals });
    layout!(kipc_shm_stat { size, flags, out_size, out_nattch, out_seals, out_resident,
        out_swapped, out_atime, out_dtime, out_lpid, out_state });
    layout!(kipc_sem_wait { size, flags, count, clockid, deadline, out_flags, __reserved });
    layout!(kipc_sem_post { size, flags, count, __reserved });
    layout!(kipc_sem_get { size, flags, out_value, out_waiters, out_undo, out_zero_waiters,
        out_multi_waiters });
    layout!(kipc_sem_op { fd, delta, flags, __reserved });
    layout!(kipc_sem_multi { size, flags, count, clockid, deadline, ops, out_flags, __reserved });
    v.push(("ioc.KIPC_IOC_VERSION".into(), KIPC_IOC_VERSION as usize));
    v.push(("ioc.KIPC_IOC_OPEN".into(), KIPC_IOC_OPEN as usize));
    v.push(("ioc.KIPC_IOC_UNLINK".into(), KIPC_IOC_UNLINK as usize));
    v.push(("ioc.KIPC_IOC_INFO".into(), KIPC_IOC_INFO as usize));
    v.push(("ioc.KIPC_IOC_MQ_SEND".into(), KIPC_IOC_MQ_SEND as usize));
    v.push(("ioc.KIPC_IOC_MQ_RECV".into(), KIPC_IOC_MQ_RECV as usize));
    v.push(("ioc.KIPC_IOC_MQ_SENDV".into(), KIPC_IOC_MQ_SENDV as usize));
    v.push(("ioc.KIPC_IOC_MQ_RECVV".into(), KIPC_IOC_MQ_RECVV as usize));
    v.push(("ioc.KIPC_IOC_MQ_PEEK".into(), KIPC_IOC_MQ_PEEK as usize));
    v.push(("ioc.KIPC_IOC_MQ_GETATTR".into(), KIPC_IOC_MQ_GETATTR as usize));
    v.push(("ioc.KIPC_IOC_MQ_SENDRECV".into(), KIPC_IOC_MQ_SENDRECV as usize));
    v.push(("ioc.KIPC_IOC_SHM_RESIZE".into(), KIPC_IOC_SHM_RESIZE as usize));
    v.push(("ioc.KIPC_IOC_SHM_SEAL".into(), KIPC_IOC_SHM_SEAL as usize));
    v.push(("ioc.KIPC_IOC_SHM_STAT".into(), KIPC_IOC_SHM_STAT as usize));
    v.push(("ioc.KIPC_IOC_SEM_WAIT".into(), KIPC_IOC_SEM_WAIT as usize));
    v.push(("ioc.KIPC_IOC_SEM_POST".into(), KIPC_IOC_SEM_POST as usize));
    v.push(("ioc.KIPC_IOC_SEM_GET".into(), KIPC_IOC_SEM_GET as usize));
    v.push(("ioc.KIPC_IOC_SEM_MULTI".into(), KIPC_IOC_SEM_MULTI as usize));
    v
}
