package io.quorate.testsupport;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Network faults for a {@link NetnsLab}, as iptables rules in the filter table of the lab's own
 * namespaces (never the host's: br_netfilter makes bridged frames cross the host's chains, so a
 * host rule could hit other traffic). {@code -o eth0} / {@code -i eth0} keep a host's loopback
 * traffic (its own API, queried from inside its namespace) out of every fault. Every helper fails
 * loudly with iptables' output. The kernel here has no {@code netem} (LAB.md): loss uses {@code -m
 * statistic}; delay is not offered.
 */
public final class NetnsFaults {
  private final NetnsLab lab;

  NetnsFaults(NetnsLab lab) {
    this.lab = lab;
  }

  /** Which packets a cut drops, seen from the host whose namespace holds the rule. */
  public enum Direction {
    /** Both ways. */
    BOTH,
    /**
     * Only packets this host sends to the other. TCP still breaks both ways (the other side's
     * replies are answers to packets that never arrived); prove direction with UDP.
     */
    OUTBOUND,
    /** Only packets this host receives from the other. */
    INBOUND
  }

  /** Drops traffic between {@code host} and {@code other}, in {@code host}'s namespace. */
  public NetnsFaults cut(String host, String other, Direction direction) {
    String ip = lab.host(other).ip();
    if (direction != Direction.INBOUND) {
      iptables(host, "-A", "OUTPUT", "-o", "eth0", "-d", ip, "-j", "DROP");
    }
    if (direction != Direction.OUTBOUND) {
      iptables(host, "-A", "INPUT", "-i", "eth0", "-s", ip, "-j", "DROP");
    }
    return this;
  }

  /** Cuts {@code host} from each of {@code others}, both ways. */
  public NetnsFaults cut(String host, List<String> others) {
    others.forEach(o -> cut(host, o, Direction.BOTH));
    return this;
  }

  /** Drops everything {@code host} sends or receives on the bridge. */
  public NetnsFaults isolate(String host) {
    iptables(host, "-A", "OUTPUT", "-o", "eth0", "-j", "DROP");
    iptables(host, "-A", "INPUT", "-i", "eth0", "-j", "DROP");
    return this;
  }

  /**
   * Drops each packet {@code host} sends to {@code other} with probability {@code p}. For loss on a
   * link both ways, call it for each end.
   */
  public NetnsFaults loss(String host, String other, double p) {
    if (!(p > 0 && p < 1)) {
      throw new IllegalArgumentException("probability must be in (0, 1): " + p);
    }
    String prob = String.format(Locale.ROOT, "%.4f", p);
    String ip = lab.host(other).ip();
    iptables(
        host,
        "-A",
        "OUTPUT",
        "-o",
        "eth0",
        "-d",
        ip,
        "-m",
        "statistic",
        "--mode",
        "random",
        "--probability",
        prob,
        "-j",
        "DROP");
    return this;
  }

  /** Which half of an RFC 2136 UPDATE exchange over TCP {@link #dropDnsUpdates} drops. */
  public enum UpdateHalf {
    /** The client's UPDATE requests: the server never sees them. */
    REQUESTS,
    /** The server's answers to them: the server applies the update, the client never learns. */
    ANSWERS
  }

  /**
   * In the DNS server {@code server}'s namespace, drops TCP segments between it and {@code client}
   * that carry a DNS UPDATE (RFC 2136 opcode 5) request or answer; other messages (queries, the
   * reads before an update) pass. Matches the DNS header's first flags byte (QR and opcode, RFC
   * 1035 §4.1.1) after the two-byte length prefix of DNS over TCP (RFC 1035 §4.2.2) with the {@code
   * u32} match, so it needs a client that sends prefix and message in one segment (the provider
   * does; so do BIND's answers). Retransmissions match too: the exchange hangs until the client's
   * own timeout.
   */
  public NetnsFaults dropDnsUpdates(String server, String client, UpdateHalf half) {
    String ip = lab.host(client).ip();
    // IP header length, then TCP data offset, then byte 4 of the payload (len 2 + id 2 + flags)
    String flags = "0>>22&0x3C@12>>26&0x3C@4>>24&0xF8=";
    if (half == UpdateHalf.REQUESTS) {
      iptables(
          server,
          "-A",
          "INPUT",
          "-i",
          "eth0",
          "-s",
          ip,
          "-p",
          "tcp",
          "-m",
          "u32",
          "--u32",
          flags + "0x28",
          "-j",
          "DROP");
    } else {
      iptables(
          server,
          "-A",
          "OUTPUT",
          "-o",
          "eth0",
          "-d",
          ip,
          "-p",
          "tcp",
          "-m",
          "u32",
          "--u32",
          flags + "0xA8",
          "-j",
          "DROP");
    }
    return this;
  }

  /** Packets the DROP rules in {@code host}'s namespace have dropped so far. */
  public long dropped(String host) {
    long n = 0;
    String out = lab.run(host, List.of(lab.iptables(), "-w", "-L", "-v", "-n", "-x"));
    for (String line : out.lines().toList()) {
      String[] f = line.strip().split("\\s+");
      if (f.length > 2 && "DROP".equals(f[2]) && f[0].matches("\\d+")) {
        n += Long.parseLong(f[0]);
      }
    }
    return n;
  }

  /** Removes every fault rule from {@code host}'s namespace (the lab adds no other rules). */
  public NetnsFaults heal(String host) {
    iptables(host, "-F");
    return this;
  }

  /** Heals every host of the lab. */
  public NetnsFaults healAll() {
    lab.hosts().forEach(h -> heal(h.name()));
    return this;
  }

  /** The rules ({@code -A ...} lines of {@code iptables -S}) now in {@code host}'s namespace. */
  public List<String> rules(String host) {
    return lab.run(host, List.of(lab.iptables(), "-w", "-S"))
        .lines()
        .filter(l -> l.startsWith("-A "))
        .toList();
  }

  private void iptables(String host, String... args) {
    List<String> cmd = new ArrayList<>(List.of(lab.iptables(), "-w"));
    cmd.addAll(List.of(args));
    lab.run(host, cmd);
  }
}
