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

  /** Maintenance windows per message at most. */
  public static final int MAX_WINDOWS = 8;

  /** Targets or groups one shared maintenance window names at most. */
  public static final int MAX_WINDOW_IDS = 500;

  /** Longest maintenance window title and description. */
  public static final int MAX_TITLE = 200;

  public static final int MAX_DESCRIPTION = 2_000;

  private static final int MAX_EVERY = 200;
  private static final Set<String> WINDOW_KEYS =
      Set.of(
          "id",
          "title",
          "description",
          "targets",
          "groups",
          "start",
          "end",
          "every",
          "failover",
          "announce",
          "updatedAt",
          "deleted");

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
    if (!m.windows().isEmpty()) {
      JsonArray a = new JsonArray();
      m.windows().forEach(w -> a.add(window(w)));
      o.put("windows", a);
    }
    if (m.leaving()) {
      // only in the final message, so a mixed-version mesh refuses one message at most (ADR 0016)
      o.put("leaving", true);
    }
    return o.toBuffer();
  }

  /** One shared maintenance window as JSON (the mesh's and the store's form). */
  public static JsonObject window(MeshMessage.Window w) {
    return new JsonObject()
        .put("id", w.id())
        .put("title", w.title())
        .put("description", w.description())
        .put("targets", new JsonArray(new ArrayList<>(w.targets())))
        .put("groups", new JsonArray(new ArrayList<>(w.groups())))
        .put("start", w.start() == null ? null : w.start().toString())
        .put("end", w.end() == null ? null : w.end().toString())
        .put("every", w.every())
        .put("failover", w.failover())
        .put("announce", w.announce())
        .put("updatedAt", w.updatedAt().toString())
        .put("deleted", w.deleted());
  }

  /** Reads a shared maintenance window strictly (exact keys, ids, bounded strings and lists). */
  public static MeshMessage.Window window(Object item, String where) throws MeshRejection {
    if (!(item instanceof JsonObject o)) {
      throw malformed(where + ": must be an object");
    }
    StrictJson.exactKeys(o, WINDOW_KEYS, where);
    Instant start = StrictJson.instant(o, "start", true, where);
    Instant end = StrictJson.instant(o, "end", true, where);
    String every = StrictJson.string(o, "every", MAX_EVERY, true, where);
    if ((every == null) == (start == null || end == null) || (start == null) != (end == null)) {
      throw malformed(where + ": either start and end or every");
    }
    if (start != null && !end.isAfter(start)) {
      throw malformed(where + ".end: must be after start");
    }
    String failover = StrictJson.string(o, "failover", 8, false, where);
    if (!failover.equals("ACT") && !failover.equals("FREEZE")) {
      throw malformed(where + ".failover: not a known value");
    }
    return new MeshMessage.Window(
        StrictJson.id(o, "id", where),
        StrictJson.string(o, "title", MAX_TITLE, false, where),
        StrictJson.string(o, "description", MAX_DESCRIPTION, false, where),
        ids(o, "targets", where),
        ids(o, "groups", where),
        start,
        end,
        every,
        failover,
        StrictJson.bool(o, "announce", where),
        StrictJson.instant(o, "updatedAt", false, where),
        StrictJson.bool(o, "deleted", where));
  }

  private static List<String> ids(JsonObject o, String key, String where) throws MeshRejection {
    JsonArray a = StrictJson.array(o, key, MAX_WINDOW_IDS, where);
    List<String> out = new ArrayList<>(a.size());
    for (int i = 0; i < a.size(); i++) {
      if (!(a.getValue(i) instanceof String s) || !StrictJson.ID.matcher(s).matches()) {
        throw malformed(where + "." + key + "[" + i + "]: must be an id");
      }
      out.add(s);
    }
    return out;
  }

  private static List<MeshMessage.Window> windows(JsonObject o) throws MeshRejection {
    if (!o.containsKey("windows")) {
      return List.of();
    }
    JsonArray a = StrictJson.array(o, "windows", MAX_WINDOWS, "message");
    List<MeshMessage.Window> out = new ArrayList<>(a.size());
    for (int i = 0; i < a.size(); i++) {
      out.add(window(a.getValue(i), "windows[" + i + "]"));
    }
    return out;
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
    List<MeshMessage.Window> windows = windows(o);
    o.remove("windows");
    boolean leaving = leaving(o);
    o.remove("leaving");
    StrictJson.exactKeys(o, MESSAGE_KEYS, "message");
    String region = StrictJson.id(o, "region", "message");
    long seq = StrictJson.positiveLong(o, "seq", "message");
    Instant sentAt = StrictJson.instant(o, "sentAt", false, "message");
    String hash = StrictJson.string(o, "configHash", MAX_HASH, false, "message");
    List<Vote> votes =
        votes(StrictJson.array(o, "votes", MAX_VOTES, "message"), region, receivedAt);
    return new MeshMessage(region, seq, sentAt, hash, votes, receipts, pings, windows, leaving);
  }

  /** The optional leaving flag: absent, or exactly {@code true} (nobody sends {@code false}). */
  private static boolean leaving(JsonObject o) throws MeshRejection {
    if (!o.containsKey("leaving")) {
      return false;
    }
    if (!Boolean.TRUE.equals(o.getValue("leaving"))) {
      throw malformed("message.leaving: must be true when present");
    }
    return true;
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
    String target = StrictJson.id(o, "targetId", where);
    Status status = StrictJson.enumValue(o, "status", Status.class, false, where);
    if (status == Status.MAINTENANCE) {
      // only the maintenance overlay shows MAINTENANCE; a region's vote is what it observed
      throw malformed(where + ".status: MAINTENANCE is never a vote");
    }
    return new Vote(
        region,
        target,
        status,
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
