package io.quorate.faults;

import static io.quorate.faults.FailoverLab.DNS;
import static io.quorate.faults.FailoverLab.EU;
import static io.quorate.faults.FailoverLab.MEMBERS;
import static io.quorate.faults.FailoverLab.NAME;
import static io.quorate.faults.FailoverLab.REGIONS;
import static io.quorate.faults.FailoverLab.US;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.quorate.testsupport.Bind9Lab;
import io.quorate.testsupport.LabProcess;
import io.quorate.testsupport.NetnsFaults.UpdateHalf;
import io.quorate.testsupport.NetnsZoneWatcher;
import io.quorate.testsupport.Poll;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The failover lab without agents (root required, as in CI): BIND in its own namespace serves the
 * pool's name with every member to a region namespace, takes TSIG-signed UPDATEs only for the
 * managed names, each member's nginx answers on its own address and stops alone, the watcher sees
 * every change (and keeps seeing the zone while the DNS namespace is cut off), and the config
 * writer emits the issue 4 {@code zones:}/{@code pools:} shape.
 */
@Timeout(120)
class FailoverLabSmokeTest {
  private static final Logger LOG = LoggerFactory.getLogger(FailoverLabSmokeTest.class);
  private static final Duration SEEN = Duration.ofSeconds(5);

  @TempDir Path dir;

  @Test
  void bindMembersAndWatcherWorkAcrossTheBridge() throws Exception {
    long t0 = System.nanoTime();
    try (FailoverLab f = FailoverLab.create(dir)) {
      LOG.info("failover-lab setupMs={}", (System.nanoTime() - t0) / 1_000_000);
      String dnsIp = f.dnsIp();
      for (String r : REGIONS) {
        assertEquals(FailoverLab.fullSet(), dig(f, r, dnsIp), r + " sees every member");
      }
      membersAnswerAndStopAlone(f);
      try (NetnsZoneWatcher w = f.watch()) {
        assertEquals(FailoverLab.fullSet(), w.current().values());
        assertEquals(0, w.current().epoch(), "no epoch record yet");
        // a region namespace updates the pool's name over the bridge, signed
        String drop = "update delete " + NAME + " A " + MEMBERS.get("web-2") + "\n";
        assertEquals(0, f.nsupdate(EU, dnsIp, Bind9Lab.TSIG_SECRET, drop).exitCode());
        Poll.until(SEEN, "watcher sees web-2 gone", w::changes, c -> c.size() == 1);
        assertEquals(FailoverLab.without("web-2"), w.changes().get(0).after().values());
        assertEquals(FailoverLab.without("web-2"), dig(f, US, dnsIp));
        policyAndKeyAreEnforced(f, dnsIp, w);
        // the watcher reads over the DNS namespace's loopback: a cut does not blind it
        f.lab.faults().cut(DNS, REGIONS);
        assertTrue(digExec(f, EU, dnsIp).exitCode() != 0, "cut: a region gets no answer");
        f.resetZone();
        Poll.until(SEEN, "watcher sees the reset while cut", w::changes, c -> c.size() == 2);
        assertEquals(FailoverLab.fullSet(), w.current().values());
        f.lab.faults().healAll();
        updateDropsOverTcp(f, dnsIp, w);
        assertEquals(List.of(), w.empties(), "never empty");
        assertEquals(List.of(), w.errors());
        LOG.info("failover-lab watcher reads={} changes={}", w.reads(), w.changes());
      }
      assertPoolsYaml(f);
    }
  }

  /** Each nginx answers on its own address; stopping one refuses connections there only. */
  private static void membersAnswerAndStopAlone(FailoverLab f) {
    MEMBERS.values().forEach(ip -> assertEquals(0, curl(f, ip), ip + " answers"));
    f.stopMember("web-2");
    assertEquals(7, curl(f, MEMBERS.get("web-2")), "stopped member refuses connections");
    assertEquals(0, curl(f, MEMBERS.get("web-1")));
    assertEquals(0, curl(f, MEMBERS.get("web-3")));
    f.startMember("web-2");
    assertEquals(0, curl(f, MEMBERS.get("web-2")), "started again");
  }

  /** A wrong key is refused (zone unchanged); the key may not touch names outside the policy. */
  private static void policyAndKeyAreEnforced(FailoverLab f, String dnsIp, NetnsZoneWatcher w) {
    String add = "update add " + NAME + " 60 A 198.18.0.99\n";
    LabProcess.Exec wrong = f.nsupdate(EU, dnsIp, FailoverLab.WRONG_SECRET, add);
    assertTrue(wrong.exitCode() != 0, wrong.output());
    assertTrue(
        wrong.output().contains("NOTAUTH") || wrong.output().contains("BADSIG"), wrong.output());
    String other = "update add www." + FailoverLab.ZONE + " 60 A 198.18.0.99\n";
    LabProcess.Exec refused = f.nsupdate(EU, dnsIp, Bind9Lab.TSIG_SECRET, other);
    assertTrue(refused.output().contains("REFUSED"), refused.output());
    assertEquals(FailoverLab.without("web-2"), dig(f, US, dnsIp), "zone unchanged");
    assertEquals(1, w.changes().size());
  }

  /**
   * The fault behind "crash during a DNS write": dropping a client's UPDATEs (never applied) or
   * BIND's answers to them (applied, unanswered), while TCP reads still pass.
   */
  private static void updateDropsOverTcp(FailoverLab f, String dnsIp, NetnsZoneWatcher w) {
    String drop = "update delete " + NAME + " A " + MEMBERS.get("web-3") + "\n";
    f.lab.faults().dropDnsUpdates(DNS, EU, UpdateHalf.REQUESTS);
    LabProcess.Exec lost = f.nsupdate(EU, dnsIp, Bind9Lab.TSIG_SECRET, drop, true);
    assertTrue(lost.exitCode() != 0, "request dropped: " + lost.output());
    assertTrue(f.lab.faults().dropped(DNS) > 0);
    assertEquals(FailoverLab.fullSet(), digTcp(f, EU, dnsIp), "never applied; TCP reads pass");
    f.lab.faults().heal(DNS).dropDnsUpdates(DNS, EU, UpdateHalf.ANSWERS);
    LabProcess.Exec unanswered = f.nsupdate(EU, dnsIp, Bind9Lab.TSIG_SECRET, drop, true);
    assertTrue(unanswered.exitCode() != 0, "answer dropped: " + unanswered.output());
    assertTrue(f.lab.faults().dropped(DNS) > 0);
    Poll.until(SEEN, "watcher sees the unanswered update", w::changes, c -> c.size() == 3);
    assertEquals(FailoverLab.without("web-3"), digTcp(f, US, dnsIp), "applied");
    f.lab.faults().heal(DNS);
    f.resetZone();
    Poll.until(SEEN, "watcher sees the reset", w::changes, c -> c.size() == 4);
  }

  private static Set<String> digTcp(FailoverLab f, String host, String server) {
    LabProcess.Exec r =
        f.lab.exec(
            host,
            List.of("dig", "+tcp", "+short", "+time=1", "+tries=1", "@" + server, NAME, "A"),
            Duration.ofSeconds(5));
    assertEquals(0, r.exitCode(), r.output());
    return new TreeSet<>(r.output().lines().map(String::strip).filter(l -> !l.isEmpty()).toList());
  }

  private static void assertPoolsYaml(FailoverLab f) throws Exception {
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    JsonNode root = yaml.readTree(dir(f).resolve("quorate.yaml").toFile());
    JsonNode zone = root.get("zones").get(0);
    assertEquals(f.dnsIp() + ":53", zone.get("primary").asText());
    assertEquals("${env:QUORATE_TSIG_SECRET}", zone.get("tsig").get("secret").asText());
    JsonNode pool = root.get("pools").get(0);
    assertEquals(NAME, pool.get("name").asText());
    assertEquals(3, pool.get("members").size());
    assertEquals(3, root.get("targets").size());
    assertEquals("198.18.0.21", pool.get("members").get(1).get("value").asText());
  }

  private static Path dir(FailoverLab f) {
    return f.cluster.configFile().getParent();
  }

  private static Set<String> dig(FailoverLab f, String host, String server) {
    LabProcess.Exec r = digExec(f, host, server);
    assertEquals(0, r.exitCode(), r.output());
    return new TreeSet<>(r.output().lines().map(String::strip).filter(l -> !l.isEmpty()).toList());
  }

  private static LabProcess.Exec digExec(FailoverLab f, String host, String server) {
    return f.lab.exec(
        host,
        List.of("dig", "+short", "+norec", "+time=1", "+tries=1", "@" + server, NAME, "A"),
        Duration.ofSeconds(5));
  }

  /** curl's exit code for a member's /health from a region (0 ok, 7 refused). */
  private static int curl(FailoverLab f, String ip) {
    return f.lab
        .exec(
            EU,
            List.of("curl", "-sf", "-o", "/dev/null", "-m", "2", "http://" + ip + "/health"),
            Duration.ofSeconds(5))
        .exitCode();
  }
}
