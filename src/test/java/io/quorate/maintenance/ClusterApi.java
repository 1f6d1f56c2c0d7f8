package io.quorate.maintenance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quorate.testsupport.ApiPoll;
import io.quorate.testsupport.LocalCluster;
import io.quorate.testsupport.Poll;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * What the maintenance lab tests ask, from the test thread: each region's API (operate token), the
 * RRset the primary serves over the wire, and a webhook consumer collecting delivered alerts.
 */
final class ClusterApi {
  private final LocalCluster cluster;
  private final int dnsPort;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build();

  ClusterApi(LocalCluster cluster, int dnsPort) {
    this.cluster = cluster;
    this.dnsPort = dnsPort;
  }

  /** A webhook consumer on loopback that answers 204 and keeps every body. */
  static int startConsumer(Vertx vertx, List<JsonObject> delivered) throws Exception {
    HttpServer server =
        vertx
            .createHttpServer()
            .requestHandler(
                req ->
                    req.body()
                        .onSuccess(
                            body -> {
                              delivered.add(body.toJsonObject());
                              req.response().setStatusCode(204).end();
                            }));
    return ApiPoll.await(server.listen(0, "127.0.0.1")).actualPort();
  }

  /** POSTs a one-hour window over {@code target} starting now; expects 201. */
  void createWindow(String id, String target, String failover) {
    Instant now = Instant.now();
    JsonObject w =
        new JsonObject()
            .put("id", id)
            .put("title", "Work on " + target)
            .put("targets", List.of(target))
            .put("start", now.toString())
            .put("end", now.plus(Duration.ofHours(1)).toString())
            .put("failover", failover);
    assertEquals(201, send("eu-west", "POST", "/api/v1/maintenance", w.encode()));
  }

  /** Until every region shows "state/underlying" ("-" when not in maintenance) for the target. */
  void awaitShown(String target, String expected) {
    Poll.until(
        Duration.ofSeconds(20),
        target + " shown " + expected + " everywhere",
        () -> cluster.regions().stream().map(r -> shown(r, target)).toList(),
        l -> l.stream().allMatch(expected::equals));
  }

  private String shown(String region, String target) {
    JsonObject v = get(region, "/api/v1/verdicts/" + target);
    return v.getString("state") + "/" + v.getString("underlying", "-");
  }

  /** A region's audit entries of one pool with this action and outcome, newest first. */
  List<JsonObject> audit(String region, String pool, String action, String outcome) {
    JsonArray entries =
        get(region, "/api/v1/audit?pool=" + pool + "&limit=1000").getJsonArray("entries");
    List<JsonObject> out = new ArrayList<>();
    for (Object o : entries) {
      JsonObject e = (JsonObject) o;
      if (action.equals(e.getString("action")) && outcome.equals(e.getString("outcome"))) {
        out.add(e);
      }
    }
    return out;
  }

  JsonObject get(String region, String path) {
    HttpResponse<String> r = request(region, "GET", path, null);
    if (r.statusCode() != 200) {
      throw new IllegalStateException(path + ": HTTP " + r.statusCode() + " " + r.body());
    }
    return new JsonObject(r.body());
  }

  int send(String region, String method, String path, String body) {
    return request(region, method, path, body).statusCode();
  }

  private HttpResponse<String> request(String region, String method, String path, String body) {
    HttpRequest req =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cluster.port(region) + path))
            .timeout(Duration.ofSeconds(5))
            .header("Authorization", "Bearer " + LocalCluster.OPERATE_TOKEN)
            .header("Content-Type", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .build();
    try {
      return http.send(req, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The A records the primary serves for {@code name}, asked over UDP now. */
  Set<String> served(String name) {
    try {
      SimpleResolver resolver = new SimpleResolver(InetAddress.getLoopbackAddress());
      resolver.setPort(dnsPort);
      resolver.setTimeout(Duration.ofSeconds(2));
      Message q =
          Message.newQuery(Record.newRecord(Name.fromString(name, Name.root), Type.A, DClass.IN));
      Set<String> values = new TreeSet<>();
      for (Record rec : resolver.send(q).getSection(Section.ANSWER)) {
        if (rec.getType() == Type.A) {
          values.add(rec.rdataToString().toLowerCase(Locale.ROOT));
        }
      }
      return values;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
