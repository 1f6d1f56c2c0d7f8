package io.quorate.dns;

import io.quorate.dns.DnsUpdateException.Kind;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.ConnectOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;

/**
 * One DNS message over a new Vert.x TCP connection with the RFC 1035 §4.2.2 two-byte length prefix,
 * returning the answer with the exact bytes received (TSIG verification needs them). The exchange
 * ends within its time limit and the connection is closed before the future completes, whatever
 * happened. Failures are {@link DnsUpdateException}s: TRANSPORT (refused, reset, closed, silent) or
 * PROTOCOL (malformed or oversized answer).
 */
final class TcpDnsClient {
  /** At most this many bytes are read per exchange: a few maximum-size (65535) messages. */
  static final int MAX_READ = 4 * (2 + 65535);

  /** A matching answer, its wire bytes and the exchange's round trip (connect included). */
  record Answer(Message message, byte[] wire, double ms) {}

  private final Vertx vertx;
  private final NetClient client;

  TcpDnsClient(Vertx vertx) {
    this.vertx = vertx;
    this.client = vertx.createNetClient(new NetClientOptions().setTcpNoDelay(true));
  }

  /** Sends {@code wire} (the rendered {@code request}) to {@code host:port}; one answer back. */
  Future<Answer> exchange(String host, int port, Message request, byte[] wire, long timeoutMs) {
    long start = System.nanoTime();
    Exchange ex = new Exchange(request, host + ":" + port, start);
    long timer = vertx.setTimer(Math.max(1, timeoutMs), id -> ex.timeout(timeoutMs));
    Future<NetSocket> connect =
        client.connect(
            new ConnectOptions()
                .setHost(host)
                .setPort(port)
                .setTimeout((int) Math.min(Integer.MAX_VALUE, Math.max(1, timeoutMs))));
    connect.onComplete(
        ar -> {
          if (ar.failed()) {
            ex.fail(Kind.TRANSPORT, "cannot connect to " + ex.server + ": " + ar.cause());
          } else if (!ex.done()) {
            ex.start(ar.result(), wire);
          }
        });
    return ex.promise
        .future()
        .eventually(
            () -> {
              vertx.cancelTimer(timer);
              return connect.succeeded()
                  ? connect.result().close().otherwiseEmpty()
                  : Future.succeededFuture();
            });
  }

  Future<Void> close() {
    return client.close();
  }

  /** The state of one exchange; completed once, by the answer, an error or the timer. */
  private static final class Exchange {
    private final Message request;
    private final String server;
    private final long start;
    private final Promise<Answer> promise = Promise.promise();
    private Buffer pending = Buffer.buffer();
    private int read;
    private volatile boolean sent;
    private volatile String mismatch;

    Exchange(Message request, String server, long start) {
      this.request = request;
      this.server = server;
      this.start = start;
    }

    boolean done() {
      return promise.future().isComplete();
    }

    void start(NetSocket socket, byte[] wire) {
      socket.handler(this::onData);
      socket.exceptionHandler(t -> fail(Kind.TRANSPORT, "TCP error with " + server + ": " + t));
      socket.endHandler(v -> fail(Kind.TRANSPORT, server + " closed the connection unanswered"));
      sent = true;
      socket
          .write(Buffer.buffer(2 + wire.length).appendUnsignedShort(wire.length).appendBytes(wire))
          .onFailure(t -> fail(Kind.TRANSPORT, "cannot write to " + server + ": " + t));
    }

    void timeout(long timeoutMs) {
      String m = mismatch;
      fail(
          Kind.TRANSPORT,
          (sent ? "no answer from " : "no TCP connection to ")
              + server
              + " within "
              + timeoutMs
              + " ms"
              + (m == null ? "" : " (ignored a mismatched answer: " + m + ")"));
    }

    void fail(Kind kind, String detail) {
      promise.tryFail(new DnsUpdateException(kind, -1, 0, detail));
    }

    private void onData(Buffer chunk) {
      read += chunk.length();
      if (read > MAX_READ) {
        fail(Kind.PROTOCOL, server + " sent more than " + MAX_READ + " bytes without our answer");
        return;
      }
      pending.appendBuffer(chunk);
      while (!done() && pending.length() >= 2) {
        int len = pending.getUnsignedShort(0);
        if (pending.length() < 2 + len) {
          return;
        }
        byte[] frame = pending.getBytes(2, 2 + len);
        pending = pending.getBuffer(2 + len, pending.length());
        onFrame(frame);
      }
    }

    private void onFrame(byte[] frame) {
      Message answer;
      try {
        answer = new Message(frame);
      } catch (Exception e) { // WireParseException, or worse on hostile input
        fail(Kind.PROTOCOL, "malformed answer from " + server + ": " + e.getMessage());
        return;
      }
      String why = mismatch(answer);
      if (why != null) {
        mismatch = why; // not ours (RFC 7766 §7 allows other frames): wait for ours
        return;
      }
      promise.tryComplete(new Answer(answer, frame, (System.nanoTime() - start) / 1e6));
    }

    private String mismatch(Message answer) {
      if (answer.getHeader().getID() != request.getHeader().getID()) {
        return "wrong ID " + answer.getHeader().getID();
      }
      if (!answer.getHeader().getFlag(Flags.QR)) {
        return "QR flag clear";
      }
      if (answer.getHeader().getOpcode() != request.getHeader().getOpcode()) {
        return "opcode " + answer.getHeader().getOpcode();
      }
      return null;
    }
  }
}
