package io.quorate.probe.dns;

import static io.quorate.probe.dns.DnsChecks.query;
import static io.quorate.probe.dns.DnsChecks.target;
import static io.quorate.probe.dns.DnsProbeBindTest.assertFailed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.quorate.config.DnsCheck;
import io.quorate.config.ProbeType;
import io.quorate.config.Target;
import io.quorate.config.TcpCheck;
import io.quorate.probe.ErrorKind;
import io.quorate.probe.ProbeContext;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bad check options become results, never exceptions; the small parsers behave. */
@ExtendWith(VertxExtension.class)
class DnsProbeInputTest {

  @Test
  void badChecksAreReportedAsInternal(Vertx vertx) throws Exception {
    DnsProbe probe = new DnsProbe(ProbeContext.of(vertx));
    // port 9 on loopback: nothing is sent, the check is refused before any I/O
    assertFailed(
        DnsChecks.run(probe, target("127.0.0.1", 9, 500, query("a.test", "BOGUS"))),
        ErrorKind.INTERNAL,
        "unknown query type 'BOGUS'");
    assertFailed(
        DnsChecks.run(
            probe,
            target("127.0.0.1", 9, 500, DnsChecks.with(query("a.test", "A"), null, "NOPE", false))),
        ErrorKind.INTERNAL,
        "unknown rcode 'NOPE'");
    assertFailed(
        DnsChecks.run(probe, target("127.0.0.1", 9, 500, query("a..test", "A"))),
        ErrorKind.INTERNAL,
        "invalid name 'a..test': invalid empty label");
    assertFailed(
        DnsChecks.run(
            probe,
            target(
                "127.0.0.1",
                9,
                500,
                DnsChecks.consistency("example.test", List.of("127.0.0.1:99999")))),
        ErrorKind.INTERNAL,
        "invalid server '127.0.0.1:99999'");
    Target tcpTarget =
        new Target(
            "t",
            ProbeType.TCP,
            null,
            "127.0.0.1",
            9,
            10_000,
            500,
            null,
            2,
            2,
            new TcpCheck(null, null, null));
    assertEquals(ErrorKind.INTERNAL, DnsChecks.run(probe, tcpTarget).errorKind());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "127.0.0.1:5353    | 127.0.0.1:5353 | 127.0.0.1 | 5353",
        "127.0.0.1         | 127.0.0.1:53   | 127.0.0.1 | 53",
        "[::1]:5300        | [::1]:5300     | ::1       | 5300",
        "::1               | [::1]:53       | ::1       | 53",
        "ns1.example.test:54 | ns1.example.test:54 | ns1.example.test | 54"
      })
  void serverAddressesParse(String text, String label, String host, int port) {
    assertEquals(new ServerAddress(label, host, port), ServerAddress.parse(text));
  }

  @Test
  void badServerAddressesAreRefused() {
    for (String bad : List.of("", ":53", "host:0", "host:x", "[::1")) {
      assertThrows(DnsProbeException.class, () -> ServerAddress.parse(bad), bad);
    }
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "10 MAIL.Example.Test.     | 10 mail.example.test",
        "  127.0.0.1               | 127.0.0.1",
        "\"Keep Case.\"  \"B\"     | \"Keep Case.\" \"B\"",
        "ns1.example.test. hostmaster.example.test. 7 60 30 3600 60 "
            + "| ns1.example.test hostmaster.example.test 7 60 30 3600 60"
      })
  void rdataTextNormalises(String in, String out) {
    assertEquals(out, AnswerCheck.normalize(in));
  }

  @Test
  void unusedCheckFieldsKeepDefaults() {
    DnsCheck c = query("a.test", "A");
    assertEquals(null, c.transport());
    assertEquals("udp", DnsCheck.DEFAULT_TRANSPORT);
  }
}
