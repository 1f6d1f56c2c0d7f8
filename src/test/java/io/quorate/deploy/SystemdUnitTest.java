package io.quorate.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorate.testsupport.LabProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code docker/quorate.service}: the hardening, lifecycle and credential keys the operator's guide
 * relies on, and {@code systemd-analyze verify} (installed on the build machines: a missing tool
 * fails the test; unknown keys, which verify only warns about, fail it too).
 */
class SystemdUnitTest {
  static final Path UNIT = DeployFiles.DOCKER.resolve("quorate.service");

  static Map<String, List<String>> service() {
    return DeployFiles.unit(UNIT).get("Service");
  }

  static String one(String key) {
    List<String> v = service().get(key);
    assertTrue(v != null && v.size() == 1, key + " is set once: " + v);
    return v.get(0);
  }

  @Test
  void hardeningKeys() {
    String expected =
        "DynamicUser=yes StateDirectory=quorate WorkingDirectory=/var/lib/quorate"
            + " NoNewPrivileges=yes ProtectSystem=strict ProtectHome=yes PrivateTmp=yes"
            + " PrivateDevices=yes RestrictSUIDSGID=yes UMask=0077";
    for (String kv : expected.split(" ")) {
      String key = kv.substring(0, kv.indexOf('='));
      assertEquals(kv.substring(kv.indexOf('=') + 1), one(key), key);
    }
    assertTrue(!service().containsKey("MemoryDenyWriteExecute"), "the JIT needs W+X pages");
  }

  @Test
  void lifecycleKeys() {
    assertEquals("/bin/kill -HUP $MAINPID", one("ExecReload"));
    assertEquals("SIGTERM", one("KillSignal"));
    assertEquals("on-failure", one("Restart"));
    assertEquals("143", one("SuccessExitStatus"), "a SIGTERM before the agent has started");
    String exec = one("ExecStart");
    assertTrue(exec.startsWith("/usr/bin/java "), exec);
    String run = "-jar /opt/quorate/quorate.jar run ";
    assertTrue(exec.contains(run), exec);
    List<String> args = List.of(exec.substring(exec.indexOf(run) + run.length()).split(" "));
    assertEquals(
        List.of(
            "--config",
            "/etc/quorate/quorate.yaml",
            "--region",
            "/etc/quorate/region.yaml",
            "--stop-timeout",
            "20s"),
        args);
    for (String flag : DeployFiles.readmeJvmFlags()) {
      assertTrue(exec.contains(" " + flag + " "), "ExecStart lacks " + flag);
    }
    assertEquals(
        List.of("multi-user.target"), DeployFiles.unit(UNIT).get("Install").get("WantedBy"));
  }

  /** The graceful stop (ADR 0016) ends before systemd's SIGKILL: limit + overhead below it. */
  @Test
  void theGracefulStopFitsWithinTimeoutStopSec() {
    String exec = one("ExecStart");
    List<String> args = List.of(exec.substring(exec.indexOf(" run ") + 5).split(" "));
    Duration limit = DeployFiles.stopTimeout(args);
    Duration sigkill = DeployFiles.seconds(one("TimeoutStopSec"));
    assertEquals(Duration.ofSeconds(20), limit, "the agent's default, passed explicitly");
    assertTrue(
        limit.plus(DeployFiles.STOP_OVERHEAD).compareTo(sigkill) < 0,
        "--stop-timeout " + limit + " + " + DeployFiles.STOP_OVERHEAD + " < " + sigkill);
  }

  @Test
  void secretsArriveAsCredentials() {
    List<String> creds = service().get("LoadCredential");
    for (String name : List.of("mesh-key", "tsig-secret", "webhook-secret", "read-token")) {
      assertTrue(creds.contains(name + ":/etc/quorate/credentials/" + name), name + " in " + creds);
    }
  }

  @Test
  void systemdAnalyzeVerifyAcceptsTheUnit(@TempDir Path dir) throws Exception {
    String text = DeployFiles.read(UNIT);
    if (!Files.isExecutable(Path.of("/usr/bin/java"))) {
      // verify checks ExecStart's binary: point it at the JVM running this test
      text = text.replace("/usr/bin/java", ProcessHandle.current().info().command().orElseThrow());
    }
    Path unit = Files.writeString(dir.resolve("quorate.service"), text);
    LabProcess.Exec r =
        LabProcess.exec(
            List.of("systemd-analyze", "verify", unit.toString()), Duration.ofSeconds(60));
    assertEquals(0, r.exitCode(), r.output());
    assertTrue(!r.output().contains("quorate.service"), "warnings about the unit: " + r.output());
  }
}
