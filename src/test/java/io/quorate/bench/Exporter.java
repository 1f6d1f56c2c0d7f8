package io.quorate.bench;

import io.quorate.testsupport.LabProcess;
import io.quorate.testsupport.Ports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A prometheus-blackbox-exporter of our own: the generated {@link ExporterConfig} (checked with
 * {@code --config.check} first), listening on a free loopback port, stopped by its PID.
 */
final class Exporter implements AutoCloseable {
  static final String BINARY = "/usr/bin/prometheus-blackbox-exporter";

  private final LabProcess process;
  private final int port;

  private Exporter(LabProcess process, int port) {
    this.process = process;
    this.port = port;
  }

  /**
   * Writes {@code yaml} into {@code dir}, checks it, starts the exporter and waits for its port.
   */
  static Exporter start(Path dir, String yaml) {
    LabProcess.requireTool(BINARY);
    Path config = dir.resolve("blackbox.yml");
    try {
      Files.writeString(config, yaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String file = "--config.file=" + config;
    LabProcess.run(List.of(BINARY, "--config.check", file), Duration.ofSeconds(30));
    int port = Ports.free();
    LabProcess p =
        LabProcess.start(
            "blackbox_exporter",
            List.of(BINARY, file, "--web.listen-address=127.0.0.1:" + port, "--log.level=warn"),
            dir,
            dir.resolve("blackbox_exporter.log"));
    try {
      Ports.awaitTcp(port, Duration.ofSeconds(15), p.handle());
    } catch (RuntimeException e) {
      p.close();
      throw e;
    }
    return new Exporter(p, port);
  }

  long pid() {
    return process.pid();
  }

  int port() {
    return port;
  }

  @Override
  public void close() {
    process.close();
  }
}
