package io.quorate.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorate.testsupport.LabProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The compose lab's server configs pass their own servers' checkers (the Debian versions the lab
 * image installs): BIND's named.conf with its zone, Knot's config, the nginx member's server block.
 */
class LabServerConfigsTest {
  static final Path LAB = DeployFiles.DOCKER.resolve("lab");
  static final Duration LIMIT = Duration.ofSeconds(30);

  @Test
  void bindConfigAndZoneLoad(@TempDir Path root) throws Exception {
    // the container's paths under a chroot (-t), so the config is checked exactly as written
    Path etc = Files.createDirectories(root.resolve("etc/bind/lab"));
    Path lib = Files.createDirectories(root.resolve("var/lib/bind"));
    Files.createDirectories(root.resolve("var/cache/bind"));
    Files.copy(LAB.resolve("bind/named.conf"), etc.resolve("named.conf"));
    Files.copy(LAB.resolve("bind/keys.conf"), etc.resolve("keys.conf"));
    Files.copy(LAB.resolve("bind/example.test.zone"), lib.resolve("example.test.zone"));
    LabProcess.Exec r =
        LabProcess.exec(
            List.of("named-checkconf", "-z", "-t", root.toString(), "/etc/bind/lab/named.conf"),
            LIMIT);
    assertEquals(0, r.exitCode(), r.output());
    assertTrue(r.output().contains("zone example.test/IN: loaded serial 1"), r.output());
  }

  @Test
  void knotConfigIsValid() {
    LabProcess.Exec r =
        LabProcess.exec(
            List.of("knotc", "-c", LAB.resolve("knot/knot.conf").toString(), "conf-check"), LIMIT);
    assertEquals(0, r.exitCode(), r.output());
    assertTrue(r.output().contains("Configuration is valid"), r.output());
    assertTrue(!r.output().contains("error"), r.output());
  }

  @Test
  void nginxMemberConfigIsValid(@TempDir Path dir) throws Exception {
    // the member's server block inside a minimal main config with paths in the temp dir
    String d = dir.toAbsolutePath().toString();
    StringBuilder conf =
        new StringBuilder("pid " + d + "/nginx.pid;\nerror_log " + d + "/error.log;\n");
    conf.append("events {}\nhttp {\n");
    for (String t : List.of("client_body", "proxy", "fastcgi", "uwsgi", "scgi")) {
      conf.append("  ")
          .append(t)
          .append("_temp_path ")
          .append(d)
          .append('/')
          .append(t)
          .append(";\n");
    }
    conf.append("  include ")
        .append(LAB.resolve("web/default.conf").toAbsolutePath())
        .append(";\n}\n");
    Path main = Files.writeString(dir.resolve("nginx.conf"), conf);
    LabProcess.Exec r =
        LabProcess.exec(
            List.of("nginx", "-t", "-p", d, "-c", main.toString(), "-e", d + "/error.log"), LIMIT);
    assertEquals(0, r.exitCode(), r.output());
    assertTrue(r.output().contains("test is successful"), r.output());
  }
}
