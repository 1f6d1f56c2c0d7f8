package io.quorate.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real Unbound recursive resolver on 127.0.0.1 and a free port, with one stub zone pointing at an
 * authoritative server on loopback (e.g. Quorate's embedded server): how a production resolver
 * reaches a zone Quorate serves. No DNSSEC validation (the lab zone is unsigned: {@code
 * module-config: "iterator"}), no root hints used (only the stub zone is ever asked), caching
 * bounded by the answer TTLs. Runs in the foreground ({@code -d}) from a temp dir, stopped by its
 * PID on {@link #close()}.
 */
public final class UnboundLab implements AutoCloseable {
  private static final Duration START_LIMIT = Duration.ofSeconds(20);

  private final LabProcess process;
  private final Path dir;
  private final int port;

  private UnboundLab(LabProcess process, Path dir, int port) {
    this.process = process;
    this.dir = dir;
    this.port = port;
  }

  /** Starts Unbound with {@code stub-zone: zone} → {@code 127.0.0.1@authPort}. */
  public static UnboundLab start(String zone, int authPort) {
    LabProcess.requireTool("unbound");
    try {
      Path dir = Files.createTempDirectory("unboundlab");
      int port = Ports.free();
      Files.writeString(dir.resolve("unbound.conf"), conf(dir, port, zone, authPort));
      LabProcess p =
          LabProcess.start(
              "unbound",
              List.of("unbound", "-d", "-c", dir.resolve("unbound.conf").toString()),
              dir,
              dir.resolve("unbound.out"));
      UnboundLab lab = new UnboundLab(p, dir, port);
      try {
        Ports.awaitTcp(port, START_LIMIT, p.handle());
      } catch (RuntimeException e) {
        lab.close();
        throw new IllegalStateException(e.getMessage() + "; unbound log:\n" + lab.logTail(), e);
      }
      return lab;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare unbound", e);
    }
  }

  private static String conf(Path dir, int port, String zone, int authPort) {
    return String.join(
        "\n",
        "server:",
        "  interface: 127.0.0.1",
        "  port: " + port,
        "  do-ip6: no",
        "  do-daemonize: no",
        "  username: \"\"",
        "  chroot: \"\"",
        "  directory: \"" + dir + "\"",
        "  pidfile: \"" + dir.resolve("unbound.pid") + "\"",
        "  logfile: \"" + dir.resolve("unbound.log") + "\"",
        "  use-syslog: no",
        "  verbosity: 1",
        "  access-control: 127.0.0.0/8 allow",
        "  do-not-query-localhost: no",
        "  module-config: \"iterator\"",
        "  domain-insecure: \"" + zone + "\"",
        // Unbound answers RFC 6761 names (test., invalid., …) locally by default
        "  local-zone: \"" + zone + ".\" transparent",
        "  num-threads: 1",
        "  outgoing-range: 64",
        "  so-reuseport: no",
        "stub-zone:",
        "  name: \"" + zone + "\"",
        "  stub-addr: 127.0.0.1@" + authPort,
        "  stub-first: no",
        "remote-control:",
        "  control-enable: no",
        "");
  }

  public int port() {
    return port;
  }

  public String logTail() {
    StringBuilder b = new StringBuilder();
    for (String f : List.of("unbound.log", "unbound.out")) {
      try {
        List<String> lines = Files.readAllLines(dir.resolve(f));
        b.append(String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size())));
      } catch (IOException e) {
        // not written yet
      }
    }
    return b.toString();
  }

  @Override
  public void close() {
    process.close();
  }
}
