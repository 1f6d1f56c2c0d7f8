package io.quorate.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The scale benchmark's configuration: {@code n} targets at a 10 s interval, 60 % dns (BIND 9,
 * {@code rr.example.test A}, 4 answers), 30 % http (nginx {@code /health}, 2xx/3xx, new connection
 * each), 8 % tcp (Postfix banner, regular expression {@code ESMTP}) and 2 % smtp (Postfix greeting
 * + EHLO + QUIT, no TLS); and a region file with the API on {@code apiPort}.
 */
final class ScaleConfig {
  static final long INTERVAL_MS = 10_000;

  private ScaleConfig() {}

  /** Writes {@code q.yaml} and {@code r.yaml} into {@code dir}; returns the q.yaml path. */
  static Path write(Path dir, ScaleRun.Ports ports, int n, int apiPort) throws IOException {
    return write(dir, ports, n, apiPort, 0);
  }

  /** The same; {@code recent} > 0 sets {@code scheduler.observationsPerTarget}. */
  static Path write(Path dir, ScaleRun.Ports ports, int n, int apiPort, int recent)
      throws IOException {
    Files.createDirectories(dir);
    // compact: the shared config file may not exceed 1 MiB (ConfigLoader)
    StringBuilder y = new StringBuilder("regions: [bench]\n");
    y.append("defaults: {intervalMs: ").append(INTERVAL_MS).append(", timeoutMs: 2000}\n");
    y.append("targets:\n");
    for (int i = 0; i < n; i++) {
      int slot = i % 50; // 30 dns, 15 http, 4 tcp, 1 smtp in every 50
      String common = ", address: 127.0.0.1, ";
      if (slot < 30) {
        y.append("- {id: d").append(i).append(", type: dns").append(common);
        y.append("port: ").append(ports.dns());
        y.append(", dns: {name: rr.example.test, answer: {count: 4}}}\n");
      } else if (slot < 45) {
        y.append("- {id: h").append(i).append(", type: http").append(common);
        y.append("port: ").append(ports.http());
        y.append(", http: {path: /health}}\n");
      } else if (slot < 49) {
        y.append("- {id: c").append(i).append(", type: tcp").append(common);
        y.append("port: ").append(ports.smtp()).append(", tcp: {expectBanner: ESMTP}}\n");
      } else {
        y.append("- {id: s").append(i).append(", type: smtp").append(common);
        y.append("port: ").append(ports.smtp()).append(", smtp: {tlsMode: none}}\n");
      }
    }
    Path q = dir.resolve("q.yaml");
    Files.writeString(q, y);
    Files.writeString(
        dir.resolve("r.yaml"),
        "region: bench\nlisten: {host: 127.0.0.1, port: "
            + apiPort
            + "}\ndataDir: "
            + dir.resolve("data")
            + "\ntokens: []\n"
            + (recent > 0 ? "scheduler: {observationsPerTarget: " + recent + "}\n" : ""));
    return q;
  }
}
