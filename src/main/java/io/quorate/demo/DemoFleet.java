package io.quorate.demo;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The sample fleet of {@code quorate demo}: demo web and mail servers ({@link DemoWebServer},
 * {@link DemoMailServer}) on loopback addresses in this JVM, so the whole failover loop can be
 * shown with nothing else installed. Members can be stopped and started one by one; {@link
 * #stop(String)} completes only once the member refuses connections on every port, {@link
 * #start(String)} once it accepts them.
 *
 * <pre>
 * DemoFleet fleet = new DemoFleet(vertx, DemoFleet.Layout.standard(ports), DemoTls.load());
 * fleet.start()                            // web-1..3, mail-1, mail-2
 *     .compose(v -> fleet.stop("web-2"));  // web-2 now refuses connections
 * </pre>
 */
public final class DemoFleet {
  /** Default port of the web members. */
  public static final int DEFAULT_WEB_PORT = 8480;

  /** What a member serves. */
  public enum Kind {
    WEB,
    MAIL
  }

  /**
   * A member as seen now.
   *
   * @param serverName the name its certificate and greetings use (null for web members)
   * @param ports protocol → port, keyed by probe type wire names: {@code http}, or {@code smtp},
   *     {@code imap}, {@code pop3}
   */
  public record Member(
      String id,
      Kind kind,
      String host,
      String serverName,
      Map<String, Integer> ports,
      boolean running) {}

  /** Where one web member listens. */
  public record WebSpec(String id, String host, int port) {}

  /** Where one mail member listens, and the name it announces. */
  public record MailSpec(String id, String host, String serverName, DemoMailServer.Ports ports) {}

  /** The members to run. Ids must be unique. */
  public record Layout(List<WebSpec> web, List<MailSpec> mail) {
    public Layout {
      web = List.copyOf(web);
      mail = List.copyOf(mail);
      List<String> ids = new ArrayList<>();
      web.forEach(w -> ids.add(w.id()));
      mail.forEach(m -> ids.add(m.id()));
      if (ids.stream().distinct().count() != ids.size()) {
        throw new IllegalArgumentException("duplicate member id in " + ids);
      }
    }

    /**
     * web-1..web-3 on 127.0.0.21..23 at {@code webPort}; mail-1 (the primary, {@code
     * mail1.demo.test}) on 127.0.0.31 and mail-2 (the backup, {@code mail2.demo.test}) on
     * 127.0.0.32, both with {@code mailPorts}.
     */
    public static Layout standard(int webPort, DemoMailServer.Ports mailPorts) {
      return new Layout(
          List.of(
              new WebSpec("web-1", "127.0.0.21", webPort),
              new WebSpec("web-2", "127.0.0.22", webPort),
              new WebSpec("web-3", "127.0.0.23", webPort)),
          List.of(
              new MailSpec("mail-1", "127.0.0.31", "mail1.demo.test", mailPorts),
              new MailSpec("mail-2", "127.0.0.32", "mail2.demo.test", mailPorts)));
    }

    /**
     * {@link #standard(int, DemoMailServer.Ports)} with web members on {@link #DEFAULT_WEB_PORT}.
     */
    public static Layout standard(DemoMailServer.Ports mailPorts) {
      return standard(DEFAULT_WEB_PORT, mailPorts);
    }
  }

  /** One running or stoppable member. */
  private record Entry(
      String id,
      Kind kind,
      String host,
      String serverName,
      Map<String, Integer> ports,
      Supplier<Future<Void>> start,
      Supplier<Future<Void>> stop,
      Supplier<Boolean> running) {}

  private final Map<String, Entry> members = new LinkedHashMap<>();
  private final Vertx vertx;

  /** Builds the members (nothing listens before {@link #start()}). */
  public DemoFleet(Vertx vertx, Layout layout, DemoTls tls) {
    this(vertx, layout, tls, DemoMailServer.Limits.DEFAULT);
  }

  /** The same with explicit limits for the mail servers. */
  public DemoFleet(Vertx vertx, Layout layout, DemoTls tls, DemoMailServer.Limits limits) {
    this.vertx = vertx;
    for (WebSpec w : layout.web()) {
      DemoWebServer s = new DemoWebServer(vertx, w.id(), w.host(), w.port());
      Map<String, Integer> ports = Map.of("http", w.port());
      members.put(
          w.id(),
          new Entry(w.id(), Kind.WEB, w.host(), null, ports, s::start, s::stop, s::running));
    }
    for (MailSpec m : layout.mail()) {
      DemoMailServer s =
          new DemoMailServer(vertx, m.id(), m.host(), m.serverName(), m.ports(), tls, limits);
      Map<String, Integer> ports = new LinkedHashMap<>();
      ports.put("smtp", m.ports().smtp());
      ports.put("imap", m.ports().imap());
      ports.put("pop3", m.ports().pop3());
      members.put(
          m.id(),
          new Entry(
              m.id(),
              Kind.MAIL,
              m.host(),
              m.serverName(),
              Map.copyOf(ports),
              s::start,
              s::stop,
              s::running));
    }
  }

  /** Starts every member; fails if one cannot listen (the others keep running: call close). */
  public Future<Void> start() {
    return Future.all(members.keySet().stream().map(this::start).toList()).mapEmpty();
  }

  /** Starts one member; completes once each of its ports accepts a connection. */
  public Future<Void> start(String memberId) {
    return entry(memberId)
        .compose(
            e ->
                e.start()
                    .get()
                    .compose(v -> each(e, port -> ListenCheck.accepts(vertx, e.host(), port))));
  }

  /**
   * Stops one member; completes once each of its ports refuses connections (the servers' own stop
   * waits for that), and fails if one still accepts after {@link ListenCheck#ATTEMPTS} tries.
   */
  public Future<Void> stop(String memberId) {
    return entry(memberId).compose(e -> e.stop().get());
  }

  /** Every member, in layout order (web first), with its state now. */
  public List<Member> members() {
    return members.values().stream().map(DemoFleet::view).toList();
  }

  /** One member, if the id is known. */
  public Optional<Member> member(String memberId) {
    return Optional.ofNullable(members.get(memberId)).map(DemoFleet::view);
  }

  /** Stops every member; never fails (a member that will not stop is left as it is). */
  public Future<Void> close() {
    List<Future<Void>> stopping =
        members.values().stream().map(e -> e.stop().get().otherwiseEmpty()).toList();
    return Future.join(stopping).mapEmpty();
  }

  private static Member view(Entry e) {
    return new Member(e.id(), e.kind(), e.host(), e.serverName(), e.ports(), e.running().get());
  }

  private Future<Entry> entry(String memberId) {
    Entry e = members.get(memberId);
    return e == null
        ? Future.failedFuture(new IllegalArgumentException("unknown demo member: " + memberId))
        : Future.succeededFuture(e);
  }

  private static Future<Void> each(Entry e, java.util.function.IntFunction<Future<Void>> check) {
    return Future.all(e.ports().values().stream().map(check::apply).toList()).mapEmpty();
  }
}
