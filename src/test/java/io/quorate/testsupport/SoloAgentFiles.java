package io.quorate.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The files of a one-region agent ({@code solo}, no peers, quorum 1) probing one HTTP target, for
 * tests that run a single agent in process or as {@code quorate run} in a child JVM.
 *
 * @param shared the shared config file
 * @param region the region file (data dir {@code data} next to it)
 * @param apiPort the API's port
 * @param env the secrets the files refer to
 */
public record SoloAgentFiles(Path shared, Path region, int apiPort, Map<String, String> env) {
  public static final String TOKEN = "solo-agent-token-0123456789";

  /** Writes both files into {@code dir}; the target {@code web-1} is {@code GET /health}. */
  public static SoloAgentFiles write(Path dir, int webPort) throws IOException {
    int port = Ports.free();
    Path shared = dir.resolve("quorate.yaml");
    Files.writeString(
        shared,
        String.join(
            "\n",
            "regions: [solo]",
            "defaults: {intervalMs: 1000, timeoutMs: 500, fall: 2, rise: 2}",
            "targets:",
            "  - {id: web-1, type: http, address: 127.0.0.1, port: " + webPort + ",",
            "     http: {path: /health}}",
            ""));
    Path region = dir.resolve("solo.yaml");
    Files.writeString(
        region,
        String.join(
            "\n",
            "region: solo",
            "listen: {host: 127.0.0.1, port: " + port + "}",
            "dataDir: data",
            "tokens: [{name: reader, token: '${env:T}', scopes: [read]}]",
            "mesh: {key: '${env:K}', peers: []}",
            ""));
    return new SoloAgentFiles(
        shared, region, port, Map.of("T", TOKEN, "K", "mesh-key-solo-0123456789abcdefghij"));
  }
}
