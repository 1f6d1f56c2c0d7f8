package io.quorate.probe.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.quorate.probe.ErrorKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Redirect resolution and the link-local / metadata refusal list, one row per address. */
class RedirectsTest {
  private static final HttpHop ORIGIN =
      new HttpHop(true, "192.0.2.10", 443, "www.example.test", "/a/b", true);

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "169.254.169.254, true",
    "169.254.0.1, true",
    "fe80::1, true",
    "FE80::abcd, true",
    "febf::1, true",
    "fd00:ec2::254, true",
    "::ffff:169.254.169.254, true",
    "metadata.google.internal, true",
    "METADATA.GOOGLE.INTERNAL., true",
    "127.0.0.1, false",
    "10.0.0.1, false",
    "fec0::1, false",
    "fd00:ec2::253, false",
    "www.example.test, false",
    "169.255.0.1, false",
  })
  void refusesLinkLocalAndMetadata(String host, boolean forbidden) {
    assertEquals(forbidden, Redirects.isForbidden(host), host);
  }

  @Test
  void relativeLocationStaysOnTheMember() throws Exception {
    HttpHop next = Redirects.next(ORIGIN, ORIGIN, "../c?x=1");
    assertEquals(new HttpHop(true, "192.0.2.10", 443, "www.example.test", "/c?x=1", true), next);
  }

  @Test
  void sameOriginAbsoluteLocationStaysOnTheMember() throws Exception {
    HttpHop next = Redirects.next(ORIGIN, ORIGIN, "https://WWW.example.test/health");
    assertEquals("192.0.2.10", next.connectHost());
    assertEquals(true, next.sameOrigin());
  }

  @Test
  void otherHostConnectsToThatHost() throws Exception {
    HttpHop next = Redirects.next(ORIGIN, ORIGIN, "http://cdn.example.test:8080/x");
    assertEquals(
        new HttpHop(false, "cdn.example.test", 8080, "cdn.example.test", "/x", false), next);
    assertEquals("cdn.example.test:8080", next.hostHeader());
  }

  @Test
  void metadataLocationIsAnAssertion() {
    HttpProbeException e =
        assertThrows(
            HttpProbeException.class,
            () -> Redirects.next(ORIGIN, ORIGIN, "http://[fd00:ec2::254]/latest/"));
    assertEquals(ErrorKind.ASSERTION, e.kind());
  }

  @Test
  void otherSchemesAreRefusedAndGarbageIsProtocol() {
    assertEquals(
        ErrorKind.ASSERTION,
        assertThrows(
                HttpProbeException.class,
                () -> Redirects.next(ORIGIN, ORIGIN, "file:///etc/passwd"))
            .kind());
    assertEquals(
        ErrorKind.PROTOCOL,
        assertThrows(
                HttpProbeException.class,
                () -> Redirects.next(ORIGIN, ORIGIN, "http://exa mple/ bad"))
            .kind());
  }
}
