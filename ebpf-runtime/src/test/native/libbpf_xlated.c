/*
 * Loads one BPF object with libbpf and prints, for every loaded program, the kernel's translated instructions
 * (BPF_OBJ_GET_INFO_BY_FD, xlated_prog_insns) as hex, and the id and name of every map: the libbpf side of
 * LibbpfDifferentialTest.
 *
 *   libbpf_xlated OBJECT [PROGRAM...]
 *
 * Maps pinned by name (LIBBPF_PIN_BY_NAME) go under $BPF2JAVA_PIN_ROOT when it is set, not the shared /sys/fs/bpf.
 * With PROGRAM names only those programs load (autoload off for the rest, on for them even in SEC("?...")
 * sections); maps are created either way. Without, libbpf's defaults apply.
 * Output on stdout, one record a line:
 *   map <id> <name>
 *   prog <name> <hex of the instructions>
 *   error <errno> <message>        (the load failed; libbpf's own log is on stderr)
 */
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int wanted(const char *name, int argc, char **argv) {
    for (int i = 2; i < argc; i++)
        if (strcmp(argv[i], name) == 0)
            return 1;
    return 0;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: %s OBJECT [PROGRAM...]\n", argv[0]);
        return 2;
    }
    LIBBPF_OPTS(bpf_object_open_opts, opts, .pin_root_path = getenv("BPF2JAVA_PIN_ROOT"));
    struct bpf_object *obj = bpf_object__open_file(argv[1], &opts);
    long err = libbpf_get_error(obj);
    if (err) {
        printf("error %ld open: %s\n", -err, strerror((int)-err));
        return 0;
    }
    struct bpf_program *prog;
    if (argc > 2) {
        /* A selection overrides libbpf's defaults both ways: SEC("?...") programs named here load too. */
        bpf_object__for_each_program(prog, obj) {
            bpf_program__set_autoload(prog, wanted(bpf_program__name(prog), argc, argv));
        }
    }
    err = bpf_object__load(obj);
    if (err) {
        printf("error %ld load: %s\n", -err, strerror((int)-err));
        bpf_object__close(obj);
        return 0;
    }
    struct bpf_map *map;
    bpf_object__for_each_map(map, obj) {
        struct bpf_map_info info;
        __u32 len = sizeof(info);
        memset(&info, 0, len);
        if (bpf_map__fd(map) < 0 || bpf_obj_get_info_by_fd(bpf_map__fd(map), &info, &len))
            continue;
        printf("map %u %s\n", info.id, bpf_map__name(map));
    }
    bpf_object__for_each_program(prog, obj) {
        int fd = bpf_program__fd(prog);
        if (fd < 0)
            continue;
        struct bpf_prog_info info;
        __u32 len = sizeof(info);
        memset(&info, 0, len);
        if (bpf_obj_get_info_by_fd(fd, &info, &len)) {
            printf("error %d info %s: %s\n", errno, bpf_program__name(prog), strerror(errno));
            continue;
        }
        __u32 size = info.xlated_prog_len;
        unsigned char *insns = calloc(1, size ? size : 1);
        memset(&info, 0, sizeof(info));
        info.xlated_prog_len = size;
        info.xlated_prog_insns = (__u64)(unsigned long)insns;
        len = sizeof(info);
        if (bpf_obj_get_info_by_fd(fd, &info, &len)) {
            printf("error %d info %s: %s\n", errno, bpf_program__name(prog), strerror(errno));
            free(insns);
            continue;
        }
        printf("prog %s ", bpf_program__name(prog));
        for (__u32 i = 0; i < size; i++)
            printf("%02x", insns[i]);
        printf("\n");
        free(insns);
    }
    bpf_object__close(obj);
    return 0;
}
