package io.quorate.api;

import io.quorate.api.StatusModel.Board;
import io.quorate.api.StatusModel.Box;
import io.quorate.api.StatusModel.Dot;
import io.quorate.api.StatusModel.Incident;
import io.quorate.api.StatusModel.Member;
import io.quorate.api.StatusModel.Notice;
import io.quorate.config.QuorateConfig;
import io.quorate.config.StatusPage;
import io.quorate.config.Target;
import io.quorate.maintenance.MaintenanceCalendar;
import io.quorate.maintenance.Occurrence;
import io.quorate.quorum.Status;
import io.quorate.quorum.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Builds the status page's {@link Board} from one snapshot of verdicts, drained pool members, the
 * maintenance calendar and the cached uptime bars. Pure: no Vert.x, no I/O.
 */
public final class StatusBoard {
  /** Members shown at most (config order). */
  public static final int MAX_MEMBERS = 500;

  /** Maintenance notices listed at most. */
  public static final int MAX_NOTICES = 20;

  /** Announced maintenance is listed this long before it starts. */
  public static final Duration NOTICE_AHEAD = Duration.ofDays(7);

  /** The box of targets without a group. */
  public static final String OTHER = "Other";

  private StatusBoard() {}

  /**
   * One snapshot.
   *
   * @param config the shared config (groups, targets, {@code statusPage})
   * @param verdicts the quorum's verdicts by target id
   * @param drained target ids drained from a pool (being prepared)
   * @param calendar the maintenance windows
   * @param bars uptime bars by target id and by {@code group:<id>}; missing ones are not computed
   * @param liveRegions regions this agent hears now
   * @param quorate whether this agent's verdicts are quorate
   * @param now the current time
   */
  public record Inputs(
      QuorateConfig config,
      Map<String, Verdict> verdicts,
      Set<String> drained,
      MaintenanceCalendar calendar,
      Map<String, StatusBars.Bars> bars,
      Set<String> liveRegions,
      boolean quorate,
      Instant now) {}

  /** The key of a group's bars in {@link Inputs#bars}. */
  public static String groupBars(String groupId) {
    return "group:" + groupId;
  }

  /** The page; {@code publicMode} leaves out regions, votes and every id. */
  public static Board build(Inputs in, boolean publicMode) {
    QuorateConfig cfg = in.config();
    StatusPage page = cfg.statusPage();
    List<Target> shown =
        cfg.targets().stream()
            .filter(t -> !page.hidden().contains(t.id()))
            .limit(MAX_MEMBERS)
            .toList();
    Map<String, String> keys = new LinkedHashMap<>();
    shown.forEach(t -> keys.put(t.id(), publicMode ? "t" + (keys.size() + 1) : t.id()));
    List<Box> boxes = new ArrayList<>();
    List<Member> preparing = new ArrayList<>();
    int g = 0;
    for (QuorateConfig.Group group : cfg.groups()) {
      g++;
      List<Target> in1 = shown.stream().filter(t -> group.id().equals(t.group())).toList();
      String name = group.name() == null ? group.id() : group.name();
      String key = publicMode ? "g" + g : group.id();
      StatusBars.Bars bars = in.bars().get(groupBars(group.id()));
      box(in, publicMode, keys, in1, key, name, group.description(), bars, boxes, preparing);
    }
    Set<String> groupIds =
        cfg.groups().stream().map(QuorateConfig.Group::id).collect(Collectors.toUnmodifiableSet());
    List<Target> other =
        shown.stream().filter(t -> t.group() == null || !groupIds.contains(t.group())).toList();
    box(in, publicMode, keys, other, "other", OTHER, null, null, boxes, preparing);
    return new Board(
        page.title(),
        publicMode,
        in.now(),
        overall(boxes),
        boxes,
        preparing,
        incidents(boxes),
        notices(in, keys, publicMode),
        publicMode ? List.of() : regions(in),
        publicMode ? null : in.quorate());
  }

  private static void box(
      Inputs in,
      boolean publicMode,
      Map<String, String> keys,
      List<Target> targets,
      String key,
      String name,
      String description,
      StatusBars.Bars bars,
      List<Box> boxes,
      List<Member> preparing) {
    List<Member> members = new ArrayList<>();
    for (Target t : targets) {
      Member m = member(in, t, keys.get(t.id()), name, publicMode);
      (m.preparing() ? preparing : members).add(m);
    }
    if (!members.isEmpty()) {
      boxes.add(new Box(key, name, description, boxState(members), bars, members));
    }
  }

  private static Member member(Inputs in, Target t, String key, String group, boolean pub) {
    Verdict v = in.verdicts().get(t.id());
    Status state = v == null ? Status.UNKNOWN : v.state();
    Instant since = v == null ? null : v.since();
    Optional<Occurrence> occ =
        safely(() -> in.calendar().covering(t.id(), in.now()), Optional.empty());
    String title = null;
    Instant until = null;
    if (occ.isPresent()) {
      state = Status.MAINTENANCE;
      since = occ.get().start();
      title = occ.get().window().title();
      until = occ.get().end();
    }
    List<Dot> dots = new ArrayList<>();
    if (!pub && v != null) {
      for (Verdict.VoteView vv : v.votes()) {
        boolean counted = vv.vote() != null && vv.fresh() && !vv.abstained();
        dots.add(new Dot(vv.region(), counted ? vv.vote().status() : Status.UNKNOWN));
      }
    }
    String name = in.config().statusPage().displayName(t.id());
    boolean preparing = in.drained().contains(t.id());
    return new Member(
        key, name, group, state, since, preparing, title, until, in.bars().get(t.id()), dots);
  }

  /**
   * DOWN while every member is DOWN; DEGRADED while any is DOWN or DEGRADED; else UP while any is
   * UP; else MAINTENANCE while any is in maintenance; else UNKNOWN.
   */
  static Status boxState(List<Member> members) {
    List<Status> s = members.stream().map(Member::state).toList();
    if (s.stream().allMatch(x -> x == Status.DOWN)) {
      return Status.DOWN;
    }
    if (s.contains(Status.DOWN) || s.contains(Status.DEGRADED)) {
      return Status.DEGRADED;
    }
    if (s.contains(Status.UP)) {
      return Status.UP;
    }
    return s.contains(Status.MAINTENANCE) ? Status.MAINTENANCE : Status.UNKNOWN;
  }

  static Status overall(List<Box> boxes) {
    List<Status> s = boxes.stream().map(Box::state).toList();
    for (Status worst : List.of(Status.DOWN, Status.DEGRADED, Status.MAINTENANCE, Status.UP)) {
      if (s.contains(worst)) {
        return worst;
      }
    }
    return Status.UNKNOWN;
  }

  private static List<Incident> incidents(List<Box> boxes) {
    List<Incident> out = new ArrayList<>();
    for (Box b : boxes) {
      if (b.state() == Status.DOWN && b.members().size() > 1) {
        Instant since =
            b.members().stream()
                .map(Member::since)
                .filter(Objects::nonNull)
                .max(Instant::compareTo)
                .orElse(null);
        out.add(new Incident("group", b.key(), b.name(), Status.DOWN, since));
      }
      for (Member m : b.members()) {
        if (m.state() == Status.DOWN || m.state() == Status.DEGRADED) {
          out.add(new Incident("member", m.key(), m.name(), m.state(), m.since()));
        }
      }
    }
    return out;
  }

  private static List<Notice> notices(Inputs in, Map<String, String> keys, boolean pub) {
    Instant now = in.now();
    List<Occurrence> all =
        safely(() -> in.calendar().between(now, now.plus(NOTICE_AHEAD)), List.of());
    List<Notice> out = new ArrayList<>();
    for (Occurrence o : all) {
      if (!o.window().announce() || out.size() >= MAX_NOTICES) {
        continue;
      }
      List<String> affects = new ArrayList<>();
      keys.keySet().stream()
          .filter(o.targets()::contains)
          .forEach(id -> affects.add(in.config().statusPage().displayName(id)));
      out.add(
          new Notice(
              pub ? null : o.window().id(),
              o.window().title(),
              o.window().description(),
              o.start(),
              o.end(),
              o.covers(now),
              affects));
    }
    return out;
  }

  private static List<Dot> regions(Inputs in) {
    List<Dot> out = new ArrayList<>();
    for (String r : in.config().regions()) {
      out.add(new Dot(r, in.liveRegions().contains(r) ? Status.UP : Status.DOWN));
    }
    return out;
  }

  /**
   * The calendar's answer, or {@code fallback} while recurring windows cannot be expanded yet
   * ({@code Recurrences} throws until it is built): the page still shows everything else.
   */
  static <T> T safely(Supplier<T> call, T fallback) {
    try {
      return call.get();
    } catch (UnsupportedOperationException e) {
      return fallback;
    }
  }
}
