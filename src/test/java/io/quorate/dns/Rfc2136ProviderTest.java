package io.quorate.dns;

import static io.quorate.dns.DnsTests.assertKind;
import static io.quorate.dns.DnsTests.await;
import static io.quorate.dns.DnsTests.change;
import static io.quorate.dns.DnsTests.failure;
import static io.quorate.dns.DnsTests.rrset;
import static io.quorate.dns.DnsTests.serial;
import static io.quorate.dns.DnsTests.served;
import static io.quorate.dns.DnsTests.zone;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorate.config.DnsZone;
import io.quorate.dns.DnsUpdateException.Kind;
import io.quorate.dns.UpdateMessages.Epoch;
import io.quorate.failover.RRset;
import io.quorate.testsupport.Bind9Conf;
import io.quorate.testsupport.Bind9Lab;
import io.quorate.testsupport.KnotLab;
import io.quorate.testsupport.Ports;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Rfc2136Provider} against real primaries, BIND 9 and Knot DNS, each with the lab TSIG key
 * restricted to the managed names (least privilege). Every test works on its own names, and checks
 * the server's state with plain queries that do not go through the provider.
 */
@ExtendWith(VertxExtension.class)
class Rfc2136ProviderTest {
  /** The names the key may change (BIND grants, Knot ACL); "mail" stays outside. */
  static final List<String> MANAGED =
      List.of(
          "rr",
          "cas",
          "race",
          "auth",
          "ttl",
          "mx",
          "www",
          "api",
          "fresh",
          "fenced",
          "stale",
          "dangling",
          "_quorate-epoch");

  static final String TYPES = "A AAAA CNAME MX TXT";

  static final String EXTRA =
      String.join(
          "\n",
          "cas    IN A  127.0.0.21",
          "cas    IN A  127.0.0.22",
          "race   IN A  127.0.0.31",
          "auth   IN A  127.0.0.41",
          "ttl    IN A  127.0.0.51",
          "mx     IN MX 10 mail",
          "dangling IN MX 10 mail",
          "rmx    IN MX 10 Mail",
          "rv6    IN AAAA 0:0:0::0:1",
          "rcname IN CNAME WWW",
          "fenced IN A  127.0.0.61",
          "stale  IN A  127.0.0.71");

  private static Bind9Lab bind;
  private static KnotLab knot;
  private static Rfc2136Provider provider;

  @BeforeAll
  static void start(Vertx vertx) {
    String zoneText = Bind9Lab.exampleZone(1, EXTRA);
    bind =
        Bind9Lab.start(
            Bind9Conf.primary(DnsTests.ZONE)
                .withPolicy(Bind9Conf.grantNames(DnsTests.ZONE, MANAGED, TYPES)),
            zoneText,
            Ports.free());
    knot = KnotLab.start(DnsTests.ZONE, zoneText, MANAGED, List.of(TYPES.split(" ")));
    provider = new Rfc2136Provider(vertx);
  }

  @AfterAll
  static void stop() {
    await(provider.close());
    if (bind != null) {
      bind.close();
    }
    if (knot != null) {
      knot.close();
    }
  }

  static int port(String server) {
    return server.equals("bind") ? bind.port() : knot.port();
  }

  @ParameterizedTest
  @ValueSource(strings = {"bind", "knot"})
  void readsRRsetsNormalised(String server) {
    DnsZone z = zone(port(server));
    RRset rr = await(provider.read(z, "rr.example.test", "A"));
    assertEquals(rrset("rr", "A", 60, "127.0.0.11", "127.0.0.12", "127.0.0.13", "127.0.0.14"), rr);
    assertEquals(
        rrset("www", "AAAA", 60, "::1"), await(provider.read(z, "www.example.test", "AAAA")));
    assertEquals(
        rrset("mx", "MX", 60, "10 mail.example.test"),
        await(provider.read(z, "MX.Example.Test", "mx")));
    assertEquals(
        rrset("api", "CNAME", 60, "www.example.test"),
        await(provider.read(z, "api.example.test", "CNAME")));
    assertEquals(
        RRset.empty("nothere.example.test", "A"),
        await(provider.read(z, "nothere.example.test", "A")),
        "NXDOMAIN");
    assertEquals(
        RRset.empty("rr.example.test", "MX"),
        await(provider.read(z, "rr.example.test", "MX")),
        "NODATA");
  }

  @ParameterizedTest
  @ValueSource(strings = {"bind", "knot"})
  void appliesAChangeOnceThenRefusesTheSamePlan(String server) {
    int port = port(server);
    DnsZone z = zone(port);
    RRset expected = await(provider.read(z, "cas.example.test", "A"));
    assertEquals(rrset("cas", "A", 60, "127.0.0.21", "127.0.0.22"), expected);
    RRset desired = rrset("cas", "A", 60, "127.0.0.22", "127.0.0.23");
    long before = serial(port);

    UpdateResult ok = await(provider.apply(z, change(expected, desired)));

    assertEquals(-1, ok.epoch());
    assertTrue(ok.serverMs() > 0, ok.toString());
    assertEquals(desired, served(port, "cas", "A"));
    assertEquals(before + 1, serial(port), "one UPDATE, one serial step");

    DnsUpdateException again = failure(provider.apply(z, change(expected, desired)));
    assertEquals(Kind.PREREQUISITE_FAILED, again.kind(), again.getMessage());
    assertEquals(org.xbill.DNS.Rcode.NXRRSET, again.rcode(), again.getMessage());
    assertEquals(desired, served(port, "cas", "A"), "compare-and-set: nothing changed");
    assertEquals(before + 1, serial(port));
  }

  @ParameterizedTest
  @ValueSource(strings = {"bind", "knot"})
  void createsAnAbsentName(String server) {
    int port = port(server);
    DnsZone z = zone(port);
    RRset absent = await(provider.read(z, "fresh.example.test", "A"));
    assertTrue(absent.isEmpty(), absent.toString());
    RRset desired = rrset("fresh", "A", 60, "127.0.0.81");

    await(provider.apply(z, change(absent, desired)));

    assertEquals(desired, served(port, "fresh", "A"));
    assertKind(Kind.PREREQUISITE_FAILED, provider.apply(z, change(absent, desired)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"bind", "knot"})
  void bumpsTheEpochAndRefusesAStaleOne(String server) {
    int port = port(server);
    DnsZone z = zone(port, "lab-update", Bind9Lab.TSIG_SECRET, "_quorate-epoch.example.test");
    RRset a = rrset("fenced", "A", 60, "127.0.0.61");
    RRset b = rrset("fenced", "A", 60, "127.0.0.62");

    assertEquals(1, await(provider.apply(z, change(a, b))).epoch(), "absent epoch counts as 0");
    assertEquals(2, await(provider.apply(z, change(b, a))).epoch());
    assertEquals(rrset("_quorate-epoch", "TXT", 60, "2"), served(port, "_quorate-epoch", "TXT"));
    long before = serial(port);

    // a writer that read epoch 1 before the last change: right RRset, stale fence
    Epoch stale = new Epoch("_quorate-epoch.example.test", 1, true, 60);
    assertKind(Kind.PREREQUISITE_FAILED, provider.send(z, change(a, b), stale));

    assertEquals(a, served(port, "fenced", "A"));
    assertEquals(rrset("_quorate-epoch", "TXT", 60, "2"), served(port, "_quorate-epoch", "TXT"));
    assertEquals(before, serial(port));
  }

  @ParameterizedTest
  @ValueSource(strings = {"bind", "knot"})
  void wrongSecretOrUnknownKeyIsNotAuthorizedAndChangesNothing(String server) {
    int port = port(server);
    RRset current = rrset("auth", "A", 60, "127.0.0.41");
    RRset desired = rrset("auth", "A", 60, "127.0.0.42");
    long before = serial(port);
    String wrong = "AAAAypIODlUKuDvWRVtNgfCtbAgP1wzm5uFf9VMVFSg=";

    DnsUpdateException badSig =
        failure(provider.apply(zone(port, "lab-update", wrong, null), change(current, desired)));
    DnsUpdateException badKey =
        failure(
            provider.apply(
                zone(port, "no-such-key", Bind9Lab.TSIG_SECRET, null), change(current, desired)));
    DnsUpdateException badRead =
        failure(provider.read(zone(port, "lab-update", wrong, null), "auth.example.test", "A"));

    assertEquals(Kind.NOT_AUTHORIZED, badSig.kind(), badSig.getMessage());
    assertEquals(org.xbill.DNS.Rcode.BADSIG, badSig.tsigError(), badSig.getMessage());
    assertEquals(Kind.NOT_AUTHORIZED, badKey.kind(), badKey.getMessage());
    assertEquals(org.xbill.DNS.Rcode.BADKEY, badKey.tsigError(), badKey.getMessage());
    assertEquals(Kind.NOT_AUTHORIZED, badRead.kind(), badRead.getMessage());
    assertEquals(current, served(port, "auth", "A"));
    assertEquals(before, serial(port));
  }

  /** BIND answers REFUSED (signed); Knot answers NOTAUTH with TSIG error BADKEY (unsigned). */
  @ParameterizedTest
  @ValueSource(strings = {"bind", "knot"})
  void aNameOutsideTheKeysPolicyIsRefused(String server) {
    int port = port(server);
    DnsZone z = zone(port);
    RRset mail = await(provider.read(z, "mail.example.test", "A"));
    long before = serial(port);

    DnsUpdateException e =
        failure(provider.apply(z, change(mail, rrset("mail", "A", 60, "127.0.0.99"))));

    Map<String, Kind> expected = Map.of("bind", Kind.REFUSED, "knot", Kind.NOT_AUTHORIZED);
    assertEquals(expected.get(server), e.kind(), e.getMessage());
    assertEquals(mail, served(port, "mail", "A"));
    assertEquals(before, serial(port));
  }

  @ParameterizedTest
  @ValueSource(strings = {"bind", "knot"})
  void twoConcurrentWritersOneWins(String server) {
    int port = port(server);
    DnsZone z = zone(port);
    RRset expected = await(provider.read(z, "race.example.test", "A"));
    RRset one = rrset("race", "A", 60, "127.0.0.32");
    RRset two = rrset("race", "A", 60, "127.0.0.33");
    long before = serial(port);

    Future<UpdateResult> f1 = provider.apply(z, change(expected, one));
    Future<UpdateResult> f2 = provider.apply(z, change(expected, two));
    await(Future.join(f1, f2).otherwiseEmpty());

    assertTrue(f1.succeeded() ^ f2.succeeded(), "exactly one wins: " + f1.cause() + f2.cause());
    Future<UpdateResult> loser = f1.succeeded() ? f2 : f1;
    assertKind(Kind.PREREQUISITE_FAILED, loser);
    assertEquals(f1.succeeded() ? one : two, served(port, "race", "A"));
    assertEquals(before + 1, serial(port));
  }

  @ParameterizedTest
  @ValueSource(strings = {"bind", "knot"})
  void writesMxAaaaCnameAndTheTtl(String server) {
    int port = port(server);
    DnsZone z = zone(port);
    RRset mx = rrset("mx", "MX", 60, "20 mail.example.test", "30 ns1.example.test");
    await(provider.apply(z, change(rrset("mx", "MX", 60, "10 mail.example.test"), mx)));
    assertEquals(mx, served(port, "mx", "MX"));

    RRset v6 = rrset("www", "AAAA", 60, "2001:db8::1", "::2");
    await(provider.apply(z, change(rrset("www", "AAAA", 60, "::1"), v6)));
    assertEquals(v6, served(port, "www", "AAAA"));

    RRset cname = rrset("api", "CNAME", 60, "mail.example.test");
    await(provider.apply(z, change(rrset("api", "CNAME", 60, "www.example.test"), cname)));
    assertEquals(cname, served(port, "api", "CNAME"));

    RRset ttl = rrset("ttl", "A", 123, "127.0.0.52");
    await(provider.apply(z, change(rrset("ttl", "A", 60, "127.0.0.51"), ttl)));
    assertEquals(ttl, served(port, "ttl", "A"), "TTL from plan.desired().ttl()");
    assertEquals(ttl, await(provider.read(z, "ttl.example.test", "A")));
  }

  /**
   * BIND checks zone integrity on UPDATEs (check-integrity, on by default for primaries): an MX
   * whose in-zone target has no address records is REFUSED. Knot accepts it.
   */
  @ParameterizedTest
  @ValueSource(strings = {"bind", "knot"})
  void anMxToAnInZoneNameWithoutAddressIsRefusedByBindOnly(String server) {
    int port = port(server);
    DnsZone z = zone(port);
    RRset before = rrset("dangling", "MX", 60, "10 mail.example.test");
    RRset dangling = rrset("dangling", "MX", 60, "10 nohost.example.test");
    Future<UpdateResult> f = provider.apply(z, change(before, dangling));
    if (server.equals("bind")) {
      DnsUpdateException e = failure(f);
      assertEquals(Kind.REFUSED, e.kind(), e.getMessage());
      assertEquals(before, served(port, "dangling", "MX"));
      assertTrue(bind.logTail().contains("has no address records"), bind.logTail());
    } else {
      await(f);
      assertEquals(dangling, served(port, "dangling", "MX"));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"bind", "knot"})
  void aClosedPrimaryPortIsATransportFailure(String server) {
    DnsZone z = zone(Ports.free());
    RRset rr = rrset("rr", "A", 60, "127.0.0.11");
    DnsUpdateException e = failure(provider.apply(z, change(rr, rr)));
    assertEquals(Kind.TRANSPORT, e.kind(), e.getMessage());
    assertTrue(e.retryable());
    assertKind(Kind.TRANSPORT, provider.read(z, "rr.example.test", "A"));
  }
}
