package io.quorate.mesh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Heartbeat pings on mesh messages: optional, round-trip, strict shape, bounded. */
class MeshPingsCodecTest {
  static final Instant T0 = MeshInboxTest.T0;
  final MeshCodec codec = new MeshCodec();

  private static MeshMessage withPings(List<MeshMessage.Ping> pings) {
    return new MeshMessage(
        "us-east", MeshInboxTest.SEQ, T0, MeshInboxTest.HASH, List.of(), List.of(), pings);
  }

  private static JsonObject ping() {
    return new JsonObject()
        .put("target", "backup")
        .put("at", T0.toString())
        .put("ok", false)
        .put("msg", "disk full");
  }

  private void rejected(String why, UnaryOperator<JsonObject> edit) {
    JsonObject m =
        MeshInboxTest.message(MeshInboxTest.SEQ, T0)
            .put("pings", new JsonArray().add(edit.apply(ping())));
    MeshRejection e = assertThrows(MeshRejection.class, () -> codec.decode(m.toBuffer(), T0), why);
    assertEquals(MeshRejection.Reason.MALFORMED, e.reason(), why);
  }

  @Test
  void roundTripAndOmittedWhenEmpty() throws MeshRejection {
    assertFalse(codec.encode(withPings(List.of())).toString().contains("pings"));
    MeshMessage.Ping p = new MeshMessage.Ping("backup", T0.minusSeconds(1), true, "");
    MeshMessage.Ping f = new MeshMessage.Ping("db-dump", T0, false, "exit 2");
    assertEquals(List.of(p, f), codec.decode(codec.encode(withPings(List.of(p, f))), T0).pings());
  }

  @Test
  void strictShape() {
    rejected(
        "target missing",
        o -> {
          o.remove("target");
          return o;
        });
    rejected("bad target id", o -> o.put("target", "Backup Job"));
    rejected("extra key", o -> o.put("n", 1));
    rejected("ok not a boolean", o -> o.put("ok", "false"));
    rejected("bad time", o -> o.put("at", "yesterday"));
    rejected("msg too long", o -> o.put("msg", "m".repeat(MeshCodec.MAX_PING_MSG + 1)));
    rejected("msg null", o -> o.putNull("msg"));
    rejected("ok an object", o -> o.put("ok", new JsonObject()));
  }

  @Test
  void boundedCount() {
    JsonArray many = new JsonArray();
    for (int i = 0; i <= MeshCodec.MAX_PINGS; i++) {
      many.add(ping());
    }
    JsonObject m = MeshInboxTest.message(MeshInboxTest.SEQ, T0).put("pings", many);
    assertThrows(MeshRejection.class, () -> codec.decode(m.toBuffer(), T0));
    JsonObject notObject =
        MeshInboxTest.message(MeshInboxTest.SEQ, T0).put("pings", new JsonArray().add("backup"));
    assertThrows(MeshRejection.class, () -> codec.decode(notObject.toBuffer(), T0));
    JsonObject notList = MeshInboxTest.message(MeshInboxTest.SEQ, T0).put("pings", "x");
    assertThrows(MeshRejection.class, () -> codec.decode(notList.toBuffer(), T0));
  }
}
