package io.quorate.store;

import static io.quorate.store.DatabaseTest.await;

import io.quorate.quorum.Status;
import io.quorate.quorum.Verdict;
import io.quorate.quorum.VerdictChange;
import java.time.Instant;
import java.util.List;

/** Records a bare verdict transition at a given time (for retention tests). */
final class VerdictHistoryRows {
  private VerdictHistoryRows() {}

  static void record(VerdictHistory h, String target, Status from, Status to, String at)
      throws Exception {
    await(
        h.record(
            new VerdictChange(
                new Verdict(target, from, null, 0, false, 1, List.of()),
                new Verdict(target, to, Instant.parse(at), 1, false, 1, List.of()))));
  }
}
