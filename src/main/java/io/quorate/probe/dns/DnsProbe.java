package io.quorate.probe.dns;

import io.quorate.config.DnsCheck;
import io.quorate.config.ProbeType;
import io.quorate.config.Target;
import io.quorate.probe.ErrorKind;
import io.quorate.probe.Outcome;
import io.quorate.probe.Probe;
import io.quorate.probe.ProbeContext;
import io.quorate.probe.ProbeResult;
import io.quorate.probe.Timings;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.net.InetAddress;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * The {@code dns} probe: one query at one server with checks on RCODE, AA and the answer RRset, or
 * (when {@link DnsCheck#consistency()} is set) a SOA serial comparison across a zone's servers.
 *
 * <p>UDP by default with a TCP retry on truncation (RFC 7766 §5); see {@link DnsTransport}. The
 * whole probe, retries and all, runs within {@link Target#timeoutMs()}.
 */
public final class DnsProbe implements Probe {
  private static final Logger LOG = LoggerFactory.getLogger(DnsProbe.class);

  /** How long after the deadline the watchdog ends a probe that has not ended itself. */
  static final long WATCHDOG_GRACE_MS = 50;

  /** Distinct checks whose parsed form and encoded query are kept. */
  static final int MAX_PREPARED = 16_384;

  private final ProbeContext ctx;
  private final DnsTransport transport;
  private final ZoneConsistency consistency;
  private final Map<DnsCheck, Prepared> prepared = new ConcurrentHashMap<>();

  public DnsProbe(ProbeContext ctx) {
    this(ctx, new DnsTransport(ctx.vertx()));
  }

  /** With another host-name resolver (tests: no lookup may leave loopback). */
  DnsProbe(ProbeContext ctx, Function<String, Future<InetAddress>> resolver) {
    this(ctx, new DnsTransport(ctx.vertx(), resolver));
  }

  private DnsProbe(ProbeContext ctx, DnsTransport transport) {
    this.ctx = ctx;
    this.transport = transport;
    this.consistency = new ZoneConsistency(transport);
  }

  @Override
  public ProbeType type() {
    return ProbeType.DNS;
  }

  @Override
  public Future<ProbeResult> run(Target target) {
    Attempt at = new Attempt(target, ctx.clock().instant(), System.nanoTime());
    Future<ProbeResult> result;
    try {
      DnsCheck check = target.check(DnsCheck.class);
      result = check.consistency() != null ? consistency.run(at, check) : single(at, check);
    } catch (DnsProbeException e) { // a bad check (unknown type, invalid name): report, not throw
      result = Future.failedFuture(e);
    } catch (RuntimeException e) { // e.g. a check of another type
      result = Future.failedFuture(new DnsProbeException(ErrorKind.INTERNAL, "bad check: " + e));
    }
    return watched(at, result.recover(e -> Future.succeededFuture(failed(at, e))));
  }

  /**
   * Every step (resolution, UDP, TCP) ends itself at the deadline and says why; the watchdog fires
   * {@link #WATCHDOG_GRACE_MS} later, so those precise reasons win, and guarantees the future
   * completes even if some step did not.
   */
  private Future<ProbeResult> watched(Attempt at, Future<ProbeResult> result) {
    if (result.isComplete()) {
      return result;
    }
    Promise<ProbeResult> out = Promise.promise();
    long timer =
        ctx.vertx()
            .setTimer(
                Math.max(1, at.target.timeoutMs()) + WATCHDOG_GRACE_MS,
                id -> {
                  LOG.warn("dns probe target={} watchdog fired", at.target.id());
                  String detail = "timed out after " + at.target.timeoutMs() + " ms";
                  out.tryComplete(failed(at, new DnsProbeException(ErrorKind.TIMEOUT, detail)));
                });
    result.onComplete(
        ar -> {
          ctx.vertx().cancelTimer(timer);
          out.tryComplete(ar.result());
        });
    return out.future();
  }

  private Future<ProbeResult> single(Attempt at, DnsCheck check) {
    Prepared p = prepared(check);
    return transport
        .resolve(at.target.address(), at.deadline)
        .compose(ip -> transport.query(ip, at.target.port(), p.query, p.forceTcp, at.deadline))
        .map(ex -> judge(at, check, p.name, p.type, p.expectRcode, ex));
  }

  /** The check parsed and its query encoded once; a bad check throws and is not kept. */
  private Prepared prepared(DnsCheck check) {
    Prepared p = prepared.get(check);
    if (p == null) {
      p = Prepared.of(check);
      if (prepared.size() >= MAX_PREPARED) {
        prepared.clear(); // bounded: more distinct checks than this only costs re-encoding
      }
      prepared.put(check, p);
    }
    return p;
  }

  private ProbeResult judge(
      Attempt at, DnsCheck check, Name name, int type, int expectRcode, DnsExchange ex) {
    Message r = ex.response();
    Timings timings = new Timings(ex.connectMs(), null, ex.firstByteMs(), at.elapsedMs());
    Map<String, String> facts = new LinkedHashMap<>();
    facts.put("rcode", Rcode.string(r.getRcode()));
    facts.put("answers", Integer.toString(r.getSection(Section.ANSWER).size()));
    facts.put("server", at.server());
    facts.put("transport", ex.transport());
    facts.put("aa", Boolean.toString(r.getHeader().getFlag(Flags.AA)));
    if (ex.truncatedRetry()) {
      facts.put("truncated", "true");
    }
    ErrorKind kind = null;
    String detail;
    List<Record> rrset = DnsMessages.rrset(r, name, type);
    if (r.getRcode() != expectRcode) {
      kind = ErrorKind.DNS_RCODE;
      detail =
          "rcode " + Rcode.string(r.getRcode()) + " (expected " + Rcode.string(expectRcode) + ")";
    } else if (check.authoritative() && !r.getHeader().getFlag(Flags.AA)) {
      kind = ErrorKind.ASSERTION;
      detail = "answer is not authoritative (AA clear)";
    } else {
      detail = AnswerCheck.violation(check.answer(), rrset);
      kind = detail == null ? null : ErrorKind.ASSERTION;
    }
    if (kind == null) {
      detail =
          Rcode.string(r.getRcode()) + " " + AnswerCheck.show(rrset) + " via " + ex.transport();
      return ProbeResult.up(at.target.id(), detail, at.startedAt, timings, null, facts);
    }
    return new ProbeResult(
        at.target.id(), Outcome.DOWN, kind, detail, at.startedAt, timings, null, facts);
  }

  private static ProbeResult failed(Attempt at, Throwable e) {
    DnsProbeException d =
        e instanceof RuntimeException
                && !(e instanceof DnsProbeException)
                && !(e instanceof io.vertx.core.VertxException)
            ? new DnsProbeException(
                ErrorKind.INTERNAL, "prober error: " + e) // a bug, not the server
            : DnsProbeException.of("dns", e);
    if (d.kind() == ErrorKind.INTERNAL) {
      LOG.warn("dns probe target={} error={}", at.target.id(), e.toString());
    }
    return new ProbeResult(
        at.target.id(),
        Outcome.DOWN,
        d.kind(),
        d.detail(),
        at.startedAt,
        Timings.total(at.elapsedMs()),
        null,
        Map.of("server", at.server()));
  }

  /** A check's name, type, expected RCODE and transport, parsed once, and its encoded query. */
  private record Prepared(
      Name name, int type, int expectRcode, boolean forceTcp, EncodedQuery query) {
    static Prepared of(DnsCheck check) {
      Name name = DnsMessages.name(check.name());
      int type = DnsMessages.type(check.qtype());
      int expectRcode =
          DnsMessages.rcode(
              check.expectRcode() == null ? DnsCheck.DEFAULT_RCODE : check.expectRcode());
      boolean forceTcp = "tcp".equalsIgnoreCase(check.transport());
      // each exchange sends it under an ID of its own (EncodedQuery): the template's is unused
      Message query = DnsMessages.query(name, type, check.recursionDesired());
      return new Prepared(name, type, expectRcode, forceTcp, EncodedQuery.of(query));
    }
  }

  /** One run of the probe: its target, start times and absolute deadline. */
  static final class Attempt {
    final Target target;
    final Instant startedAt;
    final long startNanos;
    final long deadline;

    Attempt(Target target, Instant startedAt, long startNanos) {
      this.target = target;
      this.startedAt = startedAt;
      this.startNanos = startNanos;
      this.deadline = startNanos + TimeUnit.MILLISECONDS.toNanos(target.timeoutMs());
    }

    double elapsedMs() {
      return Timings.millisBetween(startNanos, System.nanoTime());
    }

    String server() {
      return ServerAddress.label(target.address(), target.port());
    }
  }
}
