package io.quorate.probe.dns;

import static io.quorate.probe.dns.DnsChecks.equalsSet;
import static io.quorate.probe.dns.DnsChecks.query;
import static io.quorate.probe.dns.DnsChecks.target;
import static io.quorate.probe.dns.DnsChecks.with;
import static io.quorate.probe.dns.DnsProbeBindTest.assertFailed;
import static io.quorate.testsupport.ScriptedDnsServer.CLOSE;
import static io.quorate.testsupport.ScriptedDnsServer.answer;
import static io.quorate.testsupport.ScriptedDnsServer.framed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorate.config.DnsCheck;
import io.quorate.probe.ErrorKind;
import io.quorate.probe.Outcome;
import io.quorate.probe.ProbeContext;
import io.quorate.probe.ProbeResult;
import io.quorate.testsupport.ScriptedDnsServer;
import io.quorate.testsupport.ScriptedDnsServer.Reply;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/** Bad answers and silence from a scripted in-process server: what BIND will not produce. */
@ExtendWith(VertxExtension.class)
class DnsProbeFaultTest {
  private static final long TIMEOUT_MS = 400;
  private static ScriptedDnsServer server;
  private DnsProbe probe;

  /**
   * Also runs one probe with an ample budget: the first in a JVM loads and initialises dnsjava,
   * Netty's datagram path and SecureRandom, which on a busy machine can eat a 400 ms budget.
   */
  @BeforeAll
  static void startServer(Vertx vertx) throws Exception {
    server = ScriptedDnsServer.start(vertx);
    server.onUdp(q -> List.of(Reply.of(www(q))));
    ProbeResult warm =
        DnsChecks.run(
            new DnsProbe(ProbeContext.of(vertx)),
            target("127.0.0.1", server.port(), 5_000, query("www.example.test", "A")));
    assertEquals(Outcome.UP, warm.outcome(), warm.toString());
  }

  @AfterAll
  static void stopServer() throws Exception {
    server.close();
  }

  @BeforeEach
  void reset(Vertx vertx) {
    probe = new DnsProbe(ProbeContext.of(vertx));
    server.onUdp(q -> List.of());
    server.onTcp(q -> List.of());
    server.udpQueries.set(0);
    server.tcpQueries.set(0);
    server.tcpClosed.set(0);
  }

  private ProbeResult ask(DnsCheck check) throws Exception {
    return DnsChecks.run(probe, target("127.0.0.1", server.port(), TIMEOUT_MS, check));
  }

  private static ProbeResult assertTimedOut(ProbeResult r, String detail) {
    assertFailed(r, ErrorKind.TIMEOUT, detail);
    assertTrue(
        r.timings().totalMs() >= TIMEOUT_MS - 5 && r.timings().totalMs() < TIMEOUT_MS + 300,
        "ends at its deadline: " + r.timings());
    return r;
  }

  private static Message www(Message q) throws Exception {
    return answer(q, Rcode.NOERROR, a("127.0.0.10"));
  }

  private static Record a(String ip) throws Exception {
    return new ARecord(
        Name.fromString("www.example.test."), DClass.IN, 60, InetAddress.getByName(ip));
  }

  private static Message withId(Message m, int id) {
    Message c = m.clone();
    c.getHeader().setID(id);
    return c;
  }

  @Test
  void wellFormedAnswerIsUp() throws Exception {
    server.onUdp(q -> List.of(Reply.of(www(q))));
    ProbeResult r = ask(query("www.example.test", "A", equalsSet("127.0.0.10")));
    assertEquals(Outcome.UP, r.outcome(), r.detail());
    assertEquals(1, server.udpQueries.get());
  }

  @Test
  void queryHasNoRdByDefaultAndRdWhenAsked() throws Exception {
    List<Boolean> rd = Collections.synchronizedList(new ArrayList<>());
    server.onUdp(
        q -> {
          rd.add(q.getHeader().getFlag(Flags.RD));
          return List.of(Reply.of(www(q)));
        });
    ask(query("www.example.test", "A"));
    ask(new DnsCheck("www.example.test", "A", null, null, false, true, null, null));
    assertEquals(List.of(false, true), rd);
  }

  @Test
  void malformedAnswerIsProtocol() throws Exception {
    server.onUdp(
        q -> {
          byte[] header = www(q).toWire();
          byte[] cut = java.util.Arrays.copyOf(header, header.length - 3); // RDATA cut short
          return List.of(Reply.raw(cut));
        });
    ProbeResult r = ask(query("www.example.test", "A"));
    assertEquals(ErrorKind.PROTOCOL, r.errorKind(), r.toString());
    assertTrue(r.detail().startsWith("malformed answer: "), r.detail());
  }

  /** RFC 5452 §9.1: a runt has no ID to match, so it cannot be ours; it must not end the probe. */
  @Test
  void runtAloneIsIgnoredAndTimesOut() throws Exception {
    server.onUdp(q -> List.of(Reply.raw(new byte[] {1})));
    assertTimedOut(
        ask(query("www.example.test", "A")), "no answer over UDP (ignored 1 runt datagram(s))");
  }

  @Test
  void runtThenTheRightAnswerIsUp() throws Exception {
    server.onUdp(q -> List.of(Reply.raw(new byte[] {1}), Reply.of(www(q))));
    ProbeResult r = ask(query("www.example.test", "A", equalsSet("127.0.0.10")));
    assertEquals(Outcome.UP, r.outcome(), r.detail());
  }

  /** Our ID but another question and unparseable: not provably ours, so ignored as a mismatch. */
  @Test
  void malformedWithOurIdButAnotherQuestionIsIgnored() throws Exception {
    server.onUdp(
        q -> {
          Message m = answer(q, Rcode.NOERROR, a("127.0.0.10"));
          m.removeAllRecords(Section.QUESTION);
          m.addRecord(
              Record.newRecord(Name.fromString("other.example.test."), Type.A, DClass.IN),
              Section.QUESTION);
          byte[] wire = m.toWire();
          return List.of(Reply.raw(java.util.Arrays.copyOf(wire, wire.length - 3)));
        });
    assertTimedOut(
        ask(query("www.example.test", "A")),
        "no answer over UDP (ignored a mismatched answer: malformed, without our question)");
  }

  /**
   * A server ignoring the 512-byte limit (the query has no EDNS) sends a 4 KB datagram: it is
   * received whole (not cut at Netty's default 2,048 bytes) and judged like any answer.
   */
  @Test
  void oversizedUdpAnswerIsReceivedWholeAndJudged() throws Exception {
    server.onUdp(q -> List.of(Reply.of(txts(q, 16))));
    ProbeResult r = ask(query("www.example.test", "TXT", DnsChecks.count(16)));
    assertEquals(Outcome.UP, r.outcome(), r.toString());
    assertEquals("udp", r.facts().get("transport"));
    assertEquals("16", r.facts().get("answers"));
  }

  @Test
  void wrongIdAloneTimesOutAndSaysSo() throws Exception {
    server.onUdp(q -> List.of(Reply.of(withId(www(q), q.getHeader().getID() ^ 1))));
    ProbeResult r = ask(query("www.example.test", "A"));
    assertTimedOut(r, r.detail()); // the ID is random: check the shape below
    assertTrue(
        r.detail().startsWith("no answer over UDP (ignored a mismatched answer: wrong ID "),
        r.detail());
  }

  @Test
  void wrongIdThenRightIdIsUp() throws Exception {
    server.onUdp(
        q -> List.of(Reply.of(withId(www(q), q.getHeader().getID() ^ 0x8000)), Reply.of(www(q))));
    ProbeResult r = ask(query("www.example.test", "A", equalsSet("127.0.0.10")));
    assertEquals(Outcome.UP, r.outcome(), r.detail());
  }

  @Test
  void wrongQuestionIsIgnored() throws Exception {
    server.onUdp(
        q -> {
          Message m = www(q);
          m.removeAllRecords(Section.QUESTION);
          m.addRecord(
              Record.newRecord(Name.fromString("other.example.test."), Type.A, DClass.IN),
              Section.QUESTION);
          return List.of(Reply.of(m));
        });
    assertTimedOut(
        ask(query("www.example.test", "A")),
        "no answer over UDP (ignored a mismatched"
            + " answer: question other.example.test. IN A does not echo www.example.test. IN A)");
  }

  @Test
  void answerWithQrClearIsIgnored() throws Exception {
    server.onUdp(
        q -> {
          Message m = www(q);
          m.getHeader().unsetFlag(Flags.QR);
          return List.of(Reply.of(m));
        });
    assertTimedOut(
        ask(query("www.example.test", "A")),
        "no answer over UDP (ignored a mismatched answer: QR flag clear (a query, not an answer))");
  }

  @Test
  void truncatedOverUdpThenFullOverTcp() throws Exception {
    server.onUdp(
        q -> {
          Message m = answer(q, Rcode.NOERROR);
          m.getHeader().setFlag(Flags.TC);
          return List.of(Reply.of(m));
        });
    server.onTcp(q -> List.of(framed(www(q).toWire())));
    ProbeResult r = ask(query("www.example.test", "A", equalsSet("127.0.0.10")));
    assertEquals(Outcome.UP, r.outcome(), r.detail());
    assertEquals("tcp", r.facts().get("transport"));
    assertEquals("true", r.facts().get("truncated"));
    assertEquals(1, server.udpQueries.get());
    assertEquals(1, server.tcpQueries.get());
  }

  @Test
  void truncatedThenTcpClosedIsProtocolAndNamesTheRetry() throws Exception {
    server.onUdp(
        q -> {
          Message m = answer(q, Rcode.NOERROR);
          m.getHeader().setFlag(Flags.TC);
          return List.of(Reply.of(m));
        });
    server.onTcp(q -> List.of(CLOSE));
    assertFailed(
        ask(query("www.example.test", "A")),
        ErrorKind.PROTOCOL,
        "UDP answer truncated, TCP retry failed: server closed the connection before a complete"
            + " answer");
  }

  @ParameterizedTest
  @ValueSource(strings = {"SERVFAIL", "REFUSED", "NOTAUTH", "FORMERR"})
  void errorRcodesAreDnsRcode(String rcode) throws Exception {
    server.onUdp(q -> List.of(Reply.of(answer(q, Rcode.value(rcode)))));
    ProbeResult r = ask(query("www.example.test", "A"));
    assertFailed(r, ErrorKind.DNS_RCODE, "rcode " + rcode + " (expected NOERROR)");
    assertEquals(rcode, r.facts().get("rcode"));
  }

  @Test
  void silenceTimesOutAtTheDeadline() throws Exception {
    assertTimedOut(ask(query("www.example.test", "A")), "no answer over UDP");
    assertEquals(1, server.udpQueries.get());
  }

  @Test
  void answerFromAnotherPortIsIgnored() throws Exception {
    server.onUdp(q -> List.of(Reply.fromOtherPort(www(q))));
    assertTimedOut(
        ask(query("www.example.test", "A")),
        "no answer over UDP (ignored 1 datagram(s) from another address or port)");
  }

  @Test
  void answerFromAnotherPortThenTheServerIsUp() throws Exception {
    server.onUdp(
        q -> {
          Message wrong = answer(q, Rcode.NOERROR, a("127.0.0.66"));
          return List.of(Reply.fromOtherPort(wrong), Reply.of(www(q)));
        });
    ProbeResult r = ask(query("www.example.test", "A", equalsSet("127.0.0.10")));
    assertEquals(Outcome.UP, r.outcome(), r.detail());
  }

  @Test
  void tcpSilenceTimesOutAndTheConnectionIsClosed() throws Exception {
    assertTimedOut(
        ask(with(query("www.example.test", "A"), "tcp", null, false)), "no answer over TCP");
    assertEquals(1, server.tcpQueries.get());
    awaitClosed();
  }

  @Test
  void tcpAnswerInDribblesIsReassembled() throws Exception {
    server.onTcp(
        q -> {
          byte[] f = framed(www(q).toWire());
          List<byte[]> parts = new ArrayList<>();
          for (int i = 0; i < f.length; i += 7) {
            parts.add(java.util.Arrays.copyOfRange(f, i, Math.min(f.length, i + 7)));
          }
          return parts;
        });
    ProbeResult r =
        ask(with(query("www.example.test", "A", equalsSet("127.0.0.10")), "tcp", null, false));
    assertEquals(Outcome.UP, r.outcome(), r.detail());
    awaitClosed();
  }

  @Test
  void hugeTcpAnswerNearTheLimitIsAccepted() throws Exception {
    server.onTcp(q -> List.of(framed(huge(q, 240).toWire())));
    ProbeResult r = ask(with(query("www.example.test", "TXT"), "tcp", null, false));
    assertEquals(Outcome.UP, r.outcome(), r.detail());
    assertEquals("240", r.facts().get("answers"));
  }

  @Test
  void endlessMismatchedTcpFramesAreCapped() throws Exception {
    server.onTcp(
        q -> {
          byte[] f = framed(withId(huge(q, 240), q.getHeader().getID() ^ 1).toWire());
          return List.of(f, f, f, f, f);
        });
    assertFailed(
        ask(with(query("www.example.test", "TXT"), "tcp", null, false)),
        ErrorKind.PROTOCOL,
        "server sent more than 262148 bytes without our answer");
    awaitClosed();
  }

  @Test
  void malformedTcpFrameIsProtocol() throws Exception {
    server.onTcp(q -> List.of(framed(new byte[] {0, 1, 2, 3, 4})));
    assertFailed(
        ask(with(query("www.example.test", "A"), "tcp", null, false)),
        ErrorKind.PROTOCOL,
        "malformed answer over TCP (5 bytes): end of input");
  }

  /** An answer of {@code n} 255-byte TXT strings: 16 make about 4.3 KB, 240 about 64 KB. */
  private static Message txts(Message q, int n) throws Exception {
    Message m = answer(q, Rcode.NOERROR);
    for (int i = 0; i < n; i++) {
      String s = String.format("%03d", i) + "x".repeat(252);
      m.addRecord(new TXTRecord(q.getQuestion().getName(), DClass.IN, 60, s), Section.ANSWER);
    }
    return m;
  }

  private static Message huge(Message q, int n) throws Exception {
    Message m = txts(q, n);
    assertTrue(
        m.toWire().length > 60_000 && m.toWire().length <= 65_535, "size " + m.toWire().length);
    return m;
  }

  /** The probe's future completes after its socket close; the server hears of it shortly after. */
  private static void awaitClosed() {
    long deadline = System.nanoTime() + 2_000_000_000L;
    while (server.tcpClosed.get() < 1 && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertEquals(1, server.tcpClosed.get(), "server saw the probe close its connection");
  }
}
