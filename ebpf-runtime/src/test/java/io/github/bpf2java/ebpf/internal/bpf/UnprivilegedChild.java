package io.github.bpf2java.ebpf.internal.bpf;

import io.github.bpf2java.ebpf.BpfFeatures;
import io.github.bpf2java.ebpf.BpfLink;
import io.github.bpf2java.ebpf.BpfObject;
import io.github.bpf2java.ebpf.BpfStats;
import io.github.bpf2java.ebpf.LoadOptions;
import io.github.bpf2java.ebpf.NetworkNamespace;
import io.github.bpf2java.ebpf.spec.MapType;
import io.github.bpf2java.ebpf.spec.ObjectSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * The child process of {@link UnprivilegedTest}: tries to create a map ({@code map}), load an object file
 * ({@code object <path> [program]}), attach one of its programs ({@code attach <path> <program>}), enter a network
 * namespace ({@code netns <path>}), turn statistics on ({@code stats}) or ask a feature question
 * ({@code features}), and prints what happened, for the
 * parent to check. Runs without privileges, so it must not need anything but the class path it is given.
 */
public final class UnprivilegedChild {
    private UnprivilegedChild() {}

    public static void main(String[] args) throws IOException {
        try {
            if (args.length >= 2 && args[0].equals("object")) {
                ObjectSpec spec = ObjectSpec.read("counter", Files.readAllBytes(Path.of(args[1])));
                LoadOptions options = args.length == 3
                        ? LoadOptions.builder().programs(Set.of(args[2])).build() : LoadOptions.defaults();
                try (BpfObject object = BpfObject.load(spec, options)) {
                    System.out.println("LOADED " + object);
                }
            } else if (args.length == 3 && args[0].equals("attach")) {
                ObjectSpec spec = ObjectSpec.read("counter", Files.readAllBytes(Path.of(args[1])));
                try (BpfObject object = BpfObject.load(spec, LoadOptions.defaults());
                        BpfLink link = object.program(args[2]).attach()) {
                    System.out.println("ATTACHED " + link.description());
                }
            } else if (args.length == 2 && args[0].equals("netns")) {
                try (NetworkNamespace namespace = NetworkNamespace.open(Path.of(args[1]))) {
                    System.out.println("ENTERED " + namespace.call(() -> "inside"));
                }
            } else if (args.length == 1 && args[0].equals("stats")) {
                try (BpfStats stats = BpfStats.enable()) {
                    System.out.println("ENABLED " + stats);
                }
            } else if (args.length == 1 && args[0].equals("features")) {
                System.out.println("ANSWERED " + BpfFeatures.supports(MapType.HASH));
            } else {
                try (MapFd map = MapFd.create(MapCreateRequest.builder(MapType.HASH, 4, 4, 1).name("unpriv")
                        .build())) {
                    System.out.println("CREATED " + map);
                }
            }
        } catch (RuntimeException e) {
            System.out.println("EXCEPTION " + e.getClass().getName());
            System.out.println(e.getMessage());
        }
    }
}
