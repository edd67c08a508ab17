package io.github.bpf2java.ebpf.internal.bpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.bpf2java.ebpf.attach.IteratorOptions;
import io.github.bpf2java.ebpf.attach.LinkType;
import io.github.bpf2java.ebpf.error.Errno;
import io.github.bpf2java.ebpf.internal.perf.PerfEventAttr;
import io.github.bpf2java.ebpf.internal.perf.PerfEventFlag;
import io.github.bpf2java.ebpf.internal.perf.PerfEvents;
import io.github.bpf2java.ebpf.spec.AttachType;
import io.github.bpf2java.ebpf.spec.MapType;
import io.github.bpf2java.ebpf.spec.ProgramType;
import io.github.bpf2java.ebpf.testing.KernelSupport;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checks every layout constant and UAPI number of the syscall layer against the C compiler: once against the
 * running kernel's own types (its BTF, dumped as C by {@code bpftool}), once against the installed UAPI headers.
 * A member or constant the installed headers are too old to have is skipped there, but every check must pass in at
 * least one of the two, so nothing goes unverified.
 */
class AttrLayoutTest {
    private static final Pattern ERROR_LINE = Pattern.compile("^[^:\\s]+\\.c:(\\d+):\\d+: error:", Pattern.MULTILINE);

    /** Constants neither the kernel's BTF (macros are not types) nor Debian 12's UAPI headers (Linux 6.1) have. */
    private static final Set<String> NEWER_THAN_HEADERS = Set.of(
            "ProgramFlag.XDP_DEV_BOUND_ONLY", // #define, Linux 6.3
            "Errno.ENOTSUPP"); // kernel-internal, never in user-space headers

    private static final List<Check> CHECKS = checks();

    @TempDir
    Path work;

    @BeforeAll
    static void needsGcc() {
        KernelSupport.assumeTool("gcc");
    }

    @Test
    void matchesTheRunningKernelsBtf() throws Exception {
        Set<String> verified = verifiedAgainstKernelBtf();
        for (Check c : CHECKS) {
            if (c.layout()) {
                assertTrue(verified.contains(c.name()), c.name() + " (" + c.expression()
                        + ") does not compile against the running kernel's types");
            }
        }
    }

    @Test
    void matchesTheInstalledUapiHeaders() throws Exception {
        Set<String> verified = verifiedAgainstUapiHeaders();
        assertTrue(verified.size() > CHECKS.size() / 2, "only " + verified.size() + " of " + CHECKS.size()
                + " checks compile against the installed headers");
    }

    @Test
    void everyLayoutConstantHasACheck() throws IllegalAccessException {
        Set<String> checked = new HashSet<>();
        CHECKS.forEach(c -> checked.add(c.name()));
        List<String> missing = new ArrayList<>();
        for (Class<?> group : AttrLayout.class.getDeclaredClasses()) {
            for (Field f : group.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers()) && f.getType() == int.class) {
                    String name = group.getSimpleName() + "." + f.getName();
                    if (!checked.contains(name)) {
                        missing.add(name);
                    }
                }
            }
        }
        assertEquals(List.of(), missing, "layout constants without a C check");
    }

    @Test
    void everyCheckIsVerifiedByOneSourceOrTheOther() throws Exception {
        Set<String> verified = new HashSet<>(verifiedAgainstKernelBtf());
        verified.addAll(verifiedAgainstUapiHeaders());
        Set<String> unverified = new TreeSet<>();
        for (Check c : CHECKS) {
            if (!verified.contains(c.name()) && !NEWER_THAN_HEADERS.contains(c.name())) {
                unverified.add(c.name() + " = " + c.expression());
            }
        }
        assertEquals(Set.of(), unverified, "checks no header could verify");
    }

    private Set<String> verifiedAgainstKernelBtf() throws IOException, InterruptedException {
        Path bpftool = KernelSupport.assumeTool("bpftool");
        Path vmlinux = Path.of("/sys/kernel/btf/vmlinux");
        KernelSupport.assume(Files.isReadable(vmlinux), "the kernel exposes no BTF at " + vmlinux);
        Path header = work.resolve("vmlinux.h");
        if (!Files.exists(header)) {
            Process dump = new ProcessBuilder(bpftool.toString(), "btf", "dump", "file", vmlinux.toString(),
                    "format", "c").redirectOutput(header.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            assertTrue(dump.waitFor(120, TimeUnit.SECONDS) && dump.exitValue() == 0, "bpftool btf dump failed");
        }
        return run("btf", """
                #include "vmlinux.h"
                int printf(const char *, ...);
                """);
    }

    private Set<String> verifiedAgainstUapiHeaders() throws IOException, InterruptedException {
        return run("uapi", """
                #include <errno.h>
                #include <stdio.h>
                #include <linux/bpf.h>
                #include <linux/perf_event.h>
                """);
    }

    /**
     * Compiles and runs a program printing every check's C value, dropping checks whose lines do not compile (a
     * member or constant the header lacks), and compares. Returns the names of the checks that compiled and
     * matched; fails on any mismatch.
     */
    private Set<String> run(String name, String prelude) throws IOException, InterruptedException {
        Set<Integer> dropped = new HashSet<>();
        for (int attempt = 0; attempt < 5; attempt++) {
            // No macros in the checks: gcc must report a missing member on the check's own line.
            StringBuilder c = new StringBuilder(prelude).append("int main(void) {\n");
            int firstLine = (int) c.chars().filter(ch -> ch == '\n').count() + 1;
            for (int i = 0; i < CHECKS.size(); i++) {
                String expr = dropped.contains(i) ? "0" : CHECKS.get(i).expression();
                c.append("    printf(\"%d %lld\\n\", ").append(i).append(", (long long) (").append(expr)
                        .append("));\n");
            }
            c.append("    return 0;\n}\n");
            Path source = work.resolve(name + ".c");
            Path binary = work.resolve(name);
            Files.writeString(source, c);
            Process gcc = new ProcessBuilder("gcc", "-w", "-fno-strict-aliasing", "-o", binary.toString(),
                    source.toString()).directory(work.toFile()).redirectErrorStream(true).start();
            String log = new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            gcc.waitFor();
            if (gcc.exitValue() != 0) {
                Matcher m = ERROR_LINE.matcher(log);
                Set<Integer> failing = new HashSet<>();
                while (m.find()) {
                    int check = Integer.parseInt(m.group(1)) - firstLine;
                    if (check < 0 || check >= CHECKS.size()) {
                        fail("the " + name + " prelude does not compile:\n" + log);
                    }
                    failing.add(check);
                }
                if (failing.isEmpty()) {
                    fail("gcc failed without an error line:\n" + log);
                }
                dropped.addAll(failing);
                continue;
            }
            Process program = new ProcessBuilder(binary.toString()).redirectErrorStream(true).start();
            String out = new String(program.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, program.waitFor(), out);
            Set<String> verified = new HashSet<>();
            List<String> mismatches = new ArrayList<>();
            for (String line : out.split("\n")) {
                String[] parts = line.trim().split(" ");
                int i = Integer.parseInt(parts[0]);
                if (dropped.contains(i)) {
                    continue;
                }
                Check check = CHECKS.get(i);
                long actual = Long.parseLong(parts[1]);
                if (actual != check.javaValue()) {
                    mismatches.add(check.name() + " is " + check.javaValue() + " in Java but " + actual + " in C ("
                            + check.expression() + ")");
                } else {
                    verified.add(check.name());
                }
            }
            assertEquals(List.of(), mismatches, "layout mismatches against " + name);
            return verified;
        }
        throw new AssertionError("gcc kept failing on " + name + " after dropping " + dropped.size() + " checks");
    }

    /** One constant: its Java name and value, and the C expression that must equal it. */
    private record Check(String name, long javaValue, String expression, boolean layout) {}

    private static List<Check> checks() {
        List<Check> c = new ArrayList<>();
        String attr = "union bpf_attr";

        // BPF_MAP_CREATE
        off(c, "MapCreate.MAP_TYPE", AttrLayout.MapCreate.MAP_TYPE, attr, "map_type");
        off(c, "MapCreate.KEY_SIZE", AttrLayout.MapCreate.KEY_SIZE, attr, "key_size");
        off(c, "MapCreate.VALUE_SIZE", AttrLayout.MapCreate.VALUE_SIZE, attr, "value_size");
        off(c, "MapCreate.MAX_ENTRIES", AttrLayout.MapCreate.MAX_ENTRIES, attr, "max_entries");
        off(c, "MapCreate.MAP_FLAGS", AttrLayout.MapCreate.MAP_FLAGS, attr, "map_flags");
        off(c, "MapCreate.INNER_MAP_FD", AttrLayout.MapCreate.INNER_MAP_FD, attr, "inner_map_fd");
        off(c, "MapCreate.NUMA_NODE", AttrLayout.MapCreate.NUMA_NODE, attr, "numa_node");
        off(c, "MapCreate.MAP_NAME", AttrLayout.MapCreate.MAP_NAME, attr, "map_name");
        off(c, "MapCreate.MAP_IFINDEX", AttrLayout.MapCreate.MAP_IFINDEX, attr, "map_ifindex");
        off(c, "MapCreate.BTF_FD", AttrLayout.MapCreate.BTF_FD, attr, "btf_fd");
        off(c, "MapCreate.BTF_KEY_TYPE_ID", AttrLayout.MapCreate.BTF_KEY_TYPE_ID, attr, "btf_key_type_id");
        off(c, "MapCreate.BTF_VALUE_TYPE_ID", AttrLayout.MapCreate.BTF_VALUE_TYPE_ID, attr, "btf_value_type_id");
        off(c, "MapCreate.BTF_VMLINUX_VALUE_TYPE_ID", AttrLayout.MapCreate.BTF_VMLINUX_VALUE_TYPE_ID, attr,
                "btf_vmlinux_value_type_id");
        off(c, "MapCreate.MAP_EXTRA", AttrLayout.MapCreate.MAP_EXTRA, attr, "map_extra");
        end(c, "MapCreate.SIZE", AttrLayout.MapCreate.SIZE, attr, "map_extra");
        check(c, "ObjectName.FIELD_SIZE", ObjectName.FIELD_SIZE, "BPF_OBJ_NAME_LEN", false);

        // BPF_MAP_*_ELEM
        off(c, "MapElem.MAP_FD", AttrLayout.MapElem.MAP_FD, attr, "map_fd");
        off(c, "MapElem.KEY", AttrLayout.MapElem.KEY, attr, "key");
        off(c, "MapElem.VALUE", AttrLayout.MapElem.VALUE, attr, "value");
        off(c, "MapElem.NEXT_KEY", AttrLayout.MapElem.NEXT_KEY, attr, "next_key");
        off(c, "MapElem.FLAGS", AttrLayout.MapElem.FLAGS, attr, "flags");
        end(c, "MapElem.SIZE", AttrLayout.MapElem.SIZE, attr, "flags");

        // BPF_MAP_*_BATCH
        off(c, "Batch.IN_BATCH", AttrLayout.Batch.IN_BATCH, attr, "batch.in_batch");
        off(c, "Batch.OUT_BATCH", AttrLayout.Batch.OUT_BATCH, attr, "batch.out_batch");
        off(c, "Batch.KEYS", AttrLayout.Batch.KEYS, attr, "batch.keys");
        off(c, "Batch.VALUES", AttrLayout.Batch.VALUES, attr, "batch.values");
        off(c, "Batch.COUNT", AttrLayout.Batch.COUNT, attr, "batch.count");
        off(c, "Batch.MAP_FD", AttrLayout.Batch.MAP_FD, attr, "batch.map_fd");
        off(c, "Batch.ELEM_FLAGS", AttrLayout.Batch.ELEM_FLAGS, attr, "batch.elem_flags");
        off(c, "Batch.FLAGS", AttrLayout.Batch.FLAGS, attr, "batch.flags");
        end(c, "Batch.SIZE", AttrLayout.Batch.SIZE, attr, "batch.flags");

        // BPF_PROG_LOAD
        off(c, "ProgLoad.PROG_TYPE", AttrLayout.ProgLoad.PROG_TYPE, attr, "prog_type");
        off(c, "ProgLoad.INSN_CNT", AttrLayout.ProgLoad.INSN_CNT, attr, "insn_cnt");
        off(c, "ProgLoad.INSNS", AttrLayout.ProgLoad.INSNS, attr, "insns");
        off(c, "ProgLoad.LICENSE", AttrLayout.ProgLoad.LICENSE, attr, "license");
        off(c, "ProgLoad.LOG_LEVEL", AttrLayout.ProgLoad.LOG_LEVEL, attr, "log_level");
        off(c, "ProgLoad.LOG_SIZE", AttrLayout.ProgLoad.LOG_SIZE, attr, "log_size");
        off(c, "ProgLoad.LOG_BUF", AttrLayout.ProgLoad.LOG_BUF, attr, "log_buf");
        off(c, "ProgLoad.KERN_VERSION", AttrLayout.ProgLoad.KERN_VERSION, attr, "kern_version");
        off(c, "ProgLoad.PROG_FLAGS", AttrLayout.ProgLoad.PROG_FLAGS, attr, "prog_flags");
        off(c, "ProgLoad.PROG_NAME", AttrLayout.ProgLoad.PROG_NAME, attr, "prog_name");
        off(c, "ProgLoad.PROG_IFINDEX", AttrLayout.ProgLoad.PROG_IFINDEX, attr, "prog_ifindex");
        off(c, "ProgLoad.EXPECTED_ATTACH_TYPE", AttrLayout.ProgLoad.EXPECTED_ATTACH_TYPE, attr,
                "expected_attach_type");
        off(c, "ProgLoad.PROG_BTF_FD", AttrLayout.ProgLoad.PROG_BTF_FD, attr, "prog_btf_fd");
        off(c, "ProgLoad.FUNC_INFO_REC_SIZE", AttrLayout.ProgLoad.FUNC_INFO_REC_SIZE, attr, "func_info_rec_size");
        off(c, "ProgLoad.FUNC_INFO", AttrLayout.ProgLoad.FUNC_INFO, attr, "func_info");
        off(c, "ProgLoad.FUNC_INFO_CNT", AttrLayout.ProgLoad.FUNC_INFO_CNT, attr, "func_info_cnt");
        off(c, "ProgLoad.LINE_INFO_REC_SIZE", AttrLayout.ProgLoad.LINE_INFO_REC_SIZE, attr, "line_info_rec_size");
        off(c, "ProgLoad.LINE_INFO", AttrLayout.ProgLoad.LINE_INFO, attr, "line_info");
        off(c, "ProgLoad.LINE_INFO_CNT", AttrLayout.ProgLoad.LINE_INFO_CNT, attr, "line_info_cnt");
        off(c, "ProgLoad.ATTACH_BTF_ID", AttrLayout.ProgLoad.ATTACH_BTF_ID, attr, "attach_btf_id");
        off(c, "ProgLoad.ATTACH_PROG_FD", AttrLayout.ProgLoad.ATTACH_PROG_FD, attr, "attach_prog_fd");
        off(c, "ProgLoad.ATTACH_BTF_OBJ_FD", AttrLayout.ProgLoad.ATTACH_BTF_OBJ_FD, attr, "attach_btf_obj_fd");
        off(c, "ProgLoad.CORE_RELO_CNT", AttrLayout.ProgLoad.CORE_RELO_CNT, attr, "core_relo_cnt");
        off(c, "ProgLoad.FD_ARRAY", AttrLayout.ProgLoad.FD_ARRAY, attr, "fd_array");
        off(c, "ProgLoad.CORE_RELOS", AttrLayout.ProgLoad.CORE_RELOS, attr, "core_relos");
        off(c, "ProgLoad.CORE_RELO_REC_SIZE", AttrLayout.ProgLoad.CORE_RELO_REC_SIZE, attr, "core_relo_rec_size");
        off(c, "ProgLoad.LOG_TRUE_SIZE", AttrLayout.ProgLoad.LOG_TRUE_SIZE, attr, "log_true_size");
        end(c, "ProgLoad.SIZE", AttrLayout.ProgLoad.SIZE, attr, "log_true_size");

        // BPF_OBJ_PIN / BPF_OBJ_GET
        off(c, "ObjPin.PATHNAME", AttrLayout.ObjPin.PATHNAME, attr, "pathname");
        off(c, "ObjPin.BPF_FD", AttrLayout.ObjPin.BPF_FD, attr, "bpf_fd");
        off(c, "ObjPin.FILE_FLAGS", AttrLayout.ObjPin.FILE_FLAGS, attr, "file_flags");
        end(c, "ObjPin.SIZE", AttrLayout.ObjPin.SIZE, attr, "file_flags");

        // BPF_PROG_ATTACH / DETACH
        off(c, "ProgAttach.TARGET_FD", AttrLayout.ProgAttach.TARGET_FD, attr, "target_fd");
        off(c, "ProgAttach.ATTACH_BPF_FD", AttrLayout.ProgAttach.ATTACH_BPF_FD, attr, "attach_bpf_fd");
        off(c, "ProgAttach.ATTACH_TYPE", AttrLayout.ProgAttach.ATTACH_TYPE, attr, "attach_type");
        off(c, "ProgAttach.ATTACH_FLAGS", AttrLayout.ProgAttach.ATTACH_FLAGS, attr, "attach_flags");
        off(c, "ProgAttach.REPLACE_BPF_FD", AttrLayout.ProgAttach.REPLACE_BPF_FD, attr, "replace_bpf_fd");
        off(c, "ProgAttach.RELATIVE_FD", AttrLayout.ProgAttach.RELATIVE_FD, attr, "relative_fd");
        off(c, "ProgAttach.EXPECTED_REVISION", AttrLayout.ProgAttach.EXPECTED_REVISION, attr, "expected_revision");
        end(c, "ProgAttach.SIZE", AttrLayout.ProgAttach.SIZE, attr, "expected_revision");

        // BPF_PROG_QUERY
        off(c, "ProgQuery.TARGET_FD", AttrLayout.ProgQuery.TARGET_FD, attr, "query.target_fd");
        off(c, "ProgQuery.ATTACH_TYPE", AttrLayout.ProgQuery.ATTACH_TYPE, attr, "query.attach_type");
        off(c, "ProgQuery.QUERY_FLAGS", AttrLayout.ProgQuery.QUERY_FLAGS, attr, "query.query_flags");
        off(c, "ProgQuery.ATTACH_FLAGS", AttrLayout.ProgQuery.ATTACH_FLAGS, attr, "query.attach_flags");
        off(c, "ProgQuery.PROG_IDS", AttrLayout.ProgQuery.PROG_IDS, attr, "query.prog_ids");
        off(c, "ProgQuery.PROG_CNT", AttrLayout.ProgQuery.PROG_CNT, attr, "query.prog_cnt");
        off(c, "ProgQuery.PROG_ATTACH_FLAGS", AttrLayout.ProgQuery.PROG_ATTACH_FLAGS, attr,
                "query.prog_attach_flags");
        end(c, "ProgQuery.SIZE", AttrLayout.ProgQuery.SIZE, attr, "query.prog_attach_flags");

        // BPF_PROG_TEST_RUN
        off(c, "TestRun.PROG_FD", AttrLayout.TestRun.PROG_FD, attr, "test.prog_fd");
        off(c, "TestRun.RETVAL", AttrLayout.TestRun.RETVAL, attr, "test.retval");
        off(c, "TestRun.DATA_SIZE_IN", AttrLayout.TestRun.DATA_SIZE_IN, attr, "test.data_size_in");
        off(c, "TestRun.DATA_SIZE_OUT", AttrLayout.TestRun.DATA_SIZE_OUT, attr, "test.data_size_out");
        off(c, "TestRun.DATA_IN", AttrLayout.TestRun.DATA_IN, attr, "test.data_in");
        off(c, "TestRun.DATA_OUT", AttrLayout.TestRun.DATA_OUT, attr, "test.data_out");
        off(c, "TestRun.REPEAT", AttrLayout.TestRun.REPEAT, attr, "test.repeat");
        off(c, "TestRun.DURATION", AttrLayout.TestRun.DURATION, attr, "test.duration");
        off(c, "TestRun.CTX_SIZE_IN", AttrLayout.TestRun.CTX_SIZE_IN, attr, "test.ctx_size_in");
        off(c, "TestRun.CTX_SIZE_OUT", AttrLayout.TestRun.CTX_SIZE_OUT, attr, "test.ctx_size_out");
        off(c, "TestRun.CTX_IN", AttrLayout.TestRun.CTX_IN, attr, "test.ctx_in");
        off(c, "TestRun.CTX_OUT", AttrLayout.TestRun.CTX_OUT, attr, "test.ctx_out");
        off(c, "TestRun.FLAGS", AttrLayout.TestRun.FLAGS, attr, "test.flags");
        off(c, "TestRun.CPU", AttrLayout.TestRun.CPU, attr, "test.cpu");
        off(c, "TestRun.BATCH_SIZE", AttrLayout.TestRun.BATCH_SIZE, attr, "test.batch_size");
        end(c, "TestRun.SIZE", AttrLayout.TestRun.SIZE, attr, "test.batch_size");

        // BPF_*_GET_NEXT_ID / GET_FD_BY_ID
        off(c, "GetId.START_ID", AttrLayout.GetId.START_ID, attr, "start_id");
        off(c, "GetId.ID", AttrLayout.GetId.ID, attr, "prog_id");
        off(c, "GetId.NEXT_ID", AttrLayout.GetId.NEXT_ID, attr, "next_id");
        off(c, "GetId.OPEN_FLAGS", AttrLayout.GetId.OPEN_FLAGS, attr, "open_flags");
        end(c, "GetId.SIZE", AttrLayout.GetId.SIZE, attr, "open_flags");

        // BPF_OBJ_GET_INFO_BY_FD
        off(c, "Info.BPF_FD", AttrLayout.Info.BPF_FD, attr, "info.bpf_fd");
        off(c, "Info.INFO_LEN", AttrLayout.Info.INFO_LEN, attr, "info.info_len");
        off(c, "Info.INFO", AttrLayout.Info.INFO, attr, "info.info");
        end(c, "Info.SIZE", AttrLayout.Info.SIZE, attr, "info.info");

        // BPF_RAW_TRACEPOINT_OPEN
        off(c, "RawTracepoint.NAME", AttrLayout.RawTracepoint.NAME, attr, "raw_tracepoint.name");
        off(c, "RawTracepoint.PROG_FD", AttrLayout.RawTracepoint.PROG_FD, attr, "raw_tracepoint.prog_fd");
        off(c, "RawTracepoint.COOKIE", AttrLayout.RawTracepoint.COOKIE, attr, "raw_tracepoint.cookie");
        end(c, "RawTracepoint.SIZE", AttrLayout.RawTracepoint.SIZE, attr, "raw_tracepoint.cookie");

        // BPF_BTF_LOAD
        off(c, "BtfLoad.BTF", AttrLayout.BtfLoad.BTF, attr, "btf");
        off(c, "BtfLoad.BTF_LOG_BUF", AttrLayout.BtfLoad.BTF_LOG_BUF, attr, "btf_log_buf");
        off(c, "BtfLoad.BTF_SIZE", AttrLayout.BtfLoad.BTF_SIZE, attr, "btf_size");
        off(c, "BtfLoad.BTF_LOG_SIZE", AttrLayout.BtfLoad.BTF_LOG_SIZE, attr, "btf_log_size");
        off(c, "BtfLoad.BTF_LOG_LEVEL", AttrLayout.BtfLoad.BTF_LOG_LEVEL, attr, "btf_log_level");
        off(c, "BtfLoad.BTF_LOG_TRUE_SIZE", AttrLayout.BtfLoad.BTF_LOG_TRUE_SIZE, attr, "btf_log_true_size");
        end(c, "BtfLoad.SIZE", AttrLayout.BtfLoad.SIZE, attr, "btf_log_true_size");

        // BPF_LINK_CREATE
        String lc = "link_create.";
        off(c, "LinkCreate.PROG_FD", AttrLayout.LinkCreate.PROG_FD, attr, lc + "prog_fd");
        off(c, "LinkCreate.TARGET_FD", AttrLayout.LinkCreate.TARGET_FD, attr, lc + "target_fd");
        off(c, "LinkCreate.TARGET_IFINDEX", AttrLayout.LinkCreate.TARGET_IFINDEX, attr, lc + "target_ifindex");
        off(c, "LinkCreate.ATTACH_TYPE", AttrLayout.LinkCreate.ATTACH_TYPE, attr, lc + "attach_type");
        off(c, "LinkCreate.FLAGS", AttrLayout.LinkCreate.FLAGS, attr, lc + "flags");
        off(c, "LinkCreate.TARGET_BTF_ID", AttrLayout.LinkCreate.TARGET_BTF_ID, attr, lc + "target_btf_id");
        off(c, "LinkCreate.ITER_INFO", AttrLayout.LinkCreate.ITER_INFO, attr, lc + "iter_info");
        off(c, "LinkCreate.ITER_INFO_LEN", AttrLayout.LinkCreate.ITER_INFO_LEN, attr, lc + "iter_info_len");
        off(c, "LinkCreate.PERF_EVENT_BPF_COOKIE", AttrLayout.LinkCreate.PERF_EVENT_BPF_COOKIE, attr,
                lc + "perf_event.bpf_cookie");
        off(c, "LinkCreate.KPROBE_MULTI_FLAGS", AttrLayout.LinkCreate.KPROBE_MULTI_FLAGS, attr,
                lc + "kprobe_multi.flags");
        off(c, "LinkCreate.KPROBE_MULTI_CNT", AttrLayout.LinkCreate.KPROBE_MULTI_CNT, attr, lc + "kprobe_multi.cnt");
        off(c, "LinkCreate.KPROBE_MULTI_SYMS", AttrLayout.LinkCreate.KPROBE_MULTI_SYMS, attr,
                lc + "kprobe_multi.syms");
        off(c, "LinkCreate.KPROBE_MULTI_ADDRS", AttrLayout.LinkCreate.KPROBE_MULTI_ADDRS, attr,
                lc + "kprobe_multi.addrs");
        off(c, "LinkCreate.KPROBE_MULTI_COOKIES", AttrLayout.LinkCreate.KPROBE_MULTI_COOKIES, attr,
                lc + "kprobe_multi.cookies");
        off(c, "LinkCreate.TRACING_TARGET_BTF_ID", AttrLayout.LinkCreate.TRACING_TARGET_BTF_ID, attr,
                lc + "tracing.target_btf_id");
        off(c, "LinkCreate.TRACING_COOKIE", AttrLayout.LinkCreate.TRACING_COOKIE, attr, lc + "tracing.cookie");
        off(c, "LinkCreate.NETFILTER_PF", AttrLayout.LinkCreate.NETFILTER_PF, attr, lc + "netfilter.pf");
        off(c, "LinkCreate.NETFILTER_HOOKNUM", AttrLayout.LinkCreate.NETFILTER_HOOKNUM, attr,
                lc + "netfilter.hooknum");
        off(c, "LinkCreate.NETFILTER_PRIORITY", AttrLayout.LinkCreate.NETFILTER_PRIORITY, attr,
                lc + "netfilter.priority");
        off(c, "LinkCreate.NETFILTER_FLAGS", AttrLayout.LinkCreate.NETFILTER_FLAGS, attr, lc + "netfilter.flags");
        off(c, "LinkCreate.TCX_RELATIVE_FD", AttrLayout.LinkCreate.TCX_RELATIVE_FD, attr, lc + "tcx.relative_fd");
        off(c, "LinkCreate.TCX_EXPECTED_REVISION", AttrLayout.LinkCreate.TCX_EXPECTED_REVISION, attr,
                lc + "tcx.expected_revision");
        off(c, "LinkCreate.UPROBE_MULTI_PATH", AttrLayout.LinkCreate.UPROBE_MULTI_PATH, attr,
                lc + "uprobe_multi.path");
        off(c, "LinkCreate.UPROBE_MULTI_OFFSETS", AttrLayout.LinkCreate.UPROBE_MULTI_OFFSETS, attr,
                lc + "uprobe_multi.offsets");
        off(c, "LinkCreate.UPROBE_MULTI_REF_CTR_OFFSETS", AttrLayout.LinkCreate.UPROBE_MULTI_REF_CTR_OFFSETS, attr,
                lc + "uprobe_multi.ref_ctr_offsets");
        off(c, "LinkCreate.UPROBE_MULTI_COOKIES", AttrLayout.LinkCreate.UPROBE_MULTI_COOKIES, attr,
                lc + "uprobe_multi.cookies");
        off(c, "LinkCreate.UPROBE_MULTI_CNT", AttrLayout.LinkCreate.UPROBE_MULTI_CNT, attr, lc + "uprobe_multi.cnt");
        off(c, "LinkCreate.UPROBE_MULTI_FLAGS", AttrLayout.LinkCreate.UPROBE_MULTI_FLAGS, attr,
                lc + "uprobe_multi.flags");
        off(c, "LinkCreate.UPROBE_MULTI_PID", AttrLayout.LinkCreate.UPROBE_MULTI_PID, attr, lc + "uprobe_multi.pid");
        off(c, "LinkCreate.NETKIT_RELATIVE_FD", AttrLayout.LinkCreate.NETKIT_RELATIVE_FD, attr,
                lc + "netkit.relative_fd");
        off(c, "LinkCreate.NETKIT_EXPECTED_REVISION", AttrLayout.LinkCreate.NETKIT_EXPECTED_REVISION, attr,
                lc + "netkit.expected_revision");
        end(c, "LinkCreate.SIZE", AttrLayout.LinkCreate.SIZE, attr, lc + "uprobe_multi.pid");

        // union bpf_iter_link_info, which link_create.iter_info points to
        String ili = "union bpf_iter_link_info";
        off(c, "IterLinkInfo.MAP_FD", AttrLayout.IterLinkInfo.MAP_FD, ili, "map.map_fd");
        off(c, "IterLinkInfo.CGROUP_ORDER", AttrLayout.IterLinkInfo.CGROUP_ORDER, ili, "cgroup.order");
        off(c, "IterLinkInfo.CGROUP_FD", AttrLayout.IterLinkInfo.CGROUP_FD, ili, "cgroup.cgroup_fd");
        off(c, "IterLinkInfo.CGROUP_ID", AttrLayout.IterLinkInfo.CGROUP_ID, ili, "cgroup.cgroup_id");
        off(c, "IterLinkInfo.TASK_TID", AttrLayout.IterLinkInfo.TASK_TID, ili, "task.tid");
        off(c, "IterLinkInfo.TASK_PID", AttrLayout.IterLinkInfo.TASK_PID, ili, "task.pid");
        off(c, "IterLinkInfo.TASK_PID_FD", AttrLayout.IterLinkInfo.TASK_PID_FD, ili, "task.pid_fd");
        check(c, "IterLinkInfo.SIZE", AttrLayout.IterLinkInfo.SIZE, "sizeof(" + ili + ")", true);
        for (IteratorOptions.CgroupOrder o : IteratorOptions.CgroupOrder.values()) {
            check(c, "CgroupOrder." + o, o.value(), "BPF_CGROUP_ITER_" + o.name(), false);
        }

        // BPF_LINK_UPDATE, BPF_LINK_DETACH, BPF_ENABLE_STATS, BPF_ITER_CREATE, BPF_PROG_BIND_MAP, BPF_TOKEN_CREATE
        off(c, "LinkUpdate.LINK_FD", AttrLayout.LinkUpdate.LINK_FD, attr, "link_update.link_fd");
        off(c, "LinkUpdate.NEW_PROG_FD", AttrLayout.LinkUpdate.NEW_PROG_FD, attr, "link_update.new_prog_fd");
        off(c, "LinkUpdate.FLAGS", AttrLayout.LinkUpdate.FLAGS, attr, "link_update.flags");
        off(c, "LinkUpdate.OLD_PROG_FD", AttrLayout.LinkUpdate.OLD_PROG_FD, attr, "link_update.old_prog_fd");
        end(c, "LinkUpdate.SIZE", AttrLayout.LinkUpdate.SIZE, attr, "link_update.old_prog_fd");
        off(c, "LinkDetach.LINK_FD", AttrLayout.LinkDetach.LINK_FD, attr, "link_detach.link_fd");
        end(c, "LinkDetach.SIZE", AttrLayout.LinkDetach.SIZE, attr, "link_detach.link_fd");
        off(c, "EnableStats.TYPE", AttrLayout.EnableStats.TYPE, attr, "enable_stats.type");
        end(c, "EnableStats.SIZE", AttrLayout.EnableStats.SIZE, attr, "enable_stats.type");
        off(c, "IterCreate.LINK_FD", AttrLayout.IterCreate.LINK_FD, attr, "iter_create.link_fd");
        off(c, "IterCreate.FLAGS", AttrLayout.IterCreate.FLAGS, attr, "iter_create.flags");
        end(c, "IterCreate.SIZE", AttrLayout.IterCreate.SIZE, attr, "iter_create.flags");
        off(c, "ProgBindMap.PROG_FD", AttrLayout.ProgBindMap.PROG_FD, attr, "prog_bind_map.prog_fd");
        off(c, "ProgBindMap.MAP_FD", AttrLayout.ProgBindMap.MAP_FD, attr, "prog_bind_map.map_fd");
        off(c, "ProgBindMap.FLAGS", AttrLayout.ProgBindMap.FLAGS, attr, "prog_bind_map.flags");
        end(c, "ProgBindMap.SIZE", AttrLayout.ProgBindMap.SIZE, attr, "prog_bind_map.flags");
        off(c, "TokenCreate.FLAGS", AttrLayout.TokenCreate.FLAGS, attr, "token_create.flags");
        off(c, "TokenCreate.BPFFS_FD", AttrLayout.TokenCreate.BPFFS_FD, attr, "token_create.bpffs_fd");
        end(c, "TokenCreate.SIZE", AttrLayout.TokenCreate.SIZE, attr, "token_create.bpffs_fd");

        // struct bpf_map_info
        String mi = "struct bpf_map_info";
        off(c, "MapInfo.TYPE", AttrLayout.MapInfo.TYPE, mi, "type");
        off(c, "MapInfo.ID", AttrLayout.MapInfo.ID, mi, "id");
        off(c, "MapInfo.KEY_SIZE", AttrLayout.MapInfo.KEY_SIZE, mi, "key_size");
        off(c, "MapInfo.VALUE_SIZE", AttrLayout.MapInfo.VALUE_SIZE, mi, "value_size");
        off(c, "MapInfo.MAX_ENTRIES", AttrLayout.MapInfo.MAX_ENTRIES, mi, "max_entries");
        off(c, "MapInfo.MAP_FLAGS", AttrLayout.MapInfo.MAP_FLAGS, mi, "map_flags");
        off(c, "MapInfo.NAME", AttrLayout.MapInfo.NAME, mi, "name");
        off(c, "MapInfo.IFINDEX", AttrLayout.MapInfo.IFINDEX, mi, "ifindex");
        off(c, "MapInfo.BTF_VMLINUX_VALUE_TYPE_ID", AttrLayout.MapInfo.BTF_VMLINUX_VALUE_TYPE_ID, mi,
                "btf_vmlinux_value_type_id");
        off(c, "MapInfo.NETNS_DEV", AttrLayout.MapInfo.NETNS_DEV, mi, "netns_dev");
        off(c, "MapInfo.NETNS_INO", AttrLayout.MapInfo.NETNS_INO, mi, "netns_ino");
        off(c, "MapInfo.BTF_ID", AttrLayout.MapInfo.BTF_ID, mi, "btf_id");
        off(c, "MapInfo.BTF_KEY_TYPE_ID", AttrLayout.MapInfo.BTF_KEY_TYPE_ID, mi, "btf_key_type_id");
        off(c, "MapInfo.BTF_VALUE_TYPE_ID", AttrLayout.MapInfo.BTF_VALUE_TYPE_ID, mi, "btf_value_type_id");
        off(c, "MapInfo.MAP_EXTRA", AttrLayout.MapInfo.MAP_EXTRA, mi, "map_extra");
        end(c, "MapInfo.SIZE", AttrLayout.MapInfo.SIZE, mi, "map_extra");

        // struct bpf_prog_info
        String pi = "struct bpf_prog_info";
        off(c, "ProgInfo.TYPE", AttrLayout.ProgInfo.TYPE, pi, "type");
        off(c, "ProgInfo.ID", AttrLayout.ProgInfo.ID, pi, "id");
        off(c, "ProgInfo.TAG", AttrLayout.ProgInfo.TAG, pi, "tag");
        off(c, "ProgInfo.JITED_PROG_LEN", AttrLayout.ProgInfo.JITED_PROG_LEN, pi, "jited_prog_len");
        off(c, "ProgInfo.XLATED_PROG_LEN", AttrLayout.ProgInfo.XLATED_PROG_LEN, pi, "xlated_prog_len");
        off(c, "ProgInfo.XLATED_PROG_INSNS", AttrLayout.ProgInfo.XLATED_PROG_INSNS, pi, "xlated_prog_insns");
        off(c, "ProgInfo.LOAD_TIME", AttrLayout.ProgInfo.LOAD_TIME, pi, "load_time");
        off(c, "ProgInfo.CREATED_BY_UID", AttrLayout.ProgInfo.CREATED_BY_UID, pi, "created_by_uid");
        off(c, "ProgInfo.NR_MAP_IDS", AttrLayout.ProgInfo.NR_MAP_IDS, pi, "nr_map_ids");
        off(c, "ProgInfo.MAP_IDS", AttrLayout.ProgInfo.MAP_IDS, pi, "map_ids");
        off(c, "ProgInfo.NAME", AttrLayout.ProgInfo.NAME, pi, "name");
        off(c, "ProgInfo.IFINDEX", AttrLayout.ProgInfo.IFINDEX, pi, "ifindex");
        long gplBit = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? 1 : 0x8000_0000L;
        check(c, "ProgInfo.GPL_COMPATIBLE_WORD", gplBit, "({ struct bpf_prog_info i; __builtin_memset(&i, 0, "
                + "sizeof i); i.gpl_compatible = 1; *(unsigned int *) ((char *) &i + "
                + AttrLayout.ProgInfo.GPL_COMPATIBLE_WORD + "); })", true);
        off(c, "ProgInfo.BTF_ID", AttrLayout.ProgInfo.BTF_ID, pi, "btf_id");
        off(c, "ProgInfo.NR_FUNC_INFO", AttrLayout.ProgInfo.NR_FUNC_INFO, pi, "nr_func_info");
        off(c, "ProgInfo.NR_LINE_INFO", AttrLayout.ProgInfo.NR_LINE_INFO, pi, "nr_line_info");
        off(c, "ProgInfo.RUN_TIME_NS", AttrLayout.ProgInfo.RUN_TIME_NS, pi, "run_time_ns");
        off(c, "ProgInfo.RUN_CNT", AttrLayout.ProgInfo.RUN_CNT, pi, "run_cnt");
        off(c, "ProgInfo.RECURSION_MISSES", AttrLayout.ProgInfo.RECURSION_MISSES, pi, "recursion_misses");
        off(c, "ProgInfo.VERIFIED_INSNS", AttrLayout.ProgInfo.VERIFIED_INSNS, pi, "verified_insns");
        off(c, "ProgInfo.ATTACH_BTF_OBJ_ID", AttrLayout.ProgInfo.ATTACH_BTF_OBJ_ID, pi, "attach_btf_obj_id");
        off(c, "ProgInfo.ATTACH_BTF_ID", AttrLayout.ProgInfo.ATTACH_BTF_ID, pi, "attach_btf_id");
        check(c, "ProgInfo.SIZE", AttrLayout.ProgInfo.SIZE, "(" + offsetofend(pi, "attach_btf_id") + " + 7) / 8 * 8",
                true);

        // struct bpf_btf_info
        String bi = "struct bpf_btf_info";
        off(c, "BtfInfo.BTF", AttrLayout.BtfInfo.BTF, bi, "btf");
        off(c, "BtfInfo.BTF_SIZE", AttrLayout.BtfInfo.BTF_SIZE, bi, "btf_size");
        off(c, "BtfInfo.ID", AttrLayout.BtfInfo.ID, bi, "id");
        off(c, "BtfInfo.NAME", AttrLayout.BtfInfo.NAME, bi, "name");
        off(c, "BtfInfo.NAME_LEN", AttrLayout.BtfInfo.NAME_LEN, bi, "name_len");
        off(c, "BtfInfo.KERNEL_BTF", AttrLayout.BtfInfo.KERNEL_BTF, bi, "kernel_btf");
        end(c, "BtfInfo.SIZE", AttrLayout.BtfInfo.SIZE, bi, "kernel_btf");

        // struct bpf_link_info
        String li = "struct bpf_link_info";
        off(c, "LinkInfo.TYPE", AttrLayout.LinkInfo.TYPE, li, "type");
        off(c, "LinkInfo.ID", AttrLayout.LinkInfo.ID, li, "id");
        off(c, "LinkInfo.PROG_ID", AttrLayout.LinkInfo.PROG_ID, li, "prog_id");
        off(c, "LinkInfo.RAW_TRACEPOINT_TP_NAME", AttrLayout.LinkInfo.RAW_TRACEPOINT_TP_NAME, li,
                "raw_tracepoint.tp_name");
        off(c, "LinkInfo.RAW_TRACEPOINT_TP_NAME_LEN", AttrLayout.LinkInfo.RAW_TRACEPOINT_TP_NAME_LEN, li,
                "raw_tracepoint.tp_name_len");
        off(c, "LinkInfo.TRACING_ATTACH_TYPE", AttrLayout.LinkInfo.TRACING_ATTACH_TYPE, li, "tracing.attach_type");
        off(c, "LinkInfo.TRACING_TARGET_OBJ_ID", AttrLayout.LinkInfo.TRACING_TARGET_OBJ_ID, li,
                "tracing.target_obj_id");
        off(c, "LinkInfo.TRACING_TARGET_BTF_ID", AttrLayout.LinkInfo.TRACING_TARGET_BTF_ID, li,
                "tracing.target_btf_id");
        off(c, "LinkInfo.CGROUP_CGROUP_ID", AttrLayout.LinkInfo.CGROUP_CGROUP_ID, li, "cgroup.cgroup_id");
        off(c, "LinkInfo.CGROUP_ATTACH_TYPE", AttrLayout.LinkInfo.CGROUP_ATTACH_TYPE, li, "cgroup.attach_type");
        off(c, "LinkInfo.NETNS_NETNS_INO", AttrLayout.LinkInfo.NETNS_NETNS_INO, li, "netns.netns_ino");
        off(c, "LinkInfo.NETNS_ATTACH_TYPE", AttrLayout.LinkInfo.NETNS_ATTACH_TYPE, li, "netns.attach_type");
        off(c, "LinkInfo.XDP_IFINDEX", AttrLayout.LinkInfo.XDP_IFINDEX, li, "xdp.ifindex");
        off(c, "LinkInfo.TCX_IFINDEX", AttrLayout.LinkInfo.TCX_IFINDEX, li, "tcx.ifindex");
        off(c, "LinkInfo.TCX_ATTACH_TYPE", AttrLayout.LinkInfo.TCX_ATTACH_TYPE, li, "tcx.attach_type");
        off(c, "LinkInfo.NETKIT_IFINDEX", AttrLayout.LinkInfo.NETKIT_IFINDEX, li, "netkit.ifindex");
        off(c, "LinkInfo.NETKIT_ATTACH_TYPE", AttrLayout.LinkInfo.NETKIT_ATTACH_TYPE, li, "netkit.attach_type");
        off(c, "LinkInfo.SOCKMAP_MAP_ID", AttrLayout.LinkInfo.SOCKMAP_MAP_ID, li, "sockmap.map_id");
        off(c, "LinkInfo.SOCKMAP_ATTACH_TYPE", AttrLayout.LinkInfo.SOCKMAP_ATTACH_TYPE, li, "sockmap.attach_type");
        off(c, "LinkInfo.NETFILTER_PF", AttrLayout.LinkInfo.NETFILTER_PF, li, "netfilter.pf");
        off(c, "LinkInfo.NETFILTER_HOOKNUM", AttrLayout.LinkInfo.NETFILTER_HOOKNUM, li, "netfilter.hooknum");
        off(c, "LinkInfo.NETFILTER_PRIORITY", AttrLayout.LinkInfo.NETFILTER_PRIORITY, li, "netfilter.priority");
        off(c, "LinkInfo.NETFILTER_FLAGS", AttrLayout.LinkInfo.NETFILTER_FLAGS, li, "netfilter.flags");
        off(c, "LinkInfo.ITER_TARGET_NAME", AttrLayout.LinkInfo.ITER_TARGET_NAME, li, "iter.target_name");
        off(c, "LinkInfo.ITER_TARGET_NAME_LEN", AttrLayout.LinkInfo.ITER_TARGET_NAME_LEN, li, "iter.target_name_len");
        off(c, "LinkInfo.ITER_MAP_ID", AttrLayout.LinkInfo.ITER_MAP_ID, li, "iter.map.map_id");
        off(c, "LinkInfo.ITER_CGROUP_ID", AttrLayout.LinkInfo.ITER_CGROUP_ID, li, "iter.cgroup.cgroup_id");
        off(c, "LinkInfo.ITER_CGROUP_ORDER", AttrLayout.LinkInfo.ITER_CGROUP_ORDER, li, "iter.cgroup.order");
        off(c, "LinkInfo.ITER_TASK_TID", AttrLayout.LinkInfo.ITER_TASK_TID, li, "iter.task.tid");
        off(c, "LinkInfo.ITER_TASK_PID", AttrLayout.LinkInfo.ITER_TASK_PID, li, "iter.task.pid");
        off(c, "LinkInfo.PERF_EVENT_TYPE", AttrLayout.LinkInfo.PERF_EVENT_TYPE, li, "perf_event.type");
        // The name pointer and its length sit at the same offsets in the uprobe, kprobe and tracepoint members.
        for (String member : List.of("uprobe.file_name", "kprobe.func_name", "tracepoint.tp_name")) {
            off(c, "LinkInfo.PERF_EVENT_NAME", AttrLayout.LinkInfo.PERF_EVENT_NAME, li, "perf_event." + member);
        }
        for (String member : List.of("uprobe", "kprobe", "tracepoint")) {
            off(c, "LinkInfo.PERF_EVENT_NAME_LEN", AttrLayout.LinkInfo.PERF_EVENT_NAME_LEN, li,
                    "perf_event." + member + ".name_len");
        }
        for (String member : List.of("uprobe", "kprobe")) {
            off(c, "LinkInfo.PERF_EVENT_OFFSET", AttrLayout.LinkInfo.PERF_EVENT_OFFSET, li,
                    "perf_event." + member + ".offset");
        }
        off(c, "LinkInfo.PERF_EVENT_EVENT_CONFIG", AttrLayout.LinkInfo.PERF_EVENT_EVENT_CONFIG, li,
                "perf_event.event.config");
        off(c, "LinkInfo.PERF_EVENT_EVENT_TYPE", AttrLayout.LinkInfo.PERF_EVENT_EVENT_TYPE, li,
                "perf_event.event.type");
        off(c, "LinkInfo.KPROBE_MULTI_COUNT", AttrLayout.LinkInfo.KPROBE_MULTI_COUNT, li, "kprobe_multi.count");
        off(c, "LinkInfo.KPROBE_MULTI_FLAGS", AttrLayout.LinkInfo.KPROBE_MULTI_FLAGS, li, "kprobe_multi.flags");
        off(c, "LinkInfo.KPROBE_MULTI_MISSED", AttrLayout.LinkInfo.KPROBE_MULTI_MISSED, li, "kprobe_multi.missed");
        off(c, "LinkInfo.UPROBE_MULTI_PATH", AttrLayout.LinkInfo.UPROBE_MULTI_PATH, li, "uprobe_multi.path");
        off(c, "LinkInfo.UPROBE_MULTI_PATH_SIZE", AttrLayout.LinkInfo.UPROBE_MULTI_PATH_SIZE, li,
                "uprobe_multi.path_size");
        off(c, "LinkInfo.UPROBE_MULTI_COUNT", AttrLayout.LinkInfo.UPROBE_MULTI_COUNT, li, "uprobe_multi.count");
        off(c, "LinkInfo.UPROBE_MULTI_FLAGS", AttrLayout.LinkInfo.UPROBE_MULTI_FLAGS, li, "uprobe_multi.flags");
        off(c, "LinkInfo.UPROBE_MULTI_PID", AttrLayout.LinkInfo.UPROBE_MULTI_PID, li, "uprobe_multi.pid");
        check(c, "LinkInfo.SIZE", 1, "sizeof(" + li + ") <= " + AttrLayout.LinkInfo.SIZE, true);

        // struct perf_event_attr
        String pe = "struct perf_event_attr";
        off(c, "PerfEvent.TYPE", AttrLayout.PerfEvent.TYPE, pe, "type");
        off(c, "PerfEvent.SIZE_FIELD", AttrLayout.PerfEvent.SIZE_FIELD, pe, "size");
        off(c, "PerfEvent.CONFIG", AttrLayout.PerfEvent.CONFIG, pe, "config");
        off(c, "PerfEvent.SAMPLE_PERIOD", AttrLayout.PerfEvent.SAMPLE_PERIOD, pe, "sample_period");
        off(c, "PerfEvent.SAMPLE_FREQ", AttrLayout.PerfEvent.SAMPLE_FREQ, pe, "sample_freq");
        off(c, "PerfEvent.SAMPLE_TYPE", AttrLayout.PerfEvent.SAMPLE_TYPE, pe, "sample_type");
        off(c, "PerfEvent.READ_FORMAT", AttrLayout.PerfEvent.READ_FORMAT, pe, "read_format");
        check(c, "PerfEvent.FLAGS", AttrLayout.PerfEvent.FLAGS, offsetofend(pe, "read_format"), true);
        off(c, "PerfEvent.WAKEUP_EVENTS", AttrLayout.PerfEvent.WAKEUP_EVENTS, pe, "wakeup_events");
        off(c, "PerfEvent.WAKEUP_WATERMARK", AttrLayout.PerfEvent.WAKEUP_WATERMARK, pe, "wakeup_watermark");
        off(c, "PerfEvent.BP_TYPE", AttrLayout.PerfEvent.BP_TYPE, pe, "bp_type");
        off(c, "PerfEvent.CONFIG1", AttrLayout.PerfEvent.CONFIG1, pe, "config1");
        off(c, "PerfEvent.CONFIG2", AttrLayout.PerfEvent.CONFIG2, pe, "config2");
        off(c, "PerfEvent.CONFIG3", AttrLayout.PerfEvent.CONFIG3, pe, "config3");
        end(c, "PerfEvent.SIZE", AttrLayout.PerfEvent.SIZE, pe, "config3");
        for (PerfEventFlag f : PerfEventFlag.values()) {
            check(c, "PerfEventFlag." + f, f.mask(), "({ struct perf_event_attr a; __builtin_memset(&a, 0, sizeof a); "
                    + "a." + f.name().toLowerCase(Locale.ROOT) + " = 1; *(long long *) ((char *) &a + "
                    + AttrLayout.PerfEvent.FLAGS + "); })", false);
        }
        check(c, "PerfEventAttr.TYPE_SOFTWARE", PerfEventAttr.TYPE_SOFTWARE, "PERF_TYPE_SOFTWARE", false);
        check(c, "PerfEventAttr.TYPE_TRACEPOINT", PerfEventAttr.TYPE_TRACEPOINT, "PERF_TYPE_TRACEPOINT", false);
        check(c, "PerfEventAttr.SW_BPF_OUTPUT", PerfEventAttr.SW_BPF_OUTPUT, "PERF_COUNT_SW_BPF_OUTPUT", false);
        check(c, "PerfEventAttr.SAMPLE_RAW", PerfEventAttr.SAMPLE_RAW, "PERF_SAMPLE_RAW", false);
        check(c, "PerfEvents.enableRequest", PerfEvents.enableRequest(), "PERF_EVENT_IOC_ENABLE", false);
        check(c, "PerfEvents.disableRequest", PerfEvents.disableRequest(), "PERF_EVENT_IOC_DISABLE", false);
        check(c, "PerfEvents.setBpfRequest", PerfEvents.setBpfRequest(), "PERF_EVENT_IOC_SET_BPF", false);

        // UAPI enums and flags
        for (BpfCommand cmd : BpfCommand.values()) {
            check(c, "BpfCommand." + cmd, cmd.value(), cmd.uapiName(), false);
        }
        for (LinkType t : LinkType.values()) {
            check(c, "LinkType." + t, t.value(), "BPF_LINK_TYPE_" + t.name(), false);
        }
        for (MapType t : MapType.values()) {
            check(c, "MapType." + t, t.value(), "BPF_MAP_TYPE_" + t.name(), false);
        }
        for (ProgramType t : ProgramType.values()) {
            check(c, "ProgramType." + t, t.value(), "BPF_PROG_TYPE_" + t.name(), false);
        }
        for (AttachType t : AttachType.values()) {
            check(c, "AttachType." + t, t.value(), "BPF_" + t.name(), false);
        }
        for (MapFlag f : MapFlag.values()) {
            check(c, "MapFlag." + f, f.value(), "BPF_F_" + f.name(), false);
        }
        for (ProgramFlag f : ProgramFlag.values()) {
            check(c, "ProgramFlag." + f, f.value(), "BPF_F_" + f.name(), false);
        }
        for (Errno e : Errno.values()) {
            check(c, "Errno." + e, e.number(), e.name(), false);
        }
        return List.copyOf(c);
    }

    private static void off(List<Check> c, String name, int value, String type, String member) {
        check(c, name, value, offsetof(type, member), true);
    }

    private static void end(List<Check> c, String name, int value, String type, String member) {
        check(c, name, value, offsetofend(type, member), true);
    }

    private static String offsetof(String type, String member) {
        return "__builtin_offsetof(" + type + ", " + member + ")";
    }

    private static String offsetofend(String type, String member) {
        return "(" + offsetof(type, member) + " + sizeof(((" + type + " *) 0)->" + member + "))";
    }

    private static void check(List<Check> c, String name, long value, String expression, boolean layout) {
        c.add(new Check(name, value, expression, layout));
    }
}
