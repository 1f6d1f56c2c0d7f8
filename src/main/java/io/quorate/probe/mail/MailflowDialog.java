package io.quorate.probe.mail;

import io.quorate.config.MailflowCheck;
import io.quorate.config.Target;
import io.quorate.probe.ErrorKind;
import io.quorate.probe.Outcome;
import io.quorate.probe.tls.TlsVerifier;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The mail-flow conversation: the IMAP session is opened and the mailbox selected first (so a bad
 * IMAP login sends nothing), old leftovers of this target are deleted, the tagged message is
 * submitted over SMTP, the mailbox is searched every {@link #POLL_MS} (sooner at first) until it is
 * there or the deadline passes, and the message is deleted; then LOGOUT. Mail-flow verdicts
 * (refused, late, lost) do not break the IMAP session: they are kept in {@link #verdict} and
 * applied to the result.
 */
final class MailflowDialog extends ImapProbe.Dialog {
  /** Time between two searches of the mailbox (after the first few, see {@link #delayMs}). */
  static final long POLL_MS = 300;

  private static final long FIRST_DELAY_MS = 50;

  /** Most searches in one run (the deadline ends them sooner). */
  static final int MAX_POLLS = (int) (MailflowCheck.MAX_DEADLINE_MS / POLL_MS) + 2;

  /** Most messages deleted in one run (our own and old leftovers of this target). */
  static final int MAX_DELETE = 20;

  /** Time kept back from the SMTP submission and the search for deleting and LOGOUT. */
  static final long CLEANUP_RESERVE_MS = 2_000;

  private final Vertx vertx;
  private final MailflowCheck check;
  private final Target target;
  private final MailflowSubmission submission;
  private final String runId;
  private Set<String> caps = Set.of();
  private ProbeFailure verdict;

  MailflowDialog(
      Vertx vertx,
      LineRun run,
      MailflowCheck check,
      Target target,
      Target imapTarget,
      MailflowSubmission submission,
      String runId) {
    super(run, check.imap().asImapCheck(), imapTarget);
    this.vertx = vertx;
    this.check = check;
    this.target = target;
    this.submission = submission;
    this.runId = runId;
  }

  /** The mail-flow verdict (refused, late, not delivered), or null when mail flowed in time. */
  ProbeFailure verdict() {
    return verdict;
  }

  /** The value of the tag header: the target (for leftovers) and this run's random id. */
  private String tag() {
    return "t=" + target.id() + "; id=" + runId;
  }

  @Override
  Future<Void> mailboxOpen() {
    run.fact("tag", runId);
    return capabilities() // after LOGIN: WITHIN (RFC 5032) and UIDPLUS (RFC 4315) show up here
        .compose(
            c -> {
              caps = c;
              return removeLeftovers();
            })
        .compose(v -> submit())
        .compose(accepted -> accepted == null ? Future.succeededFuture() : await(accepted));
  }

  /**
   * Deletes this target's tagged messages that arrived longer ago than the target's timeout: no run
   * of any region still looks for them (RFC 5032 OLDER compares with the server's own clock).
   */
  private Future<Void> removeLeftovers() {
    if (!caps.contains("WITHIN")) {
      run.fact("leftovers", "not searched (no WITHIN capability)");
      return Future.succeededFuture();
    }
    run.phase("leftovers");
    long olderSec = TimeUnit.MILLISECONDS.toSeconds(target.timeoutMs()) + 60;
    String criteria =
        "OLDER "
            + olderSec
            + " HEADER "
            + MailflowSubmission.HEADER
            + " "
            + Quoting.imapQuoted("t=" + target.id() + ";");
    return search(criteria).compose(uids -> delete(uids, "leftovers")).map(n -> null);
  }

  /** Submits the message; completes with the acceptance time, or null with a {@link #verdict}. */
  private Future<Long> submit() {
    run.phase("smtp", PhaseLimit.REMAINING);
    long limit = Math.max(1, run.remainingMs() - CLEANUP_RESERVE_MS);
    long start = System.nanoTime();
    return submission
        .send(target, check, runId, tag(), limit)
        .map(
            judgement -> {
              long accepted = System.nanoTime();
              run.fact("smtpMs", millis(start, accepted));
              if (judgement != null && judgement.outcome() == Outcome.DEGRADED) {
                verdict = flowFailure(judgement, "smtp TLS: ");
              }
              return accepted;
            })
        .recover(
            t -> {
              ProbeFailure f =
                  t instanceof ProbeFailure p
                      ? p
                      : ProbeFailure.down(ErrorKind.INTERNAL, String.valueOf(t));
              verdict = new ProbeFailure(f.outcome(), f.kind(), "smtp: " + f.getMessage());
              return Future.succeededFuture(null);
            });
  }

  private static ProbeFailure flowFailure(TlsVerifier.Judgement j, String prefix) {
    return new ProbeFailure(j.outcome(), j.errorKind(), prefix + j.detail());
  }

  /** Searches until found or the deadline; then deletes and judges the delivery time. */
  private Future<Void> await(long acceptedNanos) {
    long byDeadline = acceptedNanos + TimeUnit.MILLISECONDS.toNanos(check.deadlineMs());
    long byTimeout =
        System.nanoTime()
            + TimeUnit.MILLISECONDS.toNanos(Math.max(0, run.remainingMs() - CLEANUP_RESERVE_MS));
    long until = Math.min(byDeadline, byTimeout);
    String criteria =
        "HEADER " + MailflowSubmission.HEADER + " " + Quoting.imapQuoted("id=" + runId);
    Promise<List<String>> found = Promise.promise();
    poll(criteria, until, 1, found);
    return found
        .future()
        .compose(
            uids -> {
              if (uids.isEmpty()) {
                long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - acceptedNanos);
                String why =
                    until < byDeadline ? " (the target's timeoutMs left no more time)" : "";
                verdict =
                    ProbeFailure.down(
                        ErrorKind.DELIVERY,
                        "delivery: not found in "
                            + check.imap().mailbox()
                            + " within "
                            + waited
                            + " ms after the SMTP server accepted it"
                            + why);
                return Future.succeededFuture();
              }
              judgeLatency(millisLong(acceptedNanos, System.nanoTime()));
              return delete(uids, "deleted").mapEmpty();
            });
  }

  private void judgeLatency(long deliveryMs) {
    run.fact("deliveryMs", String.valueOf(deliveryMs));
    Long limit = check.degradedAfterMs();
    if (limit != null && deliveryMs > limit && verdict == null) {
      verdict =
          new ProbeFailure(
              Outcome.DEGRADED,
              ErrorKind.LATENCY,
              "delivery: took " + deliveryMs + " ms (degradedAfterMs " + limit + ")");
    }
  }

  /** One NOOP + search now, then again after {@link #delayMs} until found or {@code until}. */
  private void poll(String criteria, long until, int n, Promise<List<String>> found) {
    run.phase("search");
    run.fact("polls", String.valueOf(n));
    search(criteria)
        .onComplete(
            ar -> {
              long leftMs = TimeUnit.NANOSECONDS.toMillis(until - System.nanoTime());
              if (ar.failed()) {
                found.fail(ar.cause());
              } else if (!ar.result().isEmpty() || leftMs <= 0 || n >= MAX_POLLS) {
                found.complete(ar.result());
              } else {
                vertx
                    .timer(Math.min(delayMs(n), leftMs), TimeUnit.MILLISECONDS)
                    .onComplete(t -> poll(criteria, until, n + 1, found));
              }
            });
  }

  /**
   * The wait after search {@code n}: 50, 100, 200 ms, then {@link #POLL_MS}; local delivery often
   * takes tens of milliseconds, and {@code deliveryMs} is only as fine as this step.
   */
  static long delayMs(int n) {
    return n >= 4 ? POLL_MS : Math.min(POLL_MS, FIRST_DELAY_MS << (n - 1));
  }

  /**
   * NOOP (so the server reports new mail, RFC 9051 §6.1.2), then UID SEARCH; the UIDs found, at
   * most {@link #MAX_DELETE}. A NO answer is a PROTOCOL failure: the server cannot be searched.
   */
  private Future<List<String>> search(String criteria) {
    return command("NOOP")
        .compose(v -> command("UID SEARCH " + criteria))
        .compose(
            t -> {
              if (!t.status().equals("OK")) {
                return Future.failedFuture(
                    ProbeFailure.protocol("UID SEARCH failed: " + LineRun.clip(t.line())));
              }
              return Future.succeededFuture(uids(t.untagged()));
            });
  }

  /** The UIDs of {@code * SEARCH n n n} lines (RFC 9051 §7.3.4 / RFC 3501 §7.2.5). */
  static List<String> uids(List<String> untagged) {
    List<String> out = new ArrayList<>();
    for (String line : untagged) {
      if (!line.toUpperCase(Locale.ROOT).startsWith("* SEARCH")) {
        continue;
      }
      for (String tok : line.substring(8).trim().split(" +")) {
        if (tok.matches("[0-9]{1,10}") && out.size() < MAX_DELETE) {
          out.add(tok);
        }
      }
    }
    return out;
  }

  /**
   * Flags {@code uids} \Deleted and expunges them: only them with UID EXPUNGE (RFC 4315), else with
   * EXPUNGE (which also removes what other clients flagged). Records how many went under {@code
   * fact}; a refusal is recorded, not fatal.
   */
  private Future<Integer> delete(List<String> uids, String fact) {
    if (uids.isEmpty()) {
      run.fact(fact, "0");
      return Future.succeededFuture(0);
    }
    run.phase("delete");
    String set = String.join(",", uids);
    String expunge = caps.contains("UIDPLUS") ? "UID EXPUNGE " + set : "EXPUNGE";
    return command("UID STORE " + set + " +FLAGS.SILENT (\\Deleted)")
        .compose(t -> t.status().equals("OK") ? command(expunge) : Future.succeededFuture(t))
        .map(
            t -> {
              boolean ok = t.status().equals("OK");
              run.fact(fact, ok ? String.valueOf(uids.size()) : "refused: " + t.line());
              return ok ? uids.size() : 0;
            });
  }

  private static String millis(long fromNanos, long toNanos) {
    return String.valueOf(millisLong(fromNanos, toNanos));
  }

  private static long millisLong(long fromNanos, long toNanos) {
    return TimeUnit.NANOSECONDS.toMillis(toNanos - fromNanos);
  }
}
