package io.quorate.probe.mail;

import io.quorate.config.Login;
import io.quorate.config.MailflowCheck;
import io.quorate.config.ProbeType;
import io.quorate.config.Target;
import io.quorate.config.TlsMode;
import io.quorate.config.TlsPolicy;
import io.quorate.testsupport.MailFlowLab;
import java.nio.file.Path;

/** The knobs the mail-flow tests turn; {@link #target} builds the config records. */
record MailFlow(
    String id,
    int smtpPort,
    TlsMode smtpMode,
    Login smtpLogin,
    TlsPolicy smtpTls,
    String to,
    int imapPort,
    TlsMode imapMode,
    Login imapLogin,
    long deadlineMs,
    Long degradedAfterMs,
    long timeoutMs) {

  MailFlow smtp(int port, TlsMode mode) {
    return new MailFlow(
        id,
        port,
        mode,
        smtpLogin,
        smtpTls,
        to,
        imapPort,
        imapMode,
        imapLogin,
        deadlineMs,
        degradedAfterMs,
        timeoutMs);
  }

  MailFlow smtpLogin(Login l) {
    return new MailFlow(
        id,
        smtpPort,
        smtpMode,
        l,
        smtpTls,
        to,
        imapPort,
        imapMode,
        imapLogin,
        deadlineMs,
        degradedAfterMs,
        timeoutMs);
  }

  MailFlow smtpTls(TlsPolicy p) {
    return new MailFlow(
        id,
        smtpPort,
        smtpMode,
        smtpLogin,
        p,
        to,
        imapPort,
        imapMode,
        imapLogin,
        deadlineMs,
        degradedAfterMs,
        timeoutMs);
  }

  MailFlow imap(int port, TlsMode mode) {
    return new MailFlow(
        id,
        smtpPort,
        smtpMode,
        smtpLogin,
        smtpTls,
        to,
        port,
        mode,
        imapLogin,
        deadlineMs,
        degradedAfterMs,
        timeoutMs);
  }

  MailFlow imapLogin(Login l) {
    return new MailFlow(
        id,
        smtpPort,
        smtpMode,
        smtpLogin,
        smtpTls,
        to,
        imapPort,
        imapMode,
        l,
        deadlineMs,
        degradedAfterMs,
        timeoutMs);
  }

  MailFlow degradedAfter(long ms) {
    return new MailFlow(
        id,
        smtpPort,
        smtpMode,
        smtpLogin,
        smtpTls,
        to,
        imapPort,
        imapMode,
        imapLogin,
        deadlineMs,
        ms,
        timeoutMs);
  }

  MailFlow deadline(long deadline, long timeout) {
    return new MailFlow(
        id,
        smtpPort,
        smtpMode,
        smtpLogin,
        smtpTls,
        to,
        imapPort,
        imapMode,
        imapLogin,
        deadline,
        degradedAfterMs,
        timeout);
  }

  /** The target; the IMAP side trusts {@code caFile}. */
  Target target(Path caFile) {
    TlsPolicy imapTls = TlsPolicy.DEFAULT.withCaFile(caFile.toString());
    MailflowCheck check =
        new MailflowCheck(
            new MailflowCheck.Smtp(smtpMode, "probe.example.test", smtpLogin, smtpTls),
            "probe@" + MailFlowLab.DOMAIN,
            to,
            new MailflowCheck.Imap("127.0.0.1", imapPort, imapMode, imapLogin, "INBOX", imapTls),
            deadlineMs,
            degradedAfterMs);
    return new Target(
        id, ProbeType.MAILFLOW, null, "127.0.0.1", smtpPort, 60_000, timeoutMs, null, 1, 1, check);
  }
}
