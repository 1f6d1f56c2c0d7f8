package io.quorate.bench;

import io.quorate.testsupport.Bind9Lab;
import io.quorate.testsupport.DovecotLab;
import io.quorate.testsupport.NginxLab;
import io.quorate.testsupport.PostfixLab;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The loopback lab of the side-by-side run, started once: BIND 9 ({@code example.test}), nginx
 * (http and https), Postfix (EHLO, STARTTLS) and Dovecot (IMAP, POP3), each on free ports and
 * stopped by its PID. Register it with a {@link Cleanup} as soon as it exists.
 */
final class SideLab implements AutoCloseable {
  private final Cleanup parts = new Cleanup();
  private Bind9Lab bind;
  private NginxLab nginx;
  private PostfixLab postfix;
  private DovecotLab dovecot;

  /** Starts the four servers in {@code dir} (nginx) and their own temp dirs; all or none. */
  static SideLab start(Path dir) {
    SideLab lab = new SideLab();
    try {
      lab.bind = lab.parts.add(Bind9Lab.start("example.test", Bind9Lab.exampleZone(1, "")));
      lab.nginx = lab.parts.add(NginxLab.start(Files.createDirectories(dir.resolve("nginx"))));
      lab.postfix = lab.parts.add(PostfixLab.start());
      lab.dovecot = lab.parts.add(DovecotLab.start());
      return lab;
    } catch (IOException e) {
      lab.close();
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      lab.close();
      throw e;
    }
  }

  LabAddress address() {
    return new LabAddress(
        bind.port(),
        nginx.httpPort(),
        nginx.goodPort(),
        nginx.caFile().toString(),
        postfix.smtpPort,
        postfix.caFile().toString(),
        dovecot.imapPort,
        dovecot.pop3Port);
  }

  /** The lab server's CPU ms so far for {@code k} (named; nginx master and worker), or -1. */
  long serverCpuMillis(Kind k) {
    return switch (k) {
      case DNS -> ProcStat.cpuMillis(bind.pid());
      case HTTP, HTTPS -> ProcStat.treeCpuMillis(nginx.pid());
      default -> -1;
    };
  }

  @Override
  public void close() {
    parts.closeAll();
  }
}
