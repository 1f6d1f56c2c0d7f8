package io.quorate.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorate.config.ProbeType;
import io.quorate.config.Target;
import io.quorate.config.TlsPolicy;
import io.quorate.demo.DemoFleet.Member;
import io.quorate.probe.ErrorKind;
import io.quorate.probe.Outcome;
import io.quorate.probe.ProbeAssert;
import io.quorate.probe.ProbeContext;
import io.quorate.probe.ProbeRegistry;
import io.quorate.probe.ProbeResult;
import io.quorate.probe.Probes;
import io.quorate.probe.tls.TlsVerifier;
import io.quorate.testsupport.Ports;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Quorate's real probes (the standard registry an agent uses) against the demo fleet: every member
 * is UP, the mail members pass STARTTLS with full verification against the demo CA, and a stopped
 * member is DOWN with REFUSED until it is started again.
 */
@ExtendWith(VertxExtension.class)
class DemoFleetProbeTest {
  private static DemoFleet fleet;
  private static ProbeRegistry probes;
  private static Path caFile;

  @BeforeAll
  static void startFleet(Vertx vertx) throws Exception {
    caFile = DemoTls.load().writeTo(Files.createTempDirectory("demo-tls")).caFile();
    DemoMailServer.Ports mail = new DemoMailServer.Ports(Ports.free(), Ports.free(), Ports.free());
    fleet = new DemoFleet(vertx, DemoFleet.Layout.standard(Ports.free(), mail), DemoTls.load());
    TlsVerifier tls = new TlsVerifier(Clock.systemUTC());
    tls.preload(List.of(caFile.toString()));
    probes = Probes.standard(new ProbeContext(vertx, Clock.systemUTC(), tls));
    fleet.start().await(10, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stopFleet() throws Exception {
    fleet.close().await(10, TimeUnit.SECONDS);
  }

  private static TlsPolicy trusting(String name) {
    return TlsPolicy.DEFAULT.withCaFile(caFile.toString()).withServerName(name);
  }

  private static Member member(String id) {
    return fleet.member(id).orElseThrow();
  }

  private static Future<ProbeResult> run(Target t) {
    return probes.forType(t.type()).orElseThrow().run(t);
  }

  @Test
  void membersAreListedAsStartedWithTheirAddresses() {
    List<Member> ms = fleet.members();
    assertEquals(
        List.of("web-1", "web-2", "web-3", "mail-1", "mail-2"),
        ms.stream().map(Member::id).toList());
    assertTrue(ms.stream().allMatch(Member::running));
    assertEquals("127.0.0.22", member("web-2").host());
    assertEquals(Set.of("http"), member("web-2").ports().keySet());
    assertEquals("127.0.0.32", member("mail-2").host());
    assertEquals("mail2.demo.test", member("mail-2").serverName());
    assertEquals(Set.of("smtp", "imap", "pop3"), member("mail-2").ports().keySet());
  }

  @Test
  void everyWebMemberIsUpWithItsOwnPage(Vertx vertx, VertxTestContext tc) {
    List<Future<ProbeResult>> runs =
        List.of("web-1", "web-2", "web-3").stream()
            .flatMap(
                id ->
                    List.of(
                        run(DemoTargets.http(member(id), "/health", "ok")),
                        run(DemoTargets.http(member(id), "/", "<h1>" + id + "</h1>")))
                        .stream())
            .toList();
    Future.all(runs)
        .onComplete(
            tc.succeeding(
                all ->
                    tc.verify(
                        () -> {
                          for (Future<ProbeResult> f : runs) {
                            ProbeResult r = f.result();
                            assertEquals(Outcome.UP, r.outcome(), r::toString);
                          }
                          tc.completeNow();
                        })));
  }

  @Test
  void unknownPathIsDownWithStatus404(VertxTestContext tc) {
    ProbeAssert.expect(
        tc,
        probes.forType(ProbeType.HTTP).orElseThrow(),
        DemoTargets.http(member("web-1"), "/nope", null),
        r -> ProbeAssert.assertResult(r, Outcome.DOWN, ErrorKind.ASSERTION, "404"));
  }

  @ParameterizedTest
  @EnumSource(
      value = ProbeType.class,
      names = {"SMTP", "IMAP", "POP3"})
  void starttlsWithVerificationIsUp(ProbeType type, VertxTestContext tc) {
    Target t = DemoTargets.mail(member("mail-1"), type, trusting("mail1.demo.test"));
    ProbeAssert.expect(
        tc,
        probes.forType(type).orElseThrow(),
        t,
        r -> {
          assertEquals(Outcome.UP, r.outcome(), r::toString);
          assertEquals("ok", r.facts().get("starttls"));
          assertNotNull(r.tls());
          assertEquals("CN=mail.demo.test", r.tls().subject());
          assertTrue(r.tls().issuer().contains("Quorate Demo CA"), r.tls().issuer());
          assertTrue(r.tls().daysLeft() > 9_000, "days left " + r.tls().daysLeft());
          assertTrue(r.facts().get("banner").contains("mail1.demo.test"), r.facts().toString());
        });
  }

  @ParameterizedTest
  @EnumSource(
      value = ProbeType.class,
      names = {"SMTP", "IMAP", "POP3"})
  void backupVerifiesByItsIpAddressToo(ProbeType type, VertxTestContext tc) {
    Target t = DemoTargets.mail(member("mail-2"), type, trusting(null));
    ProbeAssert.expect(
        tc,
        probes.forType(type).orElseThrow(),
        t,
        r -> {
          assertEquals(Outcome.UP, r.outcome(), r::toString);
          assertTrue(r.facts().get("banner").contains("mail2.demo.test"), r.facts().toString());
        });
  }

  @Test
  void demoCaIsNotTrustedByTheJvmStore(VertxTestContext tc) {
    TlsPolicy jvm = TlsPolicy.DEFAULT.withServerName("mail1.demo.test");
    ProbeAssert.expect(
        tc,
        probes.forType(ProbeType.SMTP).orElseThrow(),
        DemoTargets.mail(member("mail-1"), ProbeType.SMTP, jvm),
        r ->
            ProbeAssert.assertResult(
                r, Outcome.DOWN, ErrorKind.CERTIFICATE, "untrusted certificate chain"));
  }

  @Test
  void nameOutsideTheCertificateIsDown(VertxTestContext tc) {
    ProbeAssert.expect(
        tc,
        probes.forType(ProbeType.IMAP).orElseThrow(),
        DemoTargets.mail(member("mail-1"), ProbeType.IMAP, trusting("mail.example.test")),
        r ->
            ProbeAssert.assertResult(
                r, Outcome.DOWN, ErrorKind.CERTIFICATE, "not valid for mail.example.test"));
  }

  @Test
  void stoppedMailMemberIsRefusedOnEveryProtocolThenUpAgain(VertxTestContext tc) {
    Member m = member("mail-1");
    TlsPolicy tls = trusting("mail1.demo.test");
    List<ProbeType> types = List.of(ProbeType.SMTP, ProbeType.IMAP, ProbeType.POP3);
    fleet
        .stop("mail-1")
        .compose(v -> probeAll(types.stream().map(t -> DemoTargets.mail(m, t, tls)).toList()))
        .compose(
            down -> {
              tc.verify(
                  () -> {
                    assertTrue(!member("mail-1").running());
                    assertTrue(member("mail-2").running(), "only mail-1 stops");
                    down.forEach(
                        r -> ProbeAssert.assertResult(r, Outcome.DOWN, ErrorKind.REFUSED, null));
                  });
              return fleet.start("mail-1");
            })
        .compose(v -> probeAll(types.stream().map(t -> DemoTargets.mail(m, t, tls)).toList()))
        .onComplete(
            tc.succeeding(
                up ->
                    tc.verify(
                        () -> {
                          assertTrue(member("mail-1").running());
                          up.forEach(r -> assertEquals(Outcome.UP, r.outcome(), r::toString));
                          tc.completeNow();
                        })));
  }

  @Test
  void stoppedWebMemberIsRefusedThenUpAgainThreeTimes(VertxTestContext tc) {
    Target t = DemoTargets.http(member("web-2"), "/health", "ok");
    Target other = DemoTargets.http(member("web-3"), "/health", "ok");
    Future<Void> cycles = Future.succeededFuture();
    for (int i = 0; i < 3; i++) {
      cycles =
          cycles
              .compose(v -> fleet.stop("web-2"))
              .compose(v -> probeAll(List.of(t, other)))
              .compose(
                  rs -> {
                    tc.verify(
                        () -> {
                          ProbeAssert.assertResult(
                              rs.get(0), Outcome.DOWN, ErrorKind.REFUSED, null);
                          assertEquals(Outcome.UP, rs.get(1).outcome(), "web-3 is untouched");
                        });
                    return fleet.start("web-2");
                  })
              .compose(v -> probeAll(List.of(t)))
              .map(
                  rs -> {
                    tc.verify(() -> assertEquals(Outcome.UP, rs.get(0).outcome(), rs::toString));
                    return null;
                  });
    }
    cycles.onComplete(tc.succeedingThenComplete());
  }

  @Test
  void unknownMemberFailsToStopOrStart(VertxTestContext tc) {
    fleet
        .stop("web-9")
        .onComplete(
            tc.failing(
                e ->
                    tc.verify(
                        () -> {
                          assertEquals("unknown demo member: web-9", e.getMessage());
                          tc.completeNow();
                        })));
  }

  private static Future<List<ProbeResult>> probeAll(List<Target> targets) {
    List<Future<ProbeResult>> runs = targets.stream().map(DemoFleetProbeTest::run).toList();
    return Future.all(runs).map(all -> runs.stream().map(Future::result).toList());
  }
}
