package io.quorate.reload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorate.testsupport.LabProcess;
import io.quorate.testsupport.NginxMember;
import io.quorate.testsupport.Poll;
import io.quorate.testsupport.Ports;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGHUP to a child {@code quorate run}: the files are read again, applied or refused and logged.
 */
class SighupReloadTest {
  static final String TOKEN = "sighup-read-token-0123456789";
  static final Duration LIMIT = Duration.ofSeconds(60);

  @TempDir Path dir;
  final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build();

  private static String shared(int nginxPort, String... ids) {
    StringBuilder s =
        new StringBuilder(
            "regions: [solo]\ndefaults: {intervalMs: 1000, timeoutMs: 500, fall: 1, rise: 1}\n"
                + "targets:\n");
    for (String id : ids) {
      s.append("  - {id: ").append(id).append(", type: http, address: 127.0.0.1, port: ");
      s.append(nginxPort).append(", http: {path: /health}}\n");
    }
    return s.toString();
  }

  private JsonObject get(int port, String path) {
    try {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                  .header("Authorization", "Bearer " + TOKEN)
                  .timeout(Duration.ofSeconds(3))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return new JsonObject(r.body());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void hup(LabProcess p) {
    LabProcess.run(List.of("kill", "-HUP", Long.toString(p.pid())), Duration.ofSeconds(5));
  }

  @Test
  void sighupAppliesValidFilesAndRefusesInvalidOnesWithEveryErrorLogged() throws Exception {
    int api = Ports.free();
    Path sharedFile = dir.resolve("quorate.yaml");
    Path regionFile = dir.resolve("solo.yaml");
    try (NginxMember nginx = NginxMember.start(dir.resolve("nginx"))) {
      Files.writeString(sharedFile, shared(nginx.port(), "a"));
      Files.writeString(
          regionFile,
          "region: solo\nlisten: {host: 127.0.0.1, port: "
              + api
              + "}\ndataDir: data\n"
              + "tokens:\n  - {name: reader, token: '${env:T}', scopes: [read]}\n");
      List<String> cmd =
          List.of(
              Path.of(System.getProperty("java.home"), "bin", "java").toString(),
              "-XX:TieredStopAtLevel=1",
              "-Xmx128m",
              "-cp",
              System.getProperty("java.class.path"),
              "io.quorate.Main",
              "run",
              "--config",
              sharedFile.toString(),
              "--region",
              regionFile.toString());
      try (LabProcess agent =
          LabProcess.start("agent", cmd, dir, dir.resolve("agent.log"), Map.of("T", TOKEN))) {
        String first =
            Poll.until(LIMIT, "agent up", () -> get(api, "/api/v1/config"), j -> true)
                .getString("configHash");
        Files.writeString(sharedFile, shared(nginx.port(), "a", "b"));
        hup(agent);
        JsonObject applied =
            Poll.until(
                LIMIT,
                "reload applied",
                () -> get(api, "/api/v1/config"),
                j -> j.getJsonObject("lastReload") != null);
        assertEquals("applied", applied.getJsonObject("lastReload").getString("outcome"));
        assertNotEquals(first, applied.getString("configHash"));
        assertEquals(2, applied.getInteger("targets"));

        Files.writeString(sharedFile, shared(0, "a", "b", "c"));
        hup(agent);
        JsonObject refused =
            Poll.until(
                LIMIT,
                "reload refused",
                () -> get(api, "/api/v1/config"),
                j -> "invalid".equals(j.getJsonObject("lastReload").getString("outcome")));
        assertEquals(applied.getString("configHash"), refused.getString("configHash"));
        assertEquals(3, refused.getJsonObject("lastReload").getJsonArray("errors").size());
        String log = Files.readString(agent.log());
        for (int i = 0; i < 3; i++) {
          assertTrue(
              log.contains(sharedFile + ": targets[" + i + "].port: must be between 1 and 65535"),
              "error " + i + " logged:\n" + log);
        }
        // both attempts are in the audit log, newest first, asked by the signal
        io.vertx.core.json.JsonArray audit =
            get(api, "/api/v1/audit?limit=10").getJsonArray("entries");
        assertEquals(2, audit.size(), audit.encodePrettily());
        JsonObject refusedEntry = audit.getJsonObject(0);
        JsonObject appliedEntry = audit.getJsonObject(1);
        assertEquals("signal:HUP", refusedEntry.getString("actor"));
        assertEquals("refused", refusedEntry.getString("outcome"));
        assertEquals(
            "config-invalid", refusedEntry.getJsonObject("details").getString("problemType"));
        assertEquals(4, refusedEntry.getJsonArray("reasons").size(), "the message, three errors");
        assertEquals("signal:HUP", appliedEntry.getString("actor"));
        assertEquals("config-reload", appliedEntry.getString("action"));
        assertEquals("applied", appliedEntry.getString("outcome"));
        JsonObject d = appliedEntry.getJsonObject("details");
        assertEquals(first, d.getString("previousConfigHash"));
        assertEquals(applied.getString("configHash"), d.getString("configHash"));
        assertEquals("1", d.getString("targetsAdded"));
      }
    }
  }
}
