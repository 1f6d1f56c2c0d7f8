package io.quorate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The example files load; defaults are applied; secrets resolve from env and 0600 files. */
class ConfigLoaderTest {
  private static final Map<String, String> ENV =
      io.quorate.testsupport.ExampleEnv.with(
          Map.of(
              "QUORATE_READ_TOKEN", "read-token-0123456789",
              "QUORATE_OPERATE_TOKEN", "operate-token-0123456789",
              "SMTP_PASS", "smtp-password-value"));
  private static final String HEAD = "regions: [eu-west]\n";

  private final ConfigLoader loader = new ConfigLoader(ENV::get);

  @TempDir Path tmp;

  @ParameterizedTest
  @ValueSource(strings = {"eu-west:8080", "us-east:8081", "ap-southeast:8082"})
  void exampleFilesLoad(String regionAndPort) throws Exception {
    String region = regionAndPort.split(":")[0];
    int port = Integer.parseInt(regionAndPort.split(":")[1]);
    Path regionFile = Path.of("regions", region + ".yaml");
    LoadedConfig cfg = loader.load(Path.of("conf/quorate.yaml"), regionFile);

    assertEquals(List.of("eu-west", "us-east", "ap-southeast"), cfg.shared().regions());
    Set<ProbeType> types =
        cfg.shared().targets().stream().map(Target::type).collect(Collectors.toSet());
    assertEquals(EnumSet.allOf(ProbeType.class), types, "an example of every type");
    Target self = cfg.shared().target("agent-self").orElseThrow();
    assertEquals(8080, self.port());
    assertEquals("/healthz", self.check(HttpCheck.class).path());

    RegionConfig r = cfg.region();
    assertEquals(region, r.region());
    assertEquals(new RegionConfig.Listen("127.0.0.1", port), r.listen());
    assertEquals(Path.of("data", region).toAbsolutePath(), r.dataDir());
    assertEquals(2, r.tokens().size());
    assertEquals(Set.of(RegionConfig.Scope.READ), r.tokens().get(0).scopes());
    assertEquals("read-token-0123456789", r.tokens().get(0).token().reveal());
    assertEquals(
        Set.of(RegionConfig.Scope.READ, RegionConfig.Scope.OPERATE), r.tokens().get(1).scopes());
    assertEquals(RegionConfig.Scheduler.DEFAULT, r.scheduler());
  }

  @Test
  void sharedHashIsSha256OfTheFileBytes() throws Exception {
    Path shared = Files.writeString(tmp.resolve("quorate.yaml"), HEAD);
    // printf 'regions: [eu-west]\n' | sha256sum
    assertEquals(
        "92a6febe334e5f2d33024b64d028315d988c7b2af86027d98e3248c392ec334b",
        loader.load(shared, null).sharedHash());
    assertNull(loader.load(shared, null).region());
  }

  private static final String DEFAULTS_YAML =
      HEAD
          + "defaults: {intervalMs: 20000, timeoutMs: 3000, fall: 3, rise: 4}\n"
          + "groups: [{id: g}]\n"
          + "targets:\n"
          + "  - {id: d, type: dns, address: 127.0.0.1, dns: {name: www.example.test}}\n"
          + "  - {id: h, type: http, address: 127.0.0.1, fall: 1}\n"
          + "  - {id: hs, type: http, address: '::1', http: {https: true}}\n"
          + "  - {id: t, type: tls, address: 127.0.0.1, intervalMs: 5000}\n"
          + "  - {id: s, type: smtp, address: 127.0.0.1}\n"
          + "  - {id: s465, type: smtp, address: 127.0.0.1, port: 465}\n"
          + "  - {id: si, type: smtp, address: 127.0.0.1, smtp: {tlsMode: implicit}}\n"
          + "  - {id: i, type: imap, address: 127.0.0.1, group: g}\n"
          + "  - {id: i993, type: imap, address: 127.0.0.1, port: 993}\n"
          + "  - {id: p, type: pop3, address: 127.0.0.1}\n"
          + "  - {id: ps, type: pop3, address: 127.0.0.1, pop3: {tlsMode: implicit}}\n"
          + "  - {id: c, type: tcp, address: 127.0.0.1, port: 3306}\n";

  @Test
  void defaultsBlockIsAppliedToTargets() throws Exception {
    QuorateConfig cfg = loader.parseShared(DEFAULTS_YAML, "inline.yaml");
    Target d = cfg.target("d").orElseThrow();
    assertEquals(20_000, d.intervalMs());
    assertEquals(3_000, d.timeoutMs());
    assertEquals(3, d.fall());
    assertEquals(4, d.rise());
    assertNull(d.group());
    assertNull(d.degradedAboveMs());
    assertEquals(1, cfg.target("h").orElseThrow().fall(), "a target's own value wins");
    assertEquals(5_000, cfg.target("t").orElseThrow().intervalMs());
    assertEquals("g", cfg.target("i").orElseThrow().group());
    assertEquals(new QuorateConfig.Group("g", "g", "", null), cfg.groups().get(0));
  }

  @ParameterizedTest
  @CsvSource({
    "d, 53",
    "h, 80",
    "hs, 443",
    "t, 443",
    "s, 25",
    "s465, 465",
    "si, 465",
    "i, 143",
    "i993, 993",
    "p, 110",
    "ps, 995",
    "c, 3306"
  })
  void defaultPorts(String id, int port) throws Exception {
    assertEquals(port, loader.parseShared(DEFAULTS_YAML, "x").target(id).orElseThrow().port());
  }

  @Test
  void checkDefaults() throws Exception {
    QuorateConfig cfg = loader.parseShared(DEFAULTS_YAML, "inline.yaml");
    DnsCheck.AnswerAssertions none = DnsCheck.AnswerAssertions.NONE;
    assertEquals(
        new DnsCheck("www.example.test", "A", "udp", "NOERROR", false, false, none, null),
        cfg.target("d").orElseThrow().check());
    assertEquals(
        new HttpCheck(
            false,
            null,
            "GET",
            "/",
            Map.of(),
            List.of(),
            null,
            null,
            List.of(),
            65_536,
            false,
            5,
            TlsPolicy.DEFAULT),
        cfg.target("h").orElseThrow().check());
    assertEquals(new TlsCheck(TlsPolicy.DEFAULT), cfg.target("t").orElseThrow().check());
    assertEquals(
        new SmtpCheck(
            TlsMode.STARTTLS, SmtpCheck.DEFAULT_EHLO_NAME, false, null, TlsPolicy.DEFAULT),
        cfg.target("s").orElseThrow().check());
    assertEquals(
        new ImapCheck(TlsMode.STARTTLS, null, "INBOX", TlsPolicy.DEFAULT),
        cfg.target("i").orElseThrow().check());
    assertEquals(
        new Pop3Check(TlsMode.STARTTLS, null, TlsPolicy.DEFAULT),
        cfg.target("p").orElseThrow().check());
    assertEquals(new TcpCheck(null, null, null), cfg.target("c").orElseThrow().check());
  }

  @ParameterizedTest
  @CsvSource({"s, STARTTLS", "s465, IMPLICIT", "si, IMPLICIT", "i993, IMPLICIT", "ps, IMPLICIT"})
  void tlsModeFollowsThePortUnlessGiven(String id, TlsMode mode) throws Exception {
    Check check = loader.parseShared(DEFAULTS_YAML, "x").target(id).orElseThrow().check();
    TlsMode actual = null;
    if (check instanceof SmtpCheck c) {
      actual = c.tlsMode();
    } else if (check instanceof ImapCheck c) {
      actual = c.tlsMode();
    } else if (check instanceof Pop3Check c) {
      actual = c.tlsMode();
    }
    assertEquals(mode, actual);
  }

  @Test
  void builtInDefaultsWithoutDefaultsBlock() throws Exception {
    QuorateConfig cfg =
        loader.parseShared(HEAD + "targets: [{id: h, type: http, address: h.example.test}]\n", "x");
    assertEquals(QuorateConfig.Defaults.DEFAULT, cfg.defaults());
    Target h = cfg.targets().get(0);
    assertEquals(Target.DEFAULT_INTERVAL_MS, h.intervalMs());
    assertEquals(Target.DEFAULT_TIMEOUT_MS, h.timeoutMs());
    assertEquals(Target.DEFAULT_FALL, h.fall());
    assertEquals(Target.DEFAULT_RISE, h.rise());
  }

  @Test
  void canonicalDnsMnemonicsAndAnswerAssertions() throws Exception {
    String yaml =
        HEAD
            + "targets:\n"
            + "  - id: mx\n    type: dns\n    address: 127.0.0.1\n    port: 5353\n"
            + "    dns:\n      name: example.test.\n      qtype: mx\n      expectRcode: nxdomain\n"
            + "      transport: tcp\n      authoritative: true\n"
            + "      answer: {contains: ['10 mail.example.test.'], count: 1, minTtl: 30}\n";
    DnsCheck dns = loader.parseShared(yaml, "x").targets().get(0).check(DnsCheck.class);
    assertEquals("MX", dns.qtype());
    assertEquals("NXDOMAIN", dns.expectRcode());
    assertEquals("tcp", dns.transport());
    assertTrue(dns.authoritative());
    assertEquals(
        new DnsCheck.AnswerAssertions(null, List.of("10 mail.example.test."), 1, false, 30L, null),
        dns.answer());
  }

  @Test
  void caFileResolvesAgainstTheSharedFilesDirectory() throws Exception {
    Files.copy(
        io.quorate.testsupport.TestTls.newCa(tmp.resolve("ca")).caFile(),
        tmp.resolve("lab-ca.pem"));
    String yaml =
        HEAD
            + "targets:\n"
            + "  - id: w\n"
            + "    type: http\n"
            + "    address: 127.0.0.1\n"
            + "    http: {https: true, requestHeaders: {X-B: b, X-A: a}, tls: {caFile:"
            + " lab-ca.pem}}\n";
    Path shared = Files.writeString(tmp.resolve("quorate.yaml"), yaml);
    HttpCheck http = loader.load(shared, null).shared().targets().get(0).check(HttpCheck.class);
    assertEquals(tmp.resolve("lab-ca.pem").toAbsolutePath().toString(), http.tls().caFile());
    assertEquals(List.of("X-B", "X-A"), List.copyOf(http.requestHeaders().keySet()));
  }

  @Test
  void secretFromInjectedEnvironment() throws Exception {
    String yaml =
        HEAD
            + "targets:\n"
            + "  - id: mx\n"
            + "    type: smtp\n"
            + "    address: 127.0.0.1\n"
            + "    smtp: {tlsMode: starttls, login: {username: u, password:"
            + " \"${env:SMTP_PASS}\"}}\n";
    Target mx = loader.parseShared(yaml, "x").targets().get(0);
    Login login = mx.check(SmtpCheck.class).login();
    assertEquals("u", login.username());
    assertEquals("smtp-password-value", login.password().reveal());
    assertEquals("${env:SMTP_PASS}", login.password().reference());
    assertFalse(mx.toString().contains("smtp-password-value"), "toString hides the secret");
  }

  @Test
  void secretFromOwnerOnlyFileIsTrimmedOfTrailingNewline() throws Exception {
    Path secret = secretFile("s3cret-token-value-42\n", "rw-------");
    Path region = regionFile("${file:" + secret + "}");
    RegionConfig r = loader.load(Path.of("conf/quorate.yaml"), region).region();
    assertEquals("s3cret-token-value-42", r.tokens().get(0).token().reveal());
    assertEquals(tmp.resolve("data").toAbsolutePath(), r.dataDir(), "relative to the region file");
  }

  @Test
  void worldReadableSecretFileIsRefused() throws Exception {
    Path secret = secretFile("s3cret-token-value-42\n", "rw-r--r--");
    Path region = regionFile("${file:" + secret + "}");
    ConfigException e =
        assertThrows(
            ConfigException.class, () -> loader.load(Path.of("conf/quorate.yaml"), region));
    assertEquals(
        List.of(
            "tokens[0].token: secret file "
                + secret
                + " is readable by group or others (chmod 600)"),
        messages(e));
    assertFalse(e.getMessage().contains("s3cret"), "the value never appears");
  }

  @Test
  void groupReadableSecretFileIsRefused() throws Exception {
    Path secret = secretFile("s3cret-token-value-42", "rw-r-----");
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () -> loader.load(Path.of("conf/quorate.yaml"), regionFile("${file:" + secret + "}")));
    assertEquals(
        List.of(
            "tokens[0].token: secret file "
                + secret
                + " is readable by group or others (chmod 600)"),
        messages(e));
  }

  @ParameterizedTest
  @ValueSource(strings = {"rw--w----", "rw-----w-", "rw---x---"})
  void secretFileOthersCouldReplaceIsRefused(String mode) throws Exception {
    Path secret = secretFile("s3cret-token-value-42", mode);
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () -> loader.load(Path.of("conf/quorate.yaml"), regionFile("${file:" + secret + "}")));
    assertEquals(
        List.of(
            "tokens[0].token: secret file "
                + secret
                + " is writable by group or others (chmod 600)"),
        messages(e));
  }

  @Test
  void emptySecretFileIsRefused() throws Exception {
    Path secret = secretFile("\n", "rw-------");
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () -> loader.load(Path.of("conf/quorate.yaml"), regionFile("${file:" + secret + "}")));
    assertEquals(List.of("tokens[0].token: secret file " + secret + " is empty"), messages(e));
  }

  @Test
  void tooShortSecretIsReportedWithoutItsValue() throws Exception {
    Path secret = secretFile("tiny-secret", "rw-------");
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () -> loader.load(Path.of("conf/quorate.yaml"), regionFile("${file:" + secret + "}")));
    assertEquals(List.of("tokens[0].token: must be at least 16 characters"), messages(e));
    assertFalse(e.getMessage().contains("tiny-secret"));
  }

  @Test
  void errorsOfBothFilesAreReportedTogetherWithTheirFiles() throws Exception {
    Path shared = Files.writeString(tmp.resolve("quorate.yaml"), HEAD + "targets: 3\n");
    Path region = Files.writeString(tmp.resolve("eu-west.yaml"), "region: us-east\n");
    ConfigException e = assertThrows(ConfigException.class, () -> loader.load(shared, region));
    assertEquals(
        shared
            + ": targets: must be a list\n"
            + region
            + ": region: \"us-east\" is not in the shared regions list [eu-west]\n"
            + region
            + ": dataDir: required",
        e.getMessage());
  }

  @Test
  void missingFileIsOneError() {
    Path missing = tmp.resolve("nope.yaml");
    ConfigException e = assertThrows(ConfigException.class, () -> loader.load(missing, null));
    assertEquals(
        List.of(new ConfigError(missing.toString(), "", "cannot read file: no such file")),
        e.errors());
  }

  @Test
  void emptyFileIsAnEmptyMapping() {
    ConfigException e =
        assertThrows(ConfigException.class, () -> loader.parseShared("# nothing\n", "empty.yaml"));
    assertEquals(List.of("regions: required"), messages(e));
  }

  @Test
  void regionWithoutSharedListIsNotCheckedAgainstIt() throws Exception {
    RegionConfig r =
        loader.parseRegion("region: anywhere\ndataDir: /var/lib/quorate\n", "r.yaml", null, null);
    assertEquals("anywhere", r.region());
    assertEquals(Path.of("/var/lib/quorate"), r.dataDir());
    assertEquals(List.of(), r.tokens());
    assertEquals(
        new RegionConfig.Listen(RegionConfig.Listen.DEFAULT_HOST, RegionConfig.Listen.DEFAULT_PORT),
        r.listen());
  }

  private Path secretFile(String content, String perms) throws Exception {
    Path f = Files.writeString(tmp.resolve("secret-" + perms), content);
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(perms));
    return f;
  }

  private Path regionFile(String tokenReference) throws Exception {
    String yaml =
        "region: eu-west\ndataDir: data\ntokens:\n"
            + "  - {name: ops, token: \""
            + tokenReference
            + "\", scopes: [operate]}\n";
    return Files.writeString(tmp.resolve("eu-west.yaml"), yaml);
  }

  private static List<String> messages(ConfigException e) {
    return e.errors().stream().map(ConfigError::toString).toList();
  }
}
