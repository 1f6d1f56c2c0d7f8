package io.quorate.heartbeat;

import io.quorate.testsupport.LocalCluster;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Plain HTTP to a {@link LocalCluster} agent from the test thread (never an event loop). */
final class HeartbeatHttp {
  /** A response: status, content type and body. */
  record Reply(int status, String type, String body) {
    JsonObject json() {
      return new JsonObject(body);
    }
  }

  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build();
  private final LocalCluster cluster;

  HeartbeatHttp(LocalCluster cluster) {
    this.cluster = cluster;
  }

  /** {@code POST path} to {@code region} with {@code bearer} ({@code null}: no Authorization). */
  Reply post(String region, String path, String bearer) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri(region, path))
            .timeout(Duration.ofSeconds(5))
            .POST(HttpRequest.BodyPublishers.noBody());
    if (bearer != null) {
      b.header("Authorization", "Bearer " + bearer);
    }
    return send(b.build());
  }

  /** {@code GET path} from {@code region} with the cluster's read token. */
  JsonObject get(String region, String path) throws Exception {
    HttpRequest req =
        HttpRequest.newBuilder(uri(region, path))
            .timeout(Duration.ofSeconds(5))
            .header("Authorization", "Bearer " + LocalCluster.TOKEN)
            .GET()
            .build();
    Reply r = send(req);
    if (r.status() != 200) {
      throw new AssertionError("GET " + path + " -> " + r.status() + " " + r.body());
    }
    return r.json();
  }

  private URI uri(String region, String path) {
    return URI.create("http://127.0.0.1:" + cluster.port(region) + path);
  }

  private Reply send(HttpRequest req) throws Exception {
    HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
    return new Reply(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body());
  }
}
