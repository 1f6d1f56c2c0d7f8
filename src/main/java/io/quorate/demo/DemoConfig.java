package io.quorate.demo;

import io.quorate.config.ConfigException;
import io.quorate.config.ConfigLoader;
import io.quorate.config.LoadedConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Writes the demo's configuration to a work directory — the shared file, one file per region, fresh
 * random secrets (mode 0600, referenced as {@code ${file:…}} like in production) — and loads it
 * with the ordinary {@link ConfigLoader}, so the demo runs exactly the code {@code quorate run}
 * does.
 */
public final class DemoConfig {
  /** The operate token of the demo's API (loopback only; printed in the tour). */
  public static final String OPERATE_TOKEN = "demo-operate-token-0001";

  /** The read token of the demo's API. */
  public static final String READ_TOKEN = "demo-read-token-0001";

  private final Path dir;
  private final DemoOptions options;
  private final String caFile;
  private final SecureRandom random = new SecureRandom();

  /**
   * @param dir an empty, private work directory
   * @param caFile the demo CA the mail probes verify against
   */
  public DemoConfig(Path dir, DemoOptions options, Path caFile) {
    this.dir = dir;
    this.options = options;
    this.caFile = caFile.toAbsolutePath().toString();
  }

  /**
   * Writes every file and loads one config per region.
   *
   * @param meshUrls for region i, the URL it uses to reach region j ({@code
   *     meshUrls.get(i).get(j)}; the demo routes mesh traffic through proxies it can cut)
   * @throws ConfigException if the generated config does not load (a bug: it is tested)
   */
  public List<LoadedConfig> write(List<List<String>> meshUrls) throws ConfigException {
    try {
      secret("read.token", READ_TOKEN);
      secret("operate.token", OPERATE_TOKEN);
      secret("demo-xfr.key", randomKey());
      for (String r : DemoOptions.REGIONS) {
        secret(r + ".mesh.key", randomKey());
      }
      Path shared = dir.resolve("quorate.yaml");
      Files.writeString(shared, fill(template("quorate.yaml"), maintenanceTimes(Instant.now())));
      List<LoadedConfig> out = new ArrayList<>();
      ConfigLoader loader = new ConfigLoader(System::getenv);
      for (int i = 0; i < DemoOptions.REGIONS.size(); i++) {
        String region = DemoOptions.REGIONS.get(i);
        Path file = dir.resolve(region + ".yaml");
        Files.createDirectories(dir.resolve(region));
        Map<String, String> vars =
            Map.of(
                "REGION", region,
                "API", String.valueOf(options.apiPort(i)),
                "DNS", String.valueOf(options.dnsPort(i)),
                "PEERS", peers(i, meshUrls.get(i)));
        Files.writeString(file, fill(template("region.yaml"), vars));
        out.add(loader.load(shared, file));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The announced demo window's times: tomorrow (UTC) 02:00 to 03:00 after {@code now}, so it is
   * listed under "Planned maintenance" (7 days ahead at most) and never active during a run.
   */
  static Map<String, String> maintenanceTimes(Instant now) {
    Instant start =
        now.truncatedTo(ChronoUnit.DAYS).plus(1, ChronoUnit.DAYS).plus(2, ChronoUnit.HOURS);
    return Map.of(
        "MAINT_START", start.toString(), "MAINT_END", start.plus(1, ChronoUnit.HOURS).toString());
  }

  /** The zone transfer key's secret (base64), for the tour's {@code dig axfr} line. */
  public String transferKey() {
    try {
      return Files.readString(dir.resolve("demo-xfr.key")).trim();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Path dir() {
    return dir;
  }

  private String peers(int self, List<String> urls) {
    StringBuilder b = new StringBuilder();
    for (int j = 0; j < DemoOptions.REGIONS.size(); j++) {
      if (j == self) {
        continue;
      }
      String peer = DemoOptions.REGIONS.get(j);
      b.append("    - {region: ")
          .append(peer)
          .append(", url: \"")
          .append(urls.get(j))
          .append("\", key: \"${file:")
          .append(dir.toAbsolutePath())
          .append('/')
          .append(peer)
          .append(".mesh.key}\"}\n");
    }
    return b.toString();
  }

  private String fill(String text, Map<String, String> vars) {
    String s = text;
    for (Map.Entry<String, String> v : vars.entrySet()) {
      s = s.replace("@" + v.getKey() + "@", v.getValue()); // region values first (@DNS@ differs)
    }
    s =
        s.replace("@WEB@", String.valueOf(options.webPort()))
            .replace("@SMTP@", String.valueOf(options.smtpPort()))
            .replace("@IMAP@", String.valueOf(options.imapPort()))
            .replace("@POP3@", String.valueOf(options.pop3Port()))
            .replace("@DNSPAIR@", String.valueOf(options.dnsPairPort()))
            .replace("@DNS@", String.valueOf(options.dnsPort()))
            .replace("@CA@", caFile)
            .replace("@DIR@", dir.toAbsolutePath().toString());
    return s;
  }

  static String template(String name) {
    try (InputStream in = DemoConfig.class.getResourceAsStream("/demo/" + name)) {
      if (in == null) {
        throw new IllegalStateException("demo template " + name + " is missing from the jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void secret(String name, String value) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, value + "\n");
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
  }

  private String randomKey() {
    byte[] key = new byte[32];
    random.nextBytes(key);
    return Base64.getEncoder().encodeToString(key);
  }
}
