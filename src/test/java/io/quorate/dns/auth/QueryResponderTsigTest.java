package io.quorate.dns.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorate.config.DnsZone;
import io.quorate.dns.Records;
import io.quorate.testsupport.Bind9Lab;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.Type;

/**
 * {@link QueryResponder} without sockets, checked with dnsjava's own TSIG verifiers: BADTIME, AXFR
 * over UDP, every message of a multi-message AXFR signed (RFC 8945 §5.3.1), IXFR differences.
 */
class QueryResponderTsigTest {
  private static AuthFixture auth;
  private static QueryResponder responder;
  private static final TSIG KEY =
      new TSIG(TSIG.HMAC_SHA256, Records.name(Bind9Lab.TSIG_KEY_NAME), Bind9Lab.TSIG_SECRET);

  @BeforeAll
  static void start() throws Exception {
    auth =
        AuthFixture.start(
            io.vertx.core.Vertx.vertx(),
            Clock.systemUTC(),
            AuthoritativeServer.Limits.DEFAULT,
            List.of());
    List<DnsZone> zones = auth.config.zones();
    responder = new QueryResponder(auth.store, new ZoneKeys(zones));
  }

  @AfterAll
  static void stop() throws Exception {
    auth.close();
    auth.vertx.close();
  }

  static Message query(String name, int type) throws Exception {
    return Message.newQuery(Record.newRecord(Name.fromString(name + "."), type, DClass.IN));
  }

  /** The TSIG record as sent (dnsjava keeps a generated one out of the message's sections). */
  static org.xbill.DNS.TSIGRecord sentTsig(byte[] wire) throws Exception {
    return new Message(wire).getTSIG();
  }

  @Test
  void aClockOffBeyondTheFudgeIsBadtimeSignedWithTheServerTime() throws Exception {
    Clock skewed = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(10));
    byte[] secret = Base64.getDecoder().decode(Bind9Lab.TSIG_SECRET);
    TSIG late =
        new TSIG(
            TSIG.HMAC_SHA256,
            Records.name(Bind9Lab.TSIG_KEY_NAME),
            new SecretKeySpec(secret, "HmacSHA256"),
            skewed);
    Message q = query("www.demo.test", Type.A);
    q.setTSIG(late);
    byte[] wire = q.toWire(512);
    QueryResponder.Reply r = responder.respond(wire, QueryResponder.Transport.UDP);
    Message a = new Message(r.messages().get(0));
    assertEquals(Rcode.NOTAUTH, a.getRcode());
    assertEquals(Rcode.BADTIME, a.getTSIG().getError());
    assertEquals(6, a.getTSIG().getOther().length); // the server's time (RFC 8945 §5.2.3)
    assertEquals(Rcode.NOERROR, late.verify(a, r.messages().get(0), sentTsig(wire)));
  }

  @Test
  void axfrOverUdpIsFormerr() throws Exception {
    Message q = query("demo.test", Type.AXFR);
    q.setTSIG(KEY);
    QueryResponder.Reply r = responder.respond(q.toWire(512), QueryResponder.Transport.UDP);
    assertEquals(Rcode.FORMERR, new Message(r.messages().get(0)).getRcode());
  }

  @Test
  void everyMessageOfAnAxfrIsSignedAndVerifies() throws Exception {
    Message q = query("demo.test", Type.AXFR);
    q.setTSIG(KEY);
    byte[] wire = q.toWire(512);
    QueryResponder.Reply r = responder.respond(wire, QueryResponder.Transport.TCP);
    assertTrue(r.messages().size() >= 2, "messages: " + r.messages().size());
    TSIG.StreamVerifier v = new TSIG.StreamVerifier(KEY, sentTsig(wire));
    int records = 0;
    for (byte[] w : r.messages()) {
      Message m = new Message(w);
      assertEquals(Rcode.NOERROR, v.verify(m, w), v.getErrorMessage());
      records += m.getSection(Section.ANSWER).size();
    }
    Message first = new Message(r.messages().get(0));
    Message last = new Message(r.messages().get(r.messages().size() - 1));
    assertEquals(Type.SOA, first.getSection(Section.ANSWER).get(0).getType());
    List<Record> tail = last.getSection(Section.ANSWER);
    assertEquals(Type.SOA, tail.get(tail.size() - 1).getType());
    assertEquals(
        auth.store.zone(Records.name("demo.test")).orElseThrow().records().size() + 1, records);
  }

  @Test
  void ixfrCarriesTheDifferences() throws Exception {
    Name origin = Records.name("demo.test");
    SOARecord old = auth.store.zone(origin).orElseThrow().soa();
    Name name = Records.name("ixfr.demo.test");
    Record a = new ARecord(name, DClass.IN, 60, InetAddress.getByName("127.0.0.5"));
    Record b = new ARecord(name, DClass.IN, 60, InetAddress.getByName("127.0.0.6"));
    auth.store.apply(origin, name, Type.A, List.of(), List.of(a));
    auth.store.apply(origin, name, Type.A, List.of(a), List.of(b));
    long now = auth.store.zone(origin).orElseThrow().serial();
    Message q = query("demo.test", Type.IXFR);
    q.addRecord(old, Section.AUTHORITY);
    q.setTSIG(KEY);
    QueryResponder.Reply r = responder.respond(q.toWire(65535), QueryResponder.Transport.TCP);
    assertEquals("ixfr", r.transfer());
    Message m = new Message(r.messages().get(0));
    List<String> got =
        m.getSection(Section.ANSWER).stream()
            .map(
                x ->
                    x.getType() == Type.SOA
                        ? "SOA " + ((SOARecord) x).getSerial()
                        : x.rdataToString())
            .toList();
    // RFC 1995 §4: new SOA, (old SOA, removed, new SOA, added)*, new SOA
    assertEquals(
        List.of(
            "SOA " + now,
            "SOA " + old.getSerial(),
            "SOA " + (now - 1),
            "127.0.0.5",
            "SOA " + (now - 1),
            "127.0.0.5",
            "SOA " + now,
            "127.0.0.6",
            "SOA " + now),
        got);
  }
}
