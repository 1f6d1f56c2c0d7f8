package io.quorate.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A real Knot DNS ({@code knotd -c <conf>}, foreground) authoritative for one zone, on 127.0.0.1
 * and a free port (UDP and TCP), in its own temp dir owned by user {@code knot} (zone storage,
 * journal database and run dir: a missing {@code database.storage} makes every UPDATE SERVFAIL).
 * RFC 2136 updates are allowed with the same TSIG key as {@link Bind9Lab} ({@link
 * Bind9Lab#TSIG_KEY_NAME}, hmac-sha256, {@link Bind9Lab#TSIG_SECRET}), restricted by an ACL to the
 * given owner names and types ({@code update-owner-name}, {@code update-type}): outside them Knot
 * answers NOTAUTH(BADKEY). Stopped by its PID on {@link #close()}.
 */
public final class KnotLab implements AutoCloseable {
  private static final Duration START_LIMIT = Duration.ofSeconds(20);

  private final LabProcess process;
  private final Path dir;
  private final int port;
  private final String zone;

  private KnotLab(LabProcess process, Path dir, int port, String zone) {
    this.process = process;
    this.dir = dir;
    this.port = port;
    this.zone = zone;
  }

  /** Starts knotd for {@code zone}; the key may update any A/AAAA/CNAME/MX/TXT of {@code www}. */
  public static KnotLab start(String zone, String zoneText) {
    return start(zone, zoneText, List.of("www"), List.of("A", "AAAA", "CNAME", "MX", "TXT"));
  }

  /**
   * Starts knotd for {@code zone} with {@code zoneText}; the key may update only {@code types} at
   * exactly the owner names {@code labels} (relative to the zone, e.g. {@code rr}).
   */
  public static KnotLab start(
      String zone, String zoneText, List<String> labels, List<String> types) {
    LabProcess.requireTool("knotd");
    try {
      Path dir = Files.createTempDirectory("knotlab");
      int port = Ports.free();
      for (String d : List.of("zones", "db", "run")) {
        Files.createDirectories(dir.resolve(d));
      }
      Files.writeString(dir.resolve("zones").resolve(zone + ".zone"), zoneText);
      Files.writeString(dir.resolve("knot.conf"), conf(dir, port, zone, labels, types));
      Bind9Lab.chownTree(dir, "knot");
      LabProcess p =
          LabProcess.start(
              "knotd",
              List.of("knotd", "-c", dir.resolve("knot.conf").toString()),
              dir,
              dir.resolve("knotd.log"));
      KnotLab lab = new KnotLab(p, dir, port, zone);
      try {
        Ports.awaitTcp(port, START_LIMIT, p.handle());
        lab.awaitSoa();
      } catch (RuntimeException e) {
        lab.close();
        throw new IllegalStateException(e.getMessage() + "; knotd log:\n" + lab.logTail(), e);
      }
      return lab;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare knotd", e);
    }
  }

  private static String conf(
      Path dir, int port, String zone, List<String> labels, List<String> types) {
    return """
        server:
            listen: 127.0.0.1@%d
            rundir: "%s/run"
            user: knot:knot
        key:
          - id: %s
            algorithm: hmac-sha256
            secret: %s
        acl:
          - id: update_acl
            key: %s
            action: update
            update-type: [%s]
            update-owner: name
            update-owner-match: equal
            update-owner-name: [%s]
          - id: xfr_acl
            key: %s
            action: transfer
        template:
          - id: default
            storage: "%s/zones"
            zonefile-sync: -1
            journal-content: changes
        zone:
          - domain: %s
            acl: [update_acl, xfr_acl]
        database:
            storage: "%s/db"
        log:
          - target: stderr
            any: info
        """
        .formatted(
            port,
            dir,
            Bind9Lab.TSIG_KEY_NAME,
            Bind9Lab.TSIG_SECRET,
            Bind9Lab.TSIG_KEY_NAME,
            String.join(", ", types),
            String.join(", ", labels),
            Bind9Lab.TSIG_KEY_NAME,
            dir,
            zone,
            dir);
  }

  /** Polls (on the test thread, bounded) until knotd serves the zone's SOA. */
  private void awaitSoa() {
    long deadline = System.nanoTime() + START_LIMIT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("knotd exited");
      }
      if (Bind9Lab.soaAnswers(zone, port)) {
        return;
      }
    }
    throw new IllegalStateException("knotd did not serve " + zone + " within " + START_LIMIT);
  }

  public int port() {
    return port;
  }

  public String host() {
    return "127.0.0.1";
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

  /** The last lines knotd logged (startup errors, update results). */
  public String logTail() {
    try {
      List<String> lines = Files.readAllLines(process.log());
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /** Stops knotd by its PID, then removes its temp dir. */
  @Override
  public void close() {
    process.close();
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // best effort: a leftover temp dir is harmless
    }
  }
}
