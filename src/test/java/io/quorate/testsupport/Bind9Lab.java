package io.quorate.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * A real BIND 9 ({@code named -g}) authoritative for one zone, on 127.0.0.1 and a free port (UDP
 * and TCP), in its own temp dir owned by user {@code bind}. RFC 2136 updates are allowed with TSIG
 * key {@link #TSIG_KEY_NAME} ({@link #TSIG_ALGORITHM}, {@link #TSIG_SECRET}), by default for any
 * name (see {@link Bind9Conf} for a narrower policy, NOTIFY and secondaries). No rndc. Stopped by
 * its PID on {@link #close()}.
 *
 * <pre>
 * try (Bind9Lab bind = Bind9Lab.start("example.test", Bind9Lab.exampleZone(7, ""))) {
 *   // query 127.0.0.1:bind.port()
 * }
 * </pre>
 */
public final class Bind9Lab implements AutoCloseable {
  public static final String TSIG_KEY_NAME = "lab-update";
  public static final String TSIG_ALGORITHM = "hmac-sha256";

  /** Test-only secret: it opens nothing but a zone served on loopback by this lab. */
  public static final String TSIG_SECRET = "0jZtypIODlUKuDvWRVtNgfCtbAgP1wzm5uFf9VMVFSg=";

  private static final Duration START_LIMIT = Duration.ofSeconds(20);

  private final LabProcess process;
  private final Path dir;
  private final int port;
  private final String zone;
  private final String host;

  private Bind9Lab(LabProcess process, Path dir, int port, String zone, String host) {
    this.process = process;
    this.dir = dir;
    this.port = port;
    this.zone = zone;
    this.host = host;
  }

  /**
   * The lab's example.test zone (NS ns1, www, a 4-record round-robin {@code rr}, MX, TXT, SRV,
   * CNAME) with the given SOA serial and {@code extra} zone-file lines appended.
   */
  public static String exampleZone(long serial, String extra) {
    return String.join(
        "\n",
        "$ORIGIN example.test.",
        "$TTL 60",
        "@       IN SOA  ns1.example.test. hostmaster.example.test. " + serial + " 60 30 3600 60",
        "@       IN NS   ns1",
        "@       IN MX   10 mail",
        "@       IN TXT  \"v=spf1 ip4:127.0.0.1 -all\"",
        "ns1     IN A    127.0.0.1",
        "mail    IN A    127.0.0.1",
        "www     IN A    127.0.0.10",
        "www     IN AAAA ::1",
        "rr      IN A    127.0.0.11",
        "rr      IN A    127.0.0.12",
        "rr      IN A    127.0.0.13",
        "rr      IN A    127.0.0.14",
        "api     IN CNAME www",
        "_smtp._tcp IN SRV 10 0 2525 mail",
        extra,
        "");
  }

  /** Starts named for {@code zone} with {@code zoneText} on a free port; waits until it answers. */
  public static Bind9Lab start(String zone, String zoneText) {
    return start(zone, zoneText, false);
  }

  /**
   * As {@link #start(String, String)}; with {@code alsoV6Loopback} named also listens on [::1] (the
   * same port), for zones whose name servers have only AAAA records.
   */
  public static Bind9Lab start(String zone, String zoneText, boolean alsoV6Loopback) {
    return start(Bind9Conf.primary(zone).withV6Loopback(alsoV6Loopback), zoneText, Ports.free());
  }

  /**
   * Starts named with {@code conf} on {@code port} (from {@link Ports#free()}; chosen by the caller
   * when another server must know it in advance, e.g. a NOTIFY target). {@code zoneText} is the
   * zone file of a primary; a secondary ignores it and transfers the zone from its primary.
   */
  public static Bind9Lab start(Bind9Conf conf, String zoneText, int port) {
    LabProcess.requireTool("named");
    try {
      Path dir = Files.createTempDirectory("bind9lab");
      if (!conf.secondary()) {
        Files.writeString(dir.resolve("zone.db"), zoneText);
      }
      Files.writeString(dir.resolve("named.conf"), conf.render(dir, port));
      Files.createDirectories(dir.resolve("run"));
      chownTree(dir, "bind");
      LabProcess p =
          LabProcess.start(
              "named",
              List.of("named", "-g", "-c", dir.resolve("named.conf").toString(), "-u", "bind"),
              dir,
              dir.resolve("named.log"));
      Bind9Lab lab = new Bind9Lab(p, dir, port, conf.zone(), "127.0.0.1");
      try {
        Ports.awaitTcp(port, START_LIMIT, p.handle());
        lab.awaitSoa();
      } catch (RuntimeException e) {
        String log = lab.logTail(); // before close() deletes the dir
        lab.close();
        throw new IllegalStateException(e.getMessage() + "; named log:\n" + log, e);
      }
      return lab;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare named", e);
    }
  }

  /**
   * Starts named with {@code conf} inside {@code labHost}'s namespace of {@code lab}, listening on
   * that host's lab address and its own loopback, port {@code port} (53 is free there: the
   * namespace is private), answering queries from the lab subnet; waits until it serves the zone's
   * SOA (asked with {@code dig} inside the namespace). The lab stops it too at its close.
   */
  public static Bind9Lab startIn(
      NetnsLab lab, String labHost, Bind9Conf conf, String zoneText, int port) {
    LabProcess.requireTool("named");
    LabProcess.requireTool("dig");
    String ip = lab.host(labHost).ip();
    try {
      Path dir = Files.createTempDirectory("bind9lab");
      if (!conf.secondary()) {
        Files.writeString(dir.resolve("zone.db"), zoneText);
      }
      Files.writeString(dir.resolve("named.conf"), conf.render(dir, port, ip));
      Files.createDirectories(dir.resolve("run"));
      chownTree(dir, "bind");
      LabProcess p =
          lab.start(
              labHost,
              "named",
              List.of("named", "-g", "-c", dir.resolve("named.conf").toString(), "-u", "bind"),
              dir,
              java.util.Map.of());
      Bind9Lab bind = new Bind9Lab(p, dir, port, conf.zone(), ip);
      try {
        Poll.until(
            START_LIMIT,
            "named in " + labHost + " serves " + conf.zone() + " SOA",
            () -> {
              if (!p.isAlive()) {
                throw new IllegalStateException("named exited");
              }
              return lab.exec(labHost, digSoa(ip, port, conf.zone()), Duration.ofSeconds(5));
            },
            r -> r.exitCode() == 0 && r.output().contains("SOA"));
      } catch (RuntimeException | AssertionError e) {
        bind.close();
        throw new IllegalStateException(e.getMessage() + "; named log:\n" + bind.logTail(), e);
      }
      return bind;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare named", e);
    }
  }

  private static List<String> digSoa(String ip, int port, String zone) {
    return List.of(
        "dig",
        "+norec",
        "+time=1",
        "+tries=1",
        "+noall",
        "+answer",
        "-p",
        Integer.toString(port),
        "@" + ip,
        zone,
        "SOA");
  }

  /**
   * A daemon that drops to {@code user} (named: bind, knotd: knot) must own its dir (and reach it:
   * temp dirs are 0700).
   */
  static void chownTree(Path dir, String user) throws IOException {
    UserPrincipalLookupService users = FileSystems.getDefault().getUserPrincipalLookupService();
    UserPrincipal bind = users.lookupPrincipalByName(user);
    GroupPrincipal group = users.lookupPrincipalByGroupName(user);
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.toList()) {
        PosixFileAttributeView v = Files.getFileAttributeView(p, PosixFileAttributeView.class);
        v.setOwner(bind);
        v.setGroup(group);
      }
    }
  }

  /** Polls (on the test thread, bounded) until named serves the zone's SOA authoritatively. */
  private void awaitSoa() {
    long deadline = System.nanoTime() + START_LIMIT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("named exited");
      }
      if (soaAnswers(zone, port)) {
        return;
      }
    }
    throw new IllegalStateException("named did not serve " + zone + " within " + START_LIMIT);
  }

  /** Whether the server on 127.0.0.1:{@code port} answers the zone's SOA with NOERROR now. */
  static boolean soaAnswers(String zone, int port) {
    try (DatagramSocket s = new DatagramSocket()) {
      s.setSoTimeout(200);
      Message q =
          Message.newQuery(Record.newRecord(Name.fromString(zone, Name.root), Type.SOA, DClass.IN));
      byte[] wire = q.toWire();
      s.send(new DatagramPacket(wire, wire.length, InetAddress.getLoopbackAddress(), port));
      DatagramPacket in = new DatagramPacket(new byte[4096], 4096);
      s.receive(in); // a blocking wait of at most 200 ms, paces the loop
      return new Message(java.util.Arrays.copyOf(in.getData(), in.getLength())).getRcode()
          == Rcode.NOERROR;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return false;
    }
  }

  public int port() {
    return port;
  }

  /** The address named listens on: 127.0.0.1, or its lab address when in a namespace. */
  public String host() {
    return host;
  }

  public String zone() {
    return zone;
  }

  public Path dir() {
    return dir;
  }

  public long pid() {
    return process.pid();
  }

  /** The last lines named logged (startup errors, update results). */
  public String logTail() {
    try {
      List<String> lines = Files.readAllLines(process.log());
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /** Stops named by its PID, then removes its temp dir. */
  @Override
  public void close() {
    process.close();
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // best effort: a leftover temp dir is harmless
    }
  }
}
