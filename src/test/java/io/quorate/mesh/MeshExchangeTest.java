package io.quorate.mesh;

import static io.quorate.mesh.MeshNode.await;
import static io.quorate.mesh.MeshNode.eventually;
import static io.quorate.mesh.MeshNode.holds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorate.quorum.Status;
import io.quorate.quorum.Vote;
import io.quorate.testsupport.Ports;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Three agents, each with its own Vert.x instance and HTTP server on a free loopback port,
 * exchanging signed votes end to end. Waits are bounded polls on a Vert.x timer; no sleeps.
 */
class MeshExchangeTest {
  static final Duration LIMIT = Duration.ofSeconds(10);
  static final String EU = "eu-west";
  static final String US = "us-east";
  static final String AP = "ap-southeast";

  final Vertx watcher = Vertx.vertx();
  final List<MeshNode> nodes = new ArrayList<>();
  MeshNode.Topology topo;

  @BeforeEach
  void topology() {
    topo = MeshNode.Topology.of(new int[] {Ports.free(), Ports.free(), Ports.free()}, EU, US, AP);
  }

  @AfterEach
  void close() throws Exception {
    for (MeshNode n : nodes) {
      await(n.close());
    }
    await(watcher.close());
  }

  MeshNode start(String region, Clock clock) throws Exception {
    MeshNode n = new MeshNode(topo, region, clock);
    nodes.add(n);
    return await(n.start());
  }

  List<MeshNode> startAll() throws Exception {
    return List.of(
        start(EU, Clock.systemUTC()), start(US, Clock.systemUTC()), start(AP, Clock.systemUTC()));
  }

  void allLive(List<MeshNode> ns) throws Exception {
    eventually(
        watcher,
        "every peer live everywhere",
        LIMIT,
        () -> ns.stream().allMatch(n -> n.mesh.peers().stream().allMatch(PeerStatus::live)));
  }

  @Test
  void votesReachEveryPeerAttributedAndStampedWithTheReceiversClock() throws Exception {
    List<MeshNode> ns = startAll();
    MeshNode eu = ns.get(0);
    eu.mesh.publish(eu.vote("web-1", 11, Status.DOWN));
    eu.mesh.publish(eu.vote("web-2", 12, Status.UP));
    ns.get(1).mesh.publish(ns.get(1).vote("web-1", 21, Status.UP));
    for (MeshNode n : ns.subList(1, 3)) {
      eventually(
          watcher,
          n.region + " has eu-west's votes",
          LIMIT,
          () -> n.received.containsKey("eu-west/web-1") && n.received.containsKey("eu-west/web-2"));
      Vote v = n.received.get("eu-west/web-1");
      assertEquals(Status.DOWN, v.status());
      assertEquals(11, v.obsSeq());
      assertEquals("seen by eu-west", v.detail());
    }
    eventually(
        watcher,
        "eu-west and ap-southeast have us-east's vote",
        LIMIT,
        () ->
            eu.received.containsKey("us-east/web-1")
                && ns.get(2).received.containsKey("us-east/web-1"));
    assertTrue(
        eu.received.keySet().stream().noneMatch(k -> k.startsWith("eu-west/")),
        "an agent never receives its own votes");
  }

  @Test
  void manyVotesGoOutInBatchesOfBatchMax() throws Exception {
    List<MeshNode> ns = startAll();
    MeshNode eu = ns.get(0);
    MeshNode us = ns.get(1);
    allLive(ns);
    List<Vote> ten = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      ten.add(eu.vote("t-" + i, 100 + i, Status.UP));
    }
    eu.mesh.publish(ten);
    eventually(
        watcher,
        "us-east has all ten votes",
        LIMIT,
        () -> us.received.keySet().stream().filter(k -> k.startsWith("eu-west/")).count() == 10);
    assertEquals(10.0, us.counter("quorate.mesh.votes.received", EU));
    assertEquals(
        MeshNode.TUNING.batchMax(),
        us.maxBatch(EU),
        0.0,
        "the largest push carried exactly batchMax votes");
    eventually(watcher, "nothing pending", LIMIT, () -> eu.peer(US).pendingVotes() == 0);
  }

  @Test
  void alertReceiptsReachEveryPeer() throws Exception {
    List<MeshNode> ns = startAll();
    allLive(ns);
    java.util.Map<String, List<String>> got = new java.util.concurrent.ConcurrentHashMap<>();
    for (MeshNode n : ns) {
      n.mesh.onReceipts(
          (peer, r) ->
              got.computeIfAbsent(n.region, k -> new java.util.concurrent.CopyOnWriteArrayList<>())
                  .add(peer + ":" + r.eventId() + "/" + r.channel()));
    }
    ns.get(0).mesh.publishReceipt(new MeshMessage.Receipt("evt_1", "hook"));
    eventually(
        watcher,
        "the receipt reaches us-east and ap-southeast",
        LIMIT,
        () -> got.containsKey(US) && got.containsKey(AP));
    assertEquals(List.of("eu-west:evt_1/hook"), got.get(US));
    assertEquals(List.of("eu-west:evt_1/hook"), got.get(AP));
    assertTrue(!got.containsKey(EU), "not echoed to the sender");
  }

  @Test
  void heartbeatsKeepPeersLiveWithoutVotesAndMeasureRttAndOffset() throws Exception {
    List<MeshNode> ns = startAll();
    allLive(ns);
    holds(
        watcher,
        "all peers stay live on heartbeats alone",
        Duration.ofMillis(1_500),
        () -> ns.stream().allMatch(n -> n.mesh.peers().stream().allMatch(PeerStatus::live)));
    for (MeshNode n : ns) {
      for (PeerStatus p : n.mesh.peers()) {
        assertNotNull(p.rttMs(), n.region + "->" + p.region());
        assertTrue(p.rttMs() >= 0 && p.rttMs() < 1_000, "rtt " + p.rttMs());
        assertTrue(Math.abs(p.clockOffsetMs()) < 500, "offset " + p.clockOffsetMs());
        assertTrue(p.lastSeenAgoMs() <= MeshNode.QUORUM.peerFreshnessMs());
        assertEquals(Boolean.TRUE, p.configMatch());
        assertEquals(0, p.sendFailures());
        assertTrue(
            n.counter("quorate.mesh.messages.received", p.region()) >= 10,
            "heartbeats from " + p.region());
        assertEquals(0.0, n.counter("quorate.mesh.votes.received", p.region()));
        assertTrue(p.rejected().values().stream().allMatch(c -> c == 0), p.rejected().toString());
      }
    }
  }

  @Test
  void aPeerThatWasDownGetsItsPendingVotesOnReconnect() throws Exception {
    List<MeshNode> ns = startAll();
    MeshNode eu = ns.get(0);
    MeshNode ap = ns.get(2);
    allLive(ns);
    await(ap.stopServer());
    List<Vote> five = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      five.add(eu.vote("t-" + i, 200 + i, Status.DOWN));
    }
    eu.mesh.publish(five);
    eventually(
        watcher,
        "eu-west holds 5 votes for ap-southeast after failures",
        LIMIT,
        () -> eu.peer(AP).sendFailures() >= 2 && eu.peer(AP).pendingVotes() == 5);
    // A newer vote for one target replaces the pending one (bounded memory).
    eu.mesh.publish(eu.vote("t-0", 300, Status.UP));
    assertNotNull(eu.peer(AP).lastSendError());
    await(ap.listen());
    eventually(
        watcher,
        "ap-southeast got the pending votes",
        LIMIT,
        () ->
            ap.received.keySet().stream().filter(k -> k.startsWith("eu-west/")).count() == 5
                && ap.received.get("eu-west/t-0").obsSeq() == 300);
    eventually(
        watcher,
        "link healthy again",
        LIMIT,
        () -> eu.peer(AP).sendFailures() == 0 && eu.peer(AP).pendingVotes() == 0);
    assertEquals(
        5.0,
        ap.counter("quorate.mesh.votes.received", EU),
        "delivered by push from pending: the superseded t-0 vote was never sent");
  }

  @Test
  void aRestartedPeerCatchesUpByPull() throws Exception {
    List<MeshNode> ns = startAll();
    MeshNode eu = ns.get(0);
    MeshNode ap = ns.get(2);
    List<Vote> four = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      four.add(eu.vote("t-" + i, 400 + i, Status.UP));
    }
    eu.mesh.publish(four);
    eventually(
        watcher,
        "first ap-southeast has the votes and eu-west has their ack",
        LIMIT,
        () -> ap.received.size() >= 4 && eu.counter("quorate.mesh.votes.sent", AP) == 4);
    await(ap.close());
    nodes.remove(ap);
    MeshNode fresh = start(AP, Clock.systemUTC());
    eventually(
        watcher,
        "restarted ap-southeast has eu-west's votes again",
        LIMIT,
        () -> fresh.received.keySet().stream().filter(k -> k.startsWith("eu-west/")).count() == 4);
    assertEquals(
        0.0,
        fresh.counter("quorate.mesh.votes.received", EU),
        "nothing was pending at eu-west: the votes came by pull");
    eventually(
        watcher,
        "eu-west accepts the restarted sender's higher seqs",
        LIMIT,
        () -> eu.peer(AP).live() && eu.peer(AP).rejected().get("replay") == 0);
  }

  @Test
  void pullReturnsOnlyNewerVotesPageByPage() throws Exception {
    List<MeshNode> ns = startAll();
    MeshNode eu = ns.get(0);
    MeshNode us = ns.get(1);
    List<Vote> five = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      five.add(eu.vote("t-" + i, i, Status.UP));
    }
    eu.mesh.publish(five);
    assertEquals(3, await(us.mesh.pull(EU, 2)), "obsSeq 3, 4, 5 in pages of 2");
    assertEquals(0, await(us.mesh.pull(EU, 5)));
    assertEquals(5, await(us.mesh.pull(EU, 0)));
  }

  @Test
  void clockOffsetBeyondMaxSkewIsRefusedAndReportedWithinSkewWorks() throws Exception {
    MeshNode eu = start(EU, Clock.systemUTC());
    MeshNode us = start(US, MeshNode.offset(60_000));
    MeshNode ap = start(AP, MeshNode.offset(1_500));
    us.mesh.publish(us.vote("web-1", 1, Status.DOWN));
    eventually(
        watcher,
        "eu-west refuses us-east as skew and reports its offset",
        LIMIT,
        () -> eu.peer(US).rejected().get("skew") >= 2 && eu.peer(US).clockOffsetMs() != null);
    assertEquals(60_000, eu.peer(US).clockOffsetMs(), 2_000);
    assertTrue(!eu.peer(US).live() && eu.peer(US).lastSeen() == null);
    eventually(
        watcher,
        "us-east sees its pushes refused for skew",
        LIMIT,
        () ->
            "refused: skew".equals(us.peer(EU).lastSendError())
                && us.peer(EU).clockOffsetMs() != null);
    assertEquals(-60_000, us.peer(EU).clockOffsetMs(), 2_000);
    assertTrue(
        us.registry.find("quorate.mesh.rejected").tag("reason", "skew").counter().count() >= 1,
        "us-east refuses eu-west's messages too");
    eventually(
        watcher,
        "eu-west and ap-southeast (1.5 s apart) work",
        LIMIT,
        () ->
            eu.peer(AP).live()
                && ap.peer(EU).live()
                && eu.peer(AP).rttMs() != null
                && ap.peer(EU).rttMs() != null);
    assertEquals(1_500, eu.peer(AP).clockOffsetMs(), 500);
    assertEquals(-1_500, ap.peer(EU).clockOffsetMs(), 500);
    assertTrue(
        eu.received.keySet().stream().noneMatch(k -> k.startsWith("us-east/")),
        "no vote from the skewed region was accepted");
    assertTrue(ap.received.containsKey("us-east/web-1") == false);
  }

  @Test
  void anInjectedSendDelayShowsInRttAndTheLinkStaysLive() throws Exception {
    MeshTuning slow = MeshNode.TUNING.withSendDelay(150, 50);
    List<MeshNode> ns = new ArrayList<>();
    for (String r : List.of(EU, US, AP)) {
      MeshNode n = new MeshNode(topo, r, Clock.systemUTC(), slow);
      nodes.add(n);
      ns.add(await(n.start()));
    }
    ns.get(0).mesh.publish(ns.get(0).vote("web-1", 7, Status.DOWN));
    allLive(ns);
    eventually(
        watcher, "votes still flow", LIMIT, () -> ns.get(1).received.containsKey("eu-west/web-1"));
    eventually(
        watcher,
        "every push link measured",
        LIMIT,
        () -> ns.stream().allMatch(n -> n.mesh.peers().stream().allMatch(p -> p.rttMs() != null)));
    for (MeshNode n : ns) {
      for (PeerStatus p : n.mesh.peers()) {
        assertTrue(p.rttMs() != null && p.rttMs() >= 99, n.region + " rtt " + p.rttMs());
      }
    }
  }
}
