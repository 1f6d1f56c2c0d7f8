package io.quorate.demo;

import io.quorate.config.HttpCheck;
import io.quorate.config.ImapCheck;
import io.quorate.config.Pop3Check;
import io.quorate.config.ProbeType;
import io.quorate.config.SmtpCheck;
import io.quorate.config.Target;
import io.quorate.config.TlsMode;
import io.quorate.config.TlsPolicy;
import io.quorate.demo.DemoFleet.Member;
import java.util.List;
import java.util.Map;

/** Probe targets for the demo fleet's members, as the demo's config would describe them. */
final class DemoTargets {
  private DemoTargets() {}

  /** An HTTP check of {@code path} on a web member, asserting the demo's Server header. */
  static Target http(Member m, String path, String bodyContains) {
    HttpCheck c =
        new HttpCheck(
            false,
            null,
            "GET",
            path,
            Map.of(),
            List.of(200),
            bodyContains,
            null,
            List.of(new HttpCheck.HeaderAssertion("Server", "^quorate-demo$", false)),
            HttpCheck.DEFAULT_MAX_BODY_BYTES,
            false,
            HttpCheck.DEFAULT_MAX_REDIRECTS,
            TlsPolicy.DEFAULT);
    return target(m.id() + "-http", ProbeType.HTTP, m.host(), m.ports().get("http"), c);
  }

  /** A mail check of {@code type} (smtp, imap, pop3) on a mail member in STARTTLS mode. */
  static Target mail(Member m, ProbeType type, TlsPolicy tls) {
    int port = m.ports().get(type.wireName());
    Object check =
        switch (type) {
          case SMTP -> new SmtpCheck(TlsMode.STARTTLS, "probe.demo.test", false, null, tls);
          case IMAP -> new ImapCheck(TlsMode.STARTTLS, null, null, tls);
          case POP3 -> new Pop3Check(TlsMode.STARTTLS, null, tls);
          default -> throw new IllegalArgumentException(type.toString());
        };
    return target(
        m.id() + "-" + type.wireName(), type, m.host(), port, (io.quorate.config.Check) check);
  }

  private static Target target(
      String id, ProbeType type, String host, int port, io.quorate.config.Check check) {
    return new Target(id, type, null, host, port, 10_000, 3_000, null, 2, 2, check);
  }
}
