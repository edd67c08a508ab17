/* A header in a bpf/ directory beside the sources, where copies of libbpf's headers live. */
#pragma once
#define HELPERS_ONLY 0
