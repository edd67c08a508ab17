package io.github.bpf2java.ebpf.sys;

import io.github.bpf2java.ebpf.spec.MapType;

/**
 * The child process of {@link UnprivilegedTest}: tries to create a map and prints what happened, for the parent to
 * check. Runs without privileges, so it must not need anything but the class path it is given.
 */
public final class UnprivilegedChild {
    private UnprivilegedChild() {}

    public static void main(String[] args) {
        try (MapFd map = MapFd.create(MapCreateRequest.builder(MapType.HASH, 4, 4, 1).name("unpriv").build())) {
            System.out.println("CREATED " + map);
        } catch (RuntimeException e) {
            System.out.println("EXCEPTION " + e.getClass().getName());
            System.out.println(e.getMessage());
        }
    }
}
