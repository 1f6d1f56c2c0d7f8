package io.quorate.dns.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorate.dns.Records;
import io.quorate.testsupport.Bind9Lab;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.Type;

/**
 * The UDP packet cache ({@link PacketCache}) answers a repeated query with its own ID and exactly
 * the answer the full path gives, forgets everything at a zone change, and never holds signed
 * answers or answers of a rate-limited zone.
 */
@ExtendWith(VertxExtension.class)
class AuthoritativePacketCacheTest {
  private static AuthFixture auth;

  @BeforeAll
  static void start(Vertx vertx) throws Exception {
    auth =
        AuthFixture.start(vertx, Clock.systemUTC(), AuthoritativeServer.Limits.DEFAULT, List.of());
  }

  @AfterAll
  static void stop() throws Exception {
    auth.close();
  }

  @Test
  void aRepeatedQueryIsAnsweredFromTheCacheWithItsOwnIdAndCase() throws Exception {
    double noerror = auth.count("quorate.dns.queries", "zone", "demo.test", "rcode", "NOERROR");
    Message first = ask("host.ent.demo.test.", Type.A, 101, null);
    int cached = auth.server.cachedResponses();
    assertTrue(cached >= 1);
    Message second = ask("host.ent.demo.test.", Type.A, 202, null);
    assertEquals(cached, auth.server.cachedResponses()); // a hit: nothing added
    assertEquals(101, first.getHeader().getID());
    assertEquals(202, second.getHeader().getID());
    assertEquals(first.getHeader().printFlags(), second.getHeader().printFlags());
    assertEquals(first.getSection(Section.ANSWER), second.getSection(Section.ANSWER));
    assertEquals("127.0.0.20", second.getSection(Section.ANSWER).get(0).rdataToString());
    Message upper = ask("HOST.ent.demo.test.", Type.A, 303, null); // other bytes: its own entry
    assertEquals(
        "HOST.ent.demo.test.", upper.getSection(Section.ANSWER).get(0).getName().toString());
    assertEquals(cached + 1, auth.server.cachedResponses());
    assertEquals(
        noerror + 3, auth.count("quorate.dns.queries", "zone", "demo.test", "rcode", "NOERROR"));
  }

  @Test
  void aZoneChangeIsAnsweredAtOnce() throws Exception {
    Name name = Records.name("cached.demo.test");
    assertEquals(Rcode.NXDOMAIN, ask("cached.demo.test.", Type.A, 1, null).getRcode());
    assertEquals(Rcode.NXDOMAIN, ask("cached.demo.test.", Type.A, 2, null).getRcode());
    Record r = new ARecord(name, DClass.IN, 60, InetAddress.getByName("127.0.0.99"));
    auth.store.apply(Records.name(AuthFixture.ZONE), name, Type.A, List.of(), List.of(r));
    assertEquals(0, auth.server.cachedResponses());
    Message after = ask("cached.demo.test.", Type.A, 3, null);
    assertEquals(Rcode.NOERROR, after.getRcode());
    assertEquals("127.0.0.99", after.getSection(Section.ANSWER).get(0).rdataToString());
  }

  @Test
  void signedAnswersAndRateLimitedZonesAreNotCached() throws Exception {
    TSIG key = new TSIG(TSIG.HMAC_SHA256, Name.fromString("lab-update."), Bind9Lab.TSIG_SECRET);
    int before = auth.server.cachedResponses();
    for (int id = 1; id <= 2; id++) {
      Message signed = ask("www.demo.test.", Type.A, id, key);
      assertNotNull(signed.getTSIG());
      assertEquals(Rcode.NOERROR, signed.getRcode());
      assertEquals(Rcode.NOERROR, ask("ns1.rrl.test.", Type.A, id, null).getRcode());
    }
    assertEquals(before, auth.server.cachedResponses());
  }

  private static Message ask(String name, int type, int id, TSIG key) throws Exception {
    Message q = Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN));
    q.getHeader().setID(id);
    if (key != null) {
      q.setTSIG(key);
    }
    try (DatagramSocket s = new DatagramSocket()) {
      Message a = RawDns.udpExchange(s, auth.port(), q.toWire(512));
      assertNotNull(a, name + ": no answer");
      return a;
    }
  }
}
