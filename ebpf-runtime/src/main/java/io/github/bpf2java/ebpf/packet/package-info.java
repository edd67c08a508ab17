/**
 * Test packets for {@code BPF_PROG_TEST_RUN}: build Ethernet/IPv4/IPv6 frames with TCP, UDP, ICMP or ICMPv6 and
 * correct checksums ({@link io.github.bpf2java.ebpf.packet.PacketBuilder}), read a frame a program gave back
 * ({@link io.github.bpf2java.ebpf.packet.ParsedPacket}), compute checksums ({@link
 * io.github.bpf2java.ebpf.packet.Checksums}) and show where two frames differ ({@link
 * io.github.bpf2java.ebpf.packet.HexDiff}). Pure Java; no kernel needed.
 */
package io.github.bpf2java.ebpf.packet;
