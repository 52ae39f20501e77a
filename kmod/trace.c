// SPDX-License-Identifier: GPL-2.0-only
/*
 * kipc: the tracepoints of kipc_trace.h, instantiated. Nothing else lives
 * here, so that no other file sees CREATE_TRACE_POINTS.
 */
#define CREATE_TRACE_POINTS
#include "kipc_trace.h"
