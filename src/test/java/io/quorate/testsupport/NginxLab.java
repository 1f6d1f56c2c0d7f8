package io.quorate.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A real nginx on 127.0.0.1 for HTTP and TLS probe tests: one plain HTTP port and one HTTPS port
 * per certificate (valid, expired, wrong name, expiring in 5 days), an SNI port whose default
 * certificate is the wrong-name one and whose {@code sni.example.test} server block has its own
 * certificate, and a TLS 1.2-only port with the valid certificate. Every server block serves the
 * same routes:
 *
 * <ul>
 *   <li>{@code /health} 200 "ok"; {@code /error-page} 200 "maintenance error"
 *   <li>{@code /cdn} 200 with {@code X-Cache: HIT}
 *   <li>{@code /redirect} 302 to {@code /health}; {@code /loop} 302 to itself; {@code /meta} 302 to
 *       {@code http://169.254.169.254/latest/}
 *   <li>{@code /big} a 1 MiB file; {@code /status503} 503
 * </ul>
 *
 * Every response echoes the Host nginx saw in {@code X-Echo-Host} and the SNI name in {@code
 * X-Echo-Sni}. nginx runs in the foreground ({@code daemon off}) so {@link LabProcess} stops it by
 * PID; all of its files (pid, logs, temp paths) live in the lab directory.
 */
public final class NginxLab implements AutoCloseable {
  /** Names on the valid, expired and expiring certificates. */
  public static final List<String> NAMES = List.of("www.example.test", "localhost", "127.0.0.1");

  public static final String SNI_NAME = "sni.example.test";
  public static final int BIG_BYTES = 1024 * 1024;

  private final Path dir;
  private final TestTls ca;
  private final LabProcess process;
  private final int http;
  private final int good;
  private final int expired;
  private final int wrongName;
  private final int expiring;
  private final int sni;
  private final int tls12;

  private NginxLab(Path dir, TestTls ca, LabProcess process, int[] ports) {
    this.dir = dir;
    this.ca = ca;
    this.process = process;
    this.http = ports[0];
    this.good = ports[1];
    this.expired = ports[2];
    this.wrongName = ports[3];
    this.expiring = ports[4];
    this.sni = ports[5];
    this.tls12 = ports[6];
  }

  /** Writes certificates and config into {@code dir}, starts nginx and waits for every port. */
  public static NginxLab start(Path dir) {
    LabProcess.requireTool("nginx");
    try {
      TestTls ca = TestTls.newCa(dir.resolve("tls"));
      Instant now = Instant.now();
      ca.issueValid("good", NAMES);
      ca.issue("expired", NAMES, now.minus(Duration.ofDays(100)), now.minus(Duration.ofDays(10)));
      ca.issueValid("wrong", List.of("wrong.example.org"));
      ca.issue(
          "expiring",
          NAMES,
          now.minus(Duration.ofDays(30)),
          now.plus(Duration.ofDays(5)).plus(Duration.ofHours(1)));
      ca.issueValid("sni", List.of(SNI_NAME));
      int[] ports = new int[7];
      for (int i = 0; i < ports.length; i++) {
        ports[i] = Ports.free();
      }
      Path conf = writeConfig(dir, ports);
      LabProcess p =
          LabProcess.start(
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
              dir.resolve("log/nginx.out"));
      try {
        for (int port : ports) {
          Ports.awaitTcp(port, Duration.ofSeconds(10), p.handle());
        }
      } catch (RuntimeException e) {
        p.close();
        throw new IllegalStateException("nginx did not start: " + errorLog(dir), e);
      }
      return new NginxLab(dir, ca, p, ports);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path writeConfig(Path dir, int[] ports) throws IOException {
    for (String d : List.of("log", "tmp", "www")) {
      Files.createDirectories(dir.resolve(d));
    }
    Files.write(dir.resolve("www/big.bin"), new byte[BIG_BYTES]);
    Files.writeString(
        dir.resolve("routes.conf"), ROUTES.replace("@WWW@", dir.resolve("www").toString()));
    Path tls = dir.resolve("tls");
    StringBuilder servers = new StringBuilder(server("listen 127.0.0.1:" + ports[0] + ";", null));
    String[] certs = {"good", "expired", "wrong", "expiring"};
    for (int i = 0; i < certs.length; i++) {
      servers.append(server("listen 127.0.0.1:" + ports[i + 1] + " ssl;", tls.resolve(certs[i])));
    }
    servers.append(
        server("listen 127.0.0.1:" + ports[5] + " ssl default_server;", tls.resolve("wrong")));
    servers.append(
        server(
            "listen 127.0.0.1:" + ports[5] + " ssl; server_name " + SNI_NAME + ";",
            tls.resolve("sni")));
    servers.append(
        server(
            "listen 127.0.0.1:" + ports[6] + " ssl; ssl_protocols TLSv1.2;", tls.resolve("good")));
    String conf = MAIN.replace("@LAB@", dir.toString()).replace("@SERVERS@", servers);
    Path file = dir.resolve("nginx.conf");
    Files.writeString(file, conf);
    return file;
  }

  private static String server(String listen, Path certBase) {
    String tls =
        certBase == null
            ? ""
            : "    ssl_certificate "
                + certBase
                + ".crt;\n"
                + "    ssl_certificate_key "
                + certBase
                + ".key;\n";
    return "  server {\n    " + listen + "\n" + tls + "    include routes.conf;\n  }\n";
  }

  private static final String MAIN =
      """
      user root;
      worker_processes 1;
      pid @LAB@/nginx.pid;
      error_log @LAB@/log/error.log warn;
      events { worker_connections 4096; }
      http {
        access_log off;
        server_tokens off;
        client_body_temp_path @LAB@/tmp/body;
        proxy_temp_path @LAB@/tmp/proxy;
        fastcgi_temp_path @LAB@/tmp/fastcgi;
        uwsgi_temp_path @LAB@/tmp/uwsgi;
        scgi_temp_path @LAB@/tmp/scgi;
        default_type text/plain;
        keepalive_requests 100000;
        ssl_protocols TLSv1.2 TLSv1.3;
      @SERVERS@}
      """;

  private static final String ECHO =
      """
        add_header X-Echo-Host $host always;
        add_header X-Echo-Sni "$ssl_server_name" always;
      """;

  private static final String ROUTES =
      ECHO
          + """
      location = /health { return 200 "ok\\n"; }
      location = /error-page { return 200 "maintenance error\\n"; }
      location = /cdn {
      """
          + ECHO
          + """
        add_header X-Cache HIT;
        return 200 "cdn\\n";
      }
      location = /redirect { return 302 /health; }
      location = /loop { return 302 /loop; }
      location = /meta { return 302 http://169.254.169.254/latest/; }
      location = /big {
        root @WWW@; default_type application/octet-stream; try_files /big.bin =404;
      }
      location = /status503 { return 503 "unavailable\\n"; }
      """;

  private static String errorLog(Path dir) {
    try {
      return Files.readString(dir.resolve("log/error.log"));
    } catch (IOException e) {
      return "(no error log)";
    }
  }

  public int httpPort() {
    return http;
  }

  /** HTTPS with a certificate valid for {@link #NAMES}, issued by {@link #caFile()}. */
  public int goodPort() {
    return good;
  }

  public int expiredPort() {
    return expired;
  }

  /** HTTPS with a certificate for {@code wrong.example.org} only. */
  public int wrongNamePort() {
    return wrongName;
  }

  /** HTTPS with a certificate valid for {@link #NAMES} that expires in 5 days (and an hour). */
  public int expiringPort() {
    return expiring;
  }

  /** HTTPS: wrong-name certificate by default, {@link #SNI_NAME}'s own one when SNI asks for it. */
  public int sniPort() {
    return sni;
  }

  /** HTTPS with the valid certificate, TLS 1.2 only. */
  public int tls12Port() {
    return tls12;
  }

  /** The test CA (PEM) that issued every lab certificate. */
  public Path caFile() {
    return ca.caFile();
  }

  public Path dir() {
    return dir;
  }

  public long pid() {
    return process.pid();
  }

  @Override
  public void close() {
    process.close();
  }
}
