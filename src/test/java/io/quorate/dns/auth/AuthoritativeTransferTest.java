package io.quorate.dns.auth;

import static io.quorate.testsupport.DigRunner.dig;
import static io.quorate.testsupport.DigRunner.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorate.dns.Records;
import io.quorate.testsupport.Bind9Conf;
import io.quorate.testsupport.Bind9Lab;
import io.quorate.testsupport.Poll;
import io.quorate.testsupport.Ports;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * A real BIND 9 as a secondary of the embedded server: it transfers the zone with TSIG (AXFR), then
 * follows a change through our NOTIFY and an IXFR. Transfers without the key, with a wrong key, or
 * for a zone without a key are refused.
 */
@ExtendWith(VertxExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AuthoritativeTransferTest {
  static final String KEY = "hmac-sha256:" + Bind9Lab.TSIG_KEY_NAME + ":" + Bind9Lab.TSIG_SECRET;
  static final String WRONG_SECRET =
      "hmac-sha256:"
          + Bind9Lab.TSIG_KEY_NAME
          + ":"
          + "c2VjcmV0LXRoYXQtaXMtbm90LXRoZS1vbmUtd2UtdXNl";
  static final String WRONG_NAME = "hmac-sha256:other-key:" + Bind9Lab.TSIG_SECRET;

  private static AuthFixture auth;
  private static Bind9Lab bind;

  @BeforeAll
  static void start(Vertx vertx) throws Exception {
    int bindPort = Ports.free();
    auth =
        AuthFixture.start(
            vertx,
            Clock.systemUTC(),
            new AuthoritativeServer.Limits(64, 10_000, 300),
            List.of("127.0.0.1:" + bindPort));
    bind =
        Bind9Lab.start(Bind9Conf.primary(AuthFixture.ZONE).secondaryOf(auth.port()), "", bindPort);
  }

  @AfterAll
  static void stop() throws Exception {
    if (bind != null) {
      bind.close();
    }
    auth.close();
  }

  @Test
  @Order(1)
  void bindTransfersTheZoneWithTsig() {
    assertTrue(
        auth.count("quorate.dns.transfers", "zone", "demo.test", "type", "axfr", "outcome", "ok")
            >= 1);
    assertEquals(serial(auth.port()), serial(bind.port()));
    String out = dig(bind.port(), "+norec", "+short", "host.ent.demo.test", "A");
    assertEquals("127.0.0.20", out.trim());
    String big = dig(bind.port(), "+norec", "+tcp", "huge.demo.test", "TXT");
    assertTrue(big.contains("ANSWER: 60,"), big);
  }

  @Test
  @Order(1)
  void bindAsSecondaryAnswersWildcardsExactlyAsWeDo() {
    // BIND implements RFC 4592 from the zone it transferred: both must give the same answers
    String[][] queries = {
      {"anything.wild.demo.test", "A"},
      {"a.b.wild.demo.test", "TXT"},
      {"explicit.wild.demo.test", "A"},
      {"explicit.wild.demo.test", "TXT"},
      {"x.explicit.wild.demo.test", "A"},
      {"anything.wild.demo.test", "MX"},
      {"shop.cn.demo.test", "A"},
      {"*.wild.demo.test", "A"},
    };
    for (String[] q : queries) {
      String ours = dig(auth.port(), "+norec", "+noall", "+answer", "+comments", q[0], q[1]);
      String theirs = dig(bind.port(), "+norec", "+noall", "+answer", "+comments", q[0], q[1]);
      assertEquals(status(theirs), status(ours), q[0] + " " + q[1] + "\n" + ours + theirs);
      assertEquals(answer(theirs), answer(ours), q[0] + " " + q[1]);
    }
  }

  /** The answer section's records, sorted (the order within an RRset is not specified). */
  private static List<String> answer(String dig) {
    return dig.lines().filter(l -> !l.startsWith(";") && !l.isBlank()).sorted().toList();
  }

  @Test
  @Order(2)
  void bindFollowsAChangeThroughNotifyAndIxfr() throws Exception {
    double ixfr =
        auth.count("quorate.dns.transfers", "zone", "demo.test", "type", "ixfr", "outcome", "ok");
    double acked = auth.count("quorate.dns.notify", "zone", "demo.test", "outcome", "acked");
    long before = serial(auth.port());
    var name = Records.name("dyn.demo.test");
    Record r = new ARecord(name, DClass.IN, 60, InetAddress.getByName("127.0.0.77"));
    auth.store.apply(Records.name("demo.test"), name, Type.A, List.of(), List.of(r));
    long after = serial(auth.port());
    assertTrue(after > before);
    Poll.until(
        Duration.ofSeconds(15),
        "BIND serves the new serial",
        () -> serial(bind.port()),
        s -> s == after);
    assertEquals("127.0.0.77", dig(bind.port(), "+norec", "+short", "dyn.demo.test", "A").trim());
    assertEquals(
        ixfr + 1,
        auth.count("quorate.dns.transfers", "zone", "demo.test", "type", "ixfr", "outcome", "ok"),
        bind.logTail());
    Poll.until(
        Duration.ofSeconds(5),
        "NOTIFY acknowledged",
        () -> auth.count("quorate.dns.notify", "zone", "demo.test", "outcome", "acked"),
        n -> n == acked + 1);
  }

  @Test
  @Order(3)
  void signedAxfrHasSoaFirstAndLast() {
    String out = dig(auth.port(), "-y", KEY, "demo.test", "AXFR");
    String[] soa = out.lines().filter(l -> l.contains("\tSOA\t")).toArray(String[]::new);
    assertEquals(2, soa.length, out);
    assertTrue(
        out.lines()
            .filter(l -> !l.startsWith(";") && !l.isBlank())
            .findFirst()
            .orElseThrow()
            .contains("SOA"),
        out);
    assertTrue(out.contains("XFR size: 420 records (messages 2,"), out); // + dyn from order 2
  }

  @Test
  @Order(4)
  void ixfrFromAnOldSerialIsTheWholeZoneAndFromTheCurrentOneJustTheSoa() {
    double full =
        auth.count(
            "quorate.dns.transfers", "zone", "demo.test", "type", "ixfr-full", "outcome", "ok");
    String old = dig(auth.port(), "-y", KEY, "demo.test", "IXFR=1");
    assertTrue(old.contains("XFR size: 420 records"), old);
    assertEquals(
        full + 1,
        auth.count(
            "quorate.dns.transfers", "zone", "demo.test", "type", "ixfr-full", "outcome", "ok"));
    long now = serial(auth.port());
    String current = dig(auth.port(), "-y", KEY, "+notcp", "demo.test", "IXFR=" + now);
    List<String> records = current.lines().filter(l -> !l.startsWith(";") && !l.isBlank()).toList();
    assertEquals(2, records.size(), current); // the SOA and our TSIG
    assertTrue(
        records.get(0).contains("\tSOA\t") && records.get(0).contains(" " + now + " "), current);
  }

  @Test
  @Order(5)
  void unsignedTransfersAreRefusedAndWrongKeysNotAuthorised() {
    double refused =
        auth.count(
            "quorate.dns.transfers", "zone", "demo.test", "type", "axfr", "outcome", "refused");
    String unsigned = dig(auth.port(), "demo.test", "AXFR");
    assertTrue(unsigned.contains("Transfer failed"), unsigned);
    assertEquals(
        refused + 1,
        auth.count(
            "quorate.dns.transfers", "zone", "demo.test", "type", "axfr", "outcome", "refused"));
    String wrongSecret = dig(auth.port(), "-y", WRONG_SECRET, "demo.test", "AXFR");
    assertTrue(
        wrongSecret.contains(" BADSIG ") && wrongSecret.contains("Transfer failed"), wrongSecret);
    String wrongName = dig(auth.port(), "-y", WRONG_NAME, "demo.test", "AXFR");
    assertTrue(wrongName.contains(" BADKEY ") && wrongName.contains("Transfer failed"), wrongName);
    double noKey =
        auth.count(
            "quorate.dns.transfers", "zone", "rrl.test", "type", "axfr", "outcome", "refused");
    String unsignedNoKey = dig(auth.port(), "rrl.test", "AXFR"); // the zone has no key at all
    assertTrue(unsignedNoKey.contains("Transfer failed"), unsignedNoKey);
    assertEquals(
        noKey + 1,
        auth.count(
            "quorate.dns.transfers", "zone", "rrl.test", "type", "axfr", "outcome", "refused"));
    String signedNoKey = dig(auth.port(), "-y", KEY, "rrl.test", "AXFR");
    assertTrue(signedNoKey.contains(" BADKEY "), signedNoKey);
  }

  @Test
  @Order(6)
  void signedQueriesGetSignedAnswers() {
    String out = dig(auth.port(), "-y", KEY, "+norec", "www.demo.test", "A");
    assertEquals("NOERROR", status(out), out);
    assertTrue(out.contains("TSIG PSEUDOSECTION"), out);
    assertTrue(!out.contains("failure") && !out.contains("Couldn't verify"), out);
    String wrong = dig(auth.port(), "-y", WRONG_SECRET, "+norec", "www.demo.test", "A");
    assertEquals("NOTAUTH", status(wrong), wrong);
    assertTrue(wrong.contains("BADSIG"), wrong);
  }

  static long serial(int port) {
    String out = dig(port, "+norec", "+short", "demo.test", "SOA");
    return Long.parseLong(out.trim().split("\\s+")[2]);
  }
}
