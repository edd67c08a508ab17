/**
 * rtnetlink ({@code NETLINK_ROUTE}): the kernel's configuration interface for network devices, queueing disciplines
 * and traffic-control filters, spoken from Java over a raw netlink socket. Used to attach programs the way kernels
 * without {@code bpf_link} for a hook expect (legacy {@code tc} cls_bpf on a clsact qdisc, XDP through
 * {@code IFLA_XDP}) and to name network interfaces. Internal: not part of the API.
 */
package io.github.bpf2java.ebpf.internal.netlink;
