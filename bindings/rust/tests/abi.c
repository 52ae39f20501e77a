// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/*
 * The C compiler's view of <linux/kipc.h>: the size of every struct, the
 * offset of every field and the ioctl numbers, one "name value" line each,
 * in the order of src/sys.rs's layout(). tests/abi.rs compares them with
 * the crate's #[repr(C)] mirror, so a change to the header that the crate
 * does not follow fails.
 */
#include <stddef.h>
#include <stdio.h>
#include <linux/kipc.h>

#define S(s) printf(#s " %zu\n", sizeof(struct s))
#define F(s, f) printf(#s "." #f " %zu\n", offsetof(struct s, f))
#define IOC(c) printf("ioc." #c " %lu\n", (unsigned long)(c))

int main(void)
{
	S(kipc_version); F(kipc_version, size); F(kipc_version, flags);
	F(kipc_version, out_abi_version); F(kipc_version, out_name_max);
	F(kipc_version, out_features); F(kipc_version, out_mq_max_msgs);
	F(kipc_version, out_mq_max_msgsize); F(kipc_version, out_shm_max_size);
	S(kipc_mq_attr); F(kipc_mq_attr, max_msgs); F(kipc_mq_attr, max_msgsize);
	F(kipc_mq_attr, flags); F(kipc_mq_attr, __reserved);
	S(kipc_shm_attr); F(kipc_shm_attr, size); F(kipc_shm_attr, flags);
	F(kipc_shm_attr, __reserved);
	S(kipc_sem_attr); F(kipc_sem_attr, value); F(kipc_sem_attr, __reserved);
	printf("kipc_attr %zu\n", sizeof(union kipc_attr));
	S(kipc_open); F(kipc_open, size); F(kipc_open, flags); F(kipc_open, type);
	F(kipc_open, mode); F(kipc_open, name); F(kipc_open, attr);
	F(kipc_open, out_id); F(kipc_open, out_flags); F(kipc_open, __reserved);
	S(kipc_unlink); F(kipc_unlink, size); F(kipc_unlink, flags);
	F(kipc_unlink, type); F(kipc_unlink, __reserved); F(kipc_unlink, name);
	S(kipc_info); F(kipc_info, size); F(kipc_info, flags); F(kipc_info, out_id);
	F(kipc_info, out_type); F(kipc_info, out_mode); F(kipc_info, out_uid);
	F(kipc_info, out_gid); F(kipc_info, out_cuid); F(kipc_info, out_cgid);
	F(kipc_info, out_state); F(kipc_info, out_open_flags);
	F(kipc_info, out_attr); F(kipc_info, out_name);
	S(kipc_mq_send); F(kipc_mq_send, size); F(kipc_mq_send, flags);
	F(kipc_mq_send, buf); F(kipc_mq_send, len); F(kipc_mq_send, prio);
	F(kipc_mq_send, clockid); F(kipc_mq_send, __reserved);
	F(kipc_mq_send, deadline); F(kipc_mq_send, region_fd);
	F(kipc_mq_send, __reserved2);
	S(kipc_mq_recv); F(kipc_mq_recv, size); F(kipc_mq_recv, flags);
	F(kipc_mq_recv, buf); F(kipc_mq_recv, len); F(kipc_mq_recv, clockid);
	F(kipc_mq_recv, deadline); F(kipc_mq_recv, out_len);
	F(kipc_mq_recv, out_prio); F(kipc_mq_recv, out_creds);
	F(kipc_mq_recv, out_region_fd); F(kipc_mq_recv, __reserved2);
	F(kipc_mq_recv, out_reply_fd); F(kipc_mq_recv, out_flags);
	S(kipc_creds); F(kipc_creds, pid); F(kipc_creds, uid);
	F(kipc_creds, gid); F(kipc_creds, __reserved);
	S(kipc_mq_vec); F(kipc_mq_vec, buf); F(kipc_mq_vec, len);
	F(kipc_mq_vec, prio);
	S(kipc_mq_sendv); F(kipc_mq_sendv, size); F(kipc_mq_sendv, flags);
	F(kipc_mq_sendv, vec); F(kipc_mq_sendv, count); F(kipc_mq_sendv, clockid);
	F(kipc_mq_sendv, deadline); F(kipc_mq_sendv, out_count);
	F(kipc_mq_sendv, __reserved); F(kipc_mq_sendv, creds);
	S(kipc_mq_peek); F(kipc_mq_peek, size); F(kipc_mq_peek, flags);
	F(kipc_mq_peek, buf); F(kipc_mq_peek, len); F(kipc_mq_peek, index);
	F(kipc_mq_peek, out_len); F(kipc_mq_peek, out_prio);
	F(kipc_mq_peek, out_creds); F(kipc_mq_peek, out_region_id);
	S(kipc_mq_getattr); F(kipc_mq_getattr, size); F(kipc_mq_getattr, flags);
	F(kipc_mq_getattr, out_max_msgs); F(kipc_mq_getattr, out_max_msgsize);
	F(kipc_mq_getattr, out_depth); F(kipc_mq_getattr, __reserved);
	F(kipc_mq_getattr, out_bytes);
	S(kipc_mq_sendrecv); F(kipc_mq_sendrecv, size); F(kipc_mq_sendrecv, flags);
	F(kipc_mq_sendrecv, recv_fd); F(kipc_mq_sendrecv, send_prio);
	F(kipc_mq_sendrecv, send_buf); F(kipc_mq_sendrecv, send_len);
	F(kipc_mq_sendrecv, recv_len); F(kipc_mq_sendrecv, recv_buf);
	F(kipc_mq_sendrecv, clockid); F(kipc_mq_sendrecv, __reserved);
	F(kipc_mq_sendrecv, deadline); F(kipc_mq_sendrecv, out_flags);
	F(kipc_mq_sendrecv, out_len); F(kipc_mq_sendrecv, out_prio);
	F(kipc_mq_sendrecv, __reserved2); F(kipc_mq_sendrecv, out_creds);
	F(kipc_mq_sendrecv, send_region_fd); F(kipc_mq_sendrecv, out_region_fd);
	F(kipc_mq_sendrecv, out_reply_fd); F(kipc_mq_sendrecv, __reserved3);
	S(kipc_shm_resize); F(kipc_shm_resize, size); F(kipc_shm_resize, flags);
	F(kipc_shm_resize, new_size);
	S(kipc_shm_seal); F(kipc_shm_seal, size); F(kipc_shm_seal, flags);
	F(kipc_shm_seal, seals); F(kipc_shm_seal, out_seals);
	S(kipc_shm_stat); F(kipc_shm_stat, size); F(kipc_shm_stat, flags);
	F(kipc_shm_stat, out_size); F(kipc_shm_stat, out_nattch);
	F(kipc_shm_stat, out_seals); F(kipc_shm_stat, out_resident);
	F(kipc_shm_stat, out_swapped); F(kipc_shm_stat, out_atime);
	F(kipc_shm_stat, out_dtime); F(kipc_shm_stat, out_lpid);
	F(kipc_shm_stat, out_state);
	S(kipc_sem_wait); F(kipc_sem_wait, size); F(kipc_sem_wait, flags);
	F(kipc_sem_wait, count); F(kipc_sem_wait, clockid);
	F(kipc_sem_wait, deadline); F(kipc_sem_wait, out_flags);
	F(kipc_sem_wait, __reserved);
	S(kipc_sem_post); F(kipc_sem_post, size); F(kipc_sem_post, flags);
	F(kipc_sem_post, count); F(kipc_sem_post, __reserved);
	S(kipc_sem_get); F(kipc_sem_get, size); F(kipc_sem_get, flags);
	F(kipc_sem_get, out_value); F(kipc_sem_get, out_waiters);
	F(kipc_sem_get, out_undo); F(kipc_sem_get, out_zero_waiters);
	F(kipc_sem_get, out_multi_waiters);
	S(kipc_sem_op); F(kipc_sem_op, fd); F(kipc_sem_op, delta);
	F(kipc_sem_op, flags); F(kipc_sem_op, __reserved);
	S(kipc_sem_multi); F(kipc_sem_multi, size); F(kipc_sem_multi, flags);
	F(kipc_sem_multi, count); F(kipc_sem_multi, clockid);
	F(kipc_sem_multi, deadline); F(kipc_sem_multi, ops);
	F(kipc_sem_multi, out_flags); F(kipc_sem_multi, __reserved);
	IOC(KIPC_IOC_VERSION); IOC(KIPC_IOC_OPEN); IOC(KIPC_IOC_UNLINK);
	IOC(KIPC_IOC_INFO); IOC(KIPC_IOC_MQ_SEND); IOC(KIPC_IOC_MQ_RECV);
	IOC(KIPC_IOC_MQ_SENDV); IOC(KIPC_IOC_MQ_RECVV); IOC(KIPC_IOC_MQ_PEEK);
	IOC(KIPC_IOC_MQ_GETATTR); IOC(KIPC_IOC_MQ_SENDRECV);
	IOC(KIPC_IOC_SHM_RESIZE); IOC(KIPC_IOC_SHM_SEAL); IOC(KIPC_IOC_SHM_STAT);
	IOC(KIPC_IOC_SEM_WAIT); IOC(KIPC_IOC_SEM_POST); IOC(KIPC_IOC_SEM_GET);
	IOC(KIPC_IOC_SEM_MULTI);
	return 0;
}
