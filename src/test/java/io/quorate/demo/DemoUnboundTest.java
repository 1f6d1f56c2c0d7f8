package io.quorate.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorate.testsupport.DigRunner;
import io.quorate.testsupport.Poll;
import io.quorate.testsupport.Ports;
import io.quorate.testsupport.UnboundLab;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * How clients really reach a zone Quorate serves: a real Unbound recursive resolver with a stub
 * zone for {@code demo.test} pointing at the first region's embedded server, resolving the pool
 * name before and after a failover (the answer's TTL, 5 s in the demo, bounds how long Unbound
 * keeps the old answer), and the delegation to the sample DNS pair.
 */
@Timeout(180)
class DemoUnboundTest {
  @TempDir static Path dir;
  private static Demo demo;
  private static UnboundLab unbound;

  @BeforeAll
  static void start() throws Exception {
    DemoOptions o =
        new DemoOptions(
            Ports.freeRange(3),
            Ports.freeRange(3),
            Ports.freeRange(1),
            Ports.freeRange(1),
            Ports.freeRange(1),
            Ports.freeRange(1),
            Ports.freeRange(1));
    Path work = Files.createDirectory(dir.resolve("demo"));
    demo = Demo.start(o, work).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    unbound = UnboundLab.start("demo.test", o.dnsPort());
  }

  @AfterAll
  static void stop() throws Exception {
    if (unbound != null) {
      unbound.close();
    }
    if (demo != null) {
      demo.close().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }
  }

  private static List<String> resolve(String name, String type) {
    String out = DigRunner.dig(unbound.port(), "+short", name, type);
    return Arrays.stream(out.strip().split("\\s*\\n\\s*"))
        .filter(s -> !s.isEmpty() && !s.startsWith(";"))
        .sorted()
        .toList();
  }

  @Test
  void poolNameResolvesThroughUnboundBeforeAndAfterFailover() throws Exception {
    List<String> all = DemoOptions.WEB_ADDRESSES;
    assertEquals(all, resolve("www.demo.test", "A"), "served before any verdict: the primaries");
    String full = DigRunner.dig(unbound.port(), "www.demo.test", "A");
    assertEquals("NOERROR", DigRunner.status(full));
    assertTrue(DigRunner.flags(full).contains("ra"), "a recursive answer: " + full);

    demo.member("web-2", false).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    List<String> after =
        Poll.until(
            Duration.ofSeconds(60),
            "Unbound resolves www.demo.test without web-2",
            () -> resolve("www.demo.test", "A"),
            v -> v.equals(List.of(all.get(0), all.get(2))));
    assertEquals(2, after.size());

    assertEquals(List.of("10 mail1.demo.test."), resolve("mail.demo.test", "MX"));
    assertEquals("NXDOMAIN", DigRunner.status(DigRunner.dig(unbound.port(), "nope.demo.test")));
  }

  @Test
  void delegationToTheSampleDnsPairIsFollowed() {
    // demo.test delegates corp.demo.test to dns-1/dns-2 (127.0.0.41/.42) on the pair's port;
    // Unbound would ask them on port 53, so it is pointed at the pair's port by a stub of its own
    // only in production-like setups. Here the referral itself is checked at the agent.
    String referral = DigRunner.dig(demo.options().dnsPort(), "+norec", "www.corp.demo.test", "A");
    assertEquals("NOERROR", DigRunner.status(referral), referral);
    assertTrue(!DigRunner.flags(referral).contains("aa"), "a referral is not authoritative");
    assertTrue(referral.contains("ns1.corp.demo.test"), referral);
    assertTrue(referral.contains("127.0.0.41"), "glue: " + referral);
  }
}
