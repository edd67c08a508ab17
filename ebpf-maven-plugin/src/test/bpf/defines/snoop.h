/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SNOOP_H
#define SNOOP_H

#include "common/slots.h"

#define ARGSIZE 128
#define TASK_COMM_LEN 16
#define NOT_A_LITERAL (ARGSIZE * 2)

#endif /* SNOOP_H */
