package io.quorate.probe.mail;

import io.quorate.probe.ErrorKind;
import io.vertx.core.Future;
import io.vertx.core.Promise;
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
 * string.
 */
public final class LineSession {
  /** Longest accepted line in bytes, without the line end (RFC 5321 §4.5.3.1.5 allows 512). */
  public static final int MAX_LINE = 4096;

  /** Most unread bytes held before the peer is considered to be flooding. */
  public static final int MAX_BUFFERED = 16 * 1024;

  /** Most lines in one SMTP reply. */
  public static final int MAX_REPLY_LINES = 100;

  /** Inspects the unread bytes; returns a result, or null when it needs more. */
  @FunctionalInterface
  interface Reader {
    String take(boolean lastChance);
  }

  private final Vertx vertx;
  private final NetSocket socket;
  private final long deadlineNanos;
  private final byte[] buf = new byte[MAX_BUFFERED];
  private int head;
  private int tail;
  private Promise<String> pending;
  private Reader reader;
  private String pendingWhat;
  private long pendingTimeoutMs;
  private long timerId = -1;
  private RuntimeException failure;
  private boolean closed;
  private boolean upgrading;
  private int bytesDuringUpgrade;
  private final long connectedNanos;
  private long firstByteNanos;
  private long tlsStartNanos;
  private long tlsEndNanos;

  private LineSession(Vertx vertx, NetSocket socket, long deadlineNanos) {
    this.vertx = vertx;
    this.socket = socket;
    this.deadlineNanos = deadlineNanos;
    this.connectedNanos = System.nanoTime();
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

  /** Sends {@code text} as is (callers add CRLF). */
  public Future<Void> send(String text) {
    if (failure != null) {
      return Future.failedFuture(failure);
    }
    return socket.write(Buffer.buffer(text.getBytes(StandardCharsets.ISO_8859_1)));
  }

  /** Reads one line (without its line end) within {@code timeoutMs} and the session deadline. */
  public Future<String> readLine(long timeoutMs) {
    return read(last -> takeLine(), timeoutMs, "reading a line");
  }

  /**
   * Reads one SMTP reply (RFC 5321 §4.2): lines {@code NNN-text} up to the last {@code NNN text},
   * all with the same code, at most {@link #MAX_REPLY_LINES} lines, within one deadline.
   */
  public Future<List<String>> readReply(long timeoutMs) {
    return SmtpReplies.read(this, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs));
  }

  /**
   * Reads the start of a greeting for a banner check: completes with the unread bytes as text as
   * soon as {@code done} accepts them, or when a whole text line, {@link #MAX_LINE} bytes, the
   * timeout or the end of the stream is reached, whichever is first. A line end after control bytes
   * (a binary greeting such as MySQL's, whose protocol byte is 0x0a) does not end the read. Fails
   * with TIMEOUT only when nothing at all arrived.
   */
  public Future<String> readGreeting(java.util.function.Predicate<String> done, long timeoutMs) {
    return read(
        last -> {
          int lf = indexOfLf();
          boolean textLine = lf >= 0 && isText(head, lf);
          int end = textLine ? lf : Math.min(tail, head + MAX_LINE);
          String text = new String(buf, head, end - head, StandardCharsets.ISO_8859_1);
          boolean complete = textLine || end - head >= MAX_LINE || (last && end > head);
          if (complete || (end > head && done.test(text))) {
            head = textLine ? lf + 1 : end;
            return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
          }
          return null;
        },
        timeoutMs,
        "waiting for the greeting");
  }

  private boolean isText(int from, int to) {
    for (int i = from; i < to; i++) {
      int b = buf[i] & 0xff;
      if (b < 0x20 && b != '\t' && b != '\r') {
        return false;
      }
    }
    return true;
  }

  /**
   * Upgrades to TLS after a positive STARTTLS/STLS reply (RFC 3207 §4, RFC 2595 §3.1). Any byte the
   * server sent after that reply and before the handshake is plaintext that an attacker could have
   * injected (CVE-2011-0411): it is discarded, never read as a post-TLS reply, and the session
   * fails with PROTOCOL.
   */
  public Future<Void> startTls(ClientSSLOptions options, String sniName) {
    if (tail > head) {
      int n = tail - head;
      head = tail;
      return fail(
          ProbeFailure.protocol(
              n
                  + " bytes of plaintext after the STARTTLS reply, before"
                  + " the TLS handshake (command injection, CVE-2011-0411)"));
    }
    upgrading = true;
    return upgrade(options, sniName)
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
  public Future<Void> implicitTls(ClientSSLOptions options, String sniName) {
    return upgrade(options, sniName);
  }

  private Future<Void> upgrade(ClientSSLOptions options, String sniName) {
    tlsStartNanos = System.nanoTime();
    long limit = Math.max(1, remainingMs(deadlineNanos));
    return socket
        .upgradeToSsl(options, sniName)
        .timeout(limit, TimeUnit.MILLISECONDS)
        .recover(
            t ->
                Future.failedFuture(
                    t instanceof java.util.concurrent.TimeoutException
                        ? ProbeFailure.down(
                            ErrorKind.TIMEOUT, "TLS handshake timed out after " + limit + " ms")
                        : t))
        .onSuccess(v -> tlsEndNanos = System.nanoTime());
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
    cancelTimer();
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

  long deadlineNanos() {
    return deadlineNanos;
  }

  Future<String> read(Reader r, long timeoutMs, String what) {
    if (pending != null) {
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
    pending = Promise.promise();
    reader = r;
    pendingWhat = what;
    pendingTimeoutMs = limit;
    Future<String> f = pending.future();
    timerId = vertx.setTimer(Math.max(1, limit), id -> onTimeout());
    return f;
  }

  private String takeLine() {
    int lf = indexOfLf();
    if (lf < 0) {
      return null;
    }
    int end = lf > head && buf[lf - 1] == '\r' ? lf - 1 : lf;
    String line = new String(buf, head, end - head, StandardCharsets.ISO_8859_1);
    head = lf + 1;
    return line;
  }

  private int indexOfLf() {
    for (int i = head; i < tail; i++) {
      if (buf[i] == '\n') {
        return i;
      }
    }
    return -1;
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
    if (tail + data.length() > buf.length && head > 0) {
      System.arraycopy(buf, head, buf, 0, tail - head);
      tail -= head;
      head = 0;
    }
    int n = Math.min(data.length(), buf.length - tail);
    data.getBytes(0, n, buf, tail);
    tail += n;
    RuntimeException overflow = overflow(n < data.length());
    if (overflow != null) {
      failAll(overflow);
      socket.close();
      return;
    }
    deliver(false);
  }

  /** A PROTOCOL failure when a line (complete or not) exceeds the cap or data was dropped. */
  private RuntimeException overflow(boolean truncated) {
    int start = head;
    for (int i = head; i < tail; i++) {
      if (buf[i] == '\n') {
        if (i - start > MAX_LINE + 1) {
          break;
        }
        start = i + 1;
      }
    }
    // after a break, start is the too-long line; otherwise the unfinished last line
    if (tail - start > MAX_LINE + 1) {
      return ProbeFailure.protocol("line longer than " + MAX_LINE + " bytes");
    }
    return truncated
        ? ProbeFailure.protocol("more than " + MAX_BUFFERED + " unread bytes from the server")
        : null;
  }

  private void deliver(boolean last) {
    if (pending == null) {
      return;
    }
    String result;
    try {
      result = reader.take(last);
    } catch (RuntimeException e) {
      failAll(e);
      return;
    }
    if (result != null) {
      Promise<String> p = takePending();
      p.complete(result);
    } else if (last) {
      takePending().fail(closedFailure());
    }
  }

  private void onTimeout() {
    timerId = -1;
    if (pending == null) {
      return;
    }
    String result = reader.take(true);
    Promise<String> p = takePending();
    if (result != null) {
      p.complete(result);
    } else {
      p.fail(
          ProbeFailure.down(
              ErrorKind.TIMEOUT,
              "timed out " + pendingWhat + " after " + pendingTimeoutMs + " ms"));
    }
  }

  private void onClosed() {
    closed = true;
    cancelTimer();
    deliver(true);
  }

  private void onException(Throwable t) {
    if (failure == null && pending != null) {
      takePending().fail(t);
    }
  }

  private RuntimeException closedFailure() {
    return ProbeFailure.protocol(
        tail > head
            ? "connection closed by peer in the middle of a line"
            : "connection closed by peer");
  }

  private void failAll(RuntimeException e) {
    failure = e;
    head = tail;
    if (pending != null) {
      takePending().fail(e);
    }
  }

  private <T> Future<T> fail(RuntimeException e) {
    failure = e;
    return Future.failedFuture(e);
  }

  private Promise<String> takePending() {
    cancelTimer();
    Promise<String> p = pending;
    pending = null;
    reader = null;
    return p;
  }

  private void cancelTimer() {
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
      timerId = -1;
    }
  }
}
