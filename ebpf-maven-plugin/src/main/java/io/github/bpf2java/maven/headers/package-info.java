/**
 * The BPF headers the plugin ships ({@code bpf/bpf_helpers.h} and friends, written by this project) and how they get
 * on clang's include path: extracted into the build's cache when changed, searched after or before the system's
 * headers according to the {@code bundledHeaders} parameter; and the headers that let C written for other build
 * setups compile unmodified ({@code gnu/stubs-32.h}, {@code bpf2java/legacy_maps.h}), always searched last.
 */
package io.github.bpf2java.maven.headers;
