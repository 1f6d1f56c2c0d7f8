package io.quorate.probe.mail;

import io.quorate.config.Check;
import io.quorate.config.ProbeType;
import io.quorate.config.Target;
import io.quorate.config.TlsPolicy;
import io.quorate.probe.Probe;
import io.quorate.probe.ProbeContext;
import io.quorate.probe.ProbeGuard;
import io.quorate.probe.ProbeResult;
import io.vertx.core.Future;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import java.util.function.Function;

/**
 * A probe that holds one {@link LineSession} per run (SMTP, IMAP, POP3, TCP): on an event loop it
 * starts a {@link LineRun}, connects, plays the protocol's dialog, then closes the socket and
 * builds the result ({@link LineRun#finish}). Subclasses supply only the dialog.
 *
 * <p>The run starts through {@link ProbeGuard}: a start-up that throws (a check of the wrong type,
 * a bug) is a DOWN result with INTERNAL, never a thrown exception or a future that never completes.
 * The dialog must run on an event loop: callbacks registered from another thread on an already
 * completed future run on that thread, racing the socket's own event loop.
 *
 * <p>Time limits (see {@link LineRun} and {@link PhaseLimit}): the whole run is bounded by {@code
 * timeoutMs}; connect and each TLS handshake by the time left; the greeting by 3/4 of {@code
 * timeoutMs}; each command reply by 1/2; login and opening the mailbox by 3/4; each phase at least
 * 1 s unless less time is left. A TIMEOUT's detail names the phase and its limit.
 *
 * @param <C> the check type of the targets this probe handles
 */
public abstract class LineProbe<C extends Check> implements Probe {
  private final ProbeContext ctx;
  private final NetClient client;
  private final ProbeType type;
  private final Class<C> checkType;
  private final Function<C, TlsPolicy> tlsPolicy;

  /**
   * @param tlsPolicy the check's policy for any TLS session of the run; it may return null ({@link
   *     TlsPolicy#DEFAULT})
   */
  protected LineProbe(
      ProbeContext ctx, ProbeType type, Class<C> checkType, Function<C, TlsPolicy> tlsPolicy) {
    this.ctx = ctx;
    this.type = type;
    this.checkType = checkType;
    this.tlsPolicy = tlsPolicy;
    this.client = ctx.vertx().createNetClient(new NetClientOptions().setTcpNoDelay(true));
  }

  @Override
  public final ProbeType type() {
    return type;
  }

  @Override
  public final Future<ProbeResult> run(Target target) {
    return ProbeGuard.onEventLoop(
        ctx,
        target,
        type.wireName() + "-probe",
        () -> {
          C check = target.check(checkType);
          LineRun run = new LineRun(ctx, target, tlsPolicy.apply(check));
          return run.finish(run.connect(client).compose(s -> dialog(run, check, target)));
        });
  }

  /** Everything after the TCP connect; fails with a {@link ProbeFailure} where it can. */
  protected abstract Future<Void> dialog(LineRun run, C check, Target target);
}
