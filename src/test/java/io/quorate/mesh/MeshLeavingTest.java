package io.quorate.mesh;

import static io.quorate.mesh.MeshInboxTest.AP;
import static io.quorate.mesh.MeshInboxTest.HASH;
import static io.quorate.mesh.MeshInboxTest.SEQ;
import static io.quorate.mesh.MeshInboxTest.T0;
import static io.quorate.mesh.MeshInboxTest.US;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorate.mesh.MeshInbox.Accepted;
import io.quorate.mesh.MeshInbox.Rejected;
import io.quorate.mesh.MeshRejection.Reason;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The {@code leaving} flag of a graceful stop (ADR 0016): sent only as {@code true} in the final
 * message, decoded strictly, accepted only through every usual check, and it marks the peer as left
 * until its next accepted message.
 */
class MeshLeavingTest {
  final MeshCodec codec = new MeshCodec();
  final MeshInboxTest base = new MeshInboxTest();
  final MeshInbox inbox = base.inbox;

  private static MeshMessage message(long seq, boolean leaving) {
    return new MeshMessage(
        "us-east", seq, T0, HASH, List.of(), List.of(), List.of(), List.of(), leaving);
  }

  private static JsonObject leavingJson(long seq) {
    return MeshInboxTest.message(seq, T0).put("leaving", true);
  }

  @Test
  void sentOnlyWhenLeavingAndRoundTrips() throws MeshRejection {
    assertFalse(codec.encode(message(SEQ, false)).toString().contains("leaving"));
    Buffer leaving = codec.encode(message(SEQ, true));
    assertEquals(Boolean.TRUE, leaving.toJsonObject().getValue("leaving"));
    assertTrue(codec.decode(leaving, T0).leaving());
    assertFalse(codec.decode(codec.encode(message(SEQ, false)), T0).leaving());
  }

  @Test
  void onlyTrueIsAValue() {
    for (Object bad : new Object[] {false, "true", 1, new JsonObject()}) {
      JsonObject m = MeshInboxTest.message(SEQ, T0).put("leaving", bad);
      MeshRejection e =
          assertThrows(MeshRejection.class, () -> codec.decode(m.toBuffer(), T0), "" + bad);
      assertEquals(Reason.MALFORMED, e.reason());
      assertEquals("message.leaving: must be true when present", e.detail());
    }
    JsonObject nul = MeshInboxTest.message(SEQ, T0).putNull("leaving");
    assertThrows(MeshRejection.class, () -> codec.decode(nul.toBuffer(), T0));
  }

  @Test
  void acceptedLeavingMarksThePeerLeftUntilItSpeaksAgain() {
    Accepted a = assertInstanceOf(Accepted.class, base.push(leavingJson(SEQ)));
    assertTrue(a.message().leaving());
    assertEquals(2, a.message().votes().size(), "the final message still delivers its votes");
    assertTrue(inbox.left("us-east"));
    assertEquals(T0, inbox.view("us-east").leftAt());
    assertFalse(inbox.left("ap-southeast"));

    // a pull that crossed the leaving message does not make it a sighting of a live peer
    assertEquals(T0, inbox.heardByPull("us-east", SEQ, T0.plusSeconds(1)));
    assertEquals(T0, inbox.view("us-east").lastAcceptedAt());

    // back after a restart: the next accepted message clears it, and it was not live before
    base.clock.advance(Duration.ofSeconds(2));
    Accepted back = assertInstanceOf(Accepted.class, base.push(MeshInboxTest.message(SEQ + 1, T0)));
    assertNull(back.previousAcceptedAt(), "a peer that left counts as not live: catch-up pull");
    assertFalse(inbox.left("us-east"));
    assertNull(inbox.view("us-east").leftAt());
  }

  @Test
  void leavingGoesThroughEveryCheck() {
    Buffer body = leavingJson(SEQ).toBuffer();
    Rejected forged = assertInstanceOf(Rejected.class, base.push("us-east", AP, body));
    assertEquals(Reason.BAD_SIGNATURE, forged.reason());
    assertFalse(inbox.left("us-east"), "an unsigned leave cannot drop a peer");

    Rejected unknown = assertInstanceOf(Rejected.class, base.push("mars", US, body));
    assertEquals(Reason.UNKNOWN_REGION, unknown.reason());

    assertInstanceOf(Accepted.class, base.push(MeshInboxTest.message(SEQ + 5, T0)));
    Rejected replay = assertInstanceOf(Rejected.class, base.push(leavingJson(SEQ)));
    assertEquals(Reason.REPLAY, replay.reason());
    assertFalse(inbox.left("us-east"), "a replayed leave cannot drop a live peer");

    JsonObject skewed =
        MeshInboxTest.message(SEQ + 6, T0.minusMillis(MeshInboxTest.MAX_SKEW + 1))
            .put("leaving", true);
    Rejected skew = assertInstanceOf(Rejected.class, base.push(skewed));
    assertEquals(Reason.SKEW, skew.reason());
    assertFalse(inbox.left("us-east"));
  }
}
