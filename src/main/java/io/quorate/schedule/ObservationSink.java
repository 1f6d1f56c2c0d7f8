package io.quorate.schedule;

import io.quorate.config.Target;
import io.quorate.quorum.Observation;

/** Where the scheduler delivers each finished observation; called on the scheduler's context. */
@FunctionalInterface
public interface ObservationSink {
  void accept(Target target, Observation observation);
}
