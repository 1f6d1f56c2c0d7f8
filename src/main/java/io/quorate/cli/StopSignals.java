package io.quorate.cli;

import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGTERM and SIGINT in {@code quorate run}: each handler notes which signal arrived, then hands
 * over to the JVM's own handler, which runs the shutdown hook (the graceful stop, ADR 0016). The
 * shutdown hook cannot tell why it runs; this lets it log the real signal. A signal ignored when
 * the JVM started (e.g. SIGINT under {@code nohup}) stays ignored.
 */
@SuppressWarnings("restriction")
final class StopSignals {
  private static final Logger LOG = LoggerFactory.getLogger(StopSignals.class);

  /** The signals that stop the agent. */
  static final String[] NAMES = {"TERM", "INT"};

  /** Logged when the JVM shuts down without a signal (e.g. {@code System.exit}). */
  static final String NONE = "none";

  private final AtomicReference<String> received = new AtomicReference<>();

  private StopSignals() {}

  /** Installs the handlers (sun.misc.Signal, module jdk.unsupported). */
  static StopSignals install() {
    StopSignals s = new StopSignals();
    for (String name : NAMES) {
      s.chain(name);
    }
    return s;
  }

  private void chain(String name) {
    AtomicReference<SignalHandler> previous = new AtomicReference<>();
    try {
      previous.set(
          Signal.handle(
              new Signal(name),
              sig -> {
                received.compareAndSet(null, sig.getName());
                forward(previous.get(), sig);
              }));
    } catch (IllegalArgumentException e) {
      LOG.warn("quorate signal-unavailable signal={} reason=\"{}\"", name, e.getMessage());
    }
  }

  /** The JVM's handler starts the shutdown; without one, exit as the JVM would (128 + n). */
  private static void forward(SignalHandler previous, Signal sig) {
    if (previous == SignalHandler.SIG_IGN) {
      return;
    }
    if (previous == null || previous == SignalHandler.SIG_DFL) {
      Runtime.getRuntime().exit(128 + sig.getNumber());
    } else {
      previous.handle(sig);
    }
  }

  /** The first stop signal received ({@code TERM}, {@code INT}), or {@value #NONE}. */
  String received() {
    String s = received.get();
    return s == null ? NONE : s;
  }
}
