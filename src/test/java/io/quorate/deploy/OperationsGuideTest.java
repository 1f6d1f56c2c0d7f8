package io.quorate.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorate.config.ConfigException;
import io.quorate.config.ConfigLoader;
import io.quorate.config.LoadedConfig;
import io.quorate.testsupport.ExampleEnv;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/operations.md, section 1, can be followed as written: its region file, with the credential
 * files it tells the operator to create, passes the real validation next to the repository's shared
 * file, for each of the three regions (peers named as the guide says), and the three agree on one
 * shared-config hash.
 */
class OperationsGuideTest {
  static final Path GUIDE = Path.of("docs/operations.md");
  static final String CREDENTIALS = "/run/credentials/quorate.service/";
  static final List<String> REGIONS = List.of("eu-west", "us-east", "ap-southeast");

  @TempDir Path dir;

  /** The first {@code yaml} block of the guide that is a region file. */
  static String regionBlock() throws Exception {
    Matcher m =
        Pattern.compile("```yaml\n(.*?)```", Pattern.DOTALL).matcher(Files.readString(GUIDE));
    while (m.find()) {
      if (m.group(1).startsWith("region: ")) {
        return m.group(1);
      }
    }
    throw new AssertionError("no region file in " + GUIDE);
  }

  /** The guide's block for {@code region}: its name and its two peers swapped in. */
  static String regionFile(String block, String region, Path creds, Path data) {
    List<String> peers = new ArrayList<>(REGIONS);
    peers.remove(region);
    String y =
        block
            .replace("region: eu-west", "region: " + region)
            .replace("region: us-east,", "region: " + peers.get(0) + ",")
            .replace("peer-us-east-key", "peer-" + peers.get(0) + "-key")
            .replace("region: ap-southeast,", "region: " + peers.get(1) + ",")
            .replace("peer-ap-southeast-key", "peer-" + peers.get(1) + "-key")
            .replace("/var/lib/quorate", data.toString());
    return y.replace(CREDENTIALS, creds + "/");
  }

  @Test
  void theGuidesRegionFileValidatesForEveryRegion() throws Exception {
    String block = regionBlock();
    assertTrue(block.contains(CREDENTIALS), "the guide's secrets come from systemd credentials");
    Path creds = Files.createDirectories(dir.resolve("credentials"));
    for (String name :
        List.of(
            "mesh-key",
            "read-token",
            "operate-token",
            "peer-eu-west-key",
            "peer-us-east-key",
            "peer-ap-southeast-key")) {
      Path f = creds.resolve(name);
      Files.writeString(f, "k-" + name + "-0123456789abcdefghijklmnopqrstuv\n");
      Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
    }
    List<String> hashes = new ArrayList<>();
    for (String region : REGIONS) {
      Path file = dir.resolve(region + ".yaml");
      Files.writeString(file, regionFile(block, region, creds, dir.resolve("data-" + region)));
      LoadedConfig cfg;
      try {
        cfg =
            new ConfigLoader(ExampleEnv.with(Map.of())::get)
                .load(Path.of("conf/quorate.yaml"), file);
      } catch (ConfigException e) {
        throw new AssertionError(region + ": " + e.errors(), e);
      }
      assertEquals(region, cfg.region().region());
      assertEquals(2, cfg.region().mesh().peers().size(), region);
      hashes.add(cfg.sharedHash());
    }
    assertEquals(1, hashes.stream().distinct().count(), "one shared config, one hash");
  }
}
