// SPDX-License-Identifier: GPL-2.0
/* Only a static helper, which clang drops: the object would hold nothing to load. */
static int twice(int x)
{
    return 2 * x;
}
