package io.quorate.testsupport;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.datagram.DatagramPacket;
import io.vertx.core.datagram.DatagramSocket;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * An in-process DNS server for the bad-input and timing cases a real server will not produce (wrong
 * IDs, malformed packets, silence, answers from another port). UDP and TCP on the same free
 * loopback port; each query is answered by a replaceable script. dnsjava builds the replies.
 */
public final class ScriptedDnsServer implements AutoCloseable {
  /** A TCP script chunk meaning "close the connection now". */
  public static final byte[] CLOSE = new byte[0];

  /** One datagram to send back, from the server's own port or from another socket's port. */
  public record Reply(byte[] bytes, boolean fromOtherPort) {
    public static Reply of(Message m) {
      return new Reply(m.toWire(), false);
    }

    public static Reply raw(byte[] bytes) {
      return new Reply(bytes, false);
    }

    public static Reply fromOtherPort(Message m) {
      return new Reply(m.toWire(), true);
    }
  }

  /** Builds the replies to one query; may throw (a failing script sends nothing). */
  @FunctionalInterface
  public interface Script<T> {
    List<T> apply(Message query) throws Exception;
  }

  private final DatagramSocket udp;
  private final DatagramSocket other;
  private final NetServer tcp;
  private final int port;
  private volatile Script<Reply> udpScript = q -> List.of();
  private volatile Script<byte[]> tcpScript = q -> List.of();
  public final AtomicInteger udpQueries = new AtomicInteger();
  public final AtomicInteger tcpQueries = new AtomicInteger();
  public final AtomicInteger tcpClosed = new AtomicInteger();
  public final AtomicInteger tcpConnections = new AtomicInteger();
  public final AtomicInteger tcpBytes = new AtomicInteger();

  private ScriptedDnsServer(Vertx vertx, int port) {
    this.port = port;
    this.udp = vertx.createDatagramSocket();
    this.other = vertx.createDatagramSocket();
    this.tcp = vertx.createNetServer();
  }

  /** Starts on a free port; blocks the calling (test) thread until listening. */
  public static ScriptedDnsServer start(Vertx vertx) throws Exception {
    ScriptedDnsServer s = new ScriptedDnsServer(vertx, Ports.free());
    s.udp.handler(s::onDatagram);
    s.tcp.connectHandler(s::onConnection);
    Future.all(
            s.udp.listen(s.port, "127.0.0.1"),
            s.other.listen(0, "127.0.0.1"),
            s.tcp.listen(s.port, "127.0.0.1"))
        .toCompletionStage()
        .toCompletableFuture()
        .get(5, TimeUnit.SECONDS);
    return s;
  }

  public int port() {
    return port;
  }

  public void onUdp(Script<Reply> script) {
    udpScript = script;
  }

  /** Chunks to write for each query frame: use {@link #framed} for whole messages, or raw bytes. */
  public void onTcp(Script<byte[]> script) {
    tcpScript = script;
  }

  /** An answer to {@code q}: same ID and question, QR and AA set, the given RCODE and records. */
  public static Message answer(Message q, int rcode, Record... records) {
    Message m = new Message(q.getHeader().getID());
    m.getHeader().setFlag(Flags.QR);
    m.getHeader().setFlag(Flags.AA);
    m.getHeader().setRcode(rcode);
    m.addRecord(q.getQuestion(), Section.QUESTION);
    for (Record r : records) {
      m.addRecord(r, Section.ANSWER);
    }
    return m;
  }

  /** {@code m} with the RFC 1035 §4.2.2 two-byte length prefix. */
  public static byte[] framed(byte[] m) {
    return Buffer.buffer().appendUnsignedShort(m.length).appendBytes(m).getBytes();
  }

  private void onDatagram(DatagramPacket p) {
    Message q;
    try {
      q = new Message(p.data().getBytes());
    } catch (Exception e) {
      return;
    }
    udpQueries.incrementAndGet();
    for (Reply r : run(udpScript, q)) {
      (r.fromOtherPort() ? other : udp)
          .send(Buffer.buffer(r.bytes()), p.sender().port(), p.sender().host());
    }
  }

  private void onConnection(NetSocket s) {
    Buffer[] pending = {Buffer.buffer()};
    tcpConnections.incrementAndGet();
    s.closeHandler(v -> tcpClosed.incrementAndGet());
    s.handler(
        chunk -> {
          tcpBytes.addAndGet(chunk.length());
          pending[0].appendBuffer(chunk);
          while (pending[0].length() >= 2
              && pending[0].length() >= 2 + pending[0].getUnsignedShort(0)) {
            int len = pending[0].getUnsignedShort(0);
            byte[] frame = pending[0].getBytes(2, 2 + len);
            pending[0] = pending[0].getBuffer(2 + len, pending[0].length());
            onFrame(s, frame);
          }
        });
  }

  private void onFrame(NetSocket s, byte[] frame) {
    Message q;
    try {
      q = new Message(frame);
    } catch (Exception e) {
      s.close();
      return;
    }
    tcpQueries.incrementAndGet();
    for (byte[] chunk : run(tcpScript, q)) {
      if (chunk == CLOSE) {
        s.close();
        return;
      }
      s.write(Buffer.buffer(chunk));
    }
  }

  private static <T> List<T> run(Script<T> script, Message q) {
    try {
      return script.apply(q);
    } catch (Exception e) {
      throw new IllegalStateException("DNS test script failed", e);
    }
  }

  @Override
  public void close() throws Exception {
    Future.join(udp.close(), other.close(), tcp.close())
        .toCompletionStage()
        .toCompletableFuture()
        .get(5, TimeUnit.SECONDS);
  }
}
