/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * scullv: a vmalloc-backed RAM character device (LDD3, chapter 8).
 *
 * The ioctls keep the book's thirteen commands in its order: command 0
 * resets the geometry, commands 1-6 handle the quantum order and commands
 * 7-12 the quantum-set size, under magic 0xB9 (registered in
 * Documentation/userspace-api/ioctl/ioctl-number.rst; the book's 'K'
 * belongs to linux/kd.h).  For each value there are six ways to reach it:
 *
 *   S  set from the __u32 that the argument points to      (_IOW)
 *   T  set to the argument's value                          (_IO)
 *   G  store the value in the __u32 the argument points to  (_IOR)
 *   Q  return the value as the ioctl's result               (_IO)
 *   X  exchange through the __u32 the argument points to    (_IOWR)
 *   H  set to the argument's value, return the old one      (_IO)
 *
 * A new geometry applies when the device is next trimmed (opened
 * write-only without O_APPEND, or for writing with O_TRUNC).  Setting needs
 * CAP_SYS_ADMIN; values outside the ranges below are rejected with EINVAL.
 */
#ifndef _UAPI_MISC_SCULLV_H
#define _UAPI_MISC_SCULLV_H

#include <linux/ioctl.h>
#include <linux/types.h>

/* A quantum is (page size << order) bytes. */
#define SCULLV_ORDER_MAX	10
/* A quantum set holds between SCULLV_QSET_MIN and SCULLV_QSET_MAX quanta. */
#define SCULLV_QSET_MIN		1
#define SCULLV_QSET_MAX		65536

#define SCULLV_IOC_MAGIC	0xB9

#define SCULLV_IOCRESET		_IO(SCULLV_IOC_MAGIC, 0)

#define SCULLV_IOCSORDER	_IOW(SCULLV_IOC_MAGIC, 1, __u32)
#define SCULLV_IOCTORDER	_IO(SCULLV_IOC_MAGIC, 2)
#define SCULLV_IOCGORDER	_IOR(SCULLV_IOC_MAGIC, 3, __u32)
#define SCULLV_IOCQORDER	_IO(SCULLV_IOC_MAGIC, 4)
#define SCULLV_IOCXORDER	_IOWR(SCULLV_IOC_MAGIC, 5, __u32)
#define SCULLV_IOCHORDER	_IO(SCULLV_IOC_MAGIC, 6)

#define SCULLV_IOCSQSET		_IOW(SCULLV_IOC_MAGIC, 7, __u32)
#define SCULLV_IOCTQSET		_IO(SCULLV_IOC_MAGIC, 8)
#define SCULLV_IOCGQSET		_IOR(SCULLV_IOC_MAGIC, 9, __u32)
#define SCULLV_IOCQQSET		_IO(SCULLV_IOC_MAGIC, 10)
#define SCULLV_IOCXQSET		_IOWR(SCULLV_IOC_MAGIC, 11, __u32)
#define SCULLV_IOCHQSET		_IO(SCULLV_IOC_MAGIC, 12)

#endif /* _UAPI_MISC_SCULLV_H */
