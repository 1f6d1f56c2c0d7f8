package io.quorate.mesh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorate.probe.Outcome;
import io.quorate.quorum.Status;
import io.quorate.quorum.Vote;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Maintenance on the mesh (ADR 0014): a vote never carries MAINTENANCE (only the overlay shows it),
 * and shared maintenance windows are optional, round-trip, strict and bounded.
 */
class MeshCodecMaintenanceTest {
  static final Instant T0 = MeshInboxTest.T0;
  final MeshCodec codec = new MeshCodec();

  static MeshMessage.Window window(boolean deleted) {
    return new MeshMessage.Window(
        "db-patch",
        "Patch the database",
        "",
        List.of("db-1", "db-2"),
        List.of("web"),
        T0,
        T0.plusSeconds(3600),
        null,
        "FREEZE",
        true,
        T0.minusSeconds(5),
        deleted);
  }

  private static MeshMessage withWindows(List<MeshMessage.Window> windows) {
    return new MeshMessage(
        "us-east",
        MeshInboxTest.SEQ,
        T0,
        MeshInboxTest.HASH,
        List.of(),
        List.of(),
        List.of(),
        windows,
        false);
  }

  private void rejected(String why, UnaryOperator<JsonObject> edit) {
    JsonObject m =
        MeshInboxTest.message(MeshInboxTest.SEQ, T0)
            .put("windows", new JsonArray().add(edit.apply(MeshCodec.window(window(false)))));
    MeshRejection e = assertThrows(MeshRejection.class, () -> codec.decode(m.toBuffer(), T0), why);
    assertEquals(MeshRejection.Reason.MALFORMED, e.reason(), why);
  }

  @Test
  void aVoteWithStatusMaintenanceIsRefused() throws MeshRejection {
    Vote v = new Vote("us-east", "web-1", Status.DOWN, T0, 7, T0, Outcome.DOWN, null, "refused");
    JsonObject m =
        MeshInboxTest.message(MeshInboxTest.SEQ, T0)
            .put("votes", new JsonArray().add(MeshCodec.vote(v)));
    assertEquals(Status.DOWN, codec.decode(m.toBuffer(), T0).votes().get(0).status());
    m.getJsonArray("votes").getJsonObject(0).put("status", "MAINTENANCE");
    MeshRejection e = assertThrows(MeshRejection.class, () -> codec.decode(m.toBuffer(), T0));
    assertEquals(MeshRejection.Reason.MALFORMED, e.reason());
    assertEquals("votes[0].status: MAINTENANCE is never a vote", e.detail());
  }

  @Test
  void windowsRoundTripAndAreOmittedWhenEmpty() throws MeshRejection {
    assertFalse(codec.encode(withWindows(List.of())).toString().contains("windows"));
    List<MeshMessage.Window> both = List.of(window(false), window(true));
    assertEquals(both, codec.decode(codec.encode(withWindows(both)), T0).windows());
  }

  @Test
  void lastWriterWinsAndATombstoneWinsATie() {
    MeshMessage.Window live = window(false);
    MeshMessage.Window tomb = live.delete(live.updatedAt());
    assertTrue(live.olderThan(tomb));
    assertFalse(tomb.olderThan(live));
    assertFalse(live.olderThan(live));
    assertTrue(tomb.olderThan(live.delete(live.updatedAt().plusMillis(1))));
  }

  @Test
  void strictShape() {
    rejected("extra key", o -> o.put("x", 1));
    rejected(
        "missing key",
        o -> {
          o.remove("announce");
          return o;
        });
    rejected("bad id", o -> o.put("id", "DB Patch"));
    rejected("bad target id", o -> o.put("targets", new JsonArray().add("Db 1")));
    rejected("title too long", o -> o.put("title", "t".repeat(MeshCodec.MAX_TITLE + 1)));
    rejected("unknown failover", o -> o.put("failover", "MAYBE"));
    rejected("end before start", o -> o.put("end", T0.minusSeconds(1).toString()));
    rejected("neither one-off nor recurring", o -> o.put("start", null));
    rejected("both one-off and recurring", o -> o.put("every", "daily 02:00-03:00 UTC"));
    rejected("deleted not a boolean", o -> o.put("deleted", "no"));
    JsonArray many = new JsonArray();
    for (int i = 0; i <= MeshCodec.MAX_WINDOW_IDS; i++) {
      many.add("t" + i);
    }
    rejected("too many targets", o -> o.put("targets", many));
    JsonArray windows = new JsonArray();
    for (int i = 0; i <= MeshCodec.MAX_WINDOWS; i++) {
      windows.add(MeshCodec.window(window(false)));
    }
    JsonObject m = MeshInboxTest.message(MeshInboxTest.SEQ, T0).put("windows", windows);
    assertThrows(MeshRejection.class, () -> codec.decode(m.toBuffer(), T0), "too many windows");
  }
}
