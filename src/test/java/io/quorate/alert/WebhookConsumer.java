package io.quorate.alert;

import io.quorate.testsupport.TestTls;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A webhook endpoint for the tests: a Vert.x HTTP server on 127.0.0.1, port 0, that records every
 * request (headers copied, body bytes as received) and answers from a script, one reply per
 * request, then 200 once the script is used up. Replies can hang (never answer), redirect, or send
 * a huge body.
 */
public final class WebhookConsumer {
  /** A scripted reply. {@code hang} never answers; {@code bodyBytes} > 0 streams that many. */
  public record Reply(int status, MultiMap headers, String body, long bodyBytes, boolean hang) {
    public static Reply status(int status) {
      return new Reply(status, MultiMap.caseInsensitiveMultiMap(), "", 0, false);
    }

    public static Reply withHeader(int status, String name, String value) {
      return new Reply(status, MultiMap.caseInsensitiveMultiMap().add(name, value), "", 0, false);
    }

    public static Reply withBody(int status, String body) {
      return new Reply(status, MultiMap.caseInsensitiveMultiMap(), body, 0, false);
    }

    public static Reply huge(int status, long bytes) {
      return new Reply(status, MultiMap.caseInsensitiveMultiMap(), "", bytes, false);
    }

    public static Reply hanging() {
      return new Reply(0, MultiMap.caseInsensitiveMultiMap(), "", 0, true);
    }
  }

  /** One received request. */
  public record Received(
      String method, String uri, MultiMap headers, Buffer body, String sni, long atNanos) {
    public JsonObject json() {
      return new JsonObject(body);
    }
  }

  private final HttpServer server;
  private final Queue<Reply> script = new ConcurrentLinkedQueue<>();
  private final List<Received> received = new CopyOnWriteArrayList<>();

  private WebhookConsumer(HttpServer server) {
    this.server = server;
  }

  public static Future<WebhookConsumer> start(Vertx vertx, Reply... replies) {
    return start(vertx, null, replies);
  }

  /** Starts an https consumer when {@code cert} is given. */
  public static Future<WebhookConsumer> start(Vertx vertx, TestTls.Issued cert, Reply... replies) {
    HttpServerOptions o = new HttpServerOptions().setHost("127.0.0.1");
    if (cert != null) {
      o.setSsl(true)
          .setSni(true)
          .setKeyCertOptions(
              new PemKeyCertOptions()
                  .setCertPath(cert.certFile().toString())
                  .setKeyPath(cert.keyFile().toString()));
    }
    HttpServer server = vertx.createHttpServer(o);
    WebhookConsumer c = new WebhookConsumer(server);
    c.script.addAll(List.of(replies));
    server.requestHandler(c::handle);
    return server.listen(0, "127.0.0.1").map(s -> c);
  }

  public int port() {
    return server.actualPort();
  }

  public String url(String path) {
    return "http://127.0.0.1:" + port() + path;
  }

  public List<Received> received() {
    return received;
  }

  /** Appends replies to the script (used after the replies given at start). */
  public void then(Reply... replies) {
    script.addAll(List.of(replies));
  }

  /** Drops the rest of the script: every later request is answered 200. */
  public void answerOk() {
    script.clear();
  }

  public Future<Void> close() {
    return server.close();
  }

  private void handle(HttpServerRequest req) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().addAll(req.headers());
    String sni = req.connection().indicatedServerName();
    req.body()
        .onSuccess(
            body -> {
              received.add(
                  new Received(
                      req.method().name(), req.uri(), headers, body, sni, System.nanoTime()));
              reply(req, script.poll());
            });
  }

  private static void reply(HttpServerRequest req, Reply r) {
    if (r == null) {
      req.response().setStatusCode(200).end("ok");
      return;
    }
    if (r.hang()) {
      return; // never answers: the sender's timeout must end the attempt
    }
    req.response().setStatusCode(r.status()).headers().addAll(r.headers());
    if (r.bodyBytes() > 0) {
      streamHuge(req, r.bodyBytes());
      return;
    }
    req.response().end(r.body());
  }

  /** Writes {@code total} bytes in 64 KiB chunks, respecting back-pressure. */
  private static void streamHuge(HttpServerRequest req, long total) {
    var resp = req.response().setChunked(true);
    Buffer chunk = Buffer.buffer(new byte[64 * 1024]);
    long[] sent = {0};
    Runnable[] pump = new Runnable[1];
    pump[0] =
        () -> {
          while (sent[0] < total && !resp.writeQueueFull() && !resp.closed()) {
            resp.write(chunk);
            sent[0] += chunk.length();
          }
          if (resp.closed()) {
            return;
          }
          if (sent[0] >= total) {
            resp.end();
          } else {
            resp.drainHandler(v -> pump[0].run());
          }
        };
    pump[0].run();
  }
}
