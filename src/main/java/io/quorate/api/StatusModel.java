package io.quorate.api;

import io.quorate.quorum.Status;
import java.time.Instant;
import java.util.List;

/**
 * What the status page shows, built by {@link StatusBoard}. In public mode the builder leaves out
 * everything internal (regions, votes, target and group ids, window ids), so a public rendering
 * cannot leak what the model never held.
 */
public final class StatusModel {
  private StatusModel() {}

  /**
   * The whole page.
   *
   * @param title the heading
   * @param publicMode built for anonymous readers
   * @param generatedAt when
   * @param state the worst box state (UP, DEGRADED, DOWN, MAINTENANCE or UNKNOWN)
   * @param boxes one per group, then "Other"
   * @param preparing members being prepared (drained from a pool), shown apart
   * @param incidents what is DOWN or DEGRADED now
   * @param notices announced maintenance, active or starting within 7 days
   * @param regions the monitoring regions and whether each is live (empty in public mode)
   * @param quorate whether this agent's verdicts are quorate ({@code null} in public mode)
   */
  public record Board(
      String title,
      boolean publicMode,
      Instant generatedAt,
      Status state,
      List<Box> boxes,
      List<Member> preparing,
      List<Incident> incidents,
      List<Notice> notices,
      List<Dot> regions,
      Boolean quorate) {
    public Board {
      boxes = List.copyOf(boxes);
      preparing = List.copyOf(preparing);
      incidents = List.copyOf(incidents);
      notices = List.copyOf(notices);
      regions = List.copyOf(regions);
    }
  }

  /**
   * A group's box.
   *
   * @param key the group id (token mode) or an opaque {@code g1, g2, …} (public mode)
   * @param name the configured name
   * @param description the configured description, or {@code null}
   * @param state DOWN only while every member is DOWN; DEGRADED while some are DOWN or DEGRADED
   * @param bars the group's daily uptime ({@code null} while not computed yet)
   * @param members members in config order, without those being prepared
   */
  public record Box(
      String key,
      String name,
      String description,
      Status state,
      StatusBars.Bars bars,
      List<Member> members) {
    public Box {
      members = List.copyOf(members);
    }
  }

  /**
   * One member (a target).
   *
   * @param key the target id (token mode) or an opaque {@code t1, t2, …} (public mode)
   * @param name the display name
   * @param group the name of its box
   * @param state the shown state, MAINTENANCE inside an occurrence covering it
   * @param since when {@code state} began ({@code null} when unknown)
   * @param preparing drained from a pool: being prepared
   * @param maintenance the covering window's title, or {@code null}
   * @param maintenanceUntil the covering occurrence's end, or {@code null}
   * @param bars daily uptime ({@code null} while not computed yet)
   * @param regions each region's vote as a dot (empty in public mode)
   */
  public record Member(
      String key,
      String name,
      String group,
      Status state,
      Instant since,
      boolean preparing,
      String maintenance,
      Instant maintenanceUntil,
      StatusBars.Bars bars,
      List<Dot> regions) {
    public Member {
      regions = List.copyOf(regions);
    }
  }

  /** A labelled dot: a region and its state. */
  public record Dot(String name, Status state) {}

  /**
   * Something DOWN or DEGRADED now.
   *
   * @param kind {@code member} or {@code group} (every member of a group DOWN)
   * @param key the member's or box's key
   * @param name its name
   * @param state DOWN or DEGRADED
   * @param since when it began, or {@code null}
   */
  public record Incident(String kind, String key, String name, Status state, Instant since) {}

  /**
   * An announced maintenance occurrence.
   *
   * @param id the window id ({@code null} in public mode)
   * @param title its title
   * @param description its description, or {@code null}
   * @param start first instant inside
   * @param end first instant after
   * @param active in progress now
   * @param affects display names of the shown members it covers
   */
  public record Notice(
      String id,
      String title,
      String description,
      Instant start,
      Instant end,
      boolean active,
      List<String> affects) {
    public Notice {
      affects = List.copyOf(affects);
    }
  }
}
