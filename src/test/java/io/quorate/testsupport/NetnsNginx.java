package io.quorate.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A minimal nginx inside one {@link NetnsLab} host, listening on that host's 198.18 address: {@code
 * /health} answers 200 "ok". {@link NginxLab} binds 127.0.0.1 with seven TLS ports; a lab target
 * needs one plain port on the bridge. Runs in the foreground, stopped by PID with the lab.
 */
public final class NetnsNginx {
  private static final Duration READY_LIMIT = Duration.ofSeconds(10);

  private final String url;
  private final LabProcess process;

  private NetnsNginx(String url, LabProcess process) {
    this.url = url;
    this.process = process;
  }

  /** Starts nginx in {@code host}'s namespace on its address and {@code port}; waits for it. */
  public static NetnsNginx start(NetnsLab lab, String host, int port, Path dir) {
    return start(lab, host, lab.host(host).ip(), port, dir);
  }

  /**
   * Starts nginx in {@code host}'s namespace on {@code ip} (its own address or one added with
   * {@link NetnsLab#addAddress}) and {@code port}; waits for it. Several can share a namespace on
   * distinct addresses, each stopped on its own ({@link #stop()}) and started again with the same
   * arguments (the same {@code dir} may be reused).
   */
  public static NetnsNginx start(NetnsLab lab, String host, String ip, int port, Path dir) {
    LabProcess.requireTool("nginx");
    LabProcess.requireTool("curl");
    Path conf = writeConfig(dir, ip, port);
    LabProcess p =
        lab.start(
            host,
            "nginx",
            List.of(
                "nginx",
                "-e",
                dir.resolve("log/error.log").toString(),
                "-p",
                dir.toString(),
                "-c",
                conf.toString(),
                "-g",
                "daemon off;"),
            dir,
            Map.of());
    String url = "http://" + ip + ":" + port + "/health";
    // readiness of a child daemon, polled from inside its namespace with a deadline
    Poll.until(
        READY_LIMIT,
        "nginx ready at " + url,
        () -> {
          if (!p.isAlive()) {
            throw new AssertionError("nginx exited: " + read(dir.resolve("log/error.log")));
          }
          return lab.exec(host, List.of("curl", "-sf", "-m", "1", url), Duration.ofSeconds(3));
        },
        r -> r.exitCode() == 0);
    return new NetnsNginx(url, p);
  }

  private static Path writeConfig(Path dir, String ip, int port) {
    try {
      for (String d : List.of("log", "tmp")) {
        Files.createDirectories(dir.resolve(d));
      }
      Path file = dir.resolve("nginx.conf");
      Files.writeString(
          file, CONF.replace("@LAB@", dir.toString()).replace("@LISTEN@", ip + ":" + port));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      return "(no " + p + ")";
    }
  }

  private static final String CONF =
      """
      user root;
      worker_processes 1;
      pid @LAB@/nginx.pid;
      error_log @LAB@/log/error.log warn;
      events { worker_connections 256; }
      http {
        access_log off;
        server_tokens off;
        client_body_temp_path @LAB@/tmp/body;
        proxy_temp_path @LAB@/tmp/proxy;
        fastcgi_temp_path @LAB@/tmp/fastcgi;
        uwsgi_temp_path @LAB@/tmp/uwsgi;
        scgi_temp_path @LAB@/tmp/scgi;
        default_type text/plain;
        server {
          listen @LISTEN@;
          location = /health { return 200 "ok\\n"; }
        }
      }
      """;

  /**
   * Stops this nginx by its PID (SIGTERM to the master and its workers) and waits until it is gone:
   * its address then refuses connections at once.
   */
  public void stop() {
    process.close();
    if (process.isAlive()) {
      throw new IllegalStateException("nginx survived stop: " + process);
    }
  }

  /** {@code http://<ip>:<port>/health}. */
  public String url() {
    return url;
  }

  public LabProcess process() {
    return process;
  }
}
