package io.github.bpf2java.maven.headers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The committed {@code bpf_helper_defs.h} is what {@link HelperDefinitionsGenerator} makes of the UAPI header.
 * On a machine whose {@code <linux/bpf.h>} has the same helper list and descriptions (same source digest) the file
 * must be identical; on one with another kernel's header the helpers both know must have the same ids. Run with
 * {@code -Debpf.regenerateHeaders=true} to rewrite the committed file from this machine's header.
 */
class HelperDefinitionsTest {
    private static final Pattern DECLARATION =
            Pattern.compile("\\(\\* const bpf_(\\w+)\\)\\(.*= \\(void \\*\\) (\\d+);");
    private static final Pattern DIGEST = Pattern.compile("Source digest: (sha256:[0-9a-f]+)");

    @Test
    void committedFileIsTheGeneratorsOutputForThisMachinesUapiHeader() throws Exception {
        Path uapi = HelperDefinitionsGenerator.UAPI_HEADER;
        assumeTrue(Files.isReadable(uapi), "no " + uapi + " (linux-libc-dev) on this machine");
        String header = Files.readString(uapi, StandardCharsets.UTF_8);
        String generated = HelperDefinitionsGenerator.generate(header);
        Path committedFile = HelperDefinitionsGenerator.OUTPUT;
        if (Boolean.getBoolean("ebpf.regenerateHeaders")) {
            Files.writeString(committedFile, generated, StandardCharsets.UTF_8);
            HeaderManifest.main(new String[0]);
        }
        String committed = Files.readString(committedFile, StandardCharsets.UTF_8);
        Matcher digest = DIGEST.matcher(committed);
        assertTrue(digest.find(), "the committed file names its source digest");
        if (digest.group(1).equals(HelperDefinitionsGenerator.sourceDigest(header))) {
            assertEquals(generated, committed, "bpf_helper_defs.h differs from the generator's output for " + uapi
                    + ": regenerate it (java src/test/java/io/github/bpf2java/maven/headers/"
                    + "HelperDefinitionsGenerator.java, or this test with -Debpf.regenerateHeaders=true)");
        } else {
            Map<String, Integer> mine = ids(generated);
            Map<String, Integer> ours = ids(committed);
            ours.keySet().retainAll(mine.keySet());
            mine.keySet().retainAll(ours.keySet());
            assertEquals(mine, ours, "helpers known to both headers keep their ids");
        }
    }

    @Test
    void readsExplicitIdsAndGeneralizesParametersThatDifferBetweenSignatures() {
        String header = """
                /*
                 * Start of BPF helper function descriptions:
                 *
                 * void *bpf_map_lookup_elem(struct bpf_map *map, const void *key)
                 * \tDescription
                 * \t\tLooks up.
                 *
                 * u64 bpf_get_socket_cookie(struct sk_buff *skb)
                 * \tDescription
                 * \t\tOne context.
                 *
                 * u64 bpf_get_socket_cookie(struct bpf_sock_addr *ctx)
                 * \tDescription
                 * \t\tAnother.
                 *
                 * long bpf_strtol(const char *buf, size_t buf_len, u64 flags, long *res)
                 * \tDescription
                 * \t\tParses.
                 */
                #define ___BPF_FUNC_MAPPER(FN, ctx...)\t\t\\
                \tFN(unspec, 0, ##ctx)\t\t\t\\
                \tFN(map_lookup_elem, 1, ##ctx)\t\t\\
                \tFN(get_socket_cookie, 46, ##ctx)\t\\
                \tFN(strtol, 105, ##ctx)\t\t\\
                \t/* */
                """;
        List<HelperDefinitionsGenerator.Helper> helpers = HelperDefinitionsGenerator.helpers(header);
        assertEquals(List.of(
                "static void *(* const bpf_map_lookup_elem)(void *map, const void *key) = (void *) 1;",
                "static __u64 (* const bpf_get_socket_cookie)(void *skb) = (void *) 46;",
                "static long (* const bpf_strtol)(const char *buf, unsigned long buf_len, __u64 flags, long *res)"
                        + " = (void *) 105;"),
                helpers.stream().map(HelperDefinitionsGenerator.Helper::declaration).toList());
    }

    @Test
    void idsFollowThePositionInOlderHeaders() throws Exception {
        String committed = Files.readString(HelperDefinitionsGenerator.OUTPUT, StandardCharsets.UTF_8);
        Map<String, Integer> ids = ids(committed);
        // Fixed by the kernel ABI since their introduction.
        assertEquals(1, ids.get("map_lookup_elem"));
        assertEquals(6, ids.get("trace_printk"));
        assertEquals(14, ids.get("get_current_pid_tgid"));
        assertEquals(113, ids.get("probe_read_kernel"));
        assertEquals(177, ids.get("trace_vprintk"));
    }

    private static Map<String, Integer> ids(String defs) {
        Map<String, Integer> ids = new TreeMap<>();
        Matcher m = DECLARATION.matcher(defs);
        while (m.find()) {
            ids.put(m.group(1), Integer.parseInt(m.group(2)));
        }
        return ids;
    }
}
