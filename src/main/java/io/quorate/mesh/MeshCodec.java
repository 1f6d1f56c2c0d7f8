package io.quorate.mesh;

import static io.quorate.mesh.StrictJson.malformed;

import io.quorate.mesh.MeshRejection.Reason;
import io.quorate.probe.ErrorKind;
import io.quorate.probe.Outcome;
import io.quorate.quorum.Status;
import io.quorate.quorum.Vote;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * JSON wire format of the mesh (ADR 0005). Decoding is strict: the body size is checked before
 * parsing, keys must be exactly the expected ones, ids must be valid, and any deviation is a {@link
 * MeshRejection} ({@code too-large} or {@code malformed}). Stateless and thread-safe.
 */
public final class MeshCodec {
  /** Bodies above this are refused before parsing. */
  public static final int MAX_BODY_BYTES = 1024 * 1024;

  /** Votes per message (or pull page) above this are refused. */
  public static final int MAX_VOTES = 20_000;

  /** Vote details are clipped to this many characters. */
  public static final int MAX_DETAIL = 200;

  private static final int MAX_HASH = 128;
  private static final int MAX_NONCE = 64;
  private static final Set<String> MESSAGE_KEYS =
      Set.of("region", "seq", "sentAt", "configHash", "votes");
  private static final Set<String> VOTE_KEYS =
      Set.of("targetId", "status", "since", "obsSeq", "outcome", "errorKind", "detail");
  private static final Set<String> ACK_KEYS = Set.of("region", "seq", "receivedAt");
  private static final Set<String> PULL_KEYS = Set.of("region", "nonce", "votes", "more");

  /** The receiver's acknowledgement of a message, signed by the receiver. */
  public record Ack(String region, long seq, Instant receivedAt) {}

  /** One page of a pull: the responder's own votes, the echoed nonce, whether more follow. */
  public record PullPage(String region, String nonce, List<Vote> votes, boolean more) {
    public PullPage {
      votes = List.copyOf(votes);
    }
  }

  /** Receipts per message at most. */
  public static final int MAX_RECEIPTS = 1_000;

  private static final int MAX_RECEIPT_FIELD = 100;
  private static final Set<String> RECEIPT_KEYS = Set.of("event", "channel");

  /** Heartbeat pings per message at most. */
  public static final int MAX_PINGS = 1_000;

  /** Longest ping message relayed (the API accepts no longer). */
  public static final int MAX_PING_MSG = 200;

  private static final Set<String> PING_KEYS = Set.of("target", "at", "ok", "msg");

  public Buffer encode(MeshMessage m) {
    JsonObject o =
        new JsonObject()
            .put("region", m.region())
            .put("seq", m.seq())
            .put("sentAt", m.sentAt().toString())
            .put("configHash", m.configHash())
            .put("votes", votes(m.votes()));
    if (!m.receipts().isEmpty()) {
      JsonArray a = new JsonArray();
      m.receipts()
          .forEach(
              r -> a.add(new JsonObject().put("event", r.eventId()).put("channel", r.channel())));
      o.put("receipts", a);
    }
    if (!m.pings().isEmpty()) {
      JsonArray a = new JsonArray();
      m.pings()
          .forEach(
              p ->
                  a.add(
                      new JsonObject()
                          .put("target", p.target())
                          .put("at", p.at().toString())
                          .put("ok", p.ok())
                          .put("msg", p.msg())));
      o.put("pings", a);
    }
    return o.toBuffer();
  }

  private static List<MeshMessage.Ping> pings(JsonObject o) throws MeshRejection {
    if (!o.containsKey("pings")) {
      return List.of();
    }
    JsonArray a = StrictJson.array(o, "pings", MAX_PINGS, "message");
    List<MeshMessage.Ping> out = new ArrayList<>(a.size());
    for (int i = 0; i < a.size(); i++) {
      String where = "pings[" + i + "]";
      if (!(a.getValue(i) instanceof JsonObject p)) {
        throw malformed(where + ": must be an object");
      }
      StrictJson.exactKeys(p, PING_KEYS, where);
      out.add(
          new MeshMessage.Ping(
              StrictJson.id(p, "target", where),
              StrictJson.instant(p, "at", false, where),
              StrictJson.bool(p, "ok", where),
              StrictJson.string(p, "msg", MAX_PING_MSG, false, where)));
    }
    return out;
  }

  private static List<MeshMessage.Receipt> receipts(JsonObject o) throws MeshRejection {
    if (!o.containsKey("receipts")) {
      return List.of();
    }
    JsonArray a = StrictJson.array(o, "receipts", MAX_RECEIPTS, "message");
    List<MeshMessage.Receipt> out = new ArrayList<>(a.size());
    for (int i = 0; i < a.size(); i++) {
      String where = "receipts[" + i + "]";
      if (!(a.getValue(i) instanceof JsonObject r)) {
        throw malformed(where + ": must be an object");
      }
      StrictJson.exactKeys(r, RECEIPT_KEYS, where);
      out.add(
          new MeshMessage.Receipt(
              StrictJson.string(r, "event", MAX_RECEIPT_FIELD, false, where),
              StrictJson.string(r, "channel", MAX_RECEIPT_FIELD, false, where)));
    }
    return out;
  }

  /**
   * Decodes a pushed message; its votes are stamped as received at {@code receivedAt} (the
   * receiver's clock) and attributed to the message's region.
   */
  public MeshMessage decode(Buffer body, Instant receivedAt) throws MeshRejection {
    JsonObject o = parse(body);
    List<MeshMessage.Receipt> receipts = receipts(o);
    o.remove("receipts");
    List<MeshMessage.Ping> pings = pings(o);
    o.remove("pings");
    StrictJson.exactKeys(o, MESSAGE_KEYS, "message");
    String region = StrictJson.id(o, "region", "message");
    long seq = StrictJson.positiveLong(o, "seq", "message");
    Instant sentAt = StrictJson.instant(o, "sentAt", false, "message");
    String hash = StrictJson.string(o, "configHash", MAX_HASH, false, "message");
    List<Vote> votes =
        votes(StrictJson.array(o, "votes", MAX_VOTES, "message"), region, receivedAt);
    return new MeshMessage(region, seq, sentAt, hash, votes, receipts, pings);
  }

  public Buffer encodeAck(Ack a) {
    return new JsonObject()
        .put("region", a.region())
        .put("seq", a.seq())
        .put("receivedAt", a.receivedAt().toString())
        .toBuffer();
  }

  public Ack decodeAck(Buffer body) throws MeshRejection {
    JsonObject o = parse(body);
    StrictJson.exactKeys(o, ACK_KEYS, "ack");
    return new Ack(
        StrictJson.id(o, "region", "ack"),
        StrictJson.positiveLong(o, "seq", "ack"),
        StrictJson.instant(o, "receivedAt", false, "ack"));
  }

  public Buffer encodePull(PullPage p) {
    return new JsonObject()
        .put("region", p.region())
        .put("nonce", p.nonce())
        .put("votes", votes(p.votes()))
        .put("more", p.more())
        .toBuffer();
  }

  public PullPage decodePull(Buffer body, Instant receivedAt) throws MeshRejection {
    JsonObject o = parse(body);
    StrictJson.exactKeys(o, PULL_KEYS, "pull");
    String region = StrictJson.id(o, "region", "pull");
    String nonce = StrictJson.string(o, "nonce", MAX_NONCE, false, "pull");
    List<Vote> votes = votes(StrictJson.array(o, "votes", MAX_VOTES, "pull"), region, receivedAt);
    return new PullPage(region, nonce, votes, StrictJson.bool(o, "more", "pull"));
  }

  /** One vote on the wire; the region is implied by the envelope. */
  public static JsonObject vote(Vote v) {
    return new JsonObject()
        .put("targetId", v.targetId())
        .put("status", v.status().name())
        .put("since", v.since() == null ? null : v.since().toString())
        .put("obsSeq", v.obsSeq())
        .put("outcome", v.outcome().name())
        .put("errorKind", v.errorKind() == null ? null : v.errorKind().wireName())
        .put("detail", StrictJson.clip(v.detail(), MAX_DETAIL));
  }

  static Vote vote(Object item, String region, Instant receivedAt, int index) throws MeshRejection {
    String where = "votes[" + index + "]";
    if (!(item instanceof JsonObject o)) {
      throw malformed(where + ": must be an object");
    }
    StrictJson.exactKeys(o, VOTE_KEYS, where);
    return new Vote(
        region,
        StrictJson.id(o, "targetId", where),
        StrictJson.enumValue(o, "status", Status.class, false, where),
        StrictJson.instant(o, "since", true, where),
        StrictJson.positiveLong(o, "obsSeq", where),
        receivedAt,
        StrictJson.enumValue(o, "outcome", Outcome.class, false, where),
        errorKind(o, where),
        StrictJson.string(o, "detail", MAX_DETAIL, false, where));
  }

  private static ErrorKind errorKind(JsonObject o, String where) throws MeshRejection {
    String s = StrictJson.string(o, "errorKind", 32, true, where);
    if (s == null) {
      return null;
    }
    for (ErrorKind k : ErrorKind.values()) {
      if (k.wireName().equals(s)) {
        return k;
      }
    }
    throw malformed(where + ".errorKind: not a known value");
  }

  private static JsonArray votes(Collection<Vote> votes) {
    JsonArray a = new JsonArray(new ArrayList<>(votes.size()));
    for (Vote v : votes) {
      a.add(vote(v));
    }
    return a;
  }

  private static List<Vote> votes(JsonArray a, String region, Instant receivedAt)
      throws MeshRejection {
    List<Vote> out = new ArrayList<>(a.size());
    for (int i = 0; i < a.size(); i++) {
      out.add(vote(a.getValue(i), region, receivedAt, i));
    }
    return out;
  }

  private static JsonObject parse(Buffer body) throws MeshRejection {
    if (body.length() > MAX_BODY_BYTES) {
      throw new MeshRejection(
          Reason.TOO_LARGE, "body of " + body.length() + " bytes exceeds " + MAX_BODY_BYTES);
    }
    return StrictJson.object(body);
  }
}
