package io.quorate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorate.testsupport.ExampleEnv;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The {@code zones:} and {@code pools:} blocks: the example, defaults, normalisation. */
class ConfigPoolsTest {
  private static final String SECRET = "0jZtypIODlUKuDvWRVtNgfCtbAgP1wzm5uFf9VMVFSg=";
  private final ConfigLoader loader =
      new ConfigLoader(ExampleEnv.with(Map.of("TSIG_B64", SECRET))::get);

  @Test
  void exampleHasTheLabZoneAndTheWwwPool() throws Exception {
    QuorateConfig cfg = loader.load(Path.of("conf/quorate.yaml"), null).shared();

    DnsZone zone = cfg.zone("example.test").orElseThrow();
    assertEquals("127.0.0.1:5353", zone.primary());
    assertEquals("lab-update", zone.tsig().name());
    assertEquals("hmac-sha256", zone.tsig().algorithm());
    assertEquals(SECRET, zone.tsig().secret().reveal(), "the lab key from conf/example.env");
    assertEquals("Secret[${env:QUORATE_TSIG_SECRET}]", zone.tsig().secret().toString());
    assertEquals(List.of("127.0.0.1:5353"), zone.servers());
    assertEquals("_quorate-epoch.example.test", zone.epochRecord());

    Pool www = cfg.pool("www").orElseThrow();
    assertEquals("rr.example.test", www.name());
    assertEquals("A", www.type());
    assertEquals(
        List.of("127.0.0.11", "127.0.0.12", "127.0.0.13", "127.0.0.14"),
        www.members().stream().map(Pool.Member::value).toList());
    for (Pool.Member m : www.members()) {
      assertTrue(cfg.target(m.target()).isPresent(), m.target());
    }
    assertEquals(Pool.Role.BACKUP, www.members().get(3).role());
  }

  private static final String MINIMAL =
      String.join(
          "\n",
          "regions: [eu-west]",
          "targets:",
          "  - {id: web-1, type: http, address: 127.0.0.11}",
          "  - {id: web-2, type: http, address: 127.0.0.12}",
          "zones:",
          "  - zone: Example.TEST.",
          "    primary: ns1.example.test:53",
          "    tsig: {name: Lab-Update., secret: \"${env:TSIG_B64}\"}",
          "  - zone: legacy.test",
          "    primary: \"[::1]:5353\"",
          "    tsig: {name: k, algorithm: HMAC-MD5, allowWeak: true, secret: \"${env:TSIG_B64}\"}",
          "pools:",
          "  - id: v6",
          "    zone: example.test.",
          "    name: V6.Example.Test.",
          "    type: aaaa",
          "    members:",
          "      - {id: a, value: \"2001:DB8:0:0:0:0:0:1\", target: web-1}",
          "      - {id: b, value: \"2001:db8::2\", target: web-2, role: backup, drained: true}",
          "  - id: mx",
          "    zone: example.test",
          "    name: example.test",
          "    type: MX",
          "    members: [{id: a, value: \"010  MX1.Example.Test.\", target: web-1}]",
          "");

  @Test
  void defaultsAndNormalisedNames() throws Exception {
    QuorateConfig cfg = loader.parseShared(MINIMAL, "inline.yaml");
    DnsZone zone = cfg.zones().get(0);
    assertEquals(
        new DnsZone(
            "example.test",
            "ns1.example.test:53",
            new DnsZone.Tsig(
                "lab-update", "hmac-sha256", new Secret("${env:TSIG_B64}", SECRET), false),
            List.of(),
            null,
            DnsZone.DEFAULT_PROPAGATION_TIMEOUT_MS,
            DnsZone.DEFAULT_UPDATE_TIMEOUT_MS),
        zone);
    DnsZone.Tsig legacy = cfg.zone("legacy.test").orElseThrow().tsig();
    assertEquals("hmac-md5", legacy.algorithm(), "weak, but explicitly allowed");
    assertTrue(legacy.allowWeak());

    Pool v6 = cfg.pool("v6").orElseThrow();
    assertEquals(
        new Pool(
            "v6",
            "example.test",
            "v6.example.test",
            "AAAA",
            60,
            List.of(
                new Pool.Member("a", "2001:db8::1", "web-1", Pool.Role.PRIMARY, false),
                new Pool.Member("b", "2001:db8::2", "web-2", Pool.Role.BACKUP, true)),
            Pool.DEFAULT_MIN_MEMBERS,
            Pool.DEFAULT_MAX_CHANGES_PER_WINDOW,
            Pool.DEFAULT_WINDOW_MS,
            Pool.DEFAULT_HOLD_DOWN_MS,
            Pool.DEFAULT_FLAP_CHANGES,
            Pool.DEFAULT_FLAP_WINDOW_MS,
            Pool.Failback.AUTO,
            true,
            false),
        v6);
    assertEquals("10 mx1.example.test", cfg.pool("mx").orElseThrow().members().get(0).value());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "A     | 127.0.0.1                     | 127.0.0.1",
        "A     | ::1                           |",
        "A     | www.example.test              |",
        "AAAA  | 2001:DB8:0:0:0:0:0:1          | 2001:db8::1",
        "AAAA  | 2001:db8:0:0:1:0:0:1          | 2001:db8::1:0:0:1",
        "AAAA  | 0:0:0:0:0:0:0:0               | ::",
        "AAAA  | fe80:0:0:0:0:0:0:0            | fe80::",
        "AAAA  | 2001:db8:0:1:1:1:1:1          | 2001:db8:0:1:1:1:1:1",
        "AAAA  | ::FFFF:C000:0201              |",
        "AAAA  | ::ffff:192.0.2.1              |",
        "AAAA  | ::192.0.2.1                   | ::c000:201",
        "AAAA  | 127.0.0.1                     |",
        "CNAME | Web-1.Example.Test.           | web-1.example.test",
        "CNAME | 127.0.0.1                     |",
        "CNAME | *.example.test                |",
        "MX    | 10 mx1.example.test           | 10 mx1.example.test",
        "MX    | 0 MX.example.test.            | 0 mx.example.test",
        "MX    | 65536 mx.example.test         |",
        "MX    | mx.example.test               |",
        "MX    | 10 .                          |",
        "TXT   | hello                         |",
      })
  void canonicalRecordValues(String type, String value, String canonical) {
    assertEquals(canonical, RecordValues.canonical(type, value));
    assertEquals(canonical == null, RecordValues.problem(type, value) != null);
  }

  /** The provider reads AAAA values with Netty's RFC 5952 formatter: the forms must agree. */
  @ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(
      strings = {
        "2001:db8::1",
        "2001:DB8:0:0:1:0:0:1",
        "::",
        "::1",
        "fe80::",
        "2001:db8:0:1:1:1:1:1",
        "2001:0:0:1:0:0:0:1",
        "0:0:1:0:0:1:0:0",
        "::192.0.2.1",
        "ffff::"
      })
  void aaaaFormIsTheFormTheProviderReads(String address) throws Exception {
    byte[] bytes = java.net.InetAddress.getByName(address).getAddress();
    String read = io.netty.util.NetUtil.toAddressString(java.net.InetAddress.getByAddress(bytes));
    assertEquals(read, RecordValues.canonical("AAAA", address));
  }

  @Test
  void noZonesOrPoolsIsValid() throws Exception {
    QuorateConfig cfg = loader.parseShared("regions: [eu-west]\n", "inline.yaml");
    assertTrue(cfg.zones().isEmpty());
    assertTrue(cfg.pools().isEmpty());
    assertFalse(cfg.pool("www").isPresent());
    assertNull(cfg.zone("example.test").orElse(null));
  }
}
