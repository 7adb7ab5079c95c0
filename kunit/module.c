// SPDX-License-Identifier: GPL-2.0
/*
 * The scullv KUnit test module: the suites are in the other files of this
 * directory, each registering its own.
 */

#include <linux/module.h>

MODULE_DESCRIPTION("KUnit tests for the scullv driver");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
