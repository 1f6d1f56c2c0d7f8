package io.quorate.probe.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quorate.testsupport.TestTls;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 6125 name matching against subjectAltName: one row per rule. */
class HostnameMatcherTest {
  @TempDir static Path dir;
  private static X509Certificate cert;
  private static X509Certificate dnsOnly;

  @BeforeAll
  static void issue() {
    TestTls ca = TestTls.newCa(dir);
    cert =
        ca.issueValid(
                "multi",
                List.of("www.example.test", "*.cdn.example.test", "*.test", "127.0.0.1", "::1"))
            .cert();
    dnsOnly = ca.issueValid("dns", List.of("localhost")).cert();
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "www.example.test, true",
    "WWW.Example.TEST., true", // case-insensitive, trailing dot ignored (RFC 6125 §6.4.1)
    "example.test, false",
    "a.cdn.example.test, true", // wildcard as the whole left-most label (§6.4.3)
    "A.CDN.example.test, true",
    "cdn.example.test, false", // a wildcard never matches the parent name
    "a.b.cdn.example.test, false", // ... nor more than one label
    "anything.test, false", // *.test: wildcard over a single-label suffix refused
    "other.example.org, false",
    "127.0.0.1, true", // iPAddress SAN
    "127.0.0.2, false",
    "::1, true",
    "[::1], true",
    "0:0:0:0:0:0:0:1, true", // same address, another spelling
    "999.1.1.1, false", // not a literal: a name, and not resolved
  })
  void matchesSubjectAltNames(String name, boolean expected) {
    assertEquals(expected, HostnameMatcher.matches(cert, name), name);
  }

  @Test
  void ipLiteralNeverMatchesADnsName() {
    assertEquals(false, HostnameMatcher.matches(dnsOnly, "127.0.0.1"));
    assertEquals(true, HostnameMatcher.matches(dnsOnly, "localhost"));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "127.0.0.1, true", "::1, true", "[fe80::1], true", "2001:db8::1, true",
    "999.1.1.1, false", "1.2.3, false", "www.example.test, false", "host:443, false",
  })
  void recognisesIpLiteralsWithoutResolving(String s, boolean expected) {
    assertEquals(expected, HostnameMatcher.isIpLiteral(s), s);
  }

  @Test
  void namesListsEverySan() {
    assertEquals(5, HostnameMatcher.names(cert).size(), HostnameMatcher.names(cert)::toString);
  }
}
