package io.github.bpf2java.ebpf.internal.bpf;

/**
 * {@code enum bpf_cmd} from {@code linux/bpf.h}: the first argument of {@code bpf(2)}. The ordinal is the UAPI
 * number.
 *
 * <p>Internal: part of the syscall layer, not of the stable API.
 */
public enum BpfCommand {
    /** {@code BPF_MAP_CREATE} = 0. */
    MAP_CREATE,
    /** {@code BPF_MAP_LOOKUP_ELEM} = 1. */
    MAP_LOOKUP_ELEM,
    /** {@code BPF_MAP_UPDATE_ELEM} = 2. */
    MAP_UPDATE_ELEM,
    /** {@code BPF_MAP_DELETE_ELEM} = 3. */
    MAP_DELETE_ELEM,
    /** {@code BPF_MAP_GET_NEXT_KEY} = 4. */
    MAP_GET_NEXT_KEY,
    /** {@code BPF_PROG_LOAD} = 5. */
    PROG_LOAD,
    /** {@code BPF_OBJ_PIN} = 6. */
    OBJ_PIN,
    /** {@code BPF_OBJ_GET} = 7. */
    OBJ_GET,
    /** {@code BPF_PROG_ATTACH} = 8. */
    PROG_ATTACH,
    /** {@code BPF_PROG_DETACH} = 9. */
    PROG_DETACH,
    /** {@code BPF_PROG_TEST_RUN} = 10. */
    PROG_TEST_RUN,
    /** {@code BPF_PROG_GET_NEXT_ID} = 11. */
    PROG_GET_NEXT_ID,
    /** {@code BPF_MAP_GET_NEXT_ID} = 12. */
    MAP_GET_NEXT_ID,
    /** {@code BPF_PROG_GET_FD_BY_ID} = 13. */
    PROG_GET_FD_BY_ID,
    /** {@code BPF_MAP_GET_FD_BY_ID} = 14. */
    MAP_GET_FD_BY_ID,
    /** {@code BPF_OBJ_GET_INFO_BY_FD} = 15. */
    OBJ_GET_INFO_BY_FD,
    /** {@code BPF_PROG_QUERY} = 16. */
    PROG_QUERY,
    /** {@code BPF_RAW_TRACEPOINT_OPEN} = 17. */
    RAW_TRACEPOINT_OPEN,
    /** {@code BPF_BTF_LOAD} = 18. */
    BTF_LOAD,
    /** {@code BPF_BTF_GET_FD_BY_ID} = 19. */
    BTF_GET_FD_BY_ID,
    /** {@code BPF_TASK_FD_QUERY} = 20. */
    TASK_FD_QUERY,
    /** {@code BPF_MAP_LOOKUP_AND_DELETE_ELEM} = 21. */
    MAP_LOOKUP_AND_DELETE_ELEM,
    /** {@code BPF_MAP_FREEZE} = 22. */
    MAP_FREEZE,
    /** {@code BPF_BTF_GET_NEXT_ID} = 23. */
    BTF_GET_NEXT_ID,
    /** {@code BPF_MAP_LOOKUP_BATCH} = 24. */
    MAP_LOOKUP_BATCH,
    /** {@code BPF_MAP_LOOKUP_AND_DELETE_BATCH} = 25. */
    MAP_LOOKUP_AND_DELETE_BATCH,
    /** {@code BPF_MAP_UPDATE_BATCH} = 26. */
    MAP_UPDATE_BATCH,
    /** {@code BPF_MAP_DELETE_BATCH} = 27. */
    MAP_DELETE_BATCH,
    /** {@code BPF_LINK_CREATE} = 28. */
    LINK_CREATE,
    /** {@code BPF_LINK_UPDATE} = 29. */
    LINK_UPDATE,
    /** {@code BPF_LINK_GET_FD_BY_ID} = 30. */
    LINK_GET_FD_BY_ID,
    /** {@code BPF_LINK_GET_NEXT_ID} = 31. */
    LINK_GET_NEXT_ID,
    /** {@code BPF_ENABLE_STATS} = 32. */
    ENABLE_STATS,
    /** {@code BPF_ITER_CREATE} = 33. */
    ITER_CREATE,
    /** {@code BPF_LINK_DETACH} = 34. */
    LINK_DETACH,
    /** {@code BPF_PROG_BIND_MAP} = 35. */
    PROG_BIND_MAP,
    /** {@code BPF_TOKEN_CREATE} = 36. */
    TOKEN_CREATE;

    /** The UAPI number. */
    public int value() {
        return ordinal();
    }

    /** The UAPI name, e.g. {@code BPF_MAP_CREATE}, for messages. */
    public String uapiName() {
        return "BPF_" + name();
    }
}
