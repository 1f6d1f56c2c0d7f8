package io.quorate.probe.mail;

import io.quorate.config.MailflowCheck;
import io.quorate.config.ProbeType;
import io.quorate.config.Target;
import io.quorate.probe.Outcome;
import io.quorate.probe.Probe;
import io.quorate.probe.ProbeContext;
import io.quorate.probe.ProbeGuard;
import io.quorate.probe.ProbeResult;
import io.vertx.core.Future;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The mail-flow probe: proves that mail submitted to the target's SMTP server reaches a mailbox
 * (see {@link MailflowDialog}). The result is UP when the message was found within {@code
 * degradedAfterMs}, DEGRADED (LATENCY) when later but within {@code deadlineMs}, DOWN (DELIVERY)
 * when refused or not found in time; IMAP and SMTP failures keep their own kinds (AUTH, TLS,
 * CERTIFICATE, TIMEOUT, REFUSED, ...). Facts: {@code deliveryMs} (accepted to found; an upper bound
 * by at most one search interval), {@code smtpMs}, {@code polls}, {@code deleted}, {@code
 * leftovers}, {@code tag}. Timings are those of the IMAP session; {@code totalMs} covers the run.
 */
public final class MailflowProbe implements Probe {
  private static final int ID_BYTES = 12;

  private final ProbeContext ctx;
  private final NetClient client;
  private final MailflowSubmission submission;
  private final SecureRandom random = new SecureRandom();

  public MailflowProbe(ProbeContext ctx) {
    this.ctx = ctx;
    this.client = ctx.vertx().createNetClient(new NetClientOptions().setTcpNoDelay(true));
    this.submission = new MailflowSubmission(ctx.vertx(), ctx.tls());
  }

  @Override
  public ProbeType type() {
    return ProbeType.MAILFLOW;
  }

  @Override
  public Future<ProbeResult> run(Target target) {
    return ProbeGuard.onEventLoop(
        ctx,
        target,
        "mailflow-probe",
        () -> {
          MailflowCheck check = target.check(MailflowCheck.class);
          Target imap = imapTarget(target, check);
          LineRun run = new LineRun(ctx, imap, check.imap().tls());
          MailflowDialog dialog =
              new MailflowDialog(ctx.vertx(), run, check, target, imap, submission, newRunId());
          return run.finish(run.connect(client).compose(s -> dialog.run()))
              .map(r -> judged(r, dialog.verdict()));
        });
  }

  private String newRunId() {
    byte[] b = new byte[ID_BYTES];
    random.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  /** The IMAP side as a target of its own: same id and time limits, the IMAP server's address. */
  private static Target imapTarget(Target t, MailflowCheck check) {
    return new Target(
        t.id(),
        ProbeType.IMAP,
        t.group(),
        check.imap().address(),
        check.imap().port(),
        t.intervalMs(),
        t.timeoutMs(),
        null,
        t.fall(),
        t.rise(),
        check.imap().asImapCheck());
  }

  /**
   * The IMAP session's result with the mail-flow verdict applied: a DOWN verdict wins over an IMAP
   * TLS warning; a broken IMAP session wins over the verdict. IMAP failures say "imap".
   */
  static ProbeResult judged(ProbeResult r, ProbeFailure verdict) {
    if (verdict == null || r.outcome() == Outcome.DOWN) {
      return r.isUp() ? r : r.withOutcome(r.outcome(), r.errorKind(), "imap " + r.detail());
    }
    if (r.isUp() || verdict.outcome() == Outcome.DOWN) {
      return r.withOutcome(verdict.outcome(), verdict.kind(), verdict.getMessage());
    }
    return r.withOutcome(r.outcome(), r.errorKind(), "imap " + r.detail());
  }
}
