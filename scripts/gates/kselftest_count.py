#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Print how many tests a kselftest program reports, from its C source.

  kselftest_count.py PROGRAM.c

kselftest_harness.h programs: each TEST()/TEST_F()/TEST_F_TIMEOUT() of a
fixture counts once per FIXTURE_VARIANT_ADD() of that fixture (once if it
has none).  kselftest.h programs: the number given to ksft_set_plan().
"""

import re
import sys


def count(text):
    variants = {}
    for m in re.finditer(r"^FIXTURE_VARIANT_ADD\(\s*(\w+)\s*,", text, re.M):
        variants[m.group(1)] = variants.get(m.group(1), 0) + 1
    n = 0
    for m in re.finditer(r"^TEST(?:_F|_F_TIMEOUT|_HARNESS|_SIGNAL)?\(\s*(\w+)", text, re.M):
        n += variants.get(m.group(1), 1)
    if n:
        return n
    plans = re.findall(r"ksft_set_plan\(\s*(\d+)\s*\)", text)
    if len(plans) != 1:
        raise SystemExit("kselftest_count: %d ksft_set_plan() calls and no TEST()" % len(plans))
    return int(plans[0])


if __name__ == "__main__":
    print(count(open(sys.argv[1]).read()))
