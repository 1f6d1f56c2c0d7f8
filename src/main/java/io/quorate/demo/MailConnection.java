package io.quorate.demo;

import io.quorate.demo.MailDialect.Reply;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.ServerSSLOptions;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client session on a demo mail port, driven from its socket's event loop only: frames lines
 * (LF, an optional CR before it), asks the {@link MailDialect} for each answer, and upgrades to TLS
 * when told to. Never blocks.
 *
 * <p>Bounded: a line longer than {@link DemoMailServer.Limits#maxLineBytes()}, more than {@link
 * DemoMailServer.Limits#maxCommands()} commands, or silence for {@link
 * DemoMailServer.Limits#idleTimeoutMs()} end the session with the dialect's farewell. At most one
 * partial line is ever buffered: complete lines are answered as soon as they arrive, so pipelined
 * commands are answered in order.
 *
 * <p>STARTTLS (RFC 3207 §4, RFC 2595 §4, RFC 9051 §6.2.1): whatever the client sent after the
 * STARTTLS line and before the TLS handshake is plaintext that could have been injected
 * (CVE-2011-0411). It is discarded, never answered over TLS.
 */
final class MailConnection {
  private static final Logger LOG = LoggerFactory.getLogger(MailConnection.class);

  private enum State {
    PLAIN,
    UPGRADING,
    TLS,
    CLOSING
  }

  private final Vertx vertx;
  private final NetSocket socket;
  private final MailDialect dialect;
  private final DemoMailServer.Limits limits;
  private final ServerSSLOptions tls;
  private final String where;
  private final StringBuilder pending = new StringBuilder();
  private State state = State.PLAIN;
  private int commands;
  private long lastActivityNanos = System.nanoTime();

  MailConnection(
      Vertx vertx,
      NetSocket socket,
      MailDialect dialect,
      DemoMailServer.Limits limits,
      ServerSSLOptions tls,
      String where) {
    this.vertx = vertx;
    this.socket = socket;
    this.dialect = dialect;
    this.limits = limits;
    this.tls = tls;
    this.where = where;
  }

  /** Greets the client and starts reading; {@code onClosed} runs once the socket is closed. */
  void start(Runnable onClosed) {
    socket.handler(this::onData);
    socket.closeHandler(
        v -> {
          state = State.CLOSING;
          onClosed.run();
        });
    socket.exceptionHandler(
        t ->
            LOG.debug(
                "demo-mail session={} proto={} error={}", where, dialect.name(), t.toString()));
    socket.write(dialect.greeting());
    armIdleTimer(limits.idleTimeoutMs());
  }

  /** Refuses the connection with the dialect's busy line (the session limit is reached). */
  void refuse() {
    state = State.CLOSING;
    closeAfter(dialect.busy());
  }

  /**
   * Closes the socket now (the server is stopping); may be called from any thread. The state
   * changes in the close handler, on the socket's event loop.
   */
  Future<Void> close() {
    return socket.close().otherwiseEmpty();
  }

  private void onData(Buffer data) {
    if (state == State.CLOSING) {
      return;
    }
    lastActivityNanos = System.nanoTime();
    if (state == State.UPGRADING && !socket.isSsl()) {
      // plaintext that reached us before the TLS handler was installed: injected, discard
      LOG.info(
          "demo-mail session={} proto={} event=plaintext-before-tls discarded={}",
          where,
          dialect.name(),
          data.length());
      return;
    }
    pending.append(data.toString(StandardCharsets.ISO_8859_1));
    if (state == State.UPGRADING) {
      // decrypted data that arrived before the handshake's completion was reported to us
      if (pending.length() > limits.maxLineBytes() + 2) {
        farewell(dialect.lineTooLong(), "line-too-long");
      }
      return;
    }
    drain();
  }

  /** Answers every complete line, in order; then checks the partial line left. */
  private void drain() {
    int lf;
    while ((state == State.PLAIN || state == State.TLS) && (lf = pending.indexOf("\n")) >= 0) {
      int end = lf > 0 && pending.charAt(lf - 1) == '\r' ? lf - 1 : lf;
      String line = pending.substring(0, end);
      pending.delete(0, lf + 1);
      if (line.length() > limits.maxLineBytes()) {
        farewell(dialect.lineTooLong(), "line-too-long");
        return;
      }
      answer(line);
    }
    // a partial line may still get its CR: allow one byte for it
    if ((state == State.PLAIN || state == State.TLS)
        && pending.length() > limits.maxLineBytes() + 1) {
      farewell(dialect.lineTooLong(), "line-too-long");
    }
  }

  private void answer(String line) {
    if (++commands > limits.maxCommands()) {
      farewell(dialect.tooManyCommands(), "too-many-commands");
      return;
    }
    Reply r = dialect.answer(line, state == State.TLS);
    switch (r.action()) {
      case CONTINUE -> socket.write(r.text());
      case CLOSE -> {
        state = State.CLOSING;
        closeAfter(r.text());
      }
      case START_TLS -> startTls(r.text());
    }
  }

  /**
   * Writes the positive STARTTLS reply and upgrades. Vert.x pauses reading before writing the reply
   * and installs the TLS handler once it is written, so the ClientHello is never read as text; what
   * the client pipelined after the STARTTLS line is dropped here (RFC 3207 §4).
   */
  private void startTls(String reply) {
    int injected = pending.length();
    pending.setLength(0);
    if (injected > 0) {
      LOG.info(
          "demo-mail session={} proto={} event=pipelined-after-starttls discarded={}",
          where,
          dialect.name(),
          injected);
    }
    state = State.UPGRADING;
    socket
        .upgradeToSsl(tls, Buffer.buffer(reply, "ISO-8859-1"))
        .onSuccess(
            v -> {
              if (state == State.UPGRADING) {
                state = State.TLS;
                lastActivityNanos = System.nanoTime();
                drain();
              }
            })
        .onFailure(
            t -> {
              LOG.debug(
                  "demo-mail session={} proto={} event=tls-failed error={}",
                  where,
                  dialect.name(),
                  t.toString());
              close();
            });
  }

  private void farewell(String text, String event) {
    LOG.info("demo-mail session={} proto={} event={}", where, dialect.name(), event);
    state = State.CLOSING;
    pending.setLength(0);
    closeAfter(text);
  }

  private void closeAfter(String text) {
    socket.write(text).eventually(() -> socket.close());
  }

  /**
   * A one-shot timer that re-arms itself for the rest of the idle period: no timer is cancelled per
   * command, and one firing after the session closed does nothing.
   */
  private void armIdleTimer(long delayMs) {
    vertx.setTimer(
        Math.max(1, delayMs),
        id -> {
          if (state == State.CLOSING) {
            return;
          }
          long idleMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastActivityNanos);
          if (idleMs >= limits.idleTimeoutMs()) {
            farewell(dialect.idle(), "idle-timeout");
          } else {
            armIdleTimer(limits.idleTimeoutMs() - idleMs);
          }
        });
  }
}
