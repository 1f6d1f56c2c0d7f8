package io.quorate.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quorate.agent.QuorumService;
import io.quorate.config.Alerts;
import io.quorate.config.ConfigLoader;
import io.quorate.config.QuorateConfig;
import io.quorate.mesh.PeerStatus;
import io.quorate.testsupport.ApiPoll;
import io.quorate.testsupport.Poll;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Region alerts from the peer views the alert service samples every {@link AlertService#TICK_MS}: a
 * graceful leave (ADR 0016) and the return after it are not news, even when the leave is first seen
 * by this agent's very first tick (a region restarted just before); a peer that goes silent without
 * leaving, and comes back, is. Real timers; each step waits for the next tick.
 */
class AlertServicePeersTest {
  final Vertx vertx = Vertx.vertx();
  final List<String> raised = new CopyOnWriteArrayList<>();
  final AtomicInteger ticks = new AtomicInteger();
  final AtomicReference<List<PeerStatus>> peers = new AtomicReference<>(List.of());
  AlertService service;

  @AfterEach
  void close() throws Exception {
    if (service != null) {
      ApiPoll.await(service.stop());
    }
    ApiPoll.await(vertx.close());
  }

  private void start() throws Exception {
    QuorateConfig cfg =
        new ConfigLoader(name -> null)
            .parseShared(
                "regions: [eu-west, us-east, ap-southeast]\ntargets:\n"
                    + "  - {id: web-1, type: tcp, address: 127.0.0.1, port: 9}\n",
                "q.yaml");
    AlertRouter router =
        new AlertRouter(
            Alerts.NONE,
            (event, channels) -> {
              raised.add(event.kind() + " " + event.subject());
              return Future.succeededFuture(true);
            },
            Clock.systemUTC(),
            "eu-west");
    service =
        new AlertService(
            vertx,
            cfg,
            "eu-west",
            Clock.systemUTC(),
            router,
            () -> new QuorumService.GateStatus(true, true, 0, List.of("eu-west", "ap-southeast")),
            () -> {
              List<PeerStatus> view = peers.get(); // taken before the count: a set after it
              ticks.incrementAndGet(); // is seen by the next tick only
              return view;
            });
    service.start();
  }

  private void nextTick() {
    int seen = ticks.get();
    Poll.until(Duration.ofSeconds(10), "the next tick", ticks::get, n -> n > seen);
  }

  private static PeerStatus usEast(boolean live, Instant leftAt) {
    return new PeerStatus(
        "us-east", live, Instant.now(), 0L, 1L, 0L, true, Map.of(), 0, 0, null, leftAt);
  }

  @Test
  void aLeaveSeenByTheFirstTickKeepsTheReturnQuiet() throws Exception {
    peers.set(List.of(usEast(false, Instant.now())));
    start();
    nextTick();
    peers.set(List.of(usEast(true, null)));
    nextTick();
    nextTick();
    assertEquals(List.of(), raised);
  }

  @Test
  void aLeaveAndReturnBetweenQuorateTicksRaiseNothing() throws Exception {
    peers.set(List.of(usEast(true, null)));
    start();
    nextTick();
    peers.set(List.of(usEast(false, Instant.now())));
    nextTick();
    peers.set(List.of(usEast(true, null)));
    nextTick();
    assertEquals(List.of(), raised);
  }

  @Test
  void aSilentPeerIsLostThenRegained() throws Exception {
    peers.set(List.of(usEast(true, null)));
    start();
    nextTick();
    peers.set(List.of(usEast(false, null)));
    nextTick();
    peers.set(List.of(usEast(true, null)));
    nextTick();
    assertEquals(List.of("region.lost us-east", "region.regained us-east"), raised);
  }

  private static PeerStatus usEastClashes(long clashes) {
    return new PeerStatus(
        "us-east",
        true,
        Instant.now(),
        0L,
        1L,
        0L,
        true,
        Map.of("replay", 0L, "identity-clash", clashes),
        0,
        0,
        null,
        null);
  }

  @Test
  void growingIdentityClashesRaiseOneAlertWhileTheyLast() throws Exception {
    peers.set(List.of(usEastClashes(4))); // clashes before this agent started: not news yet
    start();
    nextTick();
    peers.set(List.of(usEastClashes(9)));
    nextTick();
    peers.set(List.of(usEastClashes(15)));
    nextTick();
    nextTick();
    assertEquals(List.of("region.identity-clash us-east"), raised);
  }
}
