package io.quorate;

import static io.quorate.testsupport.ApiPoll.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.quorate.cli.RunCommand;
import io.quorate.config.ConfigLoader;
import io.quorate.config.LoadedConfig;
import io.quorate.metrics.Registries;
import io.quorate.store.DataDirLockedException;
import io.quorate.testsupport.HttpStatus;
import io.quorate.testsupport.NginxMember;
import io.quorate.testsupport.Ports;
import io.quorate.testsupport.SoloAgentFiles;
import io.vertx.core.Vertx;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two agents in one JVM configured with the same data directory (ADR 0020): the second fails at
 * start-up before it opens the store or binds its API port; the lock is free again after the
 * first's graceful stop and after its Vert.x instance closes (an in-process crash).
 */
@Timeout(120)
class AgentDataDirLockTest {
  @TempDir Path dir;

  @Test
  void aSecondAgentOnTheSameDataDirFailsBeforeOpeningTheStoreOrBinding() throws Exception {
    try (NginxMember web = NginxMember.start(dir.resolve("nginx"))) {
      SoloAgentFiles files = SoloAgentFiles.write(dir, web.port());
      LoadedConfig first = new ConfigLoader(files.env()::get).load(files.shared(), files.region());
      LoadedConfig second = otherPort(files);
      assertEquals(first.region().dataDir(), second.region().dataDir());
      int secondPort = second.region().listen().port();

      Vertx v1 = RunCommand.newVertx(Registries.prometheus());
      Vertx v2 = RunCommand.newVertx(Registries.prometheus());
      try {
        Agent a = await(Agent.standard(v1, first, Registries.prometheus()).start());
        Agent b = Agent.standard(v2, second, Registries.prometheus());
        ExecutionException e = assertThrows(ExecutionException.class, () -> await(b.start()));
        DataDirLockedException locked =
            assertInstanceOf(DataDirLockedException.class, e.getCause());
        assertEquals(ProcessHandle.current().pid(), locked.holderPid());
        assertEquals(first.region().dataDir(), locked.dataDir());
        assertEquals(-1, status(secondPort), "the second agent's API port stays closed");
        assertNull(b.outbox(), "the second agent never opened the store");
        assertNull(b.history(), "the second agent never opened the store");
        assertEquals(200, status(files.apiPort()), "the first agent is unaffected");

        await(a.stop(Duration.ofSeconds(10)));
        Agent c = await(Agent.standard(v2, second, Registries.prometheus()).start());
        assertEquals(200, status(secondPort), "free again after the first agent's stop");
        // an agent whose Vert.x instance closes without a stop (a crash in process) frees it too
        await(v2.close());
        Agent d = await(Agent.standard(v1, first, Registries.prometheus()).start());
        await(d.stop(Duration.ofSeconds(10)));
        assertEquals(-1, status(c.apiPort()));
      } finally {
        await(v1.close());
        await(v2.close());
      }
    }
  }

  private static int status(int port) throws InterruptedException {
    return HttpStatus.of(URI.create("http://127.0.0.1:" + port + "/healthz"));
  }

  /** The same files with another API port in a second region file next to the first. */
  private static LoadedConfig otherPort(SoloAgentFiles files) throws Exception {
    Path other = files.region().resolveSibling("solo-again.yaml");
    Files.writeString(
        other,
        Files.readString(files.region())
            .replace("port: " + files.apiPort(), "port: " + Ports.free()));
    return new ConfigLoader(files.env()::get).load(files.shared(), other);
  }
}
