package io.quorate;

import static io.quorate.testsupport.ApiPoll.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.quorate.cli.RunCommand;
import io.quorate.config.ConfigLoader;
import io.quorate.config.LoadedConfig;
import io.quorate.metrics.Registries;
import io.quorate.quorum.Observation;
import io.quorate.store.Database;
import io.quorate.store.Rollups;
import io.quorate.store.StoreException;
import io.quorate.testsupport.NginxMember;
import io.quorate.testsupport.Poll;
import io.quorate.testsupport.SoloAgentFiles;
import io.quorate.testsupport.TimerLedger;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Agent#stop} on a whole agent probing a real nginx (ADR 0016): every periodic timer the
 * agent and its services set through Vert.x is cancelled, every verticle is undeployed, the open
 * rollup minute is in the store, and the store is closed.
 */
class AgentStopTest {
  @TempDir static Path dir;
  static NginxMember web;

  @BeforeAll
  static void startNginx() {
    web = NginxMember.start(dir.resolve("nginx"));
  }

  @AfterAll
  static void stopNginx() {
    web.close();
  }

  static LoadedConfig config(Path dir, int webPort) throws Exception {
    SoloAgentFiles f = SoloAgentFiles.write(dir, webPort);
    return new ConfigLoader(f.env()::get).load(f.shared(), f.region());
  }

  @Test
  void stopCancelsEveryTimerFlushesTheOpenMinuteAndClosesTheStore() throws Exception {
    LoadedConfig cfg = config(dir, web.port());
    PrometheusMeterRegistry registry = Registries.prometheus();
    Vertx real = RunCommand.newVertx(registry);
    try {
      TimerLedger.Recording rec = TimerLedger.wrap(real);
      Agent agent = await(Agent.standard(rec.vertx(), cfg, registry).start());
      Poll.until(
          Duration.ofSeconds(20),
          "three observations of web-1",
          () -> agent.recent().recent("web-1", 100).size(),
          n -> n >= 3);

      long t0 = System.nanoTime();
      Future<Void> stopped = agent.stop(Duration.ofSeconds(10));
      await(stopped);
      long ms = (System.nanoTime() - t0) / 1_000_000;
      assertTrue(ms < 10_000, "stopped within the limit: " + ms + " ms");
      assertSame(stopped, agent.stop(Duration.ofSeconds(10)), "idempotent");
      ExecutionException reload =
          org.junit.jupiter.api.Assertions.assertThrows(
              ExecutionException.class,
              () -> agent.reload(cfg).toCompletionStage().toCompletableFuture().get());
      assertTrue(
          reload.getCause() instanceof io.quorate.agent.ConfigReloads.Stopping,
          "no reload once stopping: " + reload.getCause());

      assertTrue(
          rec.ledger().periodicSet() >= 7,
          "the services' periodic timers were seen: " + rec.ledger().periodicSet());
      assertEquals(Map.of(), rec.ledger().outstanding(), "every timer cancelled or done");
      assertEquals(0, real.deploymentIDs().size(), "every verticle undeployed");
      ExecutionException closed =
          org.junit.jupiter.api.Assertions.assertThrows(
              ExecutionException.class,
              () -> agent.outbox().recent(1).toCompletionStage().toCompletableFuture().get());
      assertEquals(
          StoreException.Kind.CLOSED, ((StoreException) closed.getCause()).kind(), "store closed");

      // every observation made is in the rollups, the open minute included
      List<Observation> made = agent.recent().recent("web-1", 1000);
      Database db = await(Database.open(real, cfg.region().dataDir()));
      Instant now = Instant.now();
      List<Rollups.Row> rows =
          await(
              new Rollups(db)
                  .rows(
                      Rollups.Step.MINUTE,
                      "web-1",
                      now.minus(Duration.ofMinutes(5)),
                      now.plus(Duration.ofMinutes(1)),
                      100));
      await(db.close());
      int counted = rows.stream().mapToInt(r -> r.up() + r.down() + r.degraded()).sum();
      assertEquals(made.size(), counted, "rollup rows " + rows);
    } finally {
      await(real.close());
    }
  }
}
