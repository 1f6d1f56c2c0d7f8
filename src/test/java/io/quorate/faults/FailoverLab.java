package io.quorate.faults;

import io.quorate.testsupport.Bind9Conf;
import io.quorate.testsupport.Bind9Lab;
import io.quorate.testsupport.LabProcess;
import io.quorate.testsupport.NetnsLab;
import io.quorate.testsupport.NetnsNginx;
import io.quorate.testsupport.NetnsZoneWatcher;
import io.quorate.testsupport.QuorateCluster;
import io.quorate.testsupport.QuorateCluster.HttpTarget;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The failover topology on one {@link NetnsLab}: three region namespaces (agents eu-west, us-east,
 * ap-southeast, in rank order), a {@code target} namespace whose {@code eth0} carries one extra
 * address per pool member (198.18.0.20, .21, .22), each served by its own nginx, and a {@code dns}
 * namespace running BIND 9 as the zone's primary on its lab address, port 53, with TSIG key {@code
 * lab-update} allowed to change only the pool's name and the epoch record. The cluster config has
 * one http target per member and pool {@code www} ({@code rr.example.test} A) over them. Agents are
 * configured, not started.
 */
final class FailoverLab implements AutoCloseable {
  static final String EU = "eu-west";
  static final String US = "us-east";
  static final String AP = "ap-southeast";
  static final List<String> REGIONS = List.of(EU, US, AP);
  static final String TARGET = "target";
  static final String DNS = "dns";

  static final String ZONE = "example.test";
  static final String NAME = "rr.example.test";
  static final String EPOCH = "_quorate-epoch.example.test";
  static final String POOL = "www";
  static final int DNS_PORT = 53;
  static final int HTTP_PORT = 80;

  /** Member id (also its target id) → its address in the target namespace. */
  static final Map<String, String> MEMBERS = members();

  static final long HOLD_DOWN_MS = 3000;
  static final int FLAP_CHANGES = 4;
  static final long FLAP_WINDOW_MS = 120_000;
  static final int MAX_CHANGES = 30;
  static final long UPDATE_TIMEOUT_MS = 2000;
  static final long PROPAGATION_TIMEOUT_MS = 5000;

  /** The env variable the zone's TSIG secret is read from. */
  static final String TSIG_ENV = "QUORATE_TSIG_SECRET";

  /** A well-formed hmac-sha256 secret that is not the one BIND knows. */
  static final String WRONG_SECRET = "q2bJ6hS1J1uS0Ku0Zb3vQx8P7m7mVt3gW0jz9l8k1aA=";

  private static final Duration LIMIT = Duration.ofSeconds(10);

  final NetnsLab lab;
  final Bind9Lab bind;
  final QuorateCluster cluster;
  private final Path dir;
  private final Map<String, NetnsNginx> nginx = new LinkedHashMap<>();

  private FailoverLab(NetnsLab lab, Path dir, Bind9Lab bind, QuorateCluster cluster) {
    this.lab = lab;
    this.dir = dir;
    this.bind = bind;
    this.cluster = cluster;
  }

  private static Map<String, String> members() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("web-1", "198.18.0.20");
    m.put("web-2", "198.18.0.21");
    m.put("web-3", "198.18.0.22");
    return m;
  }

  /** Builds the namespaces, starts BIND and every member's nginx, writes the agents' configs. */
  static FailoverLab create(Path dir) {
    List<String> hosts = new ArrayList<>(REGIONS);
    hosts.addAll(List.of(TARGET, DNS));
    NetnsLab lab = NetnsLab.create(hosts);
    try {
      MEMBERS.values().forEach(ip -> lab.addAddress(TARGET, ip));
      String dnsIp = lab.host(DNS).ip();
      Bind9Conf conf =
          Bind9Conf.primary(ZONE)
              .withPolicy(Bind9Conf.grantNames(ZONE, List.of("rr", "_quorate-epoch"), "A TXT"));
      Bind9Lab bind = Bind9Lab.startIn(lab, DNS, conf, zoneText(dnsIp), DNS_PORT);
      List<HttpTarget> targets = new ArrayList<>();
      MEMBERS.forEach((id, ip) -> targets.add(new HttpTarget(id, ip, HTTP_PORT)));
      QuorateCluster cluster =
          QuorateCluster.configure(lab, dir, REGIONS, targets, poolsYaml(dnsIp))
              .env(TSIG_ENV, Bind9Lab.TSIG_SECRET);
      FailoverLab f = new FailoverLab(lab, dir, bind, cluster);
      MEMBERS.keySet().forEach(f::startMember);
      return f;
    } catch (RuntimeException | Error e) {
      lab.close();
      throw e;
    }
  }

  static String zoneText(String dnsIp) {
    StringBuilder z = new StringBuilder();
    z.append("$ORIGIN ").append(ZONE).append(".\n$TTL 60\n");
    z.append("@ IN SOA ns1.").append(ZONE).append(". hostmaster.").append(ZONE);
    z.append(". 1 60 30 3600 60\n@ IN NS ns1\nns1 IN A ").append(dnsIp).append('\n');
    MEMBERS.values().forEach(ip -> z.append("rr IN A ").append(ip).append('\n'));
    return z.toString();
  }

  /** The {@code zones:} and {@code pools:} sections (issue 4 shape). */
  static String poolsYaml(String dnsIp) {
    StringBuilder y = new StringBuilder();
    y.append("zones:\n  - zone: ").append(ZONE).append('\n');
    y.append("    primary: ").append(dnsIp).append(':').append(DNS_PORT).append('\n');
    y.append("    tsig: {name: ").append(Bind9Lab.TSIG_KEY_NAME);
    y.append(", algorithm: ").append(Bind9Lab.TSIG_ALGORITHM);
    y.append(", secret: \"${env:").append(TSIG_ENV).append("}\"}\n");
    y.append("    servers: [").append(dnsIp).append(':').append(DNS_PORT).append("]\n");
    y.append("    epochRecord: ").append(EPOCH).append('\n');
    y.append("    propagationTimeoutMs: ").append(PROPAGATION_TIMEOUT_MS).append('\n');
    y.append("    updateTimeoutMs: ").append(UPDATE_TIMEOUT_MS).append('\n');
    y.append("pools:\n  - id: ").append(POOL).append("\n    zone: ").append(ZONE).append('\n');
    y.append("    name: ").append(NAME).append("\n    type: A\n    ttl: 60\n    minMembers: 1\n");
    y.append("    maxChangesPerWindow: ").append(MAX_CHANGES).append("\n    windowMs: 3600000\n");
    y.append("    holdDownMs: ").append(HOLD_DOWN_MS).append('\n');
    y.append("    flapChanges: ").append(FLAP_CHANGES).append('\n');
    y.append("    flapWindowMs: ").append(FLAP_WINDOW_MS).append('\n');
    y.append("    failback: auto\n    degradedIsUp: true\n    dryRun: false\n    members:\n");
    MEMBERS.forEach(
        (id, ip) ->
            y.append("      - {id: ")
                .append(id)
                .append(", value: ")
                .append(ip)
                .append(", target: ")
                .append(id)
                .append(", role: primary}\n"));
    return y.toString();
  }

  /** Every member's address: the RRset as configured. */
  static Set<String> fullSet() {
    return new TreeSet<>(MEMBERS.values());
  }

  /** The configured set without {@code memberIds}. */
  static Set<String> without(String... memberIds) {
    Set<String> s = fullSet();
    for (String id : memberIds) {
      s.remove(MEMBERS.get(id));
    }
    return s;
  }

  /** Starts (or starts again) {@code id}'s nginx on its address; waits until it answers. */
  void startMember(String id) {
    String ip = MEMBERS.get(id);
    nginx.put(id, NetnsNginx.start(lab, TARGET, ip, HTTP_PORT, dir.resolve("nginx-" + id)));
  }

  /** Stops {@code id}'s nginx by PID: its address then refuses connections. */
  void stopMember(String id) {
    NetnsNginx n = nginx.remove(id);
    if (n == null) {
      throw new IllegalStateException("member " + id + " is not running");
    }
    n.stop();
  }

  boolean memberRunning(String id) {
    return nginx.containsKey(id) && nginx.get(id).process().isAlive();
  }

  /**
   * Puts the pool's RRset back to the configured set with nsupdate (TSIG, from inside the DNS
   * namespace): for between scenarios, never while a watcher runs.
   */
  void resetZone() {
    StringBuilder u = new StringBuilder("update delete " + NAME + " A\n");
    MEMBERS.values().forEach(ip -> u.append("update add " + NAME + " 60 A " + ip + "\n"));
    LabProcess.Exec r = nsupdate(DNS, "127.0.0.1", Bind9Lab.TSIG_SECRET, u.toString());
    if (r.exitCode() != 0) {
      throw new IllegalStateException("zone reset failed: " + r.output());
    }
  }

  /**
   * Runs {@code nsupdate} inside {@code host}'s namespace against BIND at {@code server}, signed
   * with key {@code lab-update} and {@code secret}, sending {@code updates} (lines such as {@code
   * update add ...}) as one UPDATE.
   */
  LabProcess.Exec nsupdate(String host, String server, String secret, String updates) {
    return nsupdate(host, server, secret, updates, false);
  }

  /** As {@link #nsupdate(String, String, String, String)}, over TCP when {@code tcp}. */
  LabProcess.Exec nsupdate(String host, String server, String secret, String updates, boolean tcp) {
    String s = "server " + server + " " + DNS_PORT + "\nzone " + ZONE + "\n" + updates + "send\n";
    Path script = dir.resolve("nsupdate-" + host + ".txt");
    try {
      Files.writeString(script, s);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String key = Bind9Lab.TSIG_ALGORITHM + ":" + Bind9Lab.TSIG_KEY_NAME + ":" + secret;
    List<String> cmd = new ArrayList<>(List.of("nsupdate", "-t", "2", "-y", key));
    if (tcp) {
      cmd.add("-v");
    }
    cmd.add(script.toString());
    return lab.exec(host, cmd, LIMIT);
  }

  /** A watcher of the pool's RRset and epoch, querying BIND over the DNS namespace's loopback. */
  NetnsZoneWatcher watch() {
    return NetnsZoneWatcher.start(lab, DNS, "127.0.0.1", DNS_PORT, NAME, "A", EPOCH);
  }

  /** The {@code dns} host's lab address (where agents send reads and UPDATEs). */
  String dnsIp() {
    return lab.host(DNS).ip();
  }

  @Override
  public void close() {
    try {
      lab.close();
    } finally {
      bind.close();
    }
  }
}
