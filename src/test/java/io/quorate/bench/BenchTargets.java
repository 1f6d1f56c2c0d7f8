package io.quorate.bench;

import io.quorate.config.Check;
import io.quorate.config.DnsCheck;
import io.quorate.config.HttpCheck;
import io.quorate.config.ImapCheck;
import io.quorate.config.Pop3Check;
import io.quorate.config.ProbeType;
import io.quorate.config.SmtpCheck;
import io.quorate.config.Target;
import io.quorate.config.TlsMode;
import io.quorate.config.TlsPolicy;
import java.util.List;
import java.util.Map;

/**
 * The targets the bench programs probe on loopback, one factory per protocol, so the single-probe
 * mains and the side-by-side run check exactly the same thing. Timeout 5 s, interval 10 s.
 */
final class BenchTargets {
  static final String HOST = "127.0.0.1";
  static final long TIMEOUT_MS = 5_000;

  private BenchTargets() {}

  /** {@code rr.example.test A} from {@link io.quorate.testsupport.Bind9Lab#exampleZone}: AA, 4. */
  static Target dns(int port, String transport) {
    DnsCheck check =
        new DnsCheck(
            "rr.example.test",
            "A",
            transport,
            null,
            true,
            false,
            new DnsCheck.AnswerAssertions(null, null, 4, true, null, null),
            null);
    return target(ProbeType.DNS, port, check);
  }

  /** GET /health with Host www.example.test, expecting 2xx and "ok" in the body (NginxLab). */
  static Target http(int port, boolean https, TlsPolicy policy) {
    HttpCheck check =
        new HttpCheck(
            https,
            "www.example.test",
            "GET",
            "/health",
            Map.of(),
            List.of(),
            "ok",
            null,
            List.of(),
            HttpCheck.DEFAULT_MAX_BODY_BYTES,
            false,
            HttpCheck.DEFAULT_MAX_REDIRECTS,
            policy);
    return target(ProbeType.HTTP, port, check);
  }

  /** Banner, EHLO, then STARTTLS and EHLO again when {@code mode} says so, QUIT. */
  static Target smtp(int port, TlsMode mode, TlsPolicy tls) {
    return target(ProbeType.SMTP, port, new SmtpCheck(mode, null, false, null, tls));
  }

  /** Greeting, CAPABILITY, LOGOUT: no TLS, no login. */
  static Target imap(int port) {
    return target(ProbeType.IMAP, port, new ImapCheck(TlsMode.NONE, null, null, null));
  }

  /** Greeting, CAPA, QUIT: no TLS, no login. */
  static Target pop3(int port) {
    return target(ProbeType.POP3, port, new Pop3Check(TlsMode.NONE, null, null));
  }

  private static Target target(ProbeType type, int port, Check check) {
    return new Target(
        "bench-" + type.name().toLowerCase(java.util.Locale.ROOT),
        type,
        null,
        HOST,
        port,
        10_000,
        TIMEOUT_MS,
        null,
        2,
        2,
        check);
  }
}
