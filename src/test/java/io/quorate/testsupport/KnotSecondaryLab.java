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
 * A real Knot DNS ({@code knotd -c <conf>}, foreground) as a secondary of one zone, on 127.0.0.1
 * and a port chosen by the caller (so the primary can NOTIFY it), in its own temp dir owned by user
 * {@code knot}. It transfers the zone from the primary on 127.0.0.1:{@code primaryPort} with the
 * lab's TSIG key ({@link Bind9Lab#TSIG_KEY_NAME}, hmac-sha256, {@link Bind9Lab#TSIG_SECRET}): AXFR
 * at start, then IXFR on each NOTIFY, which an ACL accepts only from 127.0.0.1 signed with that
 * key. Knot 3.2 keywords ({@code remote}, {@code master}; 3.3 renamed the latter {@code primary}).
 * Stopped by its PID on {@link #close()}.
 */
public final class KnotSecondaryLab implements AutoCloseable {
  private static final Duration START_LIMIT = Duration.ofSeconds(20);

  private final LabProcess process;
  private final Path dir;
  private final int port;

  private KnotSecondaryLab(LabProcess process, Path dir, int port) {
    this.process = process;
    this.dir = dir;
    this.port = port;
  }

  /**
   * Starts knotd on {@code port} (from {@link Ports#free()}) as a secondary of {@code zone} from
   * 127.0.0.1:{@code primaryPort}; returns once it serves the zone's SOA (the first transfer done).
   */
  public static KnotSecondaryLab start(String zone, int primaryPort, int port) {
    LabProcess.requireTool("knotd");
    try {
      Path dir = Files.createTempDirectory("knotsecondary");
      for (String d : List.of("zones", "db", "run")) {
        Files.createDirectories(dir.resolve(d));
      }
      Files.writeString(dir.resolve("knot.conf"), conf(dir, port, zone, primaryPort));
      Bind9Lab.chownTree(dir, "knot");
      LabProcess p =
          LabProcess.start(
              "knotd",
              List.of("knotd", "-c", dir.resolve("knot.conf").toString()),
              dir,
              dir.resolve("knotd.log"));
      KnotSecondaryLab lab = new KnotSecondaryLab(p, dir, port);
      try {
        Ports.awaitTcp(port, START_LIMIT, p.handle());
        lab.awaitSoa(zone);
      } catch (RuntimeException e) {
        String log = lab.logTail(); // before close() deletes the dir
        lab.close();
        throw new IllegalStateException(e.getMessage() + "; knotd log:\n" + log, e);
      }
      return lab;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare knotd", e);
    }
  }

  static String conf(Path dir, int port, String zone, int primaryPort) {
    return """
        server:
            listen: 127.0.0.1@%d
            rundir: "%s/run"
            user: knot:knot
        key:
          - id: %s
            algorithm: hmac-sha256
            secret: %s
        remote:
          - id: primary
            address: 127.0.0.1@%d
            key: %s
        acl:
          - id: notify_from_primary
            address: 127.0.0.1
            key: %s
            action: notify
        template:
          - id: default
            storage: "%s/zones"
            zonefile-sync: -1
            zonefile-load: none
            journal-content: all
        zone:
          - domain: %s
            master: primary
            acl: [notify_from_primary]
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
            primaryPort,
            Bind9Lab.TSIG_KEY_NAME,
            Bind9Lab.TSIG_KEY_NAME,
            dir,
            zone,
            dir);
  }

  /** Polls (on the test thread, bounded) until knotd serves the zone's SOA. */
  private void awaitSoa(String zone) {
    Poll.until(
        START_LIMIT,
        "knotd serves " + zone,
        () -> {
          if (!process.isAlive()) {
            throw new IllegalStateException(
                "knotd exited"); // ends nothing: retried until the limit
          }
          return Bind9Lab.soaAnswers(zone, port);
        },
        served -> served);
  }

  public int port() {
    return port;
  }

  public long pid() {
    return process.pid();
  }

  /** The last lines knotd logged (transfers, NOTIFY, errors). */
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
