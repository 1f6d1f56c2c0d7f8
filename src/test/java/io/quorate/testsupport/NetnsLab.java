package io.quorate.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A private network for multi-region fault tests (LAB.md, "Network namespaces"): one Linux bridge
 * with no address, and per host (a region agent, a target server, ...) a network namespace joined
 * to it by a veth pair whose namespace end is {@code eth0} with one address from 198.18.0.0/24 (RFC
 * 2544 benchmarking range) and exactly one route, {@code 198.18.0.0/24 dev eth0}. Nothing in the
 * lab can reach beyond the bridge, and the host's routing table and iptables are never touched.
 *
 * <p>Every name carries a random suffix, so parallel or crashed runs never collide. Faults are
 * iptables rules inside the lab's own namespaces ({@link NetnsFaults}); processes run under {@code
 * ip netns exec} and are stopped by PID at {@link #close()}, which then deletes the veths, the
 * namespaces and the bridge (in that order, LAB.md) and waits, bounded, for them to vanish. Needs
 * root: it fails loudly otherwise.
 */
public final class NetnsLab implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NetnsLab.class);
  private static final Duration CMD_LIMIT = Duration.ofSeconds(10);
  private static final Duration VANISH_LIMIT = Duration.ofSeconds(5);

  /** The lab's only subnet (RFC 2544 benchmarking range); never routed off this host. */
  public static final String SUBNET = "198.18.0.0/24";

  /**
   * One host of the lab.
   *
   * @param name the caller's name for it (e.g. {@code eu-west})
   * @param ns its network namespace
   * @param ip its only address, on {@code eth0}
   * @param veth the host-side end of its veth pair (enslaved to the bridge, no address)
   */
  public record Host(String name, String ns, String ip, String veth) {}

  private final String suffix;
  private final String bridge;
  private final Map<String, Host> hosts;
  private final List<LabProcess> processes = new ArrayList<>();
  private String iptables = "iptables";

  private NetnsLab(String suffix, Map<String, Host> hosts) {
    this.suffix = suffix;
    this.bridge = "qbr" + suffix;
    this.hosts = hosts;
  }

  /**
   * Builds the topology: host {@code i} of {@code names} gets 198.18.0.(10 + i). At most 100 hosts.
   * On any failure whatever was already built is torn down before the error is rethrown.
   */
  public static NetnsLab create(List<String> names) {
    NetnsCommands.requireRoot();
    LabProcess.requireTool("ip");
    LabProcess.requireTool("sysctl");
    if (names.isEmpty() || names.size() > 100) {
      throw new IllegalArgumentException("1..100 hosts, not " + names.size());
    }
    String suffix = NetnsCommands.randomSuffix();
    Map<String, Host> hosts = new LinkedHashMap<>();
    for (int i = 0; i < names.size(); i++) {
      String n = names.get(i);
      // interface names are at most 15 bytes (IFNAMSIZ - 1): "qv" + 5 + up to 2 digits = 9
      hosts.put(
          n, new Host(n, "quorate-" + suffix + "-" + n, "198.18.0." + (10 + i), veth(suffix, i)));
    }
    NetnsLab lab = new NetnsLab(suffix, hosts);
    try {
      lab.build();
      return lab;
    } catch (RuntimeException e) {
      try {
        lab.close();
      } catch (RuntimeException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  private static String veth(String suffix, int i) {
    return "qv" + suffix + i;
  }

  private void build() {
    StringBuilder links = new StringBuilder("link add " + bridge + " type bridge\n");
    for (Host h : hosts.values()) {
      links.append("netns add ").append(h.ns()).append('\n');
      links.append("link add ").append(h.veth()).append(" type veth peer name eth0 netns ");
      links.append(h.ns()).append('\n');
    }
    NetnsCommands.batch(List.of("ip", "-batch", "-"), links.toString());
    // IPv6 off before anything comes up, or link-local addresses appear (LAB.md)
    disableIpv6OnHost(bridge);
    StringBuilder up = new StringBuilder("link set " + bridge + " up\n");
    for (Host h : hosts.values()) {
      disableIpv6OnHost(h.veth());
      run(
          h.name(),
          List.of(
              "sysctl",
              "-qw",
              "net.ipv6.conf.all.disable_ipv6=1",
              "net.ipv6.conf.default.disable_ipv6=1"));
      up.append("link set ").append(h.veth()).append(" master ").append(bridge).append(" up\n");
    }
    NetnsCommands.batch(List.of("ip", "-batch", "-"), up.toString());
    for (Host h : hosts.values()) {
      // noprefixroute + one explicit route: exactly one route in the namespace
      NetnsCommands.batch(
          List.of("ip", "-n", h.ns(), "-batch", "-"),
          "addr add "
              + h.ip()
              + "/24 dev eth0 noprefixroute\nlink set lo up\nlink set eth0 up\nroute add "
              + SUBNET
              + " dev eth0\n");
    }
    iptables = pickIptables(hosts.values().iterator().next());
    LOG.info("netns-lab up suffix={} bridge={} hosts={}", suffix, bridge, hosts.keySet());
  }

  /** iptables-nft where it works inside a namespace, else iptables-legacy. */
  private String pickIptables(Host probe) {
    StringBuilder why = new StringBuilder();
    for (String candidate : List.of("iptables", "iptables-legacy")) {
      LabProcess.Exec r = exec(probe.name(), List.of(candidate, "-w", "-S"), CMD_LIMIT);
      if (r.exitCode() == 0) {
        return candidate;
      }
      why.append(candidate).append(": ").append(r.output().strip()).append("; ");
    }
    throw new IllegalStateException("no working iptables inside a namespace: " + why);
  }

  private static void disableIpv6OnHost(String ifname) {
    try {
      Files.writeString(Path.of("/proc/sys/net/ipv6/conf", ifname, "disable_ipv6"), "1");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot disable IPv6 on " + ifname, e);
    }
  }

  /**
   * Adds {@code ip} (from {@link #SUBNET}, not a host's own address) as a second address on {@code
   * host}'s {@code eth0}, e.g. one per pool member served from one namespace. The route stays the
   * one subnet route; faults ({@link NetnsFaults}) still match by a host's own address.
   */
  public void addAddress(String host, String ip) {
    if (!ip.startsWith("198.18.0.") || hosts.values().stream().anyMatch(h -> h.ip().equals(ip))) {
      throw new IllegalArgumentException("not a free lab address: " + ip);
    }
    NetnsCommands.batch(
        List.of("ip", "-n", host(host).ns(), "-batch", "-"),
        "addr add " + ip + "/24 dev eth0 noprefixroute\n");
  }

  /** The host called {@code name}; fails on an unknown name. */
  public Host host(String name) {
    Host h = hosts.get(name);
    if (h == null) {
      throw new IllegalArgumentException("no lab host " + name + " (have " + hosts.keySet() + ")");
    }
    return h;
  }

  public List<Host> hosts() {
    return List.copyOf(hosts.values());
  }

  public String bridge() {
    return bridge;
  }

  /** The iptables command that works in this lab's namespaces. */
  public String iptables() {
    return iptables;
  }

  /** Fault injection for this lab. */
  public NetnsFaults faults() {
    return new NetnsFaults(this);
  }

  /** Runs {@code command} inside {@code host}'s namespace; returns its code and output. */
  public LabProcess.Exec exec(String host, List<String> command, Duration limit) {
    List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", host(host).ns()));
    full.addAll(command);
    return LabProcess.exec(full, limit);
  }

  /** Runs {@code command} inside {@code host}'s namespace; fails loudly with its output. */
  public String run(String host, List<String> command) {
    LabProcess.Exec r = exec(host, command, CMD_LIMIT);
    if (r.exitCode() != 0) {
      throw new IllegalStateException(
          "in " + host + ": " + command + " exited " + r.exitCode() + ": " + r.output().strip());
    }
    return r.output();
  }

  /**
   * Starts a long-running process inside {@code host}'s namespace. {@code ip netns exec} replaces
   * itself with the command, so the PID is the daemon's own. The lab stops it at {@link #close()}.
   */
  public synchronized LabProcess start(
      String host, String name, List<String> command, Path workDir, Map<String, String> env) {
    List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", host(host).ns()));
    full.addAll(command);
    LabProcess p = LabProcess.start(name, full, workDir, workDir.resolve(name + ".log"), env);
    processes.add(p);
    return p;
  }

  /** Sends {@code signal} (e.g. {@code STOP}, {@code CONT}) to one of this lab's processes. */
  public void signal(LabProcess p, String signal) {
    LabProcess.run(List.of("kill", "-" + signal, Long.toString(p.pid())), CMD_LIMIT);
  }

  /** {@code kill -9}, and waits (bounded) until the process is gone. */
  public void kill9(LabProcess p) {
    p.handle().destroyForcibly();
    try {
      p.handle().onExit().get(5, java.util.concurrent.TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(p + " survived kill -9 for 5 s", e);
    }
  }

  /** PIDs of processes still running in any of this lab's namespaces (should be none at close). */
  public List<String> pidsInNamespaces() {
    List<String> pids = new ArrayList<>();
    for (Host h : hosts.values()) {
      if (Files.exists(Path.of("/run/netns", h.ns()))) {
        LabProcess.Exec r = LabProcess.exec(List.of("ip", "netns", "pids", h.ns()), CMD_LIMIT);
        r.output().lines().filter(l -> !l.isBlank()).forEach(pids::add);
      }
    }
    return pids;
  }

  /** Interfaces and namespaces of this lab that still exist (empty after {@link #close()}). */
  public List<String> leftovers() {
    List<String> left = new ArrayList<>();
    if (Files.exists(Path.of("/sys/class/net", bridge))) {
      left.add("bridge " + bridge);
    }
    for (Host h : hosts.values()) {
      if (Files.exists(Path.of("/sys/class/net", h.veth()))) {
        left.add("veth " + h.veth());
      }
      if (Files.exists(Path.of("/run/netns", h.ns()))) {
        left.add("netns " + h.ns());
      }
    }
    return left;
  }

  /** Processes started through this lab that are still alive. */
  public synchronized List<String> liveProcesses() {
    return processes.stream().filter(LabProcess::isAlive).map(LabProcess::toString).toList();
  }

  /**
   * Stops the lab's processes, deletes veths, then namespaces, then the bridge, and waits up to 5 s
   * for them to vanish; fails loudly with whatever is left.
   */
  @Override
  public synchronized void close() {
    for (LabProcess p : processes) {
      if (p.isAlive()) {
        // a stopped process would hold SIGTERM until LabProcess's 5 s SIGKILL fallback
        LabProcess.exec(List.of("kill", "-CONT", Long.toString(p.pid())), CMD_LIMIT);
      }
      p.close();
    }
    List<String> strays = pidsInNamespaces();
    // only PIDs inside this run's private namespaces: nothing else can be in them
    strays.forEach(pid -> LabProcess.exec(List.of("kill", "-9", pid), CMD_LIMIT));
    StringBuilder del = new StringBuilder();
    hosts.values().forEach(h -> del.append("link del ").append(h.veth()).append('\n'));
    hosts.values().forEach(h -> del.append("netns del ").append(h.ns()).append('\n'));
    del.append("link del ").append(bridge).append('\n');
    // -force: keep going past what a half-built lab never created
    LabProcess.Exec r =
        NetnsCommands.batchExec(List.of("ip", "-force", "-batch", "-"), del.toString());
    long deadline = System.nanoTime() + VANISH_LIMIT.toNanos();
    while (!leftovers().isEmpty() && System.nanoTime() < deadline) {
      NetnsCommands.pause(20); // the kernel frees devices asynchronously (LAB.md); bounded poll
    }
    List<String> left = leftovers();
    if (!left.isEmpty() || !strays.isEmpty()) {
      throw new IllegalStateException(
          "netns lab "
              + suffix
              + " left "
              + left
              + (strays.isEmpty() ? "" : " and processes " + strays)
              + "; ip said: "
              + r.output().strip());
    }
    LOG.info("netns-lab down suffix={}", suffix);
  }

  public String suffix() {
    return suffix;
  }
}
