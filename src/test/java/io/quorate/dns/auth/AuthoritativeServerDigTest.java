package io.quorate.dns.auth;

import static io.quorate.testsupport.DigRunner.dig;
import static io.quorate.testsupport.DigRunner.flags;
import static io.quorate.testsupport.DigRunner.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorate.dns.Records;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/** Every kind of answer of the embedded server, as BIND's {@code dig} sees it over the wire. */
@ExtendWith(VertxExtension.class)
class AuthoritativeServerDigTest {
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

  private static String q(String... args) {
    return dig(auth.port(), args);
  }

  @Test
  void positiveAnswerIsAuthoritativeWithoutRecursion() {
    String out = q("+norec", "www.demo.test", "A");
    assertEquals("NOERROR", status(out), out);
    assertEquals("qr aa", flags(out), out);
    assertTrue(out.contains("www.demo.test.\t\t300\tIN\tA\t127.0.0.10"), out);
    String rd = q("+rec", "www.demo.test", "A");
    assertEquals("qr aa rd", flags(rd), rd); // RD copied, RA never set
  }

  @Test
  void nxdomainCarriesSoaWithNegativeTtl() {
    String out = q("+norec", "missing.demo.test", "A");
    assertEquals("NXDOMAIN", status(out), out);
    assertTrue(out.contains("ANSWER: 0, AUTHORITY: 1"), out);
    // RFC 2308: min(SOA TTL 300, MINIMUM 60)
    assertTrue(
        out.contains("demo.test.\t\t60\tIN\tSOA\tns1.demo.test. hostmaster.demo.test."), out);
  }

  @Test
  void nodataForExistingNameAndEmptyNonTerminal() {
    String out = q("+norec", "www.demo.test", "MX");
    assertEquals("NOERROR", status(out), out);
    assertTrue(out.contains("ANSWER: 0, AUTHORITY: 1"), out);
    String ent = q("+norec", "ent.demo.test", "A");
    assertEquals("NOERROR", status(ent), ent);
    assertEquals("qr aa", flags(ent), ent);
    assertTrue(ent.contains("ANSWER: 0, AUTHORITY: 1"), ent);
    assertTrue(ent.contains("IN\tSOA"), ent);
  }

  @Test
  void cnameIsChasedInsideTheZone() {
    String out = q("+norec", "chain.demo.test", "A");
    assertEquals("NOERROR", status(out), out);
    assertTrue(out.contains("chain.demo.test.\t300\tIN\tCNAME\talias.demo.test."), out);
    assertTrue(out.contains("alias.demo.test.\t300\tIN\tCNAME\twww.demo.test."), out);
    assertTrue(out.contains("www.demo.test.\t\t300\tIN\tA\t127.0.0.10"), out);
    String cname = q("+norec", "alias.demo.test", "CNAME");
    assertTrue(cname.contains("ANSWER: 1,"), cname);
    String away = q("+norec", "away.demo.test", "A");
    assertEquals("NOERROR", status(away), away);
    assertTrue(away.contains("ANSWER: 1,"), away);
    String dangling = q("+norec", "dangling.demo.test", "A");
    assertEquals("NXDOMAIN", status(dangling), dangling); // RFC 6604: the last name's rcode
    assertTrue(dangling.contains("ANSWER: 1, AUTHORITY: 1"), dangling);
    String loop = q("+norec", "loop1.demo.test", "A");
    assertEquals("NOERROR", status(loop), loop);
    assertTrue(loop.contains("ANSWER: 2,"), loop); // each CNAME once, then stop
  }

  @Test
  void wildcardsAnswerForNamesThatDoNotExist() {
    // RFC 4592: the owner is the query name, one or more labels below the closest encloser
    String one = q("+norec", "anything.wild.demo.test", "A");
    assertEquals("NOERROR", status(one), one);
    assertEquals("qr aa", flags(one), one);
    assertTrue(one.contains("anything.wild.demo.test. 300\tIN\tA\t127.0.0.77"), one);
    String two = q("+norec", "a.b.wild.demo.test", "TXT");
    assertTrue(two.contains("a.b.wild.demo.test.\t300\tIN\tTXT\t\"wild\""), two);
    // an existing name is never answered from the wildcard: its own data, or NODATA
    String exact = q("+norec", "+short", "explicit.wild.demo.test", "A");
    assertEquals("127.0.0.78", exact.trim());
    String nodata = q("+norec", "explicit.wild.demo.test", "TXT");
    assertEquals("NOERROR", status(nodata), nodata);
    assertTrue(nodata.contains("ANSWER: 0, AUTHORITY: 1"), nodata);
    // ... nor a name below an existing one (its closest encloser has no wildcard)
    String below = q("+norec", "x.explicit.wild.demo.test", "A");
    assertEquals("NXDOMAIN", status(below), below);
    // a type the wildcard does not have: NODATA for the synthesized name
    String mx = q("+norec", "anything.wild.demo.test", "MX");
    assertEquals("NOERROR", status(mx), mx);
    assertTrue(mx.contains("ANSWER: 0, AUTHORITY: 1"), mx);
    // a wildcard CNAME is chased like any other
    String cname = q("+norec", "shop.cn.demo.test", "A");
    assertTrue(cname.contains("shop.cn.demo.test.\t300\tIN\tCNAME\twww.demo.test."), cname);
    assertTrue(cname.contains("www.demo.test.\t\t300\tIN\tA\t127.0.0.10"), cname);
    // the wildcard's own name is an ordinary name
    String literal = q("+norec", "+short", "*.wild.demo.test", "A");
    assertEquals("127.0.0.77", literal.trim());
  }

  @Test
  void delegationIsAReferralWithGlue() {
    String out = q("+norec", "www.sub.demo.test", "A");
    assertEquals("NOERROR", status(out), out);
    assertEquals("qr", flags(out), out); // no AA
    assertTrue(out.contains("ANSWER: 0, AUTHORITY: 1, ADDITIONAL: 2"), out); // glue + OPT
    assertTrue(out.contains("sub.demo.test.\t\t300\tIN\tNS\tns.sub.demo.test."), out);
    assertTrue(out.contains("ns.sub.demo.test.\t300\tIN\tA\t127.0.0.53"), out);
  }

  @Test
  void namesOutsideOurZonesAreRefused() {
    String out = q("+rec", "www.example.org", "A");
    assertEquals("REFUSED", status(out), out);
    assertEquals("qr rd", flags(out), out);
    String chaos = q("+norec", "-c", "CH", "version.bind", "TXT");
    assertEquals("REFUSED", status(chaos), chaos);
    String chaosOurs = q("+norec", "-c", "CH", "www.demo.test", "A");
    assertEquals("REFUSED", status(chaosOurs), chaosOurs);
  }

  @Test
  void namesMatchCaseInsensitivelyAndKeepTheQuestionCase() {
    String out = q("+norec", "WwW.DeMo.TeSt", "A");
    assertEquals("NOERROR", status(out), out);
    assertTrue(out.contains(";WwW.DeMo.TeSt.\t\t\tIN\tA"), out);
    assertTrue(out.contains("127.0.0.10"), out);
    assertFalse(out.contains("WARNING"), out);
  }

  @Test
  void ednsPayloadSizeIsHonouredAndTcpGetsEverything() {
    String small = q("+norec", "+ignore", "+bufsize=512", "big.demo.test", "A");
    assertTrue(flags(small).contains("tc"), small);
    assertTrue(small.contains("ANSWER: 0,"), small); // no partial RRsets
    String noEdns = q("+norec", "+ignore", "+noedns", "big.demo.test", "A");
    assertTrue(flags(noEdns).contains("tc"), noEdns);
    String fits = q("+norec", "+ignore", "+bufsize=1232", "big.demo.test", "A");
    assertEquals("qr aa", flags(fits), fits);
    assertTrue(fits.contains("ANSWER: 40,"), fits);
    assertTrue(fits.contains("; EDNS: version: 0, flags:; udp: 1232"), fits);
    String bigger = q("+norec", "+ignore", "+bufsize=4096", "huge.demo.test", "TXT");
    assertTrue(flags(bigger).contains("tc"), bigger); // never more than our 1232
    String retried = q("+norec", "huge.demo.test", "TXT"); // dig retries over TCP on TC
    assertTrue(retried.contains("ANSWER: 60,"), retried);
    String tcp = q("+norec", "+tcp", "huge.demo.test", "TXT");
    assertTrue(tcp.contains("ANSWER: 60,"), tcp);
    assertEquals("qr aa", flags(tcp), tcp);
  }

  @Test
  void ednsVersionAboveZeroIsBadvers() {
    String out = q("+norec", "+edns=1", "+noednsneg", "www.demo.test", "A");
    assertEquals("BADVERS", status(out), out);
    assertTrue(out.contains("; EDNS: version: 0,"), out);
    assertTrue(out.contains("ANSWER: 0,"), out);
  }

  @Test
  void anyAnswersEveryRRsetOfTheName() {
    String out = q("+norec", "+tcp", "www.demo.test", "ANY");
    assertEquals("NOERROR", status(out), out);
    assertTrue(out.contains("ANSWER: 2,"), out);
  }

  @Test
  void serialIncreasesAfterApply() throws Exception {
    long before = soaSerial();
    assertEquals(
        (double) before,
        auth.registry.find("quorate.dns.zone.serial").tag("zone", "demo.test").gauge().value());
    var origin = Records.name("demo.test");
    var name = Records.name("dyn.demo.test");
    Record r = new ARecord(name, DClass.IN, 60, java.net.InetAddress.getByName("127.0.0.99"));
    auth.store.apply(origin, name, Type.A, List.of(), List.of(r));
    long after = soaSerial();
    assertTrue(after > before, before + " -> " + after);
    String out = q("+norec", "dyn.demo.test", "A");
    assertTrue(out.contains("127.0.0.99"), out);
    assertEquals(
        (double) after,
        auth.registry.find("quorate.dns.zone.serial").tag("zone", "demo.test").gauge().value());
  }

  @Test
  void queriesAreCountedPerZoneAndRcode() {
    double ok = auth.count("quorate.dns.queries", "zone", "demo.test", "rcode", "NOERROR");
    double nx = auth.count("quorate.dns.queries", "zone", "demo.test", "rcode", "NXDOMAIN");
    double refused = auth.count("quorate.dns.queries", "zone", "-", "rcode", "REFUSED");
    q("+norec", "www.demo.test", "A");
    q("+norec", "nope.demo.test", "A");
    q("+norec", "www.example.org", "A");
    assertEquals(
        ok + 1, auth.count("quorate.dns.queries", "zone", "demo.test", "rcode", "NOERROR"));
    assertEquals(
        nx + 1, auth.count("quorate.dns.queries", "zone", "demo.test", "rcode", "NXDOMAIN"));
    assertEquals(refused + 1, auth.count("quorate.dns.queries", "zone", "-", "rcode", "REFUSED"));
  }

  private static long soaSerial() {
    String out = q("+norec", "+short", "demo.test", "SOA");
    return Long.parseLong(out.trim().split("\\s+")[2]);
  }
}
