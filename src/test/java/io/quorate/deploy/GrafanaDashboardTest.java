package io.quorate.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quorate.testsupport.Bind9Lab;
import io.quorate.testsupport.LocalCluster;
import io.quorate.testsupport.NginxLab;
import io.quorate.testsupport.Poll;
import io.quorate.testsupport.Ports;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code docs/grafana/quorate.json} cannot drift from the code: real agents (three regions, so the
 * mesh, quorum and failover meters exist) probe a real nginx and fail a member over in a real BIND;
 * every metric name any panel or variable queries must be in one agent's {@code /metrics}.
 */
class GrafanaDashboardTest {
  static final Path DASHBOARD = Path.of("docs/grafana/quorate.json");
  static final List<String> REGIONS = List.of("eu-west", "us-east", "ap-southeast");

  @TempDir Path dir;

  @Test
  void promQlNamesAreFoundAndLabelsFunctionsAndVariablesAreNot() {
    assertEquals(
        Set.of("quorate_probe_duration_seconds_bucket"),
        PromQlNames.of(
            "histogram_quantile(0.95, sum by (le, type) (rate("
                + "quorate_probe_duration_seconds_bucket{region=~\"$region\"}[$__rate_interval])))"));
    assertEquals(
        Set.of("quorate_tls_cert_expiry_timestamp_seconds"),
        PromQlNames.of(
            "min by (target) (quorate_tls_cert_expiry_timestamp_seconds - time()) / 86400"));
    assertEquals(
        Set.of("quorate_quorate"), PromQlNames.of("label_values(quorate_quorate, region)"));
    assertEquals(
        Set.of("a_total", "b"),
        PromQlNames.of("sum(rate(a_total[5m])) / on (x) group_left b > 1e3"));
  }

  @Test
  void everyMetricTheDashboardQueriesIsExported() throws Exception {
    Set<String> used = queriedNames(new ObjectMapper().readTree(DASHBOARD.toFile()));
    try (Bind9Lab bind = Bind9Lab.start("example.test", Bind9Lab.exampleZone(1, ""));
        NginxLab nginx = NginxLab.start(dir.resolve("nginx"));
        LocalCluster cluster =
            LocalCluster.start(
                dir,
                REGIONS,
                shared(bind.port(), nginx),
                Map.of(
                    "TSIG", Bind9Lab.TSIG_SECRET, "HOOK", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"),
                null)) {
      int port = cluster.port("eu-west");
      HttpClient http =
          HttpClient.newBuilder()
              .version(HttpClient.Version.HTTP_1_1)
              .connectTimeout(Duration.ofSeconds(2))
              .build();
      // a forged mesh message: the rejection counter exists once something was refused
      HttpResponse<String> forged =
          http.send(
              HttpRequest.newBuilder(URI.create(base(port) + "/api/v1/mesh/observations"))
                  .POST(HttpRequest.BodyPublishers.ofString("{}"))
                  .header("Content-Type", "application/json")
                  .timeout(Duration.ofSeconds(5))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(401, forged.statusCode(), forged.body());
      // the GC pause timer exists after a first collection (the agents run in this JVM)
      System.gc();
      // lazily created meters: a verdict transition, a failover written and propagated, a cert,
      // an alert stored and a delivery attempted
      Set<String> names =
          Poll.until(
              Duration.ofSeconds(90),
              "every lazily created meter",
              () -> sampleNames(scrape(http, port)),
              n ->
                  n.contains("quorate_failover_duration_seconds_count")
                      && n.contains("quorate_verdict_transitions_total")
                      && n.contains("quorate_mesh_rejected_total")
                      && n.contains("quorate_alert_delivery_attempts_total")
                      && n.contains("quorate_alert_events_total")
                      && n.contains("jvm_gc_pause_seconds_sum"));
      System.out.println("exported: " + names);
      Set<String> missing = new TreeSet<>(used);
      missing.removeAll(names);
      assertEquals(Set.of(), missing, "queried by the dashboard, not exported by the agent");
      assertTrue(used.size() >= 25, "the dashboard queries " + used);
    }
  }

  static String base(int port) {
    return "http://127.0.0.1:" + port;
  }

  static String shared(int dnsPort, NginxLab nginx) {
    int dead = Ports.free();
    return String.join(
        "\n",
        "quorum: {heartbeatMs: 200, graceMs: 1000, standbyMs: 1000}",
        "defaults: {intervalMs: 1000, timeoutMs: 500, fall: 2, rise: 2}",
        "groups: [{id: web}]",
        "targets:",
        "  - {id: web-ok, type: http, group: web, address: 127.0.0.1, port: "
            + nginx.httpPort()
            + ", http: {path: /health}}",
        "  - {id: web-dead, type: http, group: web, address: 127.0.0.1, port: "
            + dead
            + ", http: {path: /health}}",
        "  - {id: web-cert, type: tls, group: web, address: 127.0.0.1, port: "
            + nginx.goodPort()
            + ", tls: {verify: false, serverName: www.example.test}}",
        "zones:",
        "  - {zone: example.test, primary: '127.0.0.1:"
            + dnsPort
            + "', servers: ['127.0.0.1:"
            + dnsPort
            + "'], tsig: {name: lab-update, secret: '${env:TSIG}'}}",
        "pools:",
        "  - id: www",
        "    zone: example.test",
        "    name: rr.example.test",
        "    type: A",
        "    members:",
        "      - {id: m1, value: 127.0.0.11, target: web-ok}",
        "      - {id: m2, value: 127.0.0.12, target: web-dead}",
        "slos: [{id: web-availability, group: web, objective: 99.9}]",
        // a webhook nobody answers: the verdict.down alert makes real, retried attempts
        "alerts:",
        "  channels:",
        "    - {id: hook, type: webhook, url: 'http://127.0.0.1:"
            + Ports.free()
            + "/hook', secrets: ['${env:HOOK}'], allowHosts: [127.0.0.1]}",
        "  rules: [{kinds: ['verdict.*'], channels: [hook]}]",
        "");
  }

  /** Every metric name in a panel target's {@code expr} or a variable's query. */
  static Set<String> queriedNames(JsonNode dashboard) {
    List<String> exprs = new ArrayList<>();
    dashboard.findValues("expr").forEach(e -> exprs.add(e.asText()));
    for (JsonNode v : dashboard.path("templating").path("list")) {
      if ("query".equals(v.path("type").asText())) {
        JsonNode q = v.path("query");
        exprs.add(q.isObject() ? q.path("query").asText() : q.asText());
      }
    }
    Set<String> names = new TreeSet<>();
    exprs.forEach(e -> names.addAll(PromQlNames.of(e)));
    return names;
  }

  static String scrape(HttpClient http, int port) {
    try {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(base(port) + "/metrics"))
                  .timeout(Duration.ofSeconds(5))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode());
      return r.body();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * The sample names of a Prometheus text exposition: {@code foo_bucket}, {@code foo_count} and
   * {@code foo_sum} of a histogram as written, counters with their {@code _total}, so a query must
   * use a series that really exists (a {@code _bucket} of a summary does not).
   */
  static Set<String> sampleNames(String exposition) {
    Set<String> names = new TreeSet<>();
    for (String line : exposition.split("\n")) {
      if (!line.isEmpty() && !line.startsWith("#")) {
        int end = 0;
        while (end < line.length() && line.charAt(end) != '{' && line.charAt(end) != ' ') {
          end++;
        }
        names.add(line.substring(0, end));
      }
    }
    return names;
  }
}
