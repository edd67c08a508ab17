package io.github.bpf2java.maven.naming;

import java.util.HashSet;
import java.util.Set;

/**
 * Hands out unique Java names within one scope (the members of a class, the components of a record). A name already
 * taken, or reserved because the generated code uses it, gets a numeric suffix: {@code counts}, {@code counts2}, ...
 * Callers allocate in a sorted order so the result is deterministic.
 */
public final class NameScope {
    private final Set<String> taken = new HashSet<>();

    /** A scope where {@code reserved} are already taken. */
    public NameScope(Set<String> reserved) {
        taken.addAll(reserved);
    }

    /** {@code wanted} if free, else {@code wanted} with the smallest suffix from 2 that is free; marks it taken. */
    public String allocate(String wanted) {
        String name = wanted;
        for (int i = 2; taken.contains(name); i++) {
            name = wanted + i;
        }
        taken.add(name);
        return name;
    }

    /** Whether {@code name} is already taken. */
    public boolean isTaken(String name) {
        return taken.contains(name);
    }
}
