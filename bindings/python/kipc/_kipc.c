// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/*
 * _kipc: the C half of the kipc Python package, a thin layer over libkipc,
 * libkipc-rpc and libkipc-admin. Every call works on plain fds; the classes
 * live in kipc/__init__.py. Blocking calls release the GIL. Errors raise
 * kipc.Error (an OSError) or one of its posix_ipc-named subclasses, with
 * the errno in .errno.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <kipc.h>
#include <kipc-rpc.h>
#include <kipc-admin.h>

static PyObject *Error, *ExistentialError, *BusyError, *PermissionsError,
	*SignalError;

/* Raise the exception for -@err; returns NULL for the caller to return. */
static PyObject *raise_errno(int err)
{
	PyObject *exc, *args;

	if (err < 0)
		err = -err;
	switch (err) {
	case EINTR:
		/* A handler that raised wins, as everywhere in Python. */
		if (PyErr_CheckSignals())
			return NULL;
		exc = SignalError;
		break;
	case ENOENT:
	case EEXIST:
		exc = ExistentialError;
		break;
	case EAGAIN:
	case ETIMEDOUT:
		exc = BusyError;
		break;
	case EACCES:
	case EPERM:
		exc = PermissionsError;
		break;
	default:
		exc = Error;
	}
	args = Py_BuildValue("(is)", err, strerror(err));
	if (args) {
		PyErr_SetObject(exc, args);
		Py_DECREF(args);
	}
	return NULL;
}

/*
 * A timeout argument: None waits for ever (*rel = NULL), a number of seconds
 * >= 0 waits at most that long. Returns -1 with an exception set.
 */
static int get_timeout(PyObject *o, struct timespec *ts, struct timespec **rel)
{
	double d;

	*rel = NULL;
	if (o == Py_None)
		return 0;
	d = PyFloat_AsDouble(o);
	if (d == -1.0 && PyErr_Occurred())
		return -1;
	if (isnan(d) || d < 0 || d > 1e9) {
		PyErr_SetString(PyExc_ValueError,
				"timeout must be None or 0..1e9 seconds");
		return -1;
	}
	ts->tv_sec = (time_t)d;
	ts->tv_nsec = (long)((d - (double)ts->tv_sec) * 1e9);
	if (ts->tv_nsec >= 1000000000L)
		ts->tv_nsec = 999999999L;
	*rel = ts;
	return 0;
}

static PyObject *py_mq_open(PyObject *self, PyObject *args)
{
	const char *name;
	unsigned int flags, mode, max_msgs, max_msgsize;
	int fd;

	if (!PyArg_ParseTuple(args, "sIIII", &name, &flags, &mode, &max_msgs,
			      &max_msgsize))
		return NULL;
	Py_BEGIN_ALLOW_THREADS
	fd = kipc_mq_open(name, flags, mode, max_msgs, max_msgsize);
	Py_END_ALLOW_THREADS
	return fd < 0 ? raise_errno(fd) : PyLong_FromLong(fd);
}

static PyObject *py_shm_open(PyObject *self, PyObject *args)
{
	const char *name;
	unsigned int flags, mode;
	unsigned long long size;
	int fd;

	if (!PyArg_ParseTuple(args, "sIIK", &name, &flags, &mode, &size))
		return NULL;
	Py_BEGIN_ALLOW_THREADS
	fd = kipc_shm_open(name, flags, mode, size);
	Py_END_ALLOW_THREADS
	return fd < 0 ? raise_errno(fd) : PyLong_FromLong(fd);
}

static PyObject *py_sem_open(PyObject *self, PyObject *args)
{
	const char *name;
	unsigned int flags, mode, value;
	int fd;

	if (!PyArg_ParseTuple(args, "sIII", &name, &flags, &mode, &value))
		return NULL;
	Py_BEGIN_ALLOW_THREADS
	fd = kipc_sem_open(name, flags, mode, value);
	Py_END_ALLOW_THREADS
	return fd < 0 ? raise_errno(fd) : PyLong_FromLong(fd);
}

static PyObject *py_unlink(PyObject *self, PyObject *args)
{
	const char *name;
	unsigned int type;
	int ret;

	if (!PyArg_ParseTuple(args, "Is", &type, &name))
		return NULL;
	ret = kipc_unlink(type, name);
	if (ret < 0)
		return raise_errno(ret);
	Py_RETURN_NONE;
}

static PyObject *py_info(PyObject *self, PyObject *args)
{
	struct kipc_info in;
	int fd, ret;

	if (!PyArg_ParseTuple(args, "i", &fd))
		return NULL;
	memset(&in, 0, sizeof(in));
	ret = kipc_info(fd, &in);
	if (ret < 0)
		return raise_errno(ret);
	return Py_BuildValue("{sKsIsIsIsIsIsIsIsIss}",
			     "id", (unsigned long long)in.out_id,
			     "type", in.out_type, "mode", in.out_mode,
			     "uid", in.out_uid, "gid", in.out_gid,
			     "cuid", in.out_cuid, "cgid", in.out_cgid,
			     "state", in.out_state,
			     "open_flags", in.out_open_flags, "name",
			     in.out_name);
}

static PyObject *py_mq_send(PyObject *self, PyObject *args)
{
	Py_buffer buf;
	unsigned int prio;
	PyObject *tmo;
	struct timespec ts, *rel;
	int fd, ret;

	if (!PyArg_ParseTuple(args, "iy*IO", &fd, &buf, &prio, &tmo))
		return NULL;
	if (get_timeout(tmo, &ts, &rel)) {
		PyBuffer_Release(&buf);
		return NULL;
	}
	Py_BEGIN_ALLOW_THREADS
	ret = kipc_mq_send_timeout(fd, buf.buf, buf.len, prio, rel);
	Py_END_ALLOW_THREADS
	PyBuffer_Release(&buf);
	if (ret < 0)
		return raise_errno(ret);
	Py_RETURN_NONE;
}

/* (bytes, prio) from a buffer of @size of which @len are the message. */
static PyObject *msg_tuple(PyObject *bytes, ssize_t len, unsigned int prio)
{
	if (_PyBytes_Resize(&bytes, len))
		return NULL;
	return Py_BuildValue("(NI)", bytes, prio);
}

static PyObject *py_mq_receive(PyObject *self, PyObject *args)
{
	Py_ssize_t size;
	unsigned int prio = 0;
	PyObject *tmo, *bytes;
	struct timespec ts, *rel;
	ssize_t ret;
	int fd;

	if (!PyArg_ParseTuple(args, "inO", &fd, &size, &tmo))
		return NULL;
	if (size < 0)
		return raise_errno(EINVAL);
	if (get_timeout(tmo, &ts, &rel))
		return NULL;
	bytes = PyBytes_FromStringAndSize(NULL, size);
	if (!bytes)
		return NULL;
	Py_BEGIN_ALLOW_THREADS
	ret = kipc_mq_receive_timeout(fd, PyBytes_AS_STRING(bytes), size,
				      &prio, rel);
	Py_END_ALLOW_THREADS
	if (ret < 0) {
		Py_DECREF(bytes);
		return raise_errno((int)ret);
	}
	return msg_tuple(bytes, ret, prio);
}

static PyObject *py_mq_peek(PyObject *self, PyObject *args)
{
	Py_ssize_t size;
	unsigned int index, prio = 0;
	PyObject *bytes;
	ssize_t ret;
	int fd;

	if (!PyArg_ParseTuple(args, "iIn", &fd, &index, &size))
		return NULL;
	if (size < 0)
		return raise_errno(EINVAL);
	bytes = PyBytes_FromStringAndSize(NULL, size);
	if (!bytes)
		return NULL;
	ret = kipc_mq_peek(fd, index, PyBytes_AS_STRING(bytes), size, &prio);
	if (ret < 0) {
		Py_DECREF(bytes);
		return raise_errno((int)ret);
	}
	return msg_tuple(bytes, ret, prio);
}

static PyObject *py_mq_sendv(PyObject *self, PyObject *args)
{
	PyObject *seq, *fast;
	struct kipc_mq_vec *vec = NULL;
	Py_buffer *bufs = NULL;
	Py_ssize_t n, i, got = 0;
	unsigned int flags;
	int fd, ret = 0;

	if (!PyArg_ParseTuple(args, "iOI", &fd, &seq, &flags))
		return NULL;
	fast = PySequence_Fast(seq, "sendv takes a sequence of (data, prio)");
	if (!fast)
		return NULL;
	n = PySequence_Fast_GET_SIZE(fast);
	if (n == 0 || n > 1024) {
		Py_DECREF(fast);
		return raise_errno(n ? E2BIG : EINVAL);
	}
	vec = PyMem_Calloc(n, sizeof(*vec));
	bufs = PyMem_Calloc(n, sizeof(*bufs));
	if (!vec || !bufs) {
		PyErr_NoMemory();
		goto out;
	}
	for (i = 0; i < n; i++, got++) {
		PyObject *item = PySequence_Fast_GET_ITEM(fast, i);
		unsigned int prio;

		if (!PyArg_ParseTuple(item, "y*I;sendv items are (data, prio)",
				      &bufs[i], &prio))
			goto out;
		if (bufs[i].len > UINT32_MAX) {
			got++;
			raise_errno(EMSGSIZE);
			goto out;
		}
		vec[i].buf = (uintptr_t)bufs[i].buf;
		vec[i].len = bufs[i].len;
		vec[i].prio = prio;
	}
	Py_BEGIN_ALLOW_THREADS
	ret = kipc_mq_sendv(fd, vec, n, flags);
	Py_END_ALLOW_THREADS
	if (ret < 0)
		raise_errno(ret);
out:
	for (i = 0; i < got; i++)
		PyBuffer_Release(&bufs[i]);
	PyMem_Free(bufs);
	PyMem_Free(vec);
	Py_DECREF(fast);
	if (PyErr_Occurred())
		return NULL;
	return PyLong_FromLong(ret);
}

static PyObject *py_mq_receivev(PyObject *self, PyObject *args)
{
	unsigned int count, size, flags, i;
	struct kipc_mq_vec *vec;
	PyObject **bytes, *list = NULL;
	int fd, ret;

	if (!PyArg_ParseTuple(args, "iIII", &fd, &count, &size, &flags))
		return NULL;
	if (count == 0 || count > 1024)
		return raise_errno(count ? E2BIG : EINVAL);
	vec = PyMem_Calloc(count, sizeof(*vec));
	bytes = PyMem_Calloc(count, sizeof(*bytes));
	if (!vec || !bytes) {
		PyErr_NoMemory();
		goto out;
	}
	for (i = 0; i < count; i++) {
		bytes[i] = PyBytes_FromStringAndSize(NULL, size);
		if (!bytes[i])
			goto out;
		vec[i].buf = (uintptr_t)PyBytes_AS_STRING(bytes[i]);
		vec[i].len = size;
	}
	Py_BEGIN_ALLOW_THREADS
	ret = kipc_mq_receivev(fd, vec, count, flags);
	Py_END_ALLOW_THREADS
	if (ret < 0) {
		raise_errno(ret);
		goto out;
	}
	list = PyList_New(ret);
	if (!list)
		goto out;
	for (i = 0; i < (unsigned int)ret; i++) {
		PyObject *t = msg_tuple(bytes[i], vec[i].len, vec[i].prio);

		bytes[i] = NULL;	/* stolen, even on failure */
		if (!t) {
			Py_CLEAR(list);
			goto out;
		}
		PyList_SET_ITEM(list, i, t);
	}
out:
	if (bytes)
		for (i = 0; i < count; i++)
			Py_XDECREF(bytes[i]);
	PyMem_Free(bytes);
	PyMem_Free(vec);
	return list;
}

static PyObject *py_mq_sendrecv(PyObject *self, PyObject *args)
{
	struct kipc_mq_sendrecv_args a;
	struct timespec now, dl;
	Py_buffer buf;
	Py_ssize_t size;
	unsigned int prio, rprio = 0;
	PyObject *tmo, *bytes, *ret_t;
	struct timespec ts, *rel;
	int fd, rfd, sent = 0;
	ssize_t ret;

	if (!PyArg_ParseTuple(args, "iy*IinO", &fd, &buf, &prio, &rfd, &size,
			      &tmo))
		return NULL;
	if (size < 0 || get_timeout(tmo, &ts, &rel)) {
		PyBuffer_Release(&buf);
		return size < 0 ? raise_errno(EINVAL) : NULL;
	}
	bytes = PyBytes_FromStringAndSize(NULL, size);
	if (!bytes) {
		PyBuffer_Release(&buf);
		return NULL;
	}
	memset(&a, 0, sizeof(a));
	a.send_buf = buf.buf;
	a.send_len = buf.len;
	a.send_prio = prio;
	a.recv_fd = rfd;
	a.recv_buf = PyBytes_AS_STRING(bytes);
	a.recv_len = size;
	a.recv_prio = &rprio;
	a.clockid = CLOCK_MONOTONIC;
	a.sent = &sent;
	if (rel) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		dl.tv_sec = now.tv_sec + rel->tv_sec;
		dl.tv_nsec = now.tv_nsec + rel->tv_nsec;
		if (dl.tv_nsec >= 1000000000L) {
			dl.tv_sec++;
			dl.tv_nsec -= 1000000000L;
		}
		a.deadline = &dl;
	}
	Py_BEGIN_ALLOW_THREADS
	ret = kipc_mq_sendrecv(fd, &a);
	Py_END_ALLOW_THREADS
	PyBuffer_Release(&buf);
	if (ret < 0) {
		Py_DECREF(bytes);
		raise_errno((int)ret);
		/* Say whether the request went, so a retry never repeats it. */
		if (PyErr_Occurred()) {
			PyObject *t, *v, *tb;

			PyErr_Fetch(&t, &v, &tb);
			PyErr_NormalizeException(&t, &v, &tb);
			if (v)
				PyObject_SetAttrString(v, "sent",
						       sent ? Py_True : Py_False);
			PyErr_Restore(t, v, tb);
		}
		return NULL;
	}
	ret_t = msg_tuple(bytes, ret, rprio);
	return ret_t;
}

static PyObject *py_mq_getattr(PyObject *self, PyObject *args)
{
	struct kipc_mq_getattr at;
	int fd, ret;

	if (!PyArg_ParseTuple(args, "i", &fd))
		return NULL;
	memset(&at, 0, sizeof(at));
	ret = kipc_mq_getattr(fd, &at);
	if (ret < 0)
		return raise_errno(ret);
	return Py_BuildValue("(IIIK)", at.out_max_msgs, at.out_max_msgsize,
			     at.out_depth, (unsigned long long)at.out_bytes);
}

static PyObject *py_shm_resize(PyObject *self, PyObject *args)
{
	unsigned long long size;
	int fd, ret;

	if (!PyArg_ParseTuple(args, "iK", &fd, &size))
		return NULL;
	ret = kipc_shm_resize(fd, size);
	if (ret < 0)
		return raise_errno(ret);
	Py_RETURN_NONE;
}

static PyObject *py_shm_seal(PyObject *self, PyObject *args)
{
	unsigned int seals;
	int fd, ret;

	if (!PyArg_ParseTuple(args, "iI", &fd, &seals))
		return NULL;
	ret = kipc_shm_seal(fd, seals);
	if (ret < 0)
		return raise_errno(ret);
	Py_RETURN_NONE;
}

static PyObject *py_shm_get_seals(PyObject *self, PyObject *args)
{
	int fd, ret;

	if (!PyArg_ParseTuple(args, "i", &fd))
		return NULL;
	ret = kipc_shm_get_seals(fd);
	return ret < 0 ? raise_errno(ret) : PyLong_FromLong(ret);
}

static PyObject *py_shm_stat(PyObject *self, PyObject *args)
{
	struct kipc_shm_stat st;
	int fd, ret;

	if (!PyArg_ParseTuple(args, "i", &fd))
		return NULL;
	memset(&st, 0, sizeof(st));
	ret = kipc_shm_stat(fd, &st);
	if (ret < 0)
		return raise_errno(ret);
	return Py_BuildValue("{sKsIsIsKsKsI}",
			     "size", (unsigned long long)st.out_size,
			     "nattch", st.out_nattch, "seals", st.out_seals,
			     "resident", (unsigned long long)st.out_resident,
			     "swapped", (unsigned long long)st.out_swapped,
			     "lpid", st.out_lpid);
}

static PyObject *py_sem_wait(PyObject *self, PyObject *args)
{
	unsigned int count, flags;
	PyObject *tmo;
	struct timespec ts, *rel;
	int fd, ret;

	if (!PyArg_ParseTuple(args, "iIIO", &fd, &count, &flags, &tmo))
		return NULL;
	if (get_timeout(tmo, &ts, &rel))
		return NULL;
	if (rel && rel->tv_sec == 0 && rel->tv_nsec == 0) {
		ret = kipc_sem_trywait(fd, count, flags);
	} else {
		Py_BEGIN_ALLOW_THREADS
		ret = kipc_sem_wait_timeout(fd, count, flags, rel);
		Py_END_ALLOW_THREADS
	}
	return ret < 0 ? raise_errno(ret) : PyBool_FromLong(ret);
}

static PyObject *py_sem_post(PyObject *self, PyObject *args)
{
	unsigned int count;
	int fd, ret;

	if (!PyArg_ParseTuple(args, "iI", &fd, &count))
		return NULL;
	ret = kipc_sem_post(fd, count);
	if (ret < 0)
		return raise_errno(ret);
	Py_RETURN_NONE;
}

static PyObject *py_sem_getvalue(PyObject *self, PyObject *args)
{
	int fd, ret;

	if (!PyArg_ParseTuple(args, "i", &fd))
		return NULL;
	ret = kipc_sem_getvalue(fd);
	return ret < 0 ? raise_errno(ret) : PyLong_FromLong(ret);
}

static PyObject *py_sem_get(PyObject *self, PyObject *args)
{
	struct kipc_sem_get st;
	int fd, ret;

	if (!PyArg_ParseTuple(args, "i", &fd))
		return NULL;
	memset(&st, 0, sizeof(st));
	ret = kipc_sem_get(fd, &st);
	if (ret < 0)
		return raise_errno(ret);
	return Py_BuildValue("{sIsIsKsIsI}", "value", st.out_value,
			     "waiters", st.out_waiters,
			     "undo", (unsigned long long)st.out_undo,
			     "zero_waiters", st.out_zero_waiters,
			     "multi_waiters", st.out_multi_waiters);
}

/* --- RPC ------------------------------------------------------------------ */

#define RPC_CAPSULE "kipc._kipc.rpc_client"

static void rpc_capsule_free(PyObject *cap)
{
	struct kipc_rpc_client *c = PyCapsule_GetPointer(cap, RPC_CAPSULE);

	if (c)
		kipc_rpc_client_close(c);
}

static PyObject *py_rpc_client_open(PyObject *self, PyObject *args)
{
	struct kipc_rpc_client *c;
	const char *service;
	int ret;

	if (!PyArg_ParseTuple(args, "s", &service))
		return NULL;
	Py_BEGIN_ALLOW_THREADS
	ret = kipc_rpc_client_open(service, NULL, &c);
	Py_END_ALLOW_THREADS
	if (ret < 0)
		return raise_errno(ret);
	return PyCapsule_New(c, RPC_CAPSULE, rpc_capsule_free);
}

static PyObject *py_rpc_client_close(PyObject *self, PyObject *args)
{
	struct kipc_rpc_client *c;
	PyObject *cap;

	if (!PyArg_ParseTuple(args, "O", &cap))
		return NULL;
	c = PyCapsule_GetPointer(cap, RPC_CAPSULE);
	if (!c)
		return NULL;
	/*
	 * The capsule's destructor must not close it a second time, and no
	 * later call may find the freed client: under another name, the
	 * capsule is refused (ValueError) by every PyCapsule_GetPointer()
	 * here.
	 */
	if (PyCapsule_SetDestructor(cap, NULL) ||
	    PyCapsule_SetName(cap, RPC_CAPSULE ".closed"))
		return NULL;
	kipc_rpc_client_close(c);
	Py_RETURN_NONE;
}

static PyObject *py_rpc_call(PyObject *self, PyObject *args)
{
	struct kipc_rpc_client *c;
	Py_buffer req;
	Py_ssize_t size;
	PyObject *cap, *tmo, *bytes;
	struct timespec ts, *rel, now, dl, *pdl = NULL;
	ssize_t ret;

	if (!PyArg_ParseTuple(args, "Oy*nO", &cap, &req, &size, &tmo))
		return NULL;
	c = PyCapsule_GetPointer(cap, RPC_CAPSULE);
	if (!c || size < 0 || get_timeout(tmo, &ts, &rel)) {
		PyBuffer_Release(&req);
		return c && size < 0 ? raise_errno(EINVAL) : NULL;
	}
	if (rel) {
		/* kipc_rpc_call's deadline is absolute, on CLOCK_MONOTONIC. */
		clock_gettime(CLOCK_MONOTONIC, &now);
		dl.tv_sec = now.tv_sec + rel->tv_sec;
		dl.tv_nsec = now.tv_nsec + rel->tv_nsec;
		if (dl.tv_nsec >= 1000000000L) {
			dl.tv_sec++;
			dl.tv_nsec -= 1000000000L;
		}
		pdl = &dl;
	}
	bytes = PyBytes_FromStringAndSize(NULL, size);
	if (!bytes) {
		PyBuffer_Release(&req);
		return NULL;
	}
	Py_BEGIN_ALLOW_THREADS
	ret = kipc_rpc_call(c, req.buf, req.len, PyBytes_AS_STRING(bytes),
			    size, pdl);
	Py_END_ALLOW_THREADS
	PyBuffer_Release(&req);
	if (ret < 0) {
		Py_DECREF(bytes);
		return raise_errno((int)ret);
	}
	if (_PyBytes_Resize(&bytes, ret))
		return NULL;
	return bytes;
}

struct serve_ctx {
	PyObject *handler;
	int failed;		/* the handler raised: re-raise it */
};

static ssize_t serve_cb(void *arg, const void *req, size_t req_len,
			void *reply, size_t reply_size)
{
	struct serve_ctx *sc = arg;
	PyGILState_STATE g = PyGILState_Ensure();
	PyObject *r;
	Py_buffer out;
	ssize_t ret;

	r = PyObject_CallFunction(sc->handler, "y#", (const char *)req,
				  (Py_ssize_t)req_len);
	if (!r) {
		if (PyErr_ExceptionMatches(PyExc_StopIteration)) {
			/* The handler's way to stop serving. */
			PyErr_Clear();
			ret = -ECANCELED;
		} else if (PyErr_ExceptionMatches(PyExc_OSError)) {
			/* An OSError's errno goes back to the caller. */
			PyObject *t, *v, *tb, *e;
			long err = EIO;

			PyErr_Fetch(&t, &v, &tb);
			PyErr_NormalizeException(&t, &v, &tb);
			e = v ? PyObject_GetAttrString(v, "errno") : NULL;
			if (e && PyLong_Check(e))
				err = PyLong_AsLong(e);
			Py_XDECREF(e);
			PyErr_Restore(t, v, tb);
			sc->failed = 1;
			ret = err > 0 && err < 4096 ? -err : -EIO;
		} else {
			sc->failed = 1;
			ret = -EIO;
		}
		goto out;
	}
	if (r == Py_None) {
		ret = 0;
	} else if (PyObject_GetBuffer(r, &out, PyBUF_SIMPLE) == 0) {
		if ((size_t)out.len > reply_size) {
			ret = -EMSGSIZE;
			PyErr_SetString(PyExc_ValueError,
					"reply longer than the reply queue's messages");
			sc->failed = 1;
		} else {
			memcpy(reply, out.buf, out.len);
			ret = out.len;
		}
		PyBuffer_Release(&out);
	} else {
		sc->failed = 1;
		ret = -EINVAL;
	}
	Py_DECREF(r);
out:
	PyGILState_Release(g);
	return ret;
}

static PyObject *py_rpc_serve(PyObject *self, PyObject *args)
{
	struct serve_ctx sc = { 0 };
	int fd, ret;

	if (!PyArg_ParseTuple(args, "iO", &fd, &sc.handler))
		return NULL;
	Py_BEGIN_ALLOW_THREADS
	ret = kipc_rpc_serve(fd, serve_cb, &sc);
	Py_END_ALLOW_THREADS
	if (sc.failed && PyErr_Occurred())
		return NULL;
	if (ret < 0)
		return raise_errno(ret);
	Py_RETURN_NONE;
}

/* --- admin ---------------------------------------------------------------- */

static int list_cb(const struct kipc_admin_obj *o, void *arg)
{
	PyObject *list = arg, *d;
	int ret;

	d = Py_BuildValue("{sKsIsIsIsIsIsIsIsIsIsIsKsIsIsKss}",
			  "id", (unsigned long long)o->id,
			  "type", o->type, "ns", o->ns, "uid", o->uid,
			  "gid", o->gid, "cuid", o->cuid, "cgid", o->cgid,
			  "mode", o->mode, "cpid", o->cpid, "state", o->state,
			  "mq_max_msgs", o->mq_max_msgs,
			  "bytes", (unsigned long long)o->bytes,
			  "mq_max_msgsize", o->mq_max_msgsize,
			  "sem_value", o->sem_value,
			  "shm_size", (unsigned long long)o->shm_size,
			  "name", o->name);
	if (!d)
		return -ENOMEM;
	ret = PyList_Append(list, d);
	Py_DECREF(d);
	return ret ? -ENOMEM : 0;
}

static PyObject *py_admin_list(PyObject *self, PyObject *args)
{
	struct kipc_admin *ka;
	unsigned int type = 0;
	PyObject *list;
	int ret;

	if (!PyArg_ParseTuple(args, "|I", &type))
		return NULL;
	ret = kipc_admin_open(&ka);
	if (ret < 0)
		return raise_errno(ret);
	list = PyList_New(0);
	if (!list) {
		kipc_admin_close(ka);
		return NULL;
	}
	/* The callback builds Python objects: the GIL stays held. */
	ret = type ? kipc_admin_list_type(ka, type, list_cb, list) :
		     kipc_admin_list(ka, list_cb, list);
	kipc_admin_close(ka);
	if (ret < 0) {
		Py_DECREF(list);
		if (PyErr_Occurred())
			return NULL;
		return raise_errno(ret);
	}
	return list;
}

static PyMethodDef methods[] = {
	{ "mq_open", py_mq_open, METH_VARARGS, NULL },
	{ "shm_open", py_shm_open, METH_VARARGS, NULL },
	{ "sem_open", py_sem_open, METH_VARARGS, NULL },
	{ "unlink", py_unlink, METH_VARARGS, NULL },
	{ "info", py_info, METH_VARARGS, NULL },
	{ "mq_send", py_mq_send, METH_VARARGS, NULL },
	{ "mq_receive", py_mq_receive, METH_VARARGS, NULL },
	{ "mq_peek", py_mq_peek, METH_VARARGS, NULL },
	{ "mq_sendv", py_mq_sendv, METH_VARARGS, NULL },
	{ "mq_receivev", py_mq_receivev, METH_VARARGS, NULL },
	{ "mq_sendrecv", py_mq_sendrecv, METH_VARARGS, NULL },
	{ "mq_getattr", py_mq_getattr, METH_VARARGS, NULL },
	{ "shm_resize", py_shm_resize, METH_VARARGS, NULL },
	{ "shm_seal", py_shm_seal, METH_VARARGS, NULL },
	{ "shm_get_seals", py_shm_get_seals, METH_VARARGS, NULL },
	{ "shm_stat", py_shm_stat, METH_VARARGS, NULL },
	{ "sem_wait", py_sem_wait, METH_VARARGS, NULL },
	{ "sem_post", py_sem_post, METH_VARARGS, NULL },
	{ "sem_getvalue", py_sem_getvalue, METH_VARARGS, NULL },
	{ "sem_get", py_sem_get, METH_VARARGS, NULL },
	{ "rpc_client_open", py_rpc_client_open, METH_VARARGS, NULL },
	{ "rpc_client_close", py_rpc_client_close, METH_VARARGS, NULL },
	{ "rpc_call", py_rpc_call, METH_VARARGS, NULL },
	{ "rpc_serve", py_rpc_serve, METH_VARARGS, NULL },
	{ "admin_list", py_admin_list, METH_VARARGS, NULL },
	{ NULL, NULL, 0, NULL }
};

static struct PyModuleDef moddef = {
	PyModuleDef_HEAD_INIT, "kipc._kipc",
	"libkipc for Python; use the kipc package, not this module.", -1,
	methods, NULL, NULL, NULL, NULL
};

#define ADD_EXC(var, name, base)					\
	do {								\
		var = PyErr_NewException("kipc." name, base, NULL);	\
		if (!var || PyModule_AddObjectRef(m, name, var))	\
			goto fail;					\
	} while (0)

#define ADD_INT(name, val)						\
	do {								\
		if (PyModule_AddIntConstant(m, name, val))		\
			goto fail;					\
	} while (0)

PyMODINIT_FUNC PyInit__kipc(void)
{
	PyObject *m = PyModule_Create(&moddef);

	if (!m)
		return NULL;
	ADD_EXC(Error, "Error", PyExc_OSError);
	ADD_EXC(ExistentialError, "ExistentialError", Error);
	ADD_EXC(BusyError, "BusyError", Error);
	ADD_EXC(PermissionsError, "PermissionsError", Error);
	ADD_EXC(SignalError, "SignalError", Error);
	ADD_INT("OBJ_MQ", KIPC_OBJ_MQ);
	ADD_INT("OBJ_SHM", KIPC_OBJ_SHM);
	ADD_INT("OBJ_SEM", KIPC_OBJ_SEM);
	ADD_INT("OPEN_READ", KIPC_OPEN_READ);
	ADD_INT("OPEN_WRITE", KIPC_OPEN_WRITE);
	ADD_INT("OPEN_CREATE", KIPC_OPEN_CREATE);
	ADD_INT("OPEN_EXCL", KIPC_OPEN_EXCL);
	ADD_INT("OPEN_CLOEXEC", KIPC_OPEN_CLOEXEC);
	ADD_INT("OPEN_NONBLOCK", KIPC_OPEN_NONBLOCK);
	ADD_INT("WAIT_NONBLOCK", KIPC_WAIT_NONBLOCK);
	ADD_INT("SEM_UNDO", KIPC_SEM_UNDO);
	ADD_INT("SEM_ZERO", KIPC_SEM_ZERO);
	ADD_INT("SEM_VALUE_MAX", KIPC_SEM_VALUE_MAX);
	ADD_INT("MQ_PRIO_MAX", KIPC_MQ_PRIO_MAX);
	ADD_INT("NAME_MAX", KIPC_NAME_MAX);
	ADD_INT("SEAL_SEAL", KIPC_SEAL_SEAL);
	ADD_INT("SEAL_SHRINK", KIPC_SEAL_SHRINK);
	ADD_INT("SEAL_GROW", KIPC_SEAL_GROW);
	ADD_INT("SEAL_WRITE", KIPC_SEAL_WRITE);
	ADD_INT("SEAL_FUTURE_WRITE", KIPC_SEAL_FUTURE_WRITE);
	ADD_INT("SEAL_ALL", KIPC_SEAL_ALL);
	ADD_INT("STATE_REMOVED", KIPC_STATE_REMOVED);
	return m;
fail:
	Py_DECREF(m);
	return NULL;
}
