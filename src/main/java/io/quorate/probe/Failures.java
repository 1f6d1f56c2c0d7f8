package io.quorate.probe;

import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.VertxException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

/** Maps I/O exceptions to an {@link ErrorKind} and a short human detail. */
public final class Failures {
  private Failures() {}

  /** A classified failure. */
  public record Classified(ErrorKind kind, String detail) {}

  /** Classifies {@code t}, prefixing the detail with the phase it happened in. */
  public static Classified classify(String phase, Throwable t) {
    Throwable c = rootCause(t);
    String msg = c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
    ErrorKind kind;
    String what;
    if (c instanceof TimeoutException
        || c instanceof io.netty.handler.ssl.SslHandshakeTimeoutException
        || c instanceof ConnectTimeoutException
        || c instanceof java.net.SocketTimeoutException
        || (c instanceof VertxException && msg.toLowerCase().contains("timeout"))) {
      kind = ErrorKind.TIMEOUT;
      what = "timed out";
    } else if (c instanceof ConnectException && msg.toLowerCase().contains("refused")) {
      kind = ErrorKind.REFUSED;
      what = "connection refused";
    } else if (c instanceof PortUnreachableException) {
      kind = ErrorKind.REFUSED;
      what = "port unreachable";
    } else if (c instanceof NoRouteToHostException
        || c instanceof UnknownHostException
        || msg.toLowerCase().contains("network is unreachable")
        || msg.toLowerCase().contains("no route")) {
      kind = ErrorKind.UNREACHABLE;
      what = "unreachable: " + msg;
    } else if (c instanceof SSLHandshakeException || c instanceof SSLException) {
      kind = ErrorKind.TLS;
      what = "TLS handshake failed: " + msg;
    } else if (c instanceof ClosedChannelException
        || msg.toLowerCase().contains("connection reset")
        || msg.toLowerCase().contains("closed")) {
      kind = ErrorKind.PROTOCOL;
      what = "connection closed by peer";
    } else if (c instanceof ConnectException) {
      kind = ErrorKind.UNREACHABLE;
      what = "connect failed: " + msg;
    } else {
      kind = ErrorKind.PROTOCOL;
      what = msg;
    }
    return new Classified(kind, phase == null || phase.isEmpty() ? what : phase + ": " + what);
  }

  private static Throwable rootCause(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null && c.getCause() != c) {
      if (c instanceof io.netty.handler.ssl.SslHandshakeTimeoutException
          || c instanceof SSLException
          || c instanceof TimeoutException) {
        return c;
      }
      c = c.getCause();
    }
    return c;
  }
}
