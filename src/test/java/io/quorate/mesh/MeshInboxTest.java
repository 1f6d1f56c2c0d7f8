package io.quorate.mesh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quorate.config.Secret;
import io.quorate.mesh.MeshInbox.Accepted;
import io.quorate.mesh.MeshInbox.Rejected;
import io.quorate.mesh.MeshRejection.Reason;
import io.quorate.probe.ErrorKind;
import io.quorate.probe.Outcome;
import io.quorate.quorum.Status;
import io.quorate.quorum.Vote;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class MeshInboxTest {
  static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
  static final long MAX_SKEW = 60_000;
  static final String HASH = "ab".repeat(32);
  static final Secret US = new Secret("${env:US}", "us-east-key-000000000000000000000000");
  static final Secret AP = new Secret("${env:AP}", "ap-southeast-key-00000000000000000000");
  static final long SEQ = 1_700_000_000_000_000L;

  final MutableClock clock = new MutableClock(T0);
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final MeshInbox inbox = newInbox();

  MeshInbox newInbox() {
    Map<String, Secret> keys = new LinkedHashMap<>();
    keys.put("us-east", US);
    keys.put("ap-southeast", AP);
    return new MeshInbox(keys, MAX_SKEW, clock, HASH, new MeshMetrics(registry, "eu-west", clock));
  }

  static JsonObject vote(String target) {
    return MeshCodec.vote(
        new Vote(
            "us-east",
            target,
            Status.DOWN,
            T0.minusSeconds(30),
            SEQ + 7,
            T0,
            Outcome.DOWN,
            ErrorKind.REFUSED,
            "connection refused"));
  }

  static JsonObject message(long seq, Instant sentAt) {
    return new JsonObject()
        .put("region", "us-east")
        .put("seq", seq)
        .put("sentAt", sentAt.toString())
        .put("configHash", HASH)
        .put("votes", new JsonArray().add(vote("web-1")).add(vote("web-2")));
  }

  static String sig(Secret key, Buffer body) {
    return new MeshSigner(key).sign(body);
  }

  Object push(String region, Secret key, Buffer body) {
    return inbox.accept(region, key == null ? null : sig(key, body), body);
  }

  Object push(JsonObject m) {
    return push("us-east", US, m.toBuffer());
  }

  /** One bad push: header region, signing key, raw body, and the exact reason expected. */
  record Bad(String region, Secret key, String body, Reason reason) {
    static Bad json(UnaryOperator<JsonObject> edit, Reason reason) {
      return new Bad("us-east", US, edit.apply(message(SEQ, T0)).encode(), reason);
    }

    static Bad vote(UnaryOperator<JsonObject> edit) {
      return json(
          m -> m.put("votes", new JsonArray().add(edit.apply(MeshInboxTest.vote("a")))),
          Reason.MALFORMED);
    }
  }

  static Stream<Arguments> badPushes() {
    String good = message(SEQ, T0).encode();
    String deep = "[".repeat(5000) + "]".repeat(5000);
    String nested = "[".repeat(500) + "]".repeat(500);
    return Stream.of(
        Arguments.of("no signature", new Bad("us-east", null, good, Reason.BAD_SIGNATURE)),
        Arguments.of(
            "signed with another region's key", new Bad("us-east", AP, good, Reason.BAD_SIGNATURE)),
        Arguments.of("unknown region", new Bad("mars", US, good, Reason.UNKNOWN_REGION)),
        Arguments.of("no region header", new Bad(null, US, good, Reason.UNKNOWN_REGION)),
        Arguments.of("own region", new Bad("eu-west", US, good, Reason.UNKNOWN_REGION)),
        Arguments.of(
            "oversized",
            new Bad(
                "us-east", US, " ".repeat(MeshCodec.MAX_BODY_BYTES - 1) + "{}", Reason.TOO_LARGE)),
        Arguments.of("malformed JSON", new Bad("us-east", US, "{\"region\":", Reason.MALFORMED)),
        Arguments.of("not an object", new Bad("us-east", US, "[]", Reason.MALFORMED)),
        Arguments.of("empty body", new Bad("us-east", US, "", Reason.MALFORMED)),
        Arguments.of("5000-deep JSON", new Bad("us-east", US, deep, Reason.MALFORMED)),
        Arguments.of(
            "500-deep votes",
            Bad.json(m -> m.put("votes", new JsonArray(nested)), Reason.MALFORMED)),
        Arguments.of(
            "body region differs from header",
            Bad.json(m -> m.put("region", "ap-southeast"), Reason.MALFORMED)),
        Arguments.of("seq is a string", Bad.json(m -> m.put("seq", "1"), Reason.MALFORMED)),
        Arguments.of("seq is fractional", Bad.json(m -> m.put("seq", 1.5), Reason.MALFORMED)),
        Arguments.of("seq is zero", Bad.json(m -> m.put("seq", 0), Reason.MALFORMED)),
        Arguments.of(
            "seq beyond a long",
            Bad.json(
                m -> m.put("seq", new java.math.BigInteger("99999999999999999999")),
                Reason.MALFORMED)),
        Arguments.of(
            "sentAt not a time", Bad.json(m -> m.put("sentAt", "yesterday"), Reason.MALFORMED)),
        Arguments.of("votes not a list", Bad.json(m -> m.put("votes", "x"), Reason.MALFORMED)),
        Arguments.of(
            "missing configHash",
            Bad.json(
                m -> {
                  m.remove("configHash");
                  return m;
                },
                Reason.MALFORMED)),
        Arguments.of("unknown field", Bad.json(m -> m.put("extra", 1), Reason.MALFORMED)),
        Arguments.of(
            "vote not an object",
            Bad.json(m -> m.put("votes", new JsonArray().add(1)), Reason.MALFORMED)),
        Arguments.of(
            "vote missing detail",
            Bad.vote(
                v -> {
                  v.remove("detail");
                  return v;
                })),
        Arguments.of("vote unknown status", Bad.vote(v -> v.put("status", "SIDEWAYS"))),
        Arguments.of("vote status lower-case", Bad.vote(v -> v.put("status", "down"))),
        Arguments.of("vote target id invalid", Bad.vote(v -> v.put("targetId", "Web 1"))),
        Arguments.of("vote target id 64 chars", Bad.vote(v -> v.put("targetId", "a".repeat(64)))),
        Arguments.of("vote obsSeq negative", Bad.vote(v -> v.put("obsSeq", -1))),
        Arguments.of("vote unknown errorKind", Bad.vote(v -> v.put("errorKind", "gremlins"))),
        Arguments.of("vote detail 201 chars", Bad.vote(v -> v.put("detail", "x".repeat(201)))),
        Arguments.of("vote region field", Bad.vote(v -> v.put("region", "ap-southeast"))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badPushes")
  void badPushIsRejectedWithExactReason(String name, Bad bad) {
    Buffer body = Buffer.buffer(bad.body());
    Object r = push(bad.region(), bad.key(), body);
    Rejected rej = assertInstanceOf(Rejected.class, r, name);
    assertEquals(bad.reason(), rej.reason(), name + ": " + rej.detail());
    String peer = "us-east".equals(bad.region()) ? "us-east" : MeshInbox.UNKNOWN_PEER;
    assertEquals(peer, rej.peer());
    assertEquals(
        1.0,
        registry
            .counter(
                "quorate.mesh.rejected",
                "region",
                "eu-west",
                "peer",
                peer,
                "reason",
                bad.reason().wireName())
            .count());
    if (peer.equals("us-east")) {
      assertEquals(1L, inbox.view("us-east").rejected().get(bad.reason().wireName()));
      assertNull(inbox.view("us-east").lastAcceptedAt(), "a rejected message is not a sighting");
    } else {
      assertEquals(1L, inbox.unknownRejections().get(bad.reason().wireName()));
    }
  }

  @Test
  void validMessageIsAcceptedAndStampedWithReceiverClock() {
    clock.advance(Duration.ofSeconds(5)); // sender's clock 5 s behind: within maxSkew
    Accepted a = assertInstanceOf(Accepted.class, push(message(SEQ, T0)));
    assertEquals("us-east", a.peer());
    assertNull(a.previousAcceptedAt());
    assertEquals(2, a.message().votes().size());
    Vote v = a.message().votes().get(0);
    assertEquals("us-east", v.region());
    assertEquals(T0.plusSeconds(5), v.receivedAt());
    assertEquals(Status.DOWN, v.status());
    assertEquals(ErrorKind.REFUSED, v.errorKind());
    assertEquals(SEQ + 7, v.obsSeq());
    PeerLedger.View view = inbox.view("us-east");
    assertEquals(SEQ, view.lastSeq());
    assertEquals(T0.plusSeconds(5), view.lastAcceptedAt());
    assertEquals(-5_000L, view.offsetMs());
    assertEquals(SEQ + 7, view.maxObsSeq());
    assertTrue(view.configMatch());
  }

  @Test
  void replayedAndOlderSeqAreRefused() {
    assertInstanceOf(Accepted.class, push(message(SEQ, T0)));
    assertReason(Reason.REPLAY, push(message(SEQ, T0)));
    assertReason(Reason.REPLAY, push(message(SEQ - 1, T0)));
    Accepted next = assertInstanceOf(Accepted.class, push(message(SEQ + 1, T0)));
    assertEquals(T0, next.previousAcceptedAt());
    assertEquals(2L, inbox.view("us-east").rejected().get("replay"));
  }

  @Test
  void olderSeqsSentAfterAcceptedOnesAgainAndAgainAreAnIdentityClash() {
    // a second agent as us-east alternates with the first: its own clock-based numbers, each sent
    // later than the message accepted just before it
    assertInstanceOf(Accepted.class, push(message(SEQ, T0)));
    assertReason(Reason.REPLAY, push(message(SEQ - 1_000, T0.plusMillis(200))));
    assertInstanceOf(Accepted.class, push(message(SEQ + 1, T0.plusMillis(300))));
    assertReason(Reason.IDENTITY_CLASH, push(message(SEQ - 900, T0.plusMillis(400))));
    // the same message again, or an older one sent no later: an ordinary replay
    assertReason(Reason.REPLAY, push(message(SEQ + 1, T0.plusMillis(300))));
    Map<String, Long> counts = inbox.view("us-east").rejected();
    assertEquals(1L, counts.get("identity-clash"));
    assertEquals(2L, counts.get("replay"));
  }

  @Test
  void oneSenderNeverLooksLikeAClash() {
    assertInstanceOf(Accepted.class, push(message(SEQ, T0)));
    // one delayed message overtaken after a clock step back: once
    assertReason(Reason.REPLAY, push(message(SEQ - 1, T0.plusMillis(50))));
    // a restart whose seq floor was lost, clock behind: a run of refusals, nothing accepted between
    for (int i = 1; i <= 5; i++) {
      assertReason(Reason.REPLAY, push(message(SEQ - 100 + i, T0.plusMillis(100 * i))));
    }
    assertEquals(0L, inbox.view("us-east").rejected().get("identity-clash"));
  }

  @Test
  void sentAtBeyondMaxSkewEitherWayIsRefusedAndTheOffsetKept() {
    assertReason(Reason.SKEW, push(message(SEQ, T0.plusMillis(MAX_SKEW + 1))));
    assertEquals(MAX_SKEW + 1, inbox.view("us-east").offsetMs());
    assertReason(Reason.SKEW, push(message(SEQ + 1, T0.minusMillis(MAX_SKEW + 1))));
    assertEquals(-(MAX_SKEW + 1), inbox.view("us-east").offsetMs());
    assertEquals(2L, inbox.view("us-east").rejected().get("skew"));
    // A skewed message does not consume its seq: the same seq within skew is accepted.
    assertInstanceOf(Accepted.class, push(message(SEQ, T0.plusMillis(MAX_SKEW))));
    assertInstanceOf(Accepted.class, push(message(SEQ + 1, T0.minusMillis(MAX_SKEW))));
  }

  @Test
  void rejectedAuthenticMessagesSayAuthentic() {
    assertTrue(((Rejected) push(message(SEQ, T0.plusSeconds(120)))).authentic());
    assertFalse(((Rejected) push("us-east", AP, message(SEQ, T0).toBuffer())).authentic());
  }

  @Test
  void configHashMismatchIsRecordedButAccepted() {
    JsonObject m = message(SEQ, T0).put("configHash", "cd".repeat(32));
    assertInstanceOf(Accepted.class, push(m));
    assertFalse(inbox.view("us-east").configMatch());
    assertInstanceOf(Accepted.class, push(message(SEQ + 1, T0)));
    assertTrue(inbox.view("us-east").configMatch());
  }

  @Test
  void heartbeatWithoutVotesIsAccepted() {
    JsonObject m = message(SEQ, T0).put("votes", new JsonArray());
    Accepted a = assertInstanceOf(Accepted.class, push(m));
    assertTrue(a.message().heartbeat());
  }

  @Test
  void detailIsClippedTo200CharsOnEncodeWithoutSplittingASurrogatePair() {
    String detail = "x".repeat(199) + "\uD83D\uDE00" + "y".repeat(50);
    Vote v = new Vote("us-east", "a", Status.UP, null, 1, T0, Outcome.UP, null, detail);
    String clipped = MeshCodec.vote(v).getString("detail");
    assertEquals("x".repeat(199), clipped);
    JsonObject m = message(SEQ, T0).put("votes", new JsonArray().add(MeshCodec.vote(v)));
    Accepted a = assertInstanceOf(Accepted.class, push(m));
    assertNull(a.message().votes().get(0).since());
    assertNull(a.message().votes().get(0).errorKind());
  }

  @Test
  void codecRoundTrip() throws MeshRejection {
    MeshCodec codec = new MeshCodec();
    Vote v =
        new Vote(
            "us-east",
            "web-1",
            Status.DEGRADED,
            T0,
            42,
            T0,
            Outcome.DEGRADED,
            ErrorKind.DNS_RCODE,
            "SERVFAIL");
    MeshMessage m = new MeshMessage("us-east", SEQ, T0, HASH, List.of(v));
    MeshMessage back = codec.decode(codec.encode(m), T0.plusSeconds(1));
    assertEquals(v.receivedAt(T0.plusSeconds(1)), back.votes().get(0));
    assertEquals(m.seq(), back.seq());
    assertEquals(m.sentAt(), back.sentAt());
  }

  @Test
  void receiptsRoundTripAndAreOptionalOnTheWire() throws MeshRejection {
    MeshCodec codec = new MeshCodec();
    MeshMessage none = new MeshMessage("us-east", SEQ, T0, HASH, List.of());
    assertTrue(!codec.encode(none).toString().contains("receipts"), "omitted when empty");
    MeshMessage.Receipt r = new MeshMessage.Receipt("evt_abc", "ops-hook");
    MeshMessage m = new MeshMessage("us-east", SEQ, T0, HASH, List.of(), List.of(r));
    assertEquals(List.of(r), codec.decode(codec.encode(m), T0).receipts());
    JsonObject bad =
        message(SEQ, T0).put("receipts", new JsonArray().add(new JsonObject().put("event", "x")));
    assertThrows(MeshRejection.class, () -> codec.decode(bad.toBuffer(), T0), "channel missing");
    JsonObject extra =
        message(SEQ, T0)
            .put(
                "receipts",
                new JsonArray()
                    .add(new JsonObject().put("event", "x").put("channel", "c").put("n", 1)));
    assertThrows(MeshRejection.class, () -> codec.decode(extra.toBuffer(), T0), "unknown field");
    JsonObject notList = message(SEQ, T0).put("receipts", "x");
    assertThrows(MeshRejection.class, () -> codec.decode(notList.toBuffer(), T0));
  }

  @Test
  void pullRequestsAreAuthenticatedAndDateChecked() {
    String path = "/api/v1/mesh/observations?since=0&nonce=abcdefghijklmnop";
    String date = T0.toString();
    String good = new MeshSigner(US).sign(MeshSigner.requestBytes("GET", path, date));
    assertNull(inbox.authorizePull("us-east", date, good, path));
    assertEquals(Reason.UNKNOWN_REGION, inbox.authorizePull("mars", date, good, path).reason());
    assertEquals(
        Reason.BAD_SIGNATURE, inbox.authorizePull("us-east", date, good, path + "0").reason());
    assertEquals(Reason.BAD_SIGNATURE, inbox.authorizePull("us-east", null, good, path).reason());
    String late = T0.plusMillis(MAX_SKEW + 1).toString();
    String lateSig = new MeshSigner(US).sign(MeshSigner.requestBytes("GET", path, late));
    assertEquals(Reason.SKEW, inbox.authorizePull("us-east", late, lateSig, path).reason());
    String junk = "soon";
    String junkSig = new MeshSigner(US).sign(MeshSigner.requestBytes("GET", path, junk));
    assertEquals(Reason.MALFORMED, inbox.authorizePull("us-east", junk, junkSig, path).reason());
  }

  @Test
  void rejectionsAreCountedPerPeerAndReason() {
    for (int i = 0; i < 3; i++) {
      push("ap-southeast", US, message(SEQ, T0).toBuffer());
    }
    Map<String, Long> counts = inbox.view("ap-southeast").rejected();
    assertEquals(3L, counts.get("bad-signature"));
    assertEquals(
        List.of(
            "unknown-region",
            "bad-signature",
            "replay",
            "skew",
            "too-large",
            "malformed",
            "identity-clash"),
        List.copyOf(counts.keySet()));
    assertEquals(0L, inbox.view("us-east").rejected().get("bad-signature"));
  }

  private static void assertReason(Reason expected, Object r) {
    Rejected rej = assertInstanceOf(Rejected.class, r);
    assertEquals(expected, rej.reason(), rej.detail());
  }
}
