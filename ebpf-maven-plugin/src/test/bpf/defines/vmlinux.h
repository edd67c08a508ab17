/* A stand-in for a vmlinux.h kept beside the sources: the kernel's, not the project's. */
#pragma once
#define VMLINUX_ONLY 0
