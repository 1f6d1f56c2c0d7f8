package io.quorate.probe.dns;

import static io.quorate.probe.dns.DnsChecks.consistency;
import static io.quorate.probe.dns.DnsChecks.query;
import static io.quorate.probe.dns.DnsChecks.target;
import static io.quorate.probe.dns.DnsProbeBindTest.assertFailed;
import static io.quorate.testsupport.ScriptedDnsServer.answer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorate.probe.ErrorKind;
import io.quorate.probe.Outcome;
import io.quorate.probe.ProbeContext;
import io.quorate.probe.ProbeResult;
import io.quorate.testsupport.ScriptedDnsServer;
import io.quorate.testsupport.ScriptedDnsServer.Reply;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.xbill.DNS.Rcode;

/**
 * Host names as targets and servers go through a resolver that the probe bounds by its deadline.
 * The resolver is injected (no lookup may leave loopback): one that never answers stands for a
 * resolver busy with its own timeouts and retries.
 */
@ExtendWith(VertxExtension.class)
class DnsProbeResolverTest {
  private static final long TIMEOUT_MS = 400;
  private static ScriptedDnsServer server;

  @BeforeAll
  static void startServer(Vertx vertx) throws Exception {
    server = ScriptedDnsServer.start(vertx);
    server.onUdp(q -> List.of(Reply.of(answer(q, Rcode.NOERROR))));
  }

  @AfterAll
  static void stopServer() throws Exception {
    server.close();
  }

  private static DnsProbe hanging(Vertx vertx) {
    return new DnsProbe(ProbeContext.of(vertx), host -> Promise.<InetAddress>promise().future());
  }

  @Test
  void targetNameResolvedThroughTheResolver(Vertx vertx) throws Exception {
    DnsProbe probe =
        new DnsProbe(
            ProbeContext.of(vertx),
            host ->
                host.equals("dns.lab.test")
                    ? Future.succeededFuture(InetAddress.getLoopbackAddress())
                    : Future.failedFuture("unexpected lookup " + host));
    ProbeResult r =
        DnsChecks.run(
            probe, target("dns.lab.test", server.port(), TIMEOUT_MS, query("www.test", "A")));
    assertEquals(Outcome.UP, r.outcome(), r.toString());
  }

  @Test
  void resolverFailureIsUnreachable(Vertx vertx) throws Exception {
    DnsProbe probe =
        new DnsProbe(ProbeContext.of(vertx), host -> Future.failedFuture("no such host"));
    assertFailed(
        DnsChecks.run(
            probe, target("dns.lab.test", server.port(), TIMEOUT_MS, query("www.test", "A"))),
        ErrorKind.UNREACHABLE,
        "cannot resolve dns.lab.test: no such host");
  }

  @Test
  void targetNameResolutionIsCutAtTheDeadline(Vertx vertx) throws Exception {
    ProbeResult r =
        DnsChecks.run(
            hanging(vertx),
            target("dns.lab.test", server.port(), TIMEOUT_MS, query("www.test", "A")));
    assertFailed(r, ErrorKind.TIMEOUT, "name resolution timed out");
    assertEndsAtTheDeadline(r);
  }

  @Test
  void serverNameResolutionIsCutAtTheDeadline(Vertx vertx) throws Exception {
    String named = "ns.lab.test:" + server.port();
    ProbeResult r =
        DnsChecks.run(
            hanging(vertx),
            target(
                "127.0.0.1",
                server.port(),
                TIMEOUT_MS,
                consistency("example.test", List.of(named))));
    assertFailed(
        r, ErrorKind.TIMEOUT, "no server answered: " + named + ": name resolution timed out");
    assertEndsAtTheDeadline(r);
  }

  private static void assertEndsAtTheDeadline(ProbeResult r) {
    assertTrue(
        r.timings().totalMs() >= TIMEOUT_MS - 5 && r.timings().totalMs() < TIMEOUT_MS + 300,
        "ends at its deadline: " + r.timings());
  }
}
