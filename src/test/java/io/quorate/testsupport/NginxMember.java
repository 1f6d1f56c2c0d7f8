package io.quorate.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * One real nginx serving {@code /health} on one loopback port: a round-robin member that a test can
 * stop (connection refused) and start again on the same port. Stopped by its own PID.
 */
public final class NginxMember implements AutoCloseable {
  private final Path dir;
  private final String host;
  private final int port;
  private LabProcess process;

  private NginxMember(Path dir, String host, int port) {
    this.dir = dir;
    this.host = host;
    this.port = port;
  }

  /** Writes the config into {@code dir} and starts nginx on 127.0.0.1 and a free port. */
  public static NginxMember start(Path dir) {
    return start(dir, "127.0.0.1", Ports.free());
  }

  /** Starts nginx on {@code host:port} (a loopback address: the example lab's members). */
  public static NginxMember start(Path dir, String host, int port) {
    LabProcess.requireTool("nginx");
    NginxMember m = new NginxMember(dir, host, port);
    m.writeConfig();
    m.start();
    return m;
  }

  /** The nginx master's PID while running, else -1. */
  public long pid() {
    return process == null ? -1 : process.pid();
  }

  public int port() {
    return port;
  }

  /** Starts (again) on the same port and waits until it accepts connections. */
  public void start() {
    if (process != null && process.isAlive()) {
      return;
    }
    process =
        LabProcess.start(
            "nginx-member",
            List.of(
                "nginx",
                "-e",
                dir.resolve("error.log").toString(),
                "-p",
                dir.toString(),
                "-c",
                dir.resolve("nginx.conf").toString(),
                "-g",
                "daemon off;"),
            dir,
            dir.resolve("nginx.out"));
    Ports.awaitTcp(host, port, Duration.ofSeconds(10), process.handle());
  }

  /** Stops nginx: the port then refuses connections. */
  public void stop() {
    if (process != null) {
      process.close();
      process = null;
    }
  }

  @Override
  public void close() {
    stop();
  }

  private void writeConfig() {
    try {
      Files.createDirectories(dir.resolve("tmp"));
      Files.writeString(
          dir.resolve("nginx.conf"),
          String.join(
              "\n",
              "worker_processes 1;",
              "pid " + dir.resolve("nginx.pid") + ";",
              "events { worker_connections 256; }",
              "http {",
              "  access_log off;",
              "  client_body_temp_path " + dir.resolve("tmp") + ";",
              "  proxy_temp_path " + dir.resolve("tmp") + ";",
              "  fastcgi_temp_path " + dir.resolve("tmp") + ";",
              "  uwsgi_temp_path " + dir.resolve("tmp") + ";",
              "  scgi_temp_path " + dir.resolve("tmp") + ";",
              "  server {",
              "    listen " + host + ":" + port + ";",
              "    location = /health { return 200 \"ok\\n\"; }",
              "  }",
              "}",
              ""));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
