package io.quorate.probe.dns;

import static io.quorate.probe.dns.DnsChecks.equalsSet;
import static io.quorate.probe.dns.DnsChecks.query;
import static io.quorate.probe.dns.DnsChecks.target;
import static io.quorate.probe.dns.DnsProbeBindTest.assertFailed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.quorate.probe.ErrorKind;
import io.quorate.probe.Outcome;
import io.quorate.probe.ProbeContext;
import io.quorate.probe.ProbeResult;
import io.quorate.testsupport.Ports;
import io.quorate.testsupport.ScriptedDnsServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.datagram.DatagramSocket;
import io.vertx.core.net.SocketAddress;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;

/**
 * The event loop's shared UDP socket ({@link SharedUdpSocket}): answers are told apart by ID,
 * server address and port, and question. In-process fakes: the cases need answers timed and
 * addressed in ways a real server will not produce. One Vert.x with one event loop, so every probe
 * here shares one socket (fewer than {@link SharedUdpSocket#MAX_USES} queries in all).
 */
class SharedUdpSocketTest {
  private static Vertx vertx;
  private static DnsProbe probe;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    probe = new DnsProbe(ProbeContext.of(vertx));
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** A scripted UDP responder on {@code ip} and a free port; remembers every query and sender. */
  private static final class Fake {
    final DatagramSocket socket = vertx.createDatagramSocket();
    final List<Message> queries = new ArrayList<>();
    final List<SocketAddress> senders = new ArrayList<>();
    final int port;
    volatile BiConsumer<Message, SocketAddress> script = (q, from) -> {};

    Fake(String ip, int port) throws Exception {
      this.port = port;
      socket.handler(
          p -> {
            try {
              Message q = new Message(p.data().getBytes());
              synchronized (this) {
                queries.add(q);
                senders.add(p.sender());
              }
              script.accept(q, p.sender());
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          });
      await(socket.listen(port, ip));
    }

    void reply(Message m, SocketAddress to) {
      socket.send(Buffer.buffer(m.toWire()), to.port(), to.host());
    }

    void close() throws Exception {
      await(socket.close());
    }
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static Message www(Message q, String ip) {
    try {
      return ScriptedDnsServer.answer(
          q,
          Rcode.NOERROR,
          new ARecord(
              Name.fromString("www.example.test."), DClass.IN, 60, InetAddress.getByName(ip)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static ProbeResult ask(Fake f, String ip, long timeoutMs, String expect)
      throws Exception {
    return DnsChecks.run(
        probe, target(ip, f.port, timeoutMs, query("www.example.test", "A", equalsSet(expect))));
  }

  /** Both queries are in flight on the one socket when the answers come, each from its server. */
  @Test
  void twoConcurrentProbesToTwoServersGetTheirOwnAnswers() throws Exception {
    Fake a = new Fake("127.0.0.1", Ports.free());
    Fake b = new Fake("127.0.0.1", Ports.free());
    try {
      List<Runnable> held = new ArrayList<>();
      BiConsumer<Fake, String> hold =
          (f, ip) ->
              f.script =
                  (q, from) -> {
                    synchronized (held) { // answer only once both queries have arrived
                      held.add(() -> f.reply(www(q, ip), from));
                      if (held.size() == 2) {
                        held.forEach(Runnable::run);
                      }
                    }
                  };
      hold.accept(a, "127.0.0.10");
      hold.accept(b, "127.0.0.20");
      Future<ProbeResult> fa = start(a, "127.0.0.10");
      Future<ProbeResult> fb = start(b, "127.0.0.20");
      ProbeResult ra = await(fa);
      ProbeResult rb = await(fb);
      assertEquals(Outcome.UP, ra.outcome(), ra.toString());
      assertEquals(Outcome.UP, rb.outcome(), rb.toString());
      assertEquals(a.senders.get(0).port(), b.senders.get(0).port(), "one shared socket");
      assertNotEquals(a.queries.get(0).getHeader().getID(), b.queries.get(0).getHeader().getID());
    } finally {
      a.close();
      b.close();
    }
  }

  /** A probe of {@code f} expecting {@code expect}, started from the test thread. */
  private static Future<ProbeResult> start(Fake f, String expect) {
    return probe.run(
        target("127.0.0.1", f.port, 3_000, query("www.example.test", "A", equalsSet(expect))));
  }

  /**
   * Right ID and question, wrong port, then wrong address (same port, 127.0.0.2): both ignored (RFC
   * 5452 §9.1); the server's own answer after them is taken.
   */
  @Test
  void spoofedAnswersWithTheRightIdFromAnotherPortOrAddressAreIgnored() throws Exception {
    int port = Ports.free();
    Fake server = new Fake("127.0.0.1", port);
    Fake otherPort = new Fake("127.0.0.1", Ports.free());
    Fake otherAddress = new Fake("127.0.0.2", port);
    try {
      server.script =
          (q, from) -> {
            otherPort.reply(www(q, "127.0.0.66"), from);
            otherAddress.reply(www(q, "127.0.0.67"), from);
            vertx.setTimer(50, t -> server.reply(www(q, "127.0.0.10"), from));
          };
      ProbeResult r = ask(server, "127.0.0.1", 3_000, "127.0.0.10");
      assertEquals(Outcome.UP, r.outcome(), r.toString());
      assertEquals("NOERROR [127.0.0.10] via udp", r.detail());

      server.script = (q, from) -> otherPort.reply(www(q, "127.0.0.66"), from);
      assertFailed(
          ask(server, "127.0.0.1", 300, "127.0.0.10"),
          ErrorKind.TIMEOUT,
          "no answer over UDP (ignored 1 datagram(s) from another address or port)");
    } finally {
      server.close();
      otherPort.close();
      otherAddress.close();
    }
  }

  /**
   * The first query times out; its answer arrives during the second query (same server, same
   * question, same socket): it carries the first query's ID, which the socket never reuses, so it
   * is dropped and the second probe still waits for its own answer.
   */
  @Test
  void aLateAnswerAfterTimeoutDoesNotLeakIntoTheNextQuery() throws Exception {
    Fake server = new Fake("127.0.0.1", Ports.free());
    try {
      ProbeResult first = ask(server, "127.0.0.1", 200, "127.0.0.10"); // silent: times out
      assertFailed(first, ErrorKind.TIMEOUT, "no answer over UDP");
      Message late = www(server.queries.get(0), "127.0.0.66");
      server.script = (q, from) -> server.reply(late, from); // only the stale answer
      ProbeResult second = ask(server, "127.0.0.1", 300, "127.0.0.10");
      assertFailed(second, ErrorKind.TIMEOUT, "no answer over UDP");
      assertEquals(server.senders.get(0).port(), server.senders.get(1).port(), "same socket");
      assertNotEquals(
          server.queries.get(0).getHeader().getID(), server.queries.get(1).getHeader().getID());

      server.script = // the stale answer, then the right one: the right one is taken
          (q, from) -> {
            server.reply(late, from);
            server.reply(www(q, "127.0.0.10"), from);
          };
      ProbeResult third = ask(server, "127.0.0.1", 3_000, "127.0.0.10");
      assertEquals(Outcome.UP, third.outcome(), third.toString());
    } finally {
      server.close();
    }
  }
}
