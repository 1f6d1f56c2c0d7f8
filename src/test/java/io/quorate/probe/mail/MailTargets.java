package io.quorate.probe.mail;

import io.quorate.config.Check;
import io.quorate.config.ImapCheck;
import io.quorate.config.Login;
import io.quorate.config.Pop3Check;
import io.quorate.config.ProbeType;
import io.quorate.config.Secret;
import io.quorate.config.SmtpCheck;
import io.quorate.config.Target;
import io.quorate.config.TlsMode;
import io.quorate.config.TlsPolicy;
import java.nio.file.Path;

/** Targets and options for the line-protocol probe tests. */
public final class MailTargets {
  private MailTargets() {}

  public static Target target(ProbeType type, int port, long timeoutMs, Check check) {
    return new Target(
        type.wireName() + "-" + port,
        type,
        null,
        "127.0.0.1",
        port,
        10_000,
        timeoutMs,
        null,
        2,
        2,
        check);
  }

  /** Verify against {@code caFile} with the lab certificate's name. */
  public static TlsPolicy trusting(Path caFile, String serverName) {
    return TlsPolicy.DEFAULT.withCaFile(caFile.toString()).withServerName(serverName);
  }

  public static Login login(String user, String password) {
    return new Login(user, new Secret("${test}", password));
  }

  public static Target smtp(int port, TlsMode mode, TlsPolicy tls) {
    return smtp(port, new SmtpCheck(mode, null, false, null, tls));
  }

  public static Target smtp(int port, SmtpCheck check) {
    return target(ProbeType.SMTP, port, 3_000, check);
  }

  public static Target imap(int port, TlsMode mode, Login login, String box, TlsPolicy tls) {
    return target(ProbeType.IMAP, port, 3_000, new ImapCheck(mode, login, box, tls));
  }

  public static Target pop3(int port, TlsMode mode, Login login, TlsPolicy tls) {
    return target(ProbeType.POP3, port, 3_000, new Pop3Check(mode, login, tls));
  }
}
