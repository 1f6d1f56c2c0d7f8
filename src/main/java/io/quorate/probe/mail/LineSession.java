package io.quorate.probe.mail;

import io.netty.handler.ssl.SslHandshakeTimeoutException;
import io.quorate.probe.ErrorKind;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.ConnectOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * One client connection of a line protocol (SMTP, IMAP, POP3, banner-style TCP) over a Vert.x
 * {@link NetSocket}, used from its event loop only.
 *
 * <p>Reads are bounded in space and time: a line longer than {@link #MAX_LINE} bytes or more than
 * {@link #MAX_BUFFERED} unread bytes end the session with a PROTOCOL failure without buffering the
 * rest; every read has its own deadline, never later than the whole probe's deadline. Lines end
 * with LF (a preceding CR is dropped) and are decoded as ISO-8859-1, so any byte sequence is a
 * string. The unread bytes live in a {@link LineBuffer}, the outstanding read in a {@link
 * PendingRead}.
 */
public final class LineSession {
  /** Longest accepted line in bytes, without the line end (RFC 5321 §4.5.3.1.5 allows 512). */
  public static final int MAX_LINE = 4096;

  /** Most unread bytes held before the peer is considered to be flooding. */
  public static final int MAX_BUFFERED = 16 * 1024;

  /** Most lines in one SMTP reply. */
  public static final int MAX_REPLY_LINES = 100;

  private final NetSocket socket;
  private final long deadlineNanos;
  private final LineBuffer buffer = new LineBuffer();
  private final PendingRead pending;
  private RuntimeException failure;
  private boolean closed;
  private boolean upgrading;
  private int bytesDuringUpgrade;
  private final long connectedNanos;
  private long firstByteNanos;
  private long tlsStartNanos;
  private long tlsEndNanos;
  private ClientSSLOptions handshakeOptions;

  private LineSession(Vertx vertx, NetSocket socket, long deadlineNanos) {
    this.socket = socket;
    this.deadlineNanos = deadlineNanos;
    this.connectedNanos = System.nanoTime();
    this.pending = new PendingRead(vertx);
    socket.handler(this::onData);
    socket.closeHandler(v -> onClosed());
    socket.exceptionHandler(this::onException);
  }

  /** Connects a plaintext TCP session; the connect timeout is the time left until the deadline. */
  public static Future<LineSession> connect(
      Vertx vertx, NetClient client, String host, int port, long deadlineNanos) {
    int timeout = (int) Math.max(1, remainingMs(deadlineNanos));
    ConnectOptions opts = new ConnectOptions().setHost(host).setPort(port).setTimeout(timeout);
    return client.connect(opts).map(s -> new LineSession(vertx, s, deadlineNanos));
  }

  /** Milliseconds until {@code deadlineNanos}, at least 0. */
  public static long remainingMs(long deadlineNanos) {
    return Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
  }

  /**
   * Sends {@code text} as is (callers add CRLF). Over TLS the next incoming segment is then
   * acknowledged at once ({@link QuickAck}): otherwise a TLS 1.3 server's session tickets, delayed
   * ACK and Nagle hold the reply ~40 ms.
   */
  public Future<Void> send(String text) {
    if (failure != null) {
      return Future.failedFuture(failure);
    }
    Future<Void> written = socket.write(Buffer.buffer(text.getBytes(StandardCharsets.ISO_8859_1)));
    return tlsEndNanos == 0 ? written : written.andThen(ar -> QuickAck.request(socket));
  }

  /**
   * Reads one line (without its line end) within {@code timeoutMs} and the session deadline; a
   * TIMEOUT says "timed out {@code waiting}".
   */
  public Future<String> readLine(long timeoutMs, String waiting) {
    return read(last -> buffer.takeLine(), timeoutMs, waiting);
  }

  /**
   * Reads one SMTP reply (RFC 5321 §4.2): lines {@code NNN-text} up to the last {@code NNN text}
   * (or a bare {@code NNN}), all with the same code, at most {@link #MAX_REPLY_LINES} lines, within
   * one deadline.
   */
  public Future<List<String>> readReply(long timeoutMs, String waiting) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    return SmtpReplies.read(this, deadline, waiting);
  }

  /**
   * Reads the start of a greeting for a banner check: completes with the unread bytes as text as
   * soon as {@code done} accepts them, or when a whole text line, {@link #MAX_LINE} bytes, the
   * timeout or the end of the stream is reached, whichever is first. A line end after control bytes
   * (a binary greeting such as MySQL's, whose protocol byte is 0x0a) does not end the read. Fails
   * with TIMEOUT only when nothing at all arrived.
   */
  public Future<String> readGreeting(Predicate<String> done, long timeoutMs, String waiting) {
    return read(last -> buffer.takeGreeting(done, last), timeoutMs, waiting);
  }

  /**
   * Upgrades to TLS after a positive STARTTLS/STLS reply (RFC 3207 §4, RFC 2595 §3.1). Any byte the
   * server sent after that reply and before the handshake is plaintext that an attacker could have
   * injected (CVE-2011-0411): it is discarded, never read as a post-TLS reply, and the session
   * fails with PROTOCOL.
   */
  public Future<Void> startTls(ClientSSLOptions options, String sniName, String waiting) {
    if (buffer.unread() > 0) {
      int n = buffer.discard();
      return fail(
          ProbeFailure.protocol(
              n
                  + " bytes of plaintext after the STARTTLS reply, before"
                  + " the TLS handshake (command injection, CVE-2011-0411)"));
    }
    upgrading = true;
    return upgrade(options, sniName, waiting)
        .compose(
            v -> {
              upgrading = false;
              if (bytesDuringUpgrade > 0) {
                return fail(
                    ProbeFailure.protocol(
                        bytesDuringUpgrade
                            + " bytes of plaintext during the"
                            + " STARTTLS handshake (command injection, CVE-2011-0411)"));
              }
              return Future.succeededFuture();
            });
  }

  /** Starts TLS before any byte was exchanged (implicit TLS: ports 465, 993, 995). */
  public Future<Void> implicitTls(ClientSSLOptions options, String sniName, String waiting) {
    return upgrade(options, sniName, waiting);
  }

  /**
   * The handshake is bounded by {@code options}' handshake timeout, which the caller sets to the
   * phase's limit: Vert.x enforces it (default 10 s, which must not cut a longer probe) and reports
   * an {@link SslHandshakeTimeoutException}. Vert.x starts that timer only once the SSL context is
   * resolved and its handler installed (the first upgrade in a JVM can spend hundreds of ms there),
   * so the same limit counted from the start of the upgrade, on the future, is what keeps the phase
   * on time. Either is a TIMEOUT, not a TLS failure: the peer said nothing wrong, it was slow.
   */
  private Future<Void> upgrade(ClientSSLOptions options, String sniName, String waiting) {
    tlsStartNanos = System.nanoTime();
    handshakeOptions = options;
    long limit = options.getSslHandshakeTimeoutUnit().toMillis(options.getSslHandshakeTimeout());
    return socket
        .upgradeToSsl(options, sniName)
        .timeout(limit, TimeUnit.MILLISECONDS)
        .recover(
            t ->
                Future.failedFuture(
                    timedOut(t) ? ProbeFailure.down(ErrorKind.TIMEOUT, "timed out " + waiting) : t))
        .onSuccess(v -> tlsEndNanos = System.nanoTime());
  }

  private static boolean timedOut(Throwable t) {
    Throwable c = t;
    for (int depth = 0; c != null && depth < 10; depth++, c = c.getCause()) {
      if (c instanceof TimeoutException || c instanceof SslHandshakeTimeoutException) {
        return true;
      }
    }
    return false;
  }

  /** The TLS options of the last upgrade started (a test seam for the handshake timeout). */
  ClientSSLOptions handshakeOptions() {
    return handshakeOptions;
  }

  /** The peer's certificate chain, leaf first; empty when there is none. */
  public List<Certificate> peerCertificates() {
    try {
      return socket.peerCertificates();
    } catch (SSLPeerUnverifiedException e) {
      return List.of();
    }
  }

  public SSLSession sslSession() {
    return socket.sslSession();
  }

  /** Closes the socket; never fails. */
  public Future<Void> close() {
    pending.cancelTimer();
    return socket.close().recover(t -> Future.succeededFuture());
  }

  /** Connect to first received byte, in milliseconds, or null if nothing arrived. */
  public Double firstByteMs() {
    return firstByteNanos == 0 ? null : (firstByteNanos - connectedNanos) / 1e6;
  }

  /** Duration of the (last) TLS handshake in milliseconds, or null if none completed. */
  public Double tlsMs() {
    return tlsEndNanos == 0 ? null : (tlsEndNanos - tlsStartNanos) / 1e6;
  }

  private Future<String> read(LineBuffer.Reader r, long timeoutMs, String waiting) {
    if (pending.active()) {
      return Future.failedFuture(new IllegalStateException("a read is already pending"));
    }
    if (failure != null) {
      return Future.failedFuture(failure);
    }
    String now = r.take(closed);
    if (now != null) {
      return Future.succeededFuture(now);
    }
    if (closed) {
      return Future.failedFuture(closedFailure());
    }
    long limit = Math.max(0, Math.min(timeoutMs, remainingMs(deadlineNanos)));
    return pending.start(r, limit, waiting);
  }

  private void onData(Buffer data) {
    if (failure != null || closed) {
      return;
    }
    if (firstByteNanos == 0) {
      firstByteNanos = System.nanoTime();
    }
    if (upgrading) {
      bytesDuringUpgrade += data.length();
      return;
    }
    RuntimeException overflow = buffer.append(data);
    if (overflow != null) {
      failAll(overflow);
      socket.close();
      return;
    }
    deliver(false);
  }

  private void deliver(boolean last) {
    if (!pending.active()) {
      return;
    }
    String result;
    try {
      result = pending.take(last);
    } catch (RuntimeException e) {
      failAll(e);
      return;
    }
    if (result != null) {
      pending.complete(result);
    } else if (last) {
      pending.fail(closedFailure());
    }
  }

  private void onClosed() {
    closed = true;
    pending.cancelTimer();
    deliver(true);
  }

  private void onException(Throwable t) {
    if (failure == null && pending.active()) {
      pending.fail(t);
    }
  }

  private RuntimeException closedFailure() {
    return ProbeFailure.protocol(
        buffer.unread() > 0
            ? "connection closed by peer in the middle of a line"
            : "connection closed by peer");
  }

  private void failAll(RuntimeException e) {
    failure = e;
    buffer.discard();
    if (pending.active()) {
      pending.fail(e);
    }
  }

  private <T> Future<T> fail(RuntimeException e) {
    failure = e;
    return Future.failedFuture(e);
  }
}
