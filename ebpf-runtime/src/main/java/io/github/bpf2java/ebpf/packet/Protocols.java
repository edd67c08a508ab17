package io.github.bpf2java.ebpf.packet;

/** Protocol numbers and EtherTypes the packet builder and parser know. */
public final class Protocols {
    /** EtherType of IPv4. */
    public static final int ETH_P_IP = 0x0800;
    /** EtherType of IPv6. */
    public static final int ETH_P_IPV6 = 0x86dd;
    /** EtherType of ARP. */
    public static final int ETH_P_ARP = 0x0806;
    /** EtherType (tag protocol identifier) of an IEEE 802.1Q VLAN tag. */
    public static final int ETH_P_8021Q = 0x8100;
    /** EtherType (tag protocol identifier) of an IEEE 802.1ad service VLAN tag, the outer tag of QinQ. */
    public static final int ETH_P_8021AD = 0x88a8;
    /** IP protocol ICMP. */
    public static final int IPPROTO_ICMP = 1;
    /** IP protocol TCP. */
    public static final int IPPROTO_TCP = 6;
    /** IP protocol UDP. */
    public static final int IPPROTO_UDP = 17;
    /** IP protocol ICMPv6. */
    public static final int IPPROTO_ICMPV6 = 58;
    /** Ethernet header length. */
    public static final int ETH_HLEN = 14;
    /** Length of one VLAN tag: its tag protocol identifier and its tag control information, 2 bytes each. */
    public static final int VLAN_HLEN = 4;
    /** IPv4 header length without options. */
    public static final int IPV4_HLEN = 20;
    /** IPv6 header length. */
    public static final int IPV6_HLEN = 40;
    /** UDP header length. */
    public static final int UDP_HLEN = 8;
    /** TCP header length without options. */
    public static final int TCP_HLEN = 20;
    /** ICMP / ICMPv6 echo header length. */
    public static final int ICMP_HLEN = 8;

    private Protocols() {}
}
