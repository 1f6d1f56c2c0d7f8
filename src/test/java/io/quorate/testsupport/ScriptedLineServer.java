package io.quorate.testsupport;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.ServerSSLOptions;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * An in-process line server on 127.0.0.1, port 0, that plays a fixed script to every client: for
 * the bad-input and timing cases a real mail server will not produce (silence, trickled banners,
 * endless lines, STARTTLS injection). Each connection runs the steps in order; timing uses Vert.x
 * timers, never sleeps.
 *
 * <pre>
 * ScriptedLineServer s = ScriptedLineServer.start(vertx,
 *     List.of(send("220 hi\r\n"), expect("EHLO"), send("250 ok\r\n"), close())).await();
 * </pre>
 */
public final class ScriptedLineServer {
  /** One step of the script, given the connection. */
  @FunctionalInterface
  public interface Step extends Function<Conn, Future<Void>> {}

  private final NetServer server;
  private final List<String> received = new CopyOnWriteArrayList<>();
  private final Promise<Long> flooded = Promise.promise();

  private ScriptedLineServer(NetServer server) {
    this.server = server;
  }

  /** Starts the server; every connection plays {@code steps}. */
  public static Future<ScriptedLineServer> start(Vertx vertx, List<Step> steps) {
    NetServer server = vertx.createNetServer(new NetServerOptions().setHost("127.0.0.1"));
    ScriptedLineServer s = new ScriptedLineServer(server);
    server.connectHandler(sock -> s.play(vertx, sock, steps));
    return server.listen(0, "127.0.0.1").map(x -> s);
  }

  public int port() {
    return server.actualPort();
  }

  /** Every line received from clients, in order (after STARTTLS too). */
  public List<String> received() {
    return received;
  }

  /** Bytes written by the first {@link #flood} step, once it ended (all sent, or closed). */
  public Future<Long> flooded() {
    return flooded.future();
  }

  public Future<Void> close() {
    return server.close();
  }

  private void play(Vertx vertx, NetSocket sock, List<Step> steps) {
    Conn c = new Conn(vertx, sock, this);
    Future<Void> f = Future.succeededFuture();
    for (Step step : steps) {
      f = f.compose(v -> step.apply(c));
    }
    f.onFailure(t -> sock.close());
  }

  /** A connection being scripted. */
  public static final class Conn {
    final Vertx vertx;
    final NetSocket sock;
    final ScriptedLineServer owner;
    private final StringBuilder in = new StringBuilder();
    private Promise<String> waiting;
    private Promise<Void> bytesWaiting;
    private boolean closed;

    Conn(Vertx vertx, NetSocket sock, ScriptedLineServer owner) {
      this.vertx = vertx;
      this.sock = sock;
      this.owner = owner;
      sock.handler(this::onData);
      sock.closeHandler(
          v -> {
            closed = true;
            if (waiting != null) {
              waiting.tryFail("closed");
            }
            if (bytesWaiting != null) {
              bytesWaiting.tryFail("closed");
            }
          });
    }

    private void onData(Buffer b) {
      in.append(b.toString(StandardCharsets.ISO_8859_1));
      deliver();
    }

    private void deliver() {
      if (bytesWaiting != null && in.length() > 0) {
        in.setLength(0);
        Promise<Void> p = bytesWaiting;
        bytesWaiting = null;
        p.complete();
        return;
      }
      int lf = in.indexOf("\n");
      if (waiting != null && lf >= 0) {
        String line = in.substring(0, lf).replace("\r", "");
        in.delete(0, lf + 1);
        owner.received.add(line);
        Promise<String> p = waiting;
        waiting = null;
        p.complete(line);
      }
    }

    Future<Void> nextBytes() {
      bytesWaiting = Promise.promise();
      Future<Void> f = bytesWaiting.future();
      if (closed) {
        bytesWaiting.fail("closed");
      }
      deliver();
      return f;
    }

    Future<String> nextLine() {
      waiting = Promise.promise();
      Future<String> f = waiting.future();
      if (closed) {
        waiting.fail("closed");
      }
      deliver();
      return f;
    }
  }

  /** Writes {@code text} as is. */
  public static Step send(String text) {
    return c -> c.sock.write(text);
  }

  /** Reads one line and fails the script unless it starts with {@code prefix}. */
  public static Step expect(String prefix) {
    return c ->
        c.nextLine()
            .compose(
                l ->
                    l.startsWith(prefix)
                        ? Future.succeededFuture()
                        : Future.failedFuture("expected " + prefix + " got " + l));
  }

  /**
   * Waits for any bytes at all from the client and discards them, whatever they are: e.g. the TLS
   * ClientHello a client sends after a positive STARTTLS reply.
   */
  public static Step awaitBytes() {
    return Conn::nextBytes;
  }

  /** Writes {@code text} one byte every {@code intervalMs}. */
  public static Step trickle(String text, long intervalMs) {
    return c -> {
      Promise<Void> done = Promise.promise();
      byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
      int[] i = {0};
      c.vertx.setPeriodic(
          intervalMs,
          id -> {
            if (c.closed || i[0] >= bytes.length) {
              c.vertx.cancelTimer(id);
              done.tryComplete();
              return;
            }
            c.sock.write(Buffer.buffer(new byte[] {bytes[i[0]++]}));
          });
      return done.future();
    };
  }

  /** Writes up to {@code total} bytes without a line end, honouring back-pressure. */
  public static Step flood(long total) {
    return c -> {
      Promise<Void> done = Promise.promise();
      Buffer chunk = Buffer.buffer("A".repeat(64 * 1024));
      long[] sent = {0};
      Runnable[] pump = new Runnable[1];
      pump[0] =
          () -> {
            while (!c.closed && sent[0] < total && !c.sock.writeQueueFull()) {
              c.sock.write(chunk);
              sent[0] += chunk.length();
            }
            if (c.closed || sent[0] >= total) {
              c.owner.flooded.tryComplete(sent[0]);
              done.tryComplete();
            } else {
              c.sock.drainHandler(v -> pump[0].run());
            }
          };
      c.sock.closeHandler(
          v -> {
            c.closed = true;
            c.owner.flooded.tryComplete(sent[0]);
            done.tryComplete();
          });
      pump[0].run();
      return done.future();
    };
  }

  /**
   * Sends {@code reply} (the positive STARTTLS answer, plus anything to inject after it) and then
   * upgrades the server side to TLS with {@code cert}. Vert.x pauses reading before the write and
   * installs the TLS handler right after it, so the client's ClientHello is never read as text.
   */
  public static Step replyThenTls(String reply, TestTls.Issued cert) {
    return c ->
        c.sock.upgradeToSsl(
            new ServerSSLOptions()
                .setKeyCertOptions(
                    new PemKeyCertOptions()
                        .setCertPath(cert.certFile().toString())
                        .setKeyPath(cert.keyFile().toString())),
            Buffer.buffer(reply));
  }

  /** Closes the connection. */
  public static Step hangUp() {
    return c -> c.sock.close();
  }

  /** Does nothing for the rest of the connection (the client's deadline ends it). */
  public static Step silence() {
    return c -> Promise.<Void>promise().future();
  }

  /** Convenience: a list of steps. */
  public static List<Step> script(Step... steps) {
    return new ArrayList<>(List.of(steps));
  }
}
