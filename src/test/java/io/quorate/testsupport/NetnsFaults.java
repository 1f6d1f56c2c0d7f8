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
