package io.quorate.bench;

import io.quorate.config.Target;
import io.quorate.config.TlsMode;
import io.quorate.config.TlsPolicy;
import io.quorate.testsupport.PostfixLab;
import java.util.List;

/**
 * Where the loopback lab of the side-by-side run listens and which CAs it uses; the harness passes
 * it to the probe child as arguments, and both sides derive their targets from it.
 */
record LabAddress(
    int dnsPort,
    int httpPort,
    int httpsPort,
    String webCa,
    int smtpPort,
    String mailCa,
    int imapPort,
    int pop3Port) {

  static final String WEB_NAME = "www.example.test";

  List<String> toArgs() {
    return List.of(
        Integer.toString(dnsPort),
        Integer.toString(httpPort),
        Integer.toString(httpsPort),
        webCa,
        Integer.toString(smtpPort),
        mailCa,
        Integer.toString(imapPort),
        Integer.toString(pop3Port));
  }

  static LabAddress parse(List<String> a) {
    if (a.size() != 8) {
      throw new IllegalArgumentException("expected 8 lab arguments, got " + a);
    }
    return new LabAddress(
        port(a.get(0)),
        port(a.get(1)),
        port(a.get(2)),
        a.get(3),
        port(a.get(4)),
        a.get(5),
        port(a.get(6)),
        port(a.get(7)));
  }

  private static int port(String s) {
    int p = Integer.parseInt(s);
    if (p < 1 || p > 65_535) {
      throw new IllegalArgumentException("not a port: " + s);
    }
    return p;
  }

  /** Quorate's target for {@code kind}: the same checks as the exporter module's. */
  Target target(Kind kind) {
    TlsPolicy mailTls = TlsPolicy.DEFAULT.withCaFile(mailCa).withServerName(PostfixLab.HOSTNAME);
    return switch (kind) {
      case DNS -> BenchTargets.dns(dnsPort, "udp");
      case HTTP -> BenchTargets.http(httpPort, false, TlsPolicy.DEFAULT);
      case HTTPS ->
          BenchTargets.http(httpsPort, true, TlsPolicy.DEFAULT.withCaFile(webCa).withVerify(true));
      case SMTP -> BenchTargets.smtp(smtpPort, TlsMode.NONE, mailTls);
      case STARTTLS -> BenchTargets.smtp(smtpPort, TlsMode.STARTTLS, mailTls);
      case IMAP -> BenchTargets.imap(imapPort);
      case POP3 -> BenchTargets.pop3(pop3Port);
    };
  }

  /** The exporter's {@code target} parameter for {@code kind}. */
  String exporterTarget(Kind kind) {
    String h = BenchTargets.HOST;
    return switch (kind) {
      case DNS -> h + ":" + dnsPort;
      case HTTP -> "http://" + h + ":" + httpPort + "/health";
      case HTTPS -> "https://" + h + ":" + httpsPort + "/health";
      case SMTP, STARTTLS -> h + ":" + smtpPort;
      case IMAP -> h + ":" + imapPort;
      case POP3 -> h + ":" + pop3Port;
    };
  }
}
